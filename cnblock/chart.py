"""The terminal chart: a lane a row group per organisation (or technology), years across, each
event drawn over the whole period its date may mean. Rich Text out; never prints.

The axis is compressed to fit the screen (long empty stretches of years are left out and
marked), never the names: a lane's name is broken only between words, and a name too long for
the name column gets lines of its own above its lane. Under the chart, a legend and each lane's
events with their ids, for `cnblock show`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from rich.text import Text

from cnblock.lanes import Axis, Extent, Lane, extent, lanes, margins, pack, years_shown
from cnblock.layout import GLUE, PLAIN, Drawing, Screen, cells, wrap
from cnblock.model import Event, EventLog
from cnblock.text import capped, date_label, printable


class Marks(NamedTuple):
    """The characters a chart draws with."""

    band: str
    fuzzy: str
    fade: str
    point: str
    gap: str
    tick: str


UNICODE_MARKS = Marks(band="█", fuzzy="▒", fade="░", point="◆", gap="≈", tick="╵")
ASCII_MARKS = Marks(band="#", fuzzy="=", fade=".", point="*", gap="~", tick="|")

YEAR_CELLS = 6
"""Cells a year when the output is as wide as it needs (a file or a pipe)."""

MIN_NAMES = 12
"""The name column is at least this wide (or as wide as the widest name), at most a third of
the screen."""


def marks_for(drawing: Drawing) -> Marks:
    return ASCII_MARKS if drawing.wide_ambiguous else UNICODE_MARKS


def _cells(ext: Extent, axis: Axis) -> tuple[int, int, int, int]:
    """The cells [start, end) of the known part and [from, to) with the fades: at least one
    cell, so that a day or a month is never lost."""
    low, high = ext.drawn()
    start = math.floor(axis.x(ext.start))
    end = max(start + 1, round(axis.x(ext.end)))
    drawn_from = min(start, math.floor(axis.x(low)))
    drawn_to = max(end, round(axis.x(high)))
    return start, end, drawn_from, drawn_to


def _row_text(row: list[tuple[Extent, tuple[int, int, int, int]]], marks: Marks) -> Text:
    line = Text()
    at = 0
    for ext, (start, end, drawn_from, drawn_to) in sorted(row, key=lambda r: r[1][2]):
        line.append(" " * (drawn_from - at))
        line.append(marks.fade * (start - drawn_from), style="dim")
        if ext.point:
            line.append(marks.point * (end - start), style="bold")
        elif ext.fuzzy:
            line.append(marks.fuzzy * (end - start), style="cyan")
        else:
            line.append(marks.band * (end - start), style="cyan")
        line.append(marks.fade * (drawn_to - end), style="dim")
        at = drawn_to
    return line


def _axis_lines(axis: Axis, plot: int, marks: Marks) -> tuple[Text, Text]:
    """The year labels, as many as fit without touching, and the tick line under them."""
    labels = [" "] * plot
    ticks = [" "] * plot
    free = 0
    for year, x in axis.year_ticks():
        at = math.ceil(x - 1e-9)  # the first cell wholly inside the year
        if at < plot:
            ticks[at] = marks.tick
        label = str(year)
        if at >= free and at + len(label) <= plot:
            labels[at : at + len(label)] = label
            free = at + len(label) + 1
    for x in axis.breaks():
        ticks[min(plot - 1, math.floor(x - axis.gap_width / 2))] = marks.gap
    return Text("".join(labels).rstrip()), Text("".join(ticks).rstrip(), style="dim")


def _plot_width(screen: Screen, names: int, years: int, gaps: int) -> int:
    if screen.width is None:
        return years * YEAR_CELLS + gaps
    return max(years + gaps, screen.width - names - 1)


def chart(
    log: EventLog,
    events: Sequence[Event],
    screen: Screen = PLAIN,
    by: str = "company",
    top: int = 8,
) -> Text:
    """The chart of `events`: lanes, axis, legend and each lane's event ids."""
    marks = marks_for(screen.drawing)
    shown = lanes(log, events, top, by)
    extents = {e.id: extent(e) for e in events}
    known = [x for x in extents.values() if x is not None]
    runs = years_shown(known)
    if not runs:
        return Text("No event has a known date to draw.")
    labels = {lane.key: printable(capped(lane.label)) for lane in shown}
    widest = max(cells(label, screen.drawing) for label in labels.values())
    names = widest if screen.width is None else min(widest, max(MIN_NAMES, screen.width // 3))
    lead, trail = margins(known, runs)
    years = sum(last - first + 1 for first, last in runs)
    gaps = len(runs) - 1
    plot = _plot_width(screen, names, years, gaps)
    year_width = (plot - gaps) / (years + (lead + trail) / 12.0)
    axis = Axis(runs, year_width, 1.0, 0.0, lead=lead, trail=trail)
    lines: list[Text] = []
    year_labels, ticks = _axis_lines(axis, plot, marks)
    pad = " " * (names + 1)
    lines += [Text(pad) + year_labels, Text(pad) + ticks]
    for lane in shown:
        lines.append(Text())
        lines += _lane(lane, extents, axis, names, screen)
    lines += [Text(), *legend(marks, screen), Text()]
    lines += ids(shown, screen)
    for line in lines:
        line.rstrip()
    return Text("\n").join(lines)


def _lane(
    lane: Lane, extents: dict[str, Extent | None], axis: Axis, names: int, screen: Screen
) -> list[Text]:
    """A lane's lines: its name beside (or, when too long, above) its rows of marks."""
    marks = marks_for(screen.drawing)
    placed = [(x, _cells(x, axis)) for e in lane.events if (x := extents[e.id]) is not None]
    rows_of = pack([(c[2], c[3]) for _, c in placed], gap=1)
    rows: list[list[tuple[Extent, tuple[int, int, int, int]]]] = [
        [] for _ in range(max(rows_of, default=0) + 1)
    ]
    for mark, row in zip(placed, rows_of, strict=True):
        rows[row].append(mark)
    label = Text()
    label.append(
        printable(capped(lane.label)), style="bold"
    )  # the name alone: not the marks beside it
    beside = wrap(label, names, screen.drawing)
    lines: list[Text] = []
    if any(cells(line.plain, screen.drawing) > names for line in beside):
        lines += wrap(label, screen.width, screen.drawing)
        beside = []
    for n in range(max(len(rows), len(beside))):
        name = beside[n] if n < len(beside) else Text()
        marks_line = _row_text(rows[n], marks) if n < len(rows) else Text()
        gap = " " * (names - cells(name.plain, screen.drawing) + 1)
        lines.append(name + Text(gap) + marks_line)
    return lines


def legend(marks: Marks, screen: Screen) -> list[Text]:
    """What each mark means, each symbol kept on a line with its words."""
    entries = [
        (marks.band, "the period a date may mean (a year is twelve months wide)"),
        (marks.fuzzy, "approximate or uncertain"),
        (marks.fade, "open end or unknown start"),
        (marks.point, "a day"),
        (marks.gap, "years left out"),
    ]
    text = Text("; ".join(f"{symbol}{GLUE}{words}" for symbol, words in entries), style="dim")
    return wrap(text, screen.width, screen.drawing)


def ids(shown: Sequence[Lane], screen: Screen) -> list[Text]:
    """Each lane's events, date and id, so that `cnblock show ID` can follow; an id that does
    not fit beside its date goes under it."""
    lines = [Text("Events by lane (cnblock show ID):", style="bold")]
    dates = {e.id: printable(date_label(e)) for lane in shown for e in lane.events}
    column = max(cells(d, screen.drawing) for d in dates.values())
    for lane in shown:
        lines.append(Text().append(printable(capped(lane.label)), style="bold"))
        for event in lane.events:
            date = dates[event.id]
            line = Text(f"  {date}" + " " * (column - cells(date, screen.drawing) + 2))
            line.append(capped(event.id), style="dim")
            if screen.width is not None and cells(line.plain, screen.drawing) > screen.width:
                lines += [Text(f"  {date}"), Text(f"    {capped(event.id)}", style="dim")]
            else:
                lines.append(line)
    return lines
