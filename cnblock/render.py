"""Model -> Rich renderables. Never prints.

Text from data files is always shown as literal text: cells are `rich.text.Text`, never markup
strings, and control and formatting characters are replaced by visible escapes so that an ANSI
sequence, a bell or a right-to-left override in a title cannot reach the terminal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text

from cnblock.errors import MAX_PROBLEMS, Problem
from cnblock.layout import (
    ASCII,
    GLUE,
    PLAIN,
    UNICODE,
    Column,
    Drawing,
    Row,
    Screen,
    paragraphs,
    table,
    table_lines,
)
from cnblock.model import Entity, Event, EventLog, Interval, Source, Technology
from cnblock.query import Activity, YearRow
from cnblock.text import (
    MAX_SHOWN,
    Phrase,
    capped,
    citation_label,
    claimant,
    date_label,
    printable,
)

MAX_CELL = MAX_SHOWN
"""Characters of one value shown in a table; past them an ellipsis (see text.capped)."""


def cell(text: str | None, style: str = "", keep_newlines: bool = False) -> Text:
    """A table cell showing `text` literally, at most MAX_CELL characters of it."""
    return Text(printable(capped(text or ""), keep_newlines), style=style)


def glued(name: str) -> str:
    """A name whose words stay on one line when it fits (at most MAX_CELL characters)."""
    return GLUE.join(printable(capped(name)).split())


def name_list(names: Iterable[str], limit: int | None = None, style: str = "") -> Text:
    """Names joined with commas, each kept whole where it fits; past `limit`, 'and N more'.
    Each name, and the whole list, at most MAX_CELL characters, then an ellipsis."""
    names = list(names)
    shown = names if limit is None else names[:limit]
    text = capped(", ".join(glued(n) for n in shown))
    if len(names) > len(shown):
        text += f" and {len(names) - len(shown)} more"
    return Text(text, style=style)


def timeline(
    log: EventLog,
    events: Sequence[Event],
    long: bool = False,
    names: int = 6,
    screen: Screen = PLAIN,
) -> Text:
    """Events in the given order under a heading line for each year, each with its id on a dim
    line under its title, so that `cnblock show ID` can follow; `long` adds summaries and date
    notes under the row, full width, and every name (otherwise at most `names` an event)."""
    return Text("\n").join(list(timeline_lines(log, events, long, names, screen)))


def timeline_lines(
    log: EventLog,
    events: Sequence[Event],
    long: bool = False,
    names: int = 6,
    screen: Screen = PLAIN,
) -> Iterator[Text]:
    """The lines of `timeline`, each laid out when it is asked for (layout.table_lines)."""
    columns = [
        Column("Date"),
        Column("Event", weight=3, least=20),
        Column("Who", leave=3, label="Who", weight=2),
        Column("Technology", leave=2, label="Technology", weight=2),
        Column("Source", leave=1, label="Source"),
    ]
    rows: list[Row] = []
    year = None
    for event in events:
        if event.year != year:
            rows.append(Row(heading=Text(str(event.year), style="bold cyan"), gap=bool(rows)))
            year = event.year
        below = []
        if long:
            below.append(cell(event.summary, keep_newlines=True))
            who = claimant(log, event)
            if who:
                below.append(cell(f"According to {who}.", "italic"))
            if event.date_note:
                below.append(cell(f"Date: {event.date_note}", "italic dim", keep_newlines=True))
        rows.append(
            Row(
                cells=[
                    cell(glued_date(event)),
                    _kind_marker(event) + cell(event.title, "bold" if long else ""),
                    name_list((e.name for e in log.event_entities(event)), None if long else names),
                    name_list((t.name for t in log.event_technologies(event)), style="green"),
                    cell(citation_label(log, event.sources), "dim"),
                ],
                under=[cell(event.id, "dim")],
                below=below,
                gap=long and rows[-1].heading is None,
            )
        )
    return table_lines(columns, rows, screen)


def glued_date(event: Event) -> str:
    """The date label with 'as of' kept on one line: a narrow column breaks before the date,
    not inside the words."""
    return date_label(event).replace("as of ", glued("as of") + " ")


def _kind_marker(event: Event) -> Text:
    """'[state] ' before the title of anything but a plain event."""
    return Text() if event.kind == "event" else Text(f"[{event.kind}] ", style="magenta")


def _date_words(event: Event) -> str:
    """The date with what it means: its precision, or for an interval its two sides."""
    date = event.date
    if date is None:
        return f"not known; reported true as of {event.as_of}"
    if isinstance(date, Interval):
        start = f"from {date.start}" if date.start else "from an unknown start"
        end = f"to {date.end}" if date.end else "with no known end"
        text = f"{date} ({start} {end})"
    else:
        quality = {"~": ", approximate", "?": ", uncertain"}.get(date.qualifier, "")
        text = f"{date} (known to the {date.precision}{quality})"
    return text + (f"; reported as of {event.as_of}" if event.as_of else "")


def years(rows: Sequence[YearRow], screen: Screen = PLAIN, names: int = 6) -> Text:
    """One row a year: the count, a bar scaled to the busiest year, the busiest organisations.
    The bar is 30 cells long at most, shorter where the line is short."""
    bar_width = 30 if screen.width is None else max(8, min(30, screen.width - 50))
    busiest = max((r.events for r in rows), default=1)
    columns = [
        Column("Year"),
        Column("Events", right=True),
        Column(""),
        Column("Companies and organisations", leave=1, label="Companies"),
    ]
    lines = [
        Row(
            cells=[
                Text(str(row.year)),
                Text(str(row.events)),
                Text(
                    screen.drawing.bar * max(1, round(row.events / busiest * bar_width)),
                    style="cyan",
                ),
                name_list(row.companies, names),
            ]
        )
        for row in rows
    ]
    return table(columns, lines, screen)


def spanning_note(count: int, screen: Screen = PLAIN) -> Text:
    """Says how records that span several years were counted, when there are any."""
    if not count:
        return Text()
    records = "1 record spans" if count == 1 else f"{count} records span"
    note = Text(
        f"{records} several years: each is counted in every year from its known start to"
        " its known end.",
        style="dim",
    )
    return Text("\n") + paragraphs([note], screen)


def year_matrix(
    years_: Sequence[int],
    entities: Sequence[Entity],
    counts: dict[tuple[int, str], int],
    screen: Screen = PLAIN,
) -> Text:
    """Years down, organisations across, the number of events in each cell. Headers wrap
    between words; organisations that do not fit are left out from the right, and said so."""
    columns = [Column("Year")] + [
        Column(glued(e.name), leave=len(entities) - n, right=True, drop=True)
        for n, e in enumerate(entities)
    ]
    rows = [
        Row(cells=[Text(str(year)), *(Text(str(counts.get((year, e.id), ""))) for e in entities)])
        for year in years_
    ]
    return table(columns, rows, screen)


CURATOR_MARK = "*"
CURATOR_NOTE = "* a name the curator supplied; the sources do not print it"


def curated(entity: Entity | Technology, code: str) -> bool:
    """Whether the entity's name `code` ('name' or a language) is marked as the curator's: so
    only when the entity says which names the sources print, and this one is not among them."""
    printed: tuple[str, ...] = getattr(entity, "printed", ())
    return bool(printed) and code not in printed


def entity_name(entity: Entity) -> str:
    """The English name, marked when the curator supplied it."""
    return glued(entity.name) + (CURATOR_MARK if curated(entity, "name") else "")


def names_line(entity: Entity | Technology, drawing: Drawing = UNICODE) -> Text:
    """Every other name: 'ko 비야디 · zh 比亚迪* · alias', each name kept whole; a name the
    curator supplied is marked (see CURATOR_NOTE)."""
    names = getattr(entity, "names", {})
    parts = [
        f"{code}{GLUE}{glued(name)}{CURATOR_MARK if curated(entity, code) else ''}"
        for code, name in names.items()
    ]
    return Text(capped(drawing.separator.join(parts + [glued(a) for a in entity.aliases])))


def _curator_note(entities: Iterable[Entity]) -> Text:
    """The note explaining the mark, when a name is marked."""
    marked = any(curated(e, code) for e in entities for code in ("name", *e.names) if e.printed)
    return Text("\n" + CURATOR_NOTE, style="dim") if marked else Text()


def _years(activity: Activity, drawing: Drawing) -> Text:
    if activity.first is None:
        return Text()
    if activity.first == activity.last:
        return Text(str(activity.first))
    return Text(f"{activity.first}{drawing.dash}{activity.last}")


def entities(
    pairs: Sequence[tuple[Entity, Activity]],
    log: EventLog,
    with_affiliations: bool = False,
    screen: Screen = PLAIN,
) -> Text:
    """Organisations or people with every name, the number of events and the years. Where the
    ids do not fit beside the names, each goes on a dim line under its name."""
    third = "Affiliations" if with_affiliations else "Kind"
    columns = [
        Column("ID", leave=1),
        Column("Name", weight=2),
        Column("Other names", leave=3, label="Other names", weight=3),
        Column(third, leave=2, label=third),
        Column("Events", right=True),
        Column("Years"),
    ]
    rows = [
        Row(
            cells=[
                cell(entity.id, "dim"),
                Text(entity_name(entity), "bold"),
                names_line(entity, screen.drawing),
                name_list(log.entities[a].name for a in entity.affiliations)
                if with_affiliations
                else cell(entity.kind),
                Text(str(activity.events)),
                _years(activity, screen.drawing),
            ]
        )
        for entity, activity in pairs
    ]
    return table(columns, rows, screen) + _curator_note(e for e, _ in pairs)


def technologies(pairs: Sequence[tuple[Technology, Activity]], screen: Screen = PLAIN) -> Text:
    columns = [
        Column("ID", leave=1),
        Column("Name", weight=2),
        Column("Aliases", leave=2, label="Aliases", weight=3),
        Column("Events", right=True),
        Column("Years"),
    ]
    rows = [
        Row(
            cells=[
                cell(tech.id, "dim"),
                Text(glued(tech.name), "bold"),
                names_line(tech, screen.drawing),
                Text(str(activity.events)),
                _years(activity, screen.drawing),
            ]
        )
        for tech, activity in pairs
    ]
    return table(columns, rows, screen)


def sources(pairs: Sequence[tuple[Source, Activity]], screen: Screen = PLAIN) -> Text:
    """The sources, with the title and the address on lines of their own under each."""
    columns = [
        Column("ID", leave=1),
        Column("Publisher", weight=2),
        Column("Published"),
        Column("Author", leave=2, label="Author", weight=2),
        Column("Events", right=True),
    ]
    rows: list[Row] = []
    for source, activity in pairs:
        below = [Text("Title: ", style="dim") + cell(source.title)] if source.title else []
        if source.url:
            below.append(cell(source.url, "dim"))
        rows.append(
            Row(
                cells=[
                    cell(source.id, "dim"),
                    Text(glued(source.publisher), "bold"),
                    cell(str(source.published)),
                    cell(source.author),
                    Text(str(activity.events)),
                ],
                below=below,
                gap=bool(rows),
            )
        )
    return table(columns, rows, screen)


PhraseKey = tuple[str, int, int, int]


def _cited(found: Phrase | str, screen: Screen) -> Text:
    """A cited phrase in its context, or why it cannot be shown."""
    if isinstance(found, str):
        return cell(f"({found})", "dim")
    ellipsis = "..." if screen.drawing == ASCII else "…"
    opening, closing = ('"', '"') if screen.drawing == ASCII else ("“", "”")
    return (
        cell((ellipsis if found.more_before else "") + found.before, "dim")
        + cell(opening + found.phrase + closing, "bold")
        + cell(found.after + (ellipsis if found.more_after else ""), "dim")
    )


def event_detail(
    log: EventLog,
    event: Event,
    screen: Screen = PLAIN,
    phrases: Mapping[PhraseKey, Phrase | str] | None = None,
) -> Text:
    """One event in full: its kind and who asserts it, every name of every entity, and every
    citation with its source and, where `phrases` has it, the cited phrase in context."""
    rows: list[tuple[str, Text]] = [  # label, value
        ("ID", cell(event.id)),
        ("Kind", cell(event.kind)),
        ("Date", cell(_date_words(event))),
    ]
    who = claimant(log, event)
    if who:
        rows.append(("According to", cell(who)))
    if event.date_note:
        rows.append(("Date note", cell(event.date_note, keep_newlines=True)))
    if event.place:
        rows.append(("Place", cell(event.place)))
    rows.append(("Summary", cell(event.summary, keep_newlines=True)))
    for entity in log.event_entities(event):
        label = cell(f"{entity_name(entity)} ({entity.kind}, {entity.id})")
        others = names_line(entity, screen.drawing)
        rows.append(("Entity", label + (Text(": ") + others if others.plain else Text())))
    rows.extend(
        ("Technology", cell(f"{tech.name} ({tech.id})")) for tech in log.event_technologies(event)
    )
    for citation in event.sources:
        source = log.sources[citation.source]
        text = f"{source.publisher}, {source.published}, line {citation.line}"
        rows.append(("Source", cell(text + (f" <{source.url}>" if source.url else ""))))
        if citation.span is not None and phrases is not None:
            found = phrases.get((citation.source, citation.line, *citation.span))
            if found is not None:
                rows.append(("Cited", _cited(found, screen)))
    body = table(
        [Column(""), Column("")],
        [Row(cells=[Text(label, style="bold"), value]) for label, value in rows],
        screen,
        header=False,
    )
    title = paragraphs([cell(event.title, "bold underline")], screen)
    return Text("\n").join([title, Text(), body]) + _curator_note(log.event_entities(event))


def event_details(
    log: EventLog,
    events: Sequence[Event],
    screen: Screen = PLAIN,
    phrases: Mapping[PhraseKey, Phrase | str] | None = None,
) -> Text:
    """Each event in full, a blank line between two."""
    return Text("\n\n").join(event_detail(log, e, screen, phrases) for e in events)


def problem_report(
    problems: Sequence[Problem],
    lines_of: Callable[[str], Sequence[str] | None],
    label: str = "error",
    total: int | None = None,
) -> Text:
    """Each problem as `FILE:LINE:COL: error: message` (or another `label`: `warning`), then
    its line with a caret under the value, as compilers print them; past MAX_PROBLEMS (or
    past `problems`, when `total` counts more), "... and N more problems". `lines_of` gives a
    file's lines; each file is read once."""
    out = Text()
    lines = functools.cache(lines_of)
    shown = problems[:MAX_PROBLEMS]
    for problem in shown:
        out.append_text(problem_entry(problem, lines, label))
    out.append_text(more_problems(len(shown), max(total or 0, len(problems))))
    return out


def problem_entry(
    problem: Problem, lines_of: Callable[[str], Sequence[str] | None], label: str = "error"
) -> Text:
    """One problem of a report: its position, label and message, then its line with a caret."""
    out = Text()
    where = problem.location
    out.append(f"{printable(str(where))}: ", style="bold")
    out.append(f"{label}: ", style="bold red" if label == "error" else "bold yellow")
    out.append(printable(capped(problem.message)) + "\n")  # a message may quote a value
    lines = lines_of(where.path)
    if lines is None or not 0 < where.line <= len(lines):
        return out
    line = lines[where.line - 1]
    if len(line) > LINE_WINDOW:  # a long line: the part around the column, marked cut
        start = max(0, where.col - 1 - LINE_WINDOW // 2)
        cut = line[start : start + LINE_WINDOW]
        line = ("…" if start else "") + cut + ("…" if start + LINE_WINDOW < len(line) else "")
        where = where._replace(col=where.col - start + (1 if start else 0))
    gutter = f"{where.line:>5} | "
    out.append(gutter, style="dim")
    out.append(printable(line.rstrip("\r")) + "\n")
    out.append(" " * (len(gutter) - 2) + "| ", style="dim")
    # the line is shown escaped, so the caret is placed by the escaped text's cell width
    out.append(" " * cell_len(printable(line[: where.col - 1])) + "^\n", style="bold red")
    return out


def more_problems(shown: int, total: int) -> Text:
    """The line that counts the problems a report left out (empty if none)."""
    if total <= shown:
        return Text()
    return Text(f"... and {total - shown:,} more problems\n", style="bold")


LINE_WINDOW = 160
"""Characters of a problem's line shown around its column."""
