"""Model -> text in a file format. One pure function a format, found by name in EXPORTERS."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from cnblock.model import Entity, Event, EventLog, Source, Technology
from cnblock.query import Activity, Filters

Record = dict[str, Any]


def entity_ref(entity: Entity) -> Record:
    return {"id": entity.id, "name": entity.name, "kind": entity.kind, "names": dict(entity.names)}


def event_record(log: EventLog, event: Event) -> Record:
    """An event as scripts see it in JSON; the keys are the data file's field names."""
    return {
        "id": event.id,
        "date": str(event.date),
        "date_precision": event.date.precision,
        "date_note": event.date_note,
        "title": event.title,
        "summary": event.summary,
        "place": event.place,
        "entities": [entity_ref(e) for e in log.event_entities(event)],
        "technologies": [{"id": t.id, "name": t.name} for t in log.event_technologies(event)],
        "sources": [
            {"source": c.source, "publisher": log.sources[c.source].publisher, "line": c.line}
            for c in event.sources
        ],
    }


def event_row(log: EventLog, event: Event) -> Record:
    """An event as one flat row, for CSV."""
    members = log.event_entities(event)
    return {
        "id": event.id,
        "date": str(event.date),
        "title": event.title,
        "companies": [e.name for e in members if not e.is_person],
        "people": [e.name for e in members if e.is_person],
        "technologies": [t.name for t in log.event_technologies(event)],
        "sources": [f"{log.sources[c.source].publisher}, line {c.line}" for c in event.sources],
        "place": event.place,
        "date_note": event.date_note,
        "summary": event.summary,
    }


def _activity(activity: Activity) -> Record:
    return {"events": activity.count, "first_year": activity.first, "last_year": activity.last}


def entity_record(entity: Entity, activity: Activity) -> Record:
    record = entity_ref(entity) | {"aliases": list(entity.aliases)}
    if entity.is_person:
        record["affiliations"] = list(entity.affiliations)
    return record | {"note": entity.note} | _activity(activity)


def technology_record(tech: Technology, activity: Activity) -> Record:
    return {"id": tech.id, "name": tech.name, "aliases": list(tech.aliases), "description": tech.description} | _activity(activity)


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
    }
    return record | ({"events": activity.count} if activity else {})


def to_json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = "; ".join(f"{k}: {v}" for k, v in value.items())
    text = str(value)
    # A spreadsheet runs a cell that starts like a formula; a leading apostrophe keeps it text.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(rows: Sequence[Record], columns: Iterable[str] | None = None) -> str:
    """Rows as CSV with a header; lists joined with '; '; formula-like cells neutralised."""
    import csv
    import io

    names = list(columns) if columns is not None else list(rows[0]) if rows else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_cell(row.get(n)) for n in names])
    return out.getvalue()


EVENT_COLUMNS = (
    "id", "date", "title", "companies", "people", "technologies", "sources", "place", "date_note", "summary",
)
"""The CSV columns of an event, the keys of `event_row`."""


def events_json(log: EventLog, events: Sequence[Event]) -> str:
    return to_json([event_record(log, e) for e in events])


def events_csv(log: EventLog, events: Sequence[Event]) -> str:
    return to_csv([event_row(log, e) for e in events], EVENT_COLUMNS)


Exporter = Callable[[EventLog, Sequence[Event], Filters, bool], str]
