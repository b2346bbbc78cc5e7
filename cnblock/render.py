"""Model -> Rich renderables. Never prints.

Text from data files is always shown as literal text: cells are `rich.text.Text`, never markup
strings, and control and formatting characters are replaced by visible escapes so that an ANSI
sequence, a bell or a right-to-left override in a title cannot reach the terminal.
"""

from __future__ import annotations

from typing import Callable, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from cnblock.errors import Problem
from cnblock.model import Entity, Event, EventLog, Source, Technology
from cnblock.query import Activity, YearRow
from cnblock.text import citation_label, names_of, printable

def cell(text: str | None, style: str = "", keep_newlines: bool = False) -> Text:
    """A table cell showing `text` literally."""
    return Text(printable(text or "", keep_newlines), style=style)


def _table(*columns: str, keep: Sequence[int] = (), **options) -> Table:
    """A table whose columns fold long words; the columns numbered in `keep` never wrap."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, **options)
    for index, column in enumerate(columns):
        table.add_column(column, overflow="fold", no_wrap=index in keep)
    return table


def timeline(log: EventLog, events: Sequence[Event], long: bool = False, names: int = 6) -> Table:
    """Events in the given order under a heading row for each year; `long` adds summaries,
    date notes and every name (otherwise at most `names` names an event)."""
    table = _table("Date", "Event", "Who", "Technology", "Source", keep=(0, 4), expand=True)
    for column, ratio in zip(table.columns[1:4], (3, 2, 2)):
        column.ratio = ratio
    year = None
    for event in events:
        if event.date.year != year:
            if year is not None:
                table.add_section()
            year = event.date.year
            table.add_row(Text(str(year), style="bold cyan"))
        body = cell(event.title, "bold" if long else "")
        if long:
            body.append("\n")
            body.append_text(cell(event.summary, keep_newlines=True))
            if event.date_note:
                body.append("\n")
                body.append_text(cell(f"Date: {event.date_note}", "italic dim"))
        table.add_row(
            cell(str(event.date)),
            body,
            cell(names_of(log.event_entities(event), None if long else names)),
            cell(names_of(log.event_technologies(event)), "green"),
            cell(citation_label(log, event.sources), "dim"),
        )
    return table


def years(rows: Sequence[YearRow], width: int = 30, names: int = 6) -> Table:
    """One row a year: the count, a bar scaled to the busiest year, the busiest organisations."""
    table = _table("Year", "Events", "", "Companies and organisations", keep=(0, 1, 2))
    table.columns[1].justify = "right"
    busiest = max((r.events for r in rows), default=1)
    for row in rows:
        bar = "█" * max(1, round(row.events / busiest * width))
        shown = ", ".join(row.companies[:names])
        if len(row.companies) > names:
            shown += f" and {len(row.companies) - names} more"
        table.add_row(str(row.year), str(row.events), Text(bar, style="cyan"), cell(shown))
    return table


def year_matrix(years_: Sequence[int], entities: Sequence[Entity], counts: dict[tuple[int, str], int]) -> Table:
    """Years down, organisations across, the number of events in each cell."""
    table = _table("Year", *(printable(e.name) for e in entities))
    for column in table.columns[1:]:
        column.justify = "right"
    for year in years_:
        table.add_row(str(year), *(str(counts.get((year, e.id), "")) for e in entities))
    return table


def _narrow_ids(table: Table) -> None:
    """Let a long id fold so that the names beside it keep room to be read."""
    table.columns[0].max_width = 20
    table.columns[1].min_width = 12
    table.columns[2].min_width = 12


def _names_line(entity: Entity | Technology) -> str:
    names = getattr(entity, "names", {})
    parts = [f"{code} {name}" for code, name in names.items()]
    return " · ".join(parts + list(entity.aliases))


def _years(activity: Activity) -> str:
    if activity.first is None:
        return ""
    return str(activity.first) if activity.first == activity.last else f"{activity.first}–{activity.last}"


def entities(pairs: Sequence[tuple[Entity, Activity]], log: EventLog, with_affiliations: bool = False) -> Table:
    """Organisations or people with every name, the number of events and the years."""
    columns = ["ID", "Name", "Other names", "Kind", "Events", "Years"]
    if with_affiliations:
        columns[3] = "Affiliations"
    table = _table(*columns, keep=(4, 5))
    _narrow_ids(table)
    table.columns[4].justify = "right"
    for entity, activity in pairs:
        third = names_of(log.entities[a] for a in entity.affiliations) if with_affiliations else entity.kind
        table.add_row(
            cell(entity.id, "dim"), cell(entity.name, "bold"), cell(_names_line(entity)),
            cell(third), str(activity.events), _years(activity),
        )
    return table


def technologies(pairs: Sequence[tuple[Technology, Activity]]) -> Table:
    table = _table("ID", "Name", "Aliases", "Events", "Years", keep=(3, 4))
    _narrow_ids(table)
    table.columns[3].justify = "right"
    for tech, activity in pairs:
        table.add_row(cell(tech.id, "dim"), cell(tech.name, "bold"), cell(_names_line(tech)), str(activity.events), _years(activity))
    return table


def sources(pairs: Sequence[tuple[Source, Activity]]) -> Table:
    table = _table("ID", "Publisher", "Published", "Author", "Title or address", "Events", keep=(2, 5))
    _narrow_ids(table)
    table.columns[5].justify = "right"
    for source, activity in pairs:
        table.add_row(
            cell(source.id, "dim"), cell(source.publisher, "bold"), cell(str(source.published)),
            cell(source.author), cell(source.title or source.url), str(activity.events),
        )
    return table


def event_detail(log: EventLog, event: Event) -> RenderableType:
    """One event in full: every name of every entity, and every citation with its source."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    quality = {"~": ", approximate", "?": ", uncertain"}.get(event.date.qualifier, "")
    date = cell(f"{event.date} (known to the {event.date.precision}{quality})")
    rows: list[tuple[str, Text]] = [("ID", cell(event.id)), ("Date", date)]
    if event.date_note:
        rows.append(("Date note", cell(event.date_note, keep_newlines=True)))
    if event.place:
        rows.append(("Place", cell(event.place)))
    rows.append(("Summary", cell(event.summary, keep_newlines=True)))
    for entity in log.event_entities(event):
        label = f"{entity.name} ({entity.kind}, {entity.id})"
        rows.append(("Entity", cell(label + (f": {_names_line(entity)}" if _names_line(entity) else ""))))
    for tech in log.event_technologies(event):
        rows.append(("Technology", cell(f"{tech.name} ({tech.id})")))
    for citation in event.sources:
        source = log.sources[citation.source]
        text = f"{source.publisher}, {source.published}, line {citation.line}"
        rows.append(("Source", cell(text + (f" <{source.url}>" if source.url else ""))))
    for label, value in rows:
        grid.add_row(label, value)
    return Group(cell(event.title, "bold underline"), Text(""), grid)


def problem_report(problems: Sequence[Problem], lines_of: Callable[[str], list[str] | None]) -> Text:
    """Each problem as `FILE:LINE:COL: error: message`, then its line with a caret under the
    value, as compilers print them. `lines_of` gives a file's lines; each file is read once."""
    out = Text()
    files: dict[str, list[str] | None] = {}
    for problem in problems:
        where = problem.location
        out.append(f"{where}: ", style="bold")
        out.append("error: ", style="bold red")
        out.append(printable(problem.message) + "\n")
        if where.path not in files:
            files[where.path] = lines_of(where.path)
        lines = files[where.path]
        if lines is None or not 0 < where.line <= len(lines):
            continue
        line = lines[where.line - 1]
        gutter = f"{where.line:>5} | "
        out.append(gutter, style="dim")
        out.append(printable(line.rstrip("\r")) + "\n")
        out.append(" " * (len(gutter) - 2) + "| ", style="dim")
        # the line is shown escaped, so the caret is placed by the escaped text's cell width
        out.append(" " * cell_len(printable(line[: where.col - 1])) + "^\n", style="bold red")
    return out
