"""query.candidates: the events a filter could match, picked from the keys the cache keeps.
Whatever the filters, every event `select` keeps is among them, so that `select` over just
those events answers as over the whole log."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnblock import loader, query
from cnblock.errors import UsageError
from cnblock.model import EVENT_KINDS, PartialDate, day_number, event_keys
from cnblock.query import Filters

from logs import event, make_log

ENTITIES = ["byd", "meituan", "wang-xing", "alliance", "zhu"]
TECHS = ["blockchain", "digital-yuan"]


@st.composite
def days(draw: st.DrawFn) -> str:
    # few years, months and days, so that boundaries meet often
    year = draw(st.integers(2016, 2019))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return f"{year}"
    month = draw(st.sampled_from([1, 2, 12]))
    if precision == "month":
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{draw(st.sampled_from([1, 2, 28])):02d}"


@st.composite
def whens(draw: st.DrawFn) -> str | None:
    shape = draw(st.sampled_from(["date", "interval", "open start", "open end", "none"]))
    if shape == "none":
        return None
    first = draw(days())
    if shape == "date":
        return first
    if shape == "open start":
        return f"../{first}"
    if shape == "open end":
        return f"{first}/.."
    second = draw(days())
    low, high = sorted([first, second], key=lambda d: PartialDate.parse(d).first_day())
    if PartialDate.parse(high).last_day() < PartialDate.parse(low).first_day():
        return low
    return f"{low}/{high}"


@st.composite
def logs(draw: st.DrawFn):
    events = []
    for number in range(draw(st.integers(0, 12))):
        when = draw(whens())
        as_of = draw(st.none() | days().map(PartialDate.parse))
        events.append(
            event(
                f"e{number}",
                when,
                *draw(st.lists(st.sampled_from(ENTITIES), max_size=3, unique=True)),
                tech=tuple(draw(st.lists(st.sampled_from(TECHS), max_size=2, unique=True))),
                kind=draw(st.sampled_from(EVENT_KINDS)),
                as_of=as_of,
            )
        )
    return make_log(*events)


def year_ranges() -> st.SearchStrategy[str]:
    year = st.integers(2015, 2020).map(str)
    return st.one_of(
        year,
        st.tuples(year, year).map(lambda p: "..".join(sorted(p))),
        year.map(lambda y: f"{y}.."),
        year.map(lambda y: f"..{y}"),
    )


def many(values: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, ...]]:
    """Mostly no filter of this kind: a few kinds at once still match something."""
    given = st.lists(values, min_size=1, max_size=2).map(tuple)
    return st.one_of(st.just(()), st.just(()), given)


FILTERS = st.builds(
    Filters,
    company=many(st.sampled_from(["BYD", "Meituan", "美团点评", "alliance"])),
    person=many(st.sampled_from(["Wang Xing", "zhu"])),
    tech=many(st.sampled_from(["DCEP", "blockchain"])),
    year=many(year_ranges()),
    since=st.none() | st.none() | days(),
    until=st.none() | st.none() | days(),
    grep=many(st.sampled_from(["title", "e1", "wang"])),
    source=many(st.just("press")),
    kind=many(st.sampled_from(EVENT_KINDS)),
)


def picked(log, filters: Filters) -> list[str]:
    """The answer of `select` over only the events `candidates` picks."""
    places = query.candidates(log._replace(events=()), filters, event_keys(log.events))
    chosen = log.events if places is None else tuple(log.events[i] for i in places)
    return [e.id for e in query.select(log._replace(events=chosen), filters)]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(logs(), FILTERS)
def test_the_candidates_hold_every_event_the_filters_match(log, filters):
    try:
        want = [e.id for e in query.select(log, filters)]
    except UsageError as error:
        with pytest.raises(UsageError, match=str(error)):
            picked(log, filters)
        return
    assert picked(log, filters) == want


def plain_keys(events) -> tuple:
    """event_keys as first written, event by event through the model's own methods."""
    by: tuple[dict, dict, dict, dict] = ({}, {}, {}, {})
    first, last = [], []
    for at, e in enumerate(events):
        for places, names in zip(
            by,
            (e.entities, e.technologies, dict.fromkeys(c.source for c in e.sources), (e.kind,)),
            strict=True,
        ):
            for name in names:
                places.setdefault(name, []).append(at)
        start, end = e.known_start(), e.known_end()
        known = start is not None and end is not None
        first.append(day_number(start.first_day()) if known else -1)
        last.append(day_number(end.last_day()) if known else -1)
    return (len(events), *by, first, last)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(logs())
def test_the_keys_are_those_of_each_event_in_turn(log):
    """event_keys (a date's days made once for each date object) gives each event's own."""
    assert tuple(event_keys(log.events)) == plain_keys(log.events)


def test_the_keys_of_the_shipped_log_and_of_events_sharing_dates():
    log = loader.load([str(loader.default_data_file())])
    assert tuple(event_keys(log.events)) == plain_keys(log.events)
    shared = log.events[:3] * 2  # the same events, and so the same date objects, twice
    assert tuple(event_keys(shared)) == plain_keys(shared)
    assert event_keys(shared).by_source == plain_keys(shared)[3]


def test_the_keys_narrow_a_filter_on_the_shipped_log():
    log = loader.load([str(loader.default_data_file())])
    keys = event_keys(log.events)
    records = log._replace(events=())
    places = query.candidates(records, Filters(company=("BYD",)), keys)
    assert places is not None
    assert 0 < len(places) < len(log.events)
    assert {log.events[i].id for i in places} == {
        e.id for e in query.select(log, Filters(company=("BYD",)))
    }
    assert query.candidates(records, Filters(), keys) is None
    assert query.candidates(records, Filters(grep=("chain",)), keys) is None
    with pytest.raises(UsageError, match="unknown company 'Nobody'"):
        query.candidates(records, Filters(company=("Nobody",)), keys)


def test_an_event_without_a_known_extent_meets_no_date_filter():
    log = make_log(event("small", None, "byd", kind="state"))
    assert event_keys(log.events).first == [-1]
    assert picked(log, Filters(year=("2018",))) == []
    assert picked(log, Filters(company=("BYD",))) == ["small"]


EDGES = make_log(
    event("year", "2018", "byd"),
    event("month", "2018-02", "byd"),
    event("day", "2018-02-28", "byd"),
    event("span", "2017/2018-02", "byd"),
    event("before", "../2018-02-01", "byd"),
    event("after", "2018-02-28/..", "byd", kind="state"),
    event("as-of", None, "byd", kind="state", as_of=PartialDate.parse("2018-02-01")),
)
BOUNDS = ["2017-12-31", "2018-01-01", "2018-01-31", "2018-02-01", "2018-02-28", "2018-03-01"]
BOUNDS += ["2018-12-31", "2019-01-01", "2017", "2018", "2019", "2018-02", "2018-03"]


@pytest.mark.parametrize(
    "filters",
    [Filters(since=b) for b in BOUNDS]
    + [Filters(until=b) for b in BOUNDS]
    + [Filters(since=b, until=b) for b in BOUNDS]
    + [Filters(year=(y,)) for y in ["2017", "2018", "2019", "..2017", "2019..", "2017..2018"]],
)
def test_the_candidates_meet_each_bound_a_day_at_its_edge(filters):
    want = [e.id for e in query.select(EDGES, filters)]
    assert picked(EDGES, filters) == want
