"""Where events sit on a chart, for the terminal chart and the HTML export alike. Pure.

Positions are counted in months since year 0, so that a year-only date spans exactly twelve
times the width of a month-only one; a day is its share of its month. A date covers the whole
period it may mean: `2018` runs from the first of January to the end of December 2018.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from cnblock.model import Event, EventLog, Interval, PartialDate, days_in_month

FADE = 6.0
"""How far (in months) an open end fades out past the last known day, or fades in."""


def start_of(date: PartialDate) -> float:
    """The first instant `date` can mean, in months since year 0."""
    year, month, day = date.first_day()
    return year * 12 + month - 1 + (day - 1) / days_in_month(year, month)


def end_of(date: PartialDate) -> float:
    """The instant just after the last day `date` can mean, in months since year 0."""
    year, month, day = date.last_day()
    return year * 12 + month - 1 + day / days_in_month(year, month)


def sides(event: Event) -> tuple[PartialDate | None, PartialDate | None]:
    """The date's start and end as written (None for an open side or no date): a single date
    is both."""
    date = event.date
    if isinstance(date, Interval):
        return date.start, date.end
    return date, date


class Extent(NamedTuple):
    """What a chart draws for one event: [start, end) in months, the known part; how each side
    is drawn; a point is a single day."""

    start: float
    end: float
    point: bool = False
    fuzzy_start: bool = False
    fuzzy_end: bool = False
    open_start: bool = False  # the start is not known: fade in before `start`
    open_end: bool = False  # the end is not known: fade out after `end`

    @property
    def fuzzy(self) -> bool:
        return self.fuzzy_start or self.fuzzy_end

    def drawn(self) -> tuple[float, float]:
        """[start, end) with the fades."""
        return (
            self.start - (FADE if self.open_start else 0.0),
            self.end + (FADE if self.open_end else 0.0),
        )


def extent(event: Event) -> Extent | None:
    """The period the event's date may mean; a state runs on to its as-of date. None when
    nothing about its time is known."""
    first, last = sides(event)
    reported = event.as_of
    open_start = first is None
    open_end = last is None and first is not None
    state = event.kind == "state"
    first = first or last or reported
    last = last or (reported if reported is not None else first)
    if first is None or last is None:
        return None
    if state and reported is not None and end_of(reported) > end_of(last):
        last = reported
    point = first is last and first.precision == "day" and not (open_start or open_end)
    return Extent(
        start_of(first),
        end_of(last),
        point=point,
        fuzzy_start=bool(first.qualifier),
        fuzzy_end=bool(last.qualifier),
        open_start=open_start,
        open_end=open_end,
    )


class Lane(NamedTuple):
    """One row of a chart: an organisation (or technology), or everything else together."""

    key: str  # the record's id; "" for the lane of the rest
    label: str
    names: tuple[tuple[str, str], ...]  # (language, name) in other languages
    events: tuple[Event, ...]


OTHERS = "Others"


def lanes(log: EventLog, events: Sequence[Event], top: int = 8, by: str = "company") -> list[Lane]:
    """The `top` busiest organisations (or technologies, `by="tech"`) among the events, busiest
    first, then a lane for the events that involve none of them. An event involving several
    shown organisations is in each of their lanes."""

    def keys(event: Event) -> list[str]:
        if by == "tech":
            return list(event.technologies)
        return [i for i in event.entities if not log.entities[i].is_person]

    def label(key: str) -> str:
        return log.technologies[key].name if by == "tech" else log.entities[key].name

    counts = Counter(k for e in events for k in keys(e))
    chosen = sorted(counts, key=lambda k: (-counts[k], label(k).casefold(), k))[:top]
    found: list[Lane] = []
    for key in chosen:
        names = () if by == "tech" else tuple(log.entities[key].names.items())
        found.append(Lane(key, label(key), names, tuple(e for e in events if key in keys(e))))
    rest = tuple(e for e in events if not set(keys(e)) & set(chosen))
    if rest:
        found.append(Lane("", OTHERS if chosen else "All events", (), rest))
    return found


def years_shown(extents: Sequence[Extent], gap: int = 3) -> list[tuple[int, int]]:
    """The runs of years an axis shows, first and last year of each: every year that a known
    extent touches, with empty stretches shorter than `gap` years kept in, longer ones left out
    (an axis break)."""
    years: set[int] = set()
    for ext in extents:
        years.update(range(int(ext.start // 12), int((ext.end - 1e-9) // 12) + 1))
    runs: list[tuple[int, int]] = []
    for year in sorted(years):
        if runs and year - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def margins(extents: Sequence[Extent], runs: Sequence[tuple[int, int]]) -> tuple[float, float]:
    """Months of room an axis needs before its first shown year and after its last, for the
    fades of unknown starts and open ends that reach past them (at most FADE each)."""
    if not runs or not extents:
        return 0.0, 0.0
    low = min(x.drawn()[0] for x in extents)
    high = max(x.drawn()[1] for x in extents)
    return (
        min(FADE, max(0.0, runs[0][0] * 12.0 - low)),
        min(FADE, max(0.0, high - (runs[-1][1] + 1) * 12.0)),
    )


class Axis:
    """Months to a horizontal coordinate: each shown year `year_width` wide, each axis break
    `gap_width`, starting at `left`, with `lead` and `trail` months of room before the first
    shown year and after the last (where a fade runs on past them)."""

    def __init__(
        self,
        runs: Sequence[tuple[int, int]],
        year_width: float,
        gap_width: float,
        left: float,
        *,
        lead: float = 0.0,
        trail: float = 0.0,
    ):
        self.runs = list(runs)
        self.year_width = year_width
        self.gap_width = gap_width
        self.left = left
        self.lead, self.trail = lead, trail
        self.starts: list[float] = []
        at = left + lead / 12.0 * year_width
        for first, last in self.runs:
            self.starts.append(at)
            at += (last - first + 1) * year_width + gap_width
        self.right = at - gap_width + trail / 12.0 * year_width if self.runs else left

    def x(self, months: float) -> float:
        """The coordinate of a moment; a moment outside the shown years (and the room before
        and after them) sits at the nearest edge of the run it is closest to."""
        best = self.left
        distance = float("inf")
        last_run = len(self.runs) - 1
        for n, ((first, last), at) in enumerate(zip(self.runs, self.starts, strict=True)):
            low, high = first * 12.0, (last + 1) * 12.0
            reach_low = low - (self.lead if n == 0 else 0.0)
            reach_high = high + (self.trail if n == last_run else 0.0)
            clipped = min(max(months, reach_low), reach_high)
            if abs(clipped - months) < distance:
                distance = abs(clipped - months)
                best = at + (clipped - low) / 12.0 * self.year_width
        return best

    def breaks(self) -> list[float]:
        """The coordinate of the middle of each axis break."""
        return [
            at + (last - first + 1) * self.year_width + self.gap_width / 2
            for (first, last), at in zip(self.runs[:-1], self.starts[:-1], strict=True)
        ]

    def year_ticks(self) -> list[tuple[int, float]]:
        """(year, coordinate of its first day) for every shown year."""
        return [
            (year, at + (year - first) * self.year_width)
            for (first, last), at in zip(self.runs, self.starts, strict=True)
            for year in range(first, last + 1)
        ]


def pack(spans: Sequence[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """A row for each span so that no two spans in a row overlap (or come closer than `gap`),
    spans taken in the given order, each in the first row where it fits."""
    row_ends: list[float] = []
    rows = []
    for start, end in spans:
        for row, last in enumerate(row_ends):
            if start >= last + gap:
                row_ends[row] = end
                rows.append(row)
                break
        else:
            row_ends.append(end)
            rows.append(len(row_ends) - 1)
    return rows
