"""The event log as immutable records. Pure: no I/O, no printing.

The records are NamedTuples rather than frozen dataclasses: just as immutable, and about ten
times cheaper to define, which start-up time notices. PartialDate stays a dataclass because
its ordering is not a tuple's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from cnblock.errors import Location

_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?]?)")

ENTITY_KINDS = (
    "company",
    "organization",
    "government",
    "university",
    "person",
    "project",
    "product",
    "programme",
    "conference",
)
"""Every kind but `person` counts as an organisation for `--company`."""


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
    """A pointer to one line of a source's seed text."""

    source: str
    line: int
    where: Mapping[str, Location] = {}  # the position of each field's value; never mutated


class Event(NamedTuple):
    id: str
    date: PartialDate
    title: str
    summary: str
    sources: tuple[Citation, ...]
    entities: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    date_note: str | None = None
    place: str | None = None
    where: Mapping[str, Location] = {}  # the position of each field's value; never mutated


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


# Set after the classes are made (type checkers allow only fields and methods in a NamedTuple's
# body, and a method each would repeat itself five times).
for _record in (Source, Entity, Technology, Citation, Event):
    setattr(_record, "__eq__", _same_content)  # noqa: B010
    setattr(_record, "__ne__", _other_content)  # noqa: B010
