"""Pure functions from (log, filters) to events, and the summaries the listing commands show.

Filters combine with AND across kinds (company, person, year, ...) and OR within one kind
when repeated. Names are matched by id, English name, any-language name or alias, without
regard to case or Unicode width.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol, TypeVar

from cnblock.errors import UsageError
from cnblock.model import (
    EVENT_KINDS,
    Entity,
    Event,
    EventKeys,
    EventLog,
    PartialDate,
    Technology,
    day_number,
)
from cnblock.suggest import did_you_mean, did_you_mean_titled
from cnblock.text import printable


class Filters(NamedTuple):
    """What the user asked for, as typed: names are resolved by `select`."""

    company: tuple[str, ...] = ()
    person: tuple[str, ...] = ()
    tech: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    grep: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()

    def describe(self) -> str:
        """The filters in words, kind by kind in a fixed order: 'company BYD, year 2018'. What
        the user typed is shown with control characters escaped: it heads exports, where a
        line break could end a YAML comment and a control character reach a terminal."""
        parts = []
        for name, value in zip(self._fields, self, strict=False):
            values = value if isinstance(value, tuple) else (value,) if value else ()
            if values:
                parts.append(f"{name} {printable(' or '.join(values))}")
        return ", ".join(parts) if parts else "none"

    @property
    def empty(self) -> bool:
        return self == Filters()


def fold(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _index(records: Iterable[Entity | Technology]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for record in records:
        for name in record.all_names():
            index.setdefault(fold(name), set()).add(record.id)
    return index


def _resolve(
    kind: str, names: tuple[str, ...], records: list[Entity] | list[Technology]
) -> set[str]:
    """The ids every name stands for; UsageError naming the first unknown one."""
    index = _index(records)
    ids: set[str] = set()
    for name in names:
        found = index.get(fold(name))
        if not found:
            # display names first: the suggestion then reads 'BYD' rather than the id 'byd'
            known = [r.name for r in records] + [n for r in records for n in r.all_names()]
            raise UsageError(f"unknown {kind} '{name}'{did_you_mean(name, known)}")
        ids |= found
    return ids


def parse_year_range(text: str) -> tuple[PartialDate | None, PartialDate | None]:
    """'2018', '2017..2019', '2017..' or '..2019' as (start, end) years; UsageError if not."""
    start, sep, end = text.partition("..")
    given = [p for p in (start, end) if p]
    if not given or not all(len(p) == 4 and p.isascii() and p.isdigit() for p in given):
        raise UsageError(f"--year takes a year like 2018 or a range like 2017..2019, not '{text}'")
    low = PartialDate(int(start)) if start else None
    high = PartialDate(int(end)) if end else None if sep else low
    if low and high and high < low:
        raise UsageError(f"--year {text} runs backwards; write {end}..{start}")
    return low, high


def parse_bound(option: str, text: str | None) -> PartialDate | None:
    if text is None:
        return None
    try:
        return PartialDate.parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def organisations(log: EventLog) -> list[Entity]:
    return [e for e in log.entities.values() if not e.is_person]


def people(log: EventLog) -> list[Entity]:
    return [e for e in log.entities.values() if e.is_person]


def _haystack(log: EventLog, event: Event) -> str:
    parts = [event.id, event.title, event.summary, event.date_note or "", event.place or ""]
    for entity in log.event_entities(event):
        parts.extend(entity.all_names())
    for tech in log.event_technologies(event):
        parts.extend(tech.all_names())
    return fold(" ".join(parts))


def matcher(log: EventLog, filters: Filters) -> Callable[[Event], bool]:
    """A predicate for the events `filters` asks for; UsageError for an unknown name."""
    tests: list[Callable[[Event], bool]] = []
    if filters.company:
        companies = _resolve("company", filters.company, organisations(log))
        tests.append(lambda e: not companies.isdisjoint(e.entities))
    if filters.person:
        persons = _resolve("person", filters.person, people(log))
        tests.append(lambda e: not persons.isdisjoint(e.entities))
    if filters.tech:
        techs = _resolve("technology", filters.tech, list(log.technologies.values()))
        tests.append(lambda e: not techs.isdisjoint(e.technologies))
    if filters.source:
        for name in filters.source:
            if name not in log.sources:
                raise UsageError(f"unknown source '{name}'{did_you_mean(name, log.sources)}")
        wanted = set(filters.source)
        tests.append(lambda e: any(c.source in wanted for c in e.sources))
    if filters.kind:
        for name in filters.kind:
            if name not in EVENT_KINDS:
                raise UsageError(
                    f"unknown kind '{name}'{did_you_mean(name, EVENT_KINDS)}"
                    f" (kinds: {', '.join(EVENT_KINDS)})"
                )
        kinds = set(filters.kind)
        tests.append(lambda e: e.kind in kinds)
    # Dates match by overlap with what is known of a record's extent (Event.overlaps): an
    # interval matches every year it spans; nothing is assumed beyond an open end.
    if filters.year:
        ranges = [parse_year_range(y) for y in filters.year]
        tests.append(lambda e: any(e.overlaps(lo, hi) for lo, hi in ranges))
    since, until = parse_bound("--since", filters.since), parse_bound("--until", filters.until)
    if since or until:
        tests.append(lambda e: e.overlaps(since, until))
    if filters.grep:
        needles = [fold(g) for g in filters.grep]
        tests.append(lambda e: any(n in _haystack(log, e) for n in needles))
    return lambda event: all(test(event) for test in tests)


def select(log: EventLog, filters: Filters) -> list[Event]:
    """The events of the log that match every kind of filter given, in date order."""
    keep = matcher(log, filters)
    return [event for event in log.events if keep(event)]


def candidates(log: EventLog, filters: Filters, keys: EventKeys) -> list[int] | None:
    """The places (in date order) of the events that `filters` could match, decided on the
    keys alone; None when the keys cannot narrow them (no filters, or only --grep).

    Every event `select` would keep is among them (tests/test_query.py checks it for every
    filter), so that `select` over just these events answers as over the whole log: only the
    records of `log` are read (to resolve names), never its events. The same UsageError as
    `matcher` for an unknown name."""
    matcher(log, filters)  # its errors, in its order
    chosen: set[int] | None = None

    def narrow(postings: Mapping[str, Sequence[int]], wanted: Iterable[str]) -> None:
        nonlocal chosen
        found: set[int] = set()
        for name in wanted:
            found.update(postings.get(name, ()))
        chosen = found if chosen is None else chosen & found

    if filters.company:
        narrow(keys.by_entity, _resolve("company", filters.company, organisations(log)))
    if filters.person:
        narrow(keys.by_entity, _resolve("person", filters.person, people(log)))
    if filters.tech:
        techs = _resolve("technology", filters.tech, list(log.technologies.values()))
        narrow(keys.by_technology, techs)
    if filters.source:
        narrow(keys.by_source, filters.source)
    if filters.kind:
        narrow(keys.by_kind, filters.kind)
    bounds = [parse_year_range(y) for y in filters.year]
    since, until = parse_bound("--since", filters.since), parse_bound("--until", filters.until)
    if chosen is None and not bounds and not (since or until):
        return None
    places: Iterable[int] = range(keys.total) if chosen is None else sorted(chosen)
    first, last = keys.first, keys.last

    def meets(at: int, low: PartialDate | None, high: PartialDate | None) -> bool:
        # Event.overlaps on day numbers; -1: no known extent, which meets no date filter
        return first[at] >= 0 and (
            (low is None or last[at] >= day_number(low.first_day()))
            and (high is None or first[at] <= day_number(high.last_day()))
        )

    if bounds:
        places = [at for at in places if any(meets(at, lo, hi) for lo, hi in bounds)]
    if since or until:
        places = [at for at in places if meets(at, since, until)]
    return list(places)


def find_event(log: EventLog, event_id: str) -> Event:
    """The event with this id, compared without regard to case; UsageError, suggesting the
    events closest by id or title, when there is none."""
    wanted = event_id.casefold()
    for event in log.events:
        if event.id.casefold() == wanted:
            return event
    near = did_you_mean_titled(event_id, ((e.id, e.title) for e in log.events))
    raise UsageError(f"no event '{event_id}'{near}")


def find_events(log: EventLog, event_ids: Iterable[str]) -> list[Event]:
    """The events with these ids, in the order given, each once."""
    found: dict[str, Event] = {}
    for event_id in event_ids:
        event = find_event(log, event_id)
        found.setdefault(event.id, event)
    return list(found.values())


class Activity(NamedTuple):
    """How often something appears in a set of events, and in which years."""

    id: str
    events: int
    first: int | None
    last: int | None


def activity(
    events: Sequence[Event], ids_of: Callable[[Event], Iterable[str]]
) -> dict[str, Activity]:
    """For each id: its number of events and the first and last year they are known to cover."""
    spans: dict[str, list[range]] = {}
    for event in events:
        for key in ids_of(event):
            spans.setdefault(key, []).append(event.years())
    return {
        k: Activity(k, len(v), min(r[0] for r in v), max(r[-1] for r in v))
        for k, v in spans.items()
    }


def entity_activity(events: Sequence[Event]) -> dict[str, Activity]:
    return activity(events, lambda e: e.entities)


def technology_activity(events: Sequence[Event]) -> dict[str, Activity]:
    return activity(events, lambda e: e.technologies)


def source_activity(events: Sequence[Event]) -> dict[str, Activity]:
    return activity(events, lambda e: dict.fromkeys(c.source for c in e.sources))


class _Record(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Record)


def listed(
    records: Iterable[R], stats: dict[str, Activity], everything: bool
) -> list[tuple[R, Activity]]:
    """(record, activity) pairs: all records when `everything`, else those with events."""
    empty = Activity("", 0, None, None)
    return [(r, stats.get(r.id, empty)) for r in records if everything or r.id in stats]


def spanning(events: Sequence[Event]) -> int:
    """How many of the events are counted in more than one year (see `years`)."""
    return sum(1 for e in events if len(e.years()) > 1)


class YearRow(NamedTuple):
    year: int
    events: int
    companies: tuple[str, ...]


def years(log: EventLog, events: list[Event]) -> list[YearRow]:
    """One row a year with events: the count and the organisations involved, busiest first.
    A record is counted in every year from its known start to its known end (Event.years)."""
    rows = []
    by_year: dict[int, list[Event]] = {}
    for event in events:
        for year in event.years():
            by_year.setdefault(year, []).append(event)
    for year, group in sorted(by_year.items()):
        counts = Counter(i for e in group for i in e.entities if not log.entities[i].is_person)
        names = tuple(
            log.entities[i].name
            for i, _ in sorted(counts.items(), key=lambda kv: (-kv[1], log.entities[kv[0]].name))
        )
        rows.append(YearRow(year, len(group), names))
    return rows


def year_matrix(
    log: EventLog, events: list[Event], top: int
) -> tuple[list[int], list[Entity], dict[tuple[int, str], int]]:
    """Years x the `top` busiest organisations, with the number of events in each cell (a
    record counts in every year it is known to cover, as in `years`)."""
    counts: Counter[tuple[int, str]] = Counter()
    totals: Counter[str] = Counter()
    for event in events:
        for i in event.entities:
            if not log.entities[i].is_person:
                for year in event.years():
                    counts[(year, i)] += 1
                totals[i] += 1
    chosen = sorted(totals, key=lambda i: (-totals[i], log.entities[i].name))[:top]
    every_year = sorted({y for e in events for y in e.years()})
    return every_year, [log.entities[i] for i in chosen], dict(counts)


def resolve_name(kind: str, name: str, records: list[Entity] | list[Technology]) -> str:
    """The one id `name` (an id or any name, in any language) stands for; UsageError, with
    the closest names, when it stands for none or for several."""
    ids = _resolve(kind, (name,), records)
    if len(ids) > 1:
        raise UsageError(f"'{name}' could be any of: {', '.join(sorted(ids))}; give the id")
    return next(iter(ids))
