"""Model -> text in a file format. One pure function a format, found by name in EXPORTERS."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

from cnblock.model import (
    Citation,
    Entity,
    Event,
    EventLog,
    Interval,
    PartialDate,
    Source,
    Technology,
)
from cnblock.query import Activity, Filters
from cnblock.text import citation_label, claimant, counted, date_label, printable

Record = dict[str, Any]


def entity_ref(entity: Entity) -> Record:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "names": dict(entity.names),
        "printed": dict(entity.printed),
    }


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def date_sides(event: Event) -> tuple[PartialDate | None, PartialDate | None]:
    """The start and end the date itself gives (None where open or absent)."""
    if isinstance(event.date, Interval):
        return event.date.start, event.date.end
    return event.date, event.date


def precision(event: Event) -> str | None:
    """How precise the date is: of its start, or of its end when the start is open (None for
    no date, or an interval open at both ends)."""
    start, end = date_sides(event)
    side = start or end
    return side.precision if side else None


def according_to(log: EventLog, event: Event) -> Record | str | None:
    """{id, name} of the entity that asserts the record, 'source', or None."""
    entity = log.entities.get(event.according_to or "")
    if entity is None:
        return event.according_to
    return {"id": entity.id, "name": entity.name}


def event_record(log: EventLog, event: Event) -> Record:
    """An event as scripts see it in JSON; the keys are the data file's field names, and
    date_start/date_end the sides of the date (null where open or absent)."""
    start, end = date_sides(event)
    return {
        "id": event.id,
        "kind": event.kind,
        "date": _text_or_none(event.date),
        "date_precision": precision(event),
        "date_start": _text_or_none(start),
        "date_end": _text_or_none(end),
        "as_of": _text_or_none(event.as_of),
        "according_to": according_to(log, event),
        "date_note": event.date_note,
        "title": event.title,
        "summary": event.summary,
        "place": event.place,
        "entities": [entity_ref(e) for e in log.event_entities(event)],
        "technologies": [{"id": t.id, "name": t.name} for t in log.event_technologies(event)],
        "sources": [
            {
                "source": c.source,
                "publisher": log.sources[c.source].publisher,
                "line": c.line,
                "span": list(c.span) if c.span else None,
                "digest": c.digest,
            }
            for c in event.sources
        ],
    }


def event_row(log: EventLog, event: Event) -> Record:
    """An event as one flat row, for CSV."""
    members = log.event_entities(event)
    companies = [e for e in members if not e.is_person]
    people = [e for e in members if e.is_person]
    return {
        "id": event.id,
        "kind": event.kind,
        "date": _text_or_none(event.date),
        "date_precision": precision(event),
        "as_of": _text_or_none(event.as_of),
        "according_to": claimant(log, event),
        "title": event.title,
        "companies": [e.name for e in companies],
        "people": [e.name for e in people],
        # The same names in Korean and Chinese, in the same order; an empty item where the
        # record has no name in that language, so that the n-th names always match.
        **{
            f"{group}_{lang}": [e.names.get(lang, "") for e in members_of]
            for group, members_of in (("companies", companies), ("people", people))
            for lang in NAME_LANGUAGES
        },
        "technologies": [t.name for t in log.event_technologies(event)],
        "sources": citation_label(log, event.sources, short=False),
        "place": event.place,
        "date_note": event.date_note,
        "summary": event.summary,
    }


def _activity(activity: Activity) -> Record:
    return {"events": activity.events, "first_year": activity.first, "last_year": activity.last}


def entity_record(entity: Entity, activity: Activity) -> Record:
    record = entity_ref(entity) | {"aliases": list(entity.aliases)}
    if entity.is_person:
        record["affiliations"] = list(entity.affiliations)
    return record | {"note": entity.note} | _activity(activity)


def technology_record(tech: Technology, activity: Activity) -> Record:
    return {
        "id": tech.id,
        "name": tech.name,
        "aliases": list(tech.aliases),
        "description": tech.description,
    } | _activity(activity)


def source_record(source: Source, activity: Activity | None = None) -> Record:
    record = {
        "id": source.id,
        "publisher": source.publisher,
        "title": source.title,
        "author": source.author,
        "published": str(source.published),
        "language": source.language,
        "url": source.url,
        "seed": source.seed,
        "sha256": source.sha256,
        "note": source.note,
        "text": source.text,
        "lines": source.lines,
    }
    return record | ({"events": activity.events} if activity else {})


def to_json(value: Any) -> str:
    return "".join(json_chunks(value))


def json_chunks(value: Any, size: int = 1 << 16) -> Iterator[str]:
    """`value` as indented JSON with a final newline, in pieces of about `size` characters:
    a large answer can be written as it is made, without one string of all of it. The text
    is json.dumps(value, ensure_ascii=False, indent=2)'s, made by `_Indented`, several times
    faster than the json module's own indenting encoder, which is pure Python."""
    pending: list[str] = []
    length = 0
    for piece in _Indented().pieces(value, "", 2):
        pending.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    yield "".join(pending) + "\n"


class _Indented:
    """Indented JSON exactly as the json module writes it (indent=2, ensure_ascii=False). The
    plain values records are made of (dict with str keys, list, tuple, str, int, bool, None)
    are written here; anything else (a float, a subclass, another key) by the json module,
    re-indented (its text holds no line break but its own: JSON escapes them in strings)."""

    def __init__(self) -> None:
        import json

        self.json = json
        self.string = json.encoder.encode_basestring

    def pieces(self, value: Any, indent: str, depth: int) -> Iterator[str]:
        """The text of `value` in pieces: an item each down to `depth` levels (a mapping only
        at the top: a record is short), whole below."""
        kind = type(value)
        listed = (kind is list or kind is tuple) and depth > 0
        if not value or not (listed or (kind is dict and depth > 1 and _str_keys(value))):
            yield self.whole(value, indent)
            return
        inner = indent + "  "
        separator = "\n" + inner
        if kind is dict:
            yield "{"
            for key, item in value.items():
                yield f"{separator}{self.string(key)}: "
                yield from self.pieces(item, inner, depth - 1)
                separator = ",\n" + inner
            yield "\n" + indent + "}"
        else:
            yield "["
            for item in value:
                yield separator
                yield from self.pieces(item, inner, depth - 1)
                separator = ",\n" + inner
            yield "\n" + indent + "]"

    def whole(self, value: Any, indent: str) -> str:
        """The text of `value`, at `indent`."""
        kind = type(value)
        if kind is str:
            return str(self.string(value))
        if kind is int:
            return int.__repr__(value)
        if value is None or kind is bool:
            return "null" if value is None else "true" if value else "false"
        text = None
        if kind is dict:
            text = self._object(value, indent) if value else "{}"
        elif kind is list or kind is tuple:
            text = self._array(value, indent) if value else "[]"
        if text is None:  # not a plain value: the json module's text, indented as here
            text = self.json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)
        return str(text)

    def _object(self, value: dict[Any, Any], indent: str) -> str | None:
        """A dict's text; None when a key is not a str (the json module converts some)."""
        inner = indent + "  "
        string, whole = self.string, self.whole
        if not _str_keys(value):
            return None
        items = [
            f"{string(k)}: {string(v) if v.__class__ is str else whole(v, inner)}"
            for k, v in value.items()
        ]
        return "{\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "}"

    def _array(self, value: list[Any] | tuple[Any, ...], indent: str) -> str:
        inner = indent + "  "
        string, whole = self.string, self.whole
        items = [string(v) if v.__class__ is str else whole(v, inner) for v in value]
        return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"


def _str_keys(value: dict[Any, Any]) -> bool:
    return all(key.__class__ is str for key in value)


_FORMULA = re.compile("(^|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])(?=[=+\\-@\t\r])")
"""A formula start (= + - @, or a tab or CR that a spreadsheet skips before one) at the start
of the cell or of any line in it: a spreadsheet that splits a cell at a line break would run
the line that follows."""


def csv_cell(value: Any) -> str:
    """The one form every CSV cell takes: lists joined, formula starts neutralised."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = "; ".join(f"{k}: {v}" for k, v in value.items())
    # NUL cannot come from YAML, but Python 3.10's csv module refuses to write it at all.
    text = str(value).replace("\x00", "\ufffd")
    # A spreadsheet runs a cell that starts like a formula; a leading apostrophe keeps it text.
    return _FORMULA.sub(r"\1'", text)


def to_csv(rows: Sequence[Record], columns: Iterable[str] | None = None) -> str:
    """Rows as CSV with a header; lists joined with '; '; formula-like cells neutralised."""
    import csv
    import io

    names = list(columns) if columns is not None else list(rows[0]) if rows else []
    out = io.StringIO()
    # CRLF, as RFC 4180 and spreadsheets expect; it also makes a lone CR inside a field quoted.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(n) for n in names])  # a header may hold a name from the data
    for row in rows:
        writer.writerow([csv_cell(row.get(n)) for n in names])
    return out.getvalue()


NAME_LANGUAGES = ("ko", "zh")
"""The languages of the CSV's name columns: those of the shipped articles and of the names."""

EVENT_COLUMNS = (
    "id",
    "kind",
    "date",
    "date_precision",
    "as_of",
    "according_to",
    "title",
    "companies",
    "people",
    *(f"{group}_{lang}" for group in ("companies", "people") for lang in NAME_LANGUAGES),
    "technologies",
    "sources",
    "place",
    "date_note",
    "summary",
)
"""The CSV columns of an event, the keys of `event_row`."""


def events_csv(log: EventLog, events: Sequence[Event]) -> str:
    return to_csv([event_row(log, e) for e in events], EVENT_COLUMNS)


def _cited_sources(log: EventLog, events: Sequence[Event]) -> list[Source]:
    """The sources the events cite, in the log's order."""
    cited = {c.source for e in events for c in e.sources}
    return [s for s in log.sources.values() if s.id in cited]


def _title(filters: Filters) -> str:
    return "cnblock timeline" if filters.empty else f"cnblock timeline: {filters.describe()}"


# Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_[]<>|#~!")
_MD_ESCAPES = {ord(c): "\\" + c for c in _MD_SPECIAL} | {ord("&"): "&amp;"}


_NAME = attrgetter("name")
_MD_SPECIAL_FOUND = re.compile(r"[\\`*_\[\]<>|#~!&]").search


def md_text(text: str) -> str:
    """Text safe inside a Markdown paragraph or table cell: what could start emphasis, a link,
    code, HTML or a cell boundary is backslash-escaped, '&' is written as an entity, and line
    breaks and control characters cannot end the cell."""
    if (
        text.isprintable()
        and _MD_SPECIAL_FOUND(text) is None
        and "  " not in text
        and text[:1] != " " != text[-1:]
    ):
        return text  # the usual title: nothing to change, found by two C-level scans
    flat = " ".join(printable(text, keep_newlines=True).split())
    return flat.translate(_MD_ESCAPES)  # one C-level pass: a large export writes many cells


def _md_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_source(source: Source) -> str:
    parts = [md_text(source.publisher)]
    parts += [md_text(v) for v in (source.author,) if v]
    parts.append(md_text(str(source.published)))
    if source.title:
        parts.append(f"*{md_text(source.title)}*")
    line = ", ".join(parts) + "."
    if source.url and _plain_url(source.url):
        line += f" <{source.url}>"
    elif source.url:
        line += f" {md_text(source.url)}"
    return line


def _plain_url(url: str) -> bool:
    return (
        url.startswith(("http://", "https://"))
        and url.isprintable()
        and not any(c in url for c in ' <>"\\`')
    )


class _MdCells(NamedTuple):
    """Cells made so far, by what they are made from: dates, names and citations recur from row
    to row, and each distinct one is escaped once. A date is looked up by the identity of its
    objects, which the events keep alive while the rows are made."""

    dates: dict[tuple[int, int], str]
    names: dict[tuple[str, ...], str]
    technologies: dict[tuple[str, ...], str]
    citations: dict[object, str]
    sources: set[str]  # the ids of every source a row cites


def _md_titles(group: list[Event]) -> list[str]:
    """md_text of each title. Titles are rarely changed by it: when none of the group's is
    (checked on their joined text: one line each, printable, no special character, no space to
    fold or trim), they are taken as they are."""
    titles = [event.title for event in group]
    joined = "\n".join(titles)
    if (
        joined.count("\n") == len(titles) - 1
        and joined.replace("\n", "").isprintable()
        and _MD_SPECIAL_FOUND(joined) is None
        and not any(space in joined for space in ("  ", " \n", "\n "))
        and joined[:1] != " " != joined[-1:]
    ):
        return titles
    return [md_text(title) for title in titles]


def _md_rows(log: EventLog, group: list[Event], known: _MdCells) -> list[str]:
    """The table rows of `group`, one an event."""
    dates, names, technologies, citations, sources = known
    entity, technology, name = log.entities.__getitem__, log.technologies.__getitem__, _NAME
    rows = []
    for event, title in zip(group, _md_titles(group), strict=True):
        date = dates.get((id(event.date), id(event.as_of)))
        if date is None:
            date = dates[id(event.date), id(event.as_of)] = md_text(date_label(event))
        ids = event.entities
        who = names.get(ids)
        if who is None:
            who = names[ids] = md_text(", ".join(map(name, map(entity, ids))))
        ids = event.technologies
        what = technologies.get(ids)
        if what is None:
            what = technologies[ids] = md_text(", ".join(map(name, map(technology, ids))))
        cited = event.sources
        key = cited[0][:2] if len(cited) == 1 else tuple(c[:2] for c in cited)
        label = citations.get(key)
        if label is None:
            label = citations[key] = md_text(citation_label(log, cited, short=False))
            sources.update(c.source for c in cited)
        rows.append(f"| {date} | {event.kind} | {title} | {who} | {what} | {label} |")
    return rows


def to_markdown(
    log: EventLog, events: Sequence[Event], filters: Filters, long: bool = False
) -> str:
    """A title, the filters and count, a table a year, summaries with `long`, the sources."""
    lines = [
        f"# {md_text(_title(filters))}",
        "",
        f"Filters: {md_text(filters.describe())}. {counted(len(events), 'event')}.",
    ]
    by_year: dict[int, list[Event]] = {}
    for event in events:
        by_year.setdefault(event.year, []).append(event)
    known = _MdCells({}, {}, {}, {}, set())
    for year, group in by_year.items():
        lines += [
            "",
            f"## {year}",
            "",
            _md_row(["Date", "Kind", "Event", "Companies and people", "Technologies", "Source"]),
            _md_row(["---"] * 6),
        ]
        lines += _md_rows(log, group, known)
        if long:
            lines.append("")
            for event in group:
                note = f" *Date: {md_text(event.date_note)}*" if event.date_note else ""
                who = claimant(log, event)
                said = f" *According to {md_text(who)}.*" if who else ""
                lines.append(
                    f"- **{md_text(date_label(event))}: {md_text(event.title)}**"
                    f" {md_text(event.summary)}{said}{note}"
                )
    cited = [s for s in log.sources.values() if s.id in known.sources]  # in the log's order
    if cited:
        lines += ["", "## Sources", ""]
        lines += [f"{n}. {_md_source(s)}" for n, s in enumerate(cited, 1)]
    return "\n".join(lines) + "\n"


# JSON, CSV --------------------------------------------------------------------------------


def to_json_export(
    log: EventLog, events: Sequence[Event], filters: Filters, long: bool = False
) -> str:
    """The timeline's event objects, the filters that chose them and the sources they cite."""
    return to_json(
        {
            "filters": filters.describe(),
            "events": [event_record(log, e) for e in events],
            "sources": [source_record(s) for s in _cited_sources(log, events)],
        }
    )


def to_csv_export(
    log: EventLog, events: Sequence[Event], filters: Filters, long: bool = False
) -> str:
    return events_csv(log, events)


# YAML subset ------------------------------------------------------------------------------


def _mapping(record: Source | Entity | Technology) -> dict[str, Any]:
    """A record's fields as plain YAML values, without its positions or its empty fields."""
    out = {}
    for name, value in zip(record._fields, record, strict=False):
        if name == "where" or value in (None, (), {}):
            continue
        out[name] = (
            list(value)
            if isinstance(value, tuple)
            else dict(value)
            if isinstance(value, Mapping)
            else str(value)
            if isinstance(value, PartialDate)
            else value
        )
    return out


def _portable(source: Source) -> Source:
    """The source with its text's path made absolute, so that a subset written anywhere still
    finds the text (a recorded path is taken from the folder of the file that records it)."""
    from cnblock import texts

    where = texts.locate(source, None) if source.text else None
    return source._replace(text=str(where.absolute())) if isinstance(where, Path) else source


def subset(
    log: EventLog, events: Sequence[Event]
) -> tuple[list[Source], list[Entity], list[Technology]]:
    """Exactly the sources, entities (with people's affiliations, and whoever a claim is
    according to) and technologies the events need, in the log's order. An entity keeps a
    printed-name marker only when an event of the subset that involves it cites the source
    that prints the name: a subset cannot vouch for evidence it leaves out."""
    wanted = {i for e in events for i in e.entities}
    wanted |= {e.according_to or "" for e in events} & log.entities.keys()
    frontier = set(wanted)
    while frontier:  # a person's affiliations must come along, and theirs in turn
        frontier = {a for i in frontier for a in log.entities[i].affiliations} - wanted
        wanted |= frontier
    techs = {t for e in events for t in e.technologies}
    cited_for: dict[str, set[str]] = {}
    for event in events:
        for entity_id in (*event.entities, event.according_to or ""):
            cited_for.setdefault(entity_id, set()).update(c.source for c in event.sources)
    entities = [
        e._replace(printed={k: s for k, s in e.printed.items() if s in cited_for.get(e.id, set())})
        for e in log.entities.values()
        if e.id in wanted
    ]
    return (
        _cited_sources(log, events),
        entities,
        [t for t in log.technologies.values() if t.id in techs],
    )


def to_yaml(log: EventLog, events: Sequence[Event], filters: Filters, long: bool = False) -> str:
    """A complete events file holding the events and exactly what they reference."""
    import yaml

    sources, entities, technologies = subset(log, events)
    document = {
        "schema": 2,
        "sources": [_mapping(_portable(s)) for s in sources],
        "entities": [_mapping(e) for e in entities],
        "technologies": [_mapping(t) for t in technologies],
        "events": [_event_mapping(e) for e in events],
    }
    header = (
        f"# A subset of the cnblock event log. Filters: {filters.describe()}."
        f" {counted(len(events), 'event')}.\n"
        "# Load it with: cnblock --no-shipped --data FILE timeline\n"
    )
    return header + yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )


def _event_mapping(event: Event) -> dict[str, Any]:
    """An event in the field order of the shipped log."""
    fields = {
        "id": event.id,
        "kind": None if event.kind == "event" else event.kind,
        "date": _text_or_none(event.date),
        "as_of": _text_or_none(event.as_of),
        "according_to": event.according_to,
        "date_note": event.date_note,
        "title": event.title,
        "summary": event.summary,
        "entities": list(event.entities),
        "technologies": list(event.technologies),
        "place": event.place,
        "sources": [_citation_mapping(c) for c in event.sources],
    }
    return {k: v for k, v in fields.items() if v not in (None, [])}


def _citation_mapping(citation: Citation) -> dict[str, Any]:
    fields: dict[str, Any] = {"source": citation.source, "line": citation.line}
    if citation.span is not None:
        fields |= {"span": list(citation.span), "digest": citation.digest}
    return fields


# TimelineJS -------------------------------------------------------------------------------


def _tl_date(date: PartialDate, display: str) -> dict[str, str]:
    out = {"year": str(date.year)}
    if date.month:
        out["month"] = str(date.month)
    if date.day:
        out["day"] = str(date.day)
    out["display_date"] = display
    return out


def to_timelinejs(
    log: EventLog, events: Sequence[Event], filters: Filters, long: bool = False
) -> str:
    """The JSON Knight Lab's TimelineJS reads: dates at their precision, grouped by the first
    organisation of each event. TimelineJS renders text as HTML, so all of it is escaped."""
    from html import escape

    slides = []
    for event in events:
        text = f"<p>{escape(event.summary)}</p>"
        if event.date_note:
            text += f"<p><i>Date: {escape(event.date_note)}</i></p>"
        text += f"<p>Source: {escape(citation_label(log, event.sources, short=False))}</p>"
        organisations = [e.name for e in log.event_entities(event) if not e.is_person]
        headline = event.title if event.kind == "event" else f"[{event.kind}] {event.title}"
        slide: dict[str, Any] = {"unique_id": event.id}
        start, end = event.known_start(), event.known_end()
        if start is not None:
            slide["start_date"] = _tl_date(start, escape(date_label(event)))
        if end is not None and end != start:  # an interval, or a state with its as_of
            slide["end_date"] = _tl_date(end, escape(str(end)))
        slide["text"] = {"headline": escape(headline), "text": text}
        if organisations:
            slide["group"] = escape(organisations[0])
        slides.append(slide)
    title = {
        "text": {
            "headline": escape(_title(filters)),
            "text": escape(f"Filters: {filters.describe()}. {counted(len(events), 'event')}."),
        }
    }
    return to_json({"title": title, "events": slides})


# HTML -------------------------------------------------------------------------------------


def to_html(log: EventLog, events: Sequence[Event], filters: Filters, long: bool = False) -> str:
    """One self-contained page with a chart (cnblock.htmlexport, loaded only when asked for)."""
    from cnblock import htmlexport

    return htmlexport.to_html(log, events, filters, long)


Exporter = Callable[[EventLog, Sequence[Event], Filters, bool], str]

EXPORTERS: dict[str, Exporter] = {
    "markdown": to_markdown,
    "csv": to_csv_export,
    "json": to_json_export,
    "yaml": to_yaml,
    "timelinejs": to_timelinejs,
    "html": to_html,
}
"""Every export format by name; `cnblock export --format` offers exactly these."""

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "markdown": (".md", ".markdown"),
    "csv": (".csv",),
    "json": (".json",),
    "yaml": (".yaml", ".yml"),
    "timelinejs": (".json",),
    "html": (".html", ".htm"),
}
"""The file name endings of each format; `export -o FILE` picks the format from them."""


def format_for(path: str, asked: str | None) -> str:
    """The export format for writing to `path`: `asked` if given, else the one its ending
    names, else markdown. ValueError when `asked` contradicts the ending (a CSV written into
    `events.json`, say); an ending no format claims contradicts nothing."""
    suffix = path[path.rfind(".") :].casefold() if "." in path.rsplit("/", 1)[-1] else ""
    named = [f for f, endings in EXTENSIONS.items() if suffix in endings and f in EXPORTERS]
    if asked is None:
        return named[0] if named else "markdown"
    if named and asked not in named:
        raise ValueError(
            f"--format {asked} contradicts the file name {path!r}, which ends in {suffix}"
            f" ({' or '.join(named)}); change one of them"
        )
    return asked
