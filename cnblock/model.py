"""The event log as immutable records. Pure: no I/O, no printing.

The records are NamedTuples rather than frozen dataclasses: just as immutable, and about ten
times cheaper to define, which start-up time notices. PartialDate stays a dataclass because
its ordering is not a tuple's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from cnblock.errors import Location

_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?]?)")

ENTITY_KINDS = (
    "company",
    "organisation",
    "government",
    "university",
    "person",
    "project",
    "product",
    "programme",
    "conference",
)
"""Every kind but `person` counts as an organisation for `--company`. The spellings are
British throughout (organisation, programme); the US ones are accepted as the same kind."""

KIND_SPELLINGS = {"organization": "organisation", "program": "programme"}


def canonical_kind(kind: str) -> str:
    """The kind in the spelling cnblock uses: `organization` is `organisation`."""
    return KIND_SPELLINGS.get(kind, kind)


EVENT_KINDS = ("event", "state", "statement", "plan", "speculation")
"""What an event record says: something happened (`event`), a situation reported true as of a
date (`state`), something said or written (`statement`), an announced intention (`plan`), a
guess reported as a guess (`speculation`)."""


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _same_content(self: tuple[Any, ...], other: object) -> Any:
    """Records are equal when their content is: where a value stood in a file does not count.
    (`where` is every record's last field.)"""
    if type(self) is not type(other):
        return NotImplemented
    assert isinstance(other, tuple)
    return self[:-1] == other[:-1]


def _other_content(self: tuple[Any, ...], other: object) -> Any:
    same = _same_content(self, other)
    return same if same is NotImplemented else not same


@dataclass(frozen=True)
class PartialDate:
    """An EDTF level-1 date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally `~` or `?`.

    The precision is kept: a year-only date is never given a month or a day. Sorting puts a
    year-only date before the months of that year, and a month before its days.
    """

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: str = ""

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read an EDTF date; raise ValueError with a plain message when it is not one."""
        match = _DATE.fullmatch(text)
        if not match:
            raise ValueError(
                f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, "
                "optionally followed by ~ (approximate) or ? (uncertain)"
            )
        year = int(match.group(1))
        month, day = (int(g) if g else None for g in match.groups()[1:3])
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{text}' has no month {month:02d}")
        if day is not None and not 1 <= day <= days_in_month(year, month or 1):
            raise ValueError(f"'{text}' is not a day of the calendar")
        return cls(year, month, day, match.group(4))

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key() < other.sort_key()

    def first_day(self) -> tuple[int, int, int]:
        """The earliest (year, month, day) the date can mean."""
        return (self.year, self.month or 1, self.day or 1)

    def last_day(self) -> tuple[int, int, int]:
        """The latest (year, month, day) the date can mean."""
        month = self.month or 12
        return (self.year, month, self.day or days_in_month(self.year, month))

    def overlaps(self, start: PartialDate | None, end: PartialDate | None) -> bool:
        """Whether any day this date can mean lies within [start, end] (open where None)."""
        if start is not None and self.last_day() < start.first_day():
            return False
        return end is None or self.first_day() <= end.last_day()

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text + self.qualifier


class Interval(NamedTuple):
    """An EDTF level-1 interval `A/B`; a side is None where it is open (`..`). Each side
    keeps its own precision and qualifier."""

    start: PartialDate | None
    end: PartialDate | None

    @classmethod
    def parse(cls, text: str) -> Interval:
        """Read `A/B`, `../B` or `A/..`; raise ValueError with a plain message if it is not
        an interval that can hold a day."""
        parts = text.split("/")
        if len(parts) != 2:
            raise ValueError(f"'{text}' is not an interval: write START/END, like 2017/2018")
        sides: list[PartialDate | None] = []
        for part in parts:
            if part == "..":
                sides.append(None)
            elif not part:
                raise ValueError(f"'{text}' has an empty side: write .. for an open end")
            else:
                try:
                    sides.append(PartialDate.parse(part))
                except ValueError as exc:
                    raise ValueError(f"in the interval '{text}': {exc}") from None
        start, end = sides
        if start is None and end is None:
            raise ValueError(f"'{text}' has no known end: give a date on at least one side")
        if start is not None and end is not None and end.last_day() < start.first_day():
            raise ValueError(f"'{text}' runs backwards: its end is before its start")
        return cls(start, end)

    def __str__(self) -> str:
        return f"{self.start or '..'}/{self.end or '..'}"


def parse_when(text: str) -> PartialDate | Interval:
    """A date or, when it holds a '/', an interval; ValueError with a plain message if neither."""
    return Interval.parse(text) if "/" in text else PartialDate.parse(text)


class Source(NamedTuple):
    id: str
    publisher: str
    published: PartialDate
    language: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    seed: str | None = None
    sha256: str | None = None
    note: str | None = None
    text: str | None = None  # a path, from the folder of the file that records the source
    lines: int | None = None  # the text's number of lines, checkable without the text
    where: Mapping[str, Location] = {}  # the position of each field's value; never mutated


class Entity(NamedTuple):
    id: str
    kind: str
    name: str
    names: Mapping[str, str] = {}
    aliases: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    note: str | None = None
    printed: Mapping[str, str] = {}
    """Which names a source prints, each with the id of a source that prints it: keys are
    'name' (the English name) or codes of `names`. The others were supplied by the curator."""
    where: Mapping[str, Location] = {}  # the position of each field's value; never mutated

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    def all_names(self) -> tuple[str, ...]:
        """Every name the entity is known by: id, English name, names, aliases."""
        return (self.id, self.name, *self.names.values(), *self.aliases)


class Technology(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    where: Mapping[str, Location] = {}  # the position of each field's value; never mutated

    def all_names(self) -> tuple[str, ...]:
        return (self.id, self.name, *self.aliases)


class Citation(NamedTuple):
    """A pointer to one line of a source's seed text and, optionally, to the phrase in it:
    `span` gives code-point offsets in the line (0-based, end exclusive) and `digest` the first
    12 hex digits of the sha256 of the phrase's UTF-8 text. The phrase itself is never stored."""

    source: str
    line: int
    span: tuple[int, int] | None = None
    digest: str | None = None
    where: Mapping[str, Location] = {}  # the position of each field's value; never mutated


class Event(NamedTuple):
    """One record of the log. `date` is None only for a state whose start is unknown; a state
    always has `as_of`, the date at which the source reports it true. `according_to` is an
    entity id, or 'source' for the reporter's own claim."""

    id: str
    date: PartialDate | Interval | None
    title: str
    summary: str
    sources: tuple[Citation, ...]
    entities: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    date_note: str | None = None
    place: str | None = None
    kind: str = "event"
    as_of: PartialDate | None = None
    according_to: str | None = None
    where: Mapping[str, Location] = {}  # the position of each field's value; never mutated

    def known_start(self) -> PartialDate | None:
        """The earliest date known to belong to the record: the date's start; for `../X`, X;
        for a state without a date, its as_of."""
        date = self.date
        if date is None:
            return self.as_of
        if isinstance(date, Interval):
            return date.start or date.end
        return date

    def known_end(self) -> PartialDate | None:
        """The latest date known to belong to the record: the date's end; for `X/..`, the
        as_of if given and not before X, else X; for a state without a date, its as_of."""
        date = self.date
        if date is None:
            return self.as_of
        if isinstance(date, Interval):
            if date.end is not None or date.start is None:
                return date.end
            as_of = self.as_of  # a plan's as_of may precede its date: then it says nothing
            return as_of if as_of and as_of.first_day() >= date.start.first_day() else date.start
        return date

    def overlaps(self, start: PartialDate | None, end: PartialDate | None) -> bool:
        """Whether the known extent [known_start's first day, known_end's last day] meets
        [start, end] (open where None). Nothing is assumed beyond an open end."""
        first, last = self.known_start(), self.known_end()
        if first is None or last is None:
            return start is None and end is None
        if start is not None and last.last_day() < start.first_day():
            return False
        return end is None or first.first_day() <= end.last_day()

    def sort_key(self) -> tuple[int, str]:
        """Earliest known day, then precision (year before month before day), then id; the
        first three as one number, (((year * 13 + month) * 32 + day) * 3 + precision), ordered
        as the three are. (Written out rather than through known_start, and one number rather
        than a tuple of tuples: a large log sorts on it.)"""
        date = self.date
        first = (
            date
            if date.__class__ is PartialDate
            else self.as_of
            if date is None
            else date.start or date.end  # type: ignore[union-attr]
        )
        if first is None:
            return (10000 * 13 * 32 * 3, self.id)  # after any date: year 10000, month 0, day 0
        month, day = first.month, first.day
        precision = 2 if day else 1 if month else 0
        return ((((first.year * 13) + (month or 1)) * 32 + (day or 1)) * 3 + precision, self.id)

    @property
    def year(self) -> int:
        """The year the record is listed under: its known start's (0 if it has none, which
        the loader never lets through)."""
        first = self.known_start()
        return first.year if first else 0

    def years(self) -> range:
        """Every year from the known start's to the known end's: where the record counts."""
        first, last = self.known_start(), self.known_end()
        if first is None or last is None:
            return range(0)
        return range(first.year, last.year + 1)


class EventLog(NamedTuple):
    """Everything loaded from one or more data files, merged, with events in date order."""

    sources: Mapping[str, Source]
    entities: Mapping[str, Entity]
    technologies: Mapping[str, Technology]
    events: tuple[Event, ...]
    files: tuple[str, ...] = ()

    def event_entities(self, event: Event) -> list[Entity]:
        return [self.entities[i] for i in event.entities]

    def event_technologies(self, event: Event) -> list[Technology]:
        return [self.technologies[i] for i in event.technologies]


def day_number(day: tuple[int, int, int]) -> int:
    """A (year, month, day) as one integer that sorts as the tuple does: 20180931."""
    year, month, date = day
    return year * 10000 + month * 100 + date


class EventKeys(NamedTuple):
    """What a filter can be decided on without the events themselves, by an event's place in
    the log's date order: the events naming each entity, technology, source and kind, and the
    first and last day of each event's known extent as day numbers (-1 when it has none).
    `query.candidates` picks, from these, the events a query could match."""

    total: int
    by_entity: Mapping[str, Sequence[int]]
    by_technology: Mapping[str, Sequence[int]]
    by_source: Mapping[str, Sequence[int]]
    by_kind: Mapping[str, Sequence[int]]
    first: Sequence[int]
    last: Sequence[int]


def event_keys(events: Sequence[Event]) -> EventKeys:
    """The keys of `events` (see EventKeys)."""
    by_entity: dict[str, list[int]] = {}
    by_technology: dict[str, list[int]] = {}
    by_source: dict[str, list[int]] = {}
    by_kind: dict[str, list[int]] = {}
    first, last = [], []
    days: dict[int, tuple[PartialDate, int, int]] = {}  # id(date) -> (date, first, last)
    for at, event in enumerate(events):
        for names, places in (
            (event.entities, by_entity),
            (event.technologies, by_technology),
            (_cited(event.sources), by_source),
            ((event.kind,), by_kind),
        ):
            for name in names:
                found = places.get(name)
                if found is None:
                    places[name] = [at]
                else:
                    found.append(at)
        date = event.date
        if date.__class__ is PartialDate:  # most events: the extent is the date's own
            seen = days.get(id(date))
            if seen is None or seen[0] is not date:
                seen = days[id(date)] = (date, *_extent(date, date))
            first.append(seen[1])
            last.append(seen[2])
        else:
            start, end = _extent(event.known_start(), event.known_end())
            first.append(start)
            last.append(end)
    return EventKeys(len(events), by_entity, by_technology, by_source, by_kind, first, last)


def _cited(citations: Sequence[Citation]) -> Sequence[str]:
    """The sources cited, each once, in order."""
    if len(citations) == 1:
        return (citations[0].source,)
    return tuple(dict.fromkeys(c.source for c in citations))


def _extent(start: PartialDate | None, end: PartialDate | None) -> tuple[int, int]:
    """The first and last day numbers of a known extent; -1 and -1 when a side is unknown."""
    if start is None or end is None:
        return -1, -1
    return day_number(start.first_day()), day_number(end.last_day())


# Set after the classes are made (type checkers allow only fields and methods in a NamedTuple's
# body, and a method each would repeat itself five times).
for _record in (Source, Entity, Technology, Citation, Event):
    setattr(_record, "__eq__", _same_content)  # noqa: B010
    setattr(_record, "__ne__", _other_content)  # noqa: B010
