"""Schema 2 in the model: intervals, kinds and the known extent of a record."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnblock.model import EVENT_KINDS, Event, Interval, PartialDate, parse_when


def d(text: str) -> PartialDate:
    return PartialDate.parse(text)


def record(date: str | None, as_of: str | None = None, id: str = "e", kind: str = "event") -> Event:
    return Event(
        id,
        None if date is None else parse_when(date),
        "t",
        "s",
        (),
        kind=kind,
        as_of=None if as_of is None else d(as_of),
    )


def test_the_kinds_are_the_contract_s():
    assert EVENT_KINDS == ("event", "state", "statement", "plan", "speculation")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2017/2018", "2017", "2018"),
        ("2018-05/2018-09", "2018-05", "2018-09"),
        ("../2018-03-28", None, "2018-03-28"),
        ("2013/..", "2013", None),
        ("2017~/2018-05?", "2017~", "2018-05?"),
        ("2018/2018-05", "2018", "2018-05"),  # the sides overlap: not backwards
        ("2018-03-28/2018-03-28", "2018-03-28", "2018-03-28"),  # one day: not backwards
    ],
)
def test_an_interval_keeps_each_side_and_prints_as_edtf(text, start, end):
    interval = parse_when(text)
    assert isinstance(interval, Interval)
    assert (interval.start and str(interval.start), interval.end and str(interval.end)) == (
        start,
        end,
    )
    assert str(interval) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019/2018", "'2019/2018' runs backwards"),
        ("2018-09-02/2018-09-01", "runs backwards"),
        ("../..", "has no known end"),
        ("2013/", "write .. for an open end"),
        ("/2013", "write .. for an open end"),
        ("2013/2014/2015", "is not an interval"),
        ("2013/2018-13", "in the interval '2013/2018-13': '2018-13' has no month 13"),
    ],
)
def test_a_bad_interval_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_when(text)


def test_a_plain_date_stays_a_partial_date():
    assert parse_when("2018-09") == d("2018-09")


@pytest.mark.parametrize(
    ("date", "as_of", "start", "end", "years"),
    [
        ("2018-09", None, "2018-09", "2018-09", [2018]),
        ("2017/2018", None, "2017", "2018", [2017, 2018]),
        ("../2018-03-28", None, "2018-03-28", "2018-03-28", [2018]),
        ("2013/..", "2018-03-28", "2013", "2018-03-28", list(range(2013, 2019))),
        ("2013/..", None, "2013", "2013", [2013]),
        ("2035/..", "2020-05", "2035", "2035", [2035]),  # a plan reported before its date
        ("2018-05/..", "2018-05-01", "2018-05", "2018-05-01", [2018]),  # as_of on its first day
        (None, "2018-03-28", "2018-03-28", "2018-03-28", [2018]),
    ],
)
def test_the_known_extent(date, as_of, start, end, years):
    event = record(date, as_of, kind="state" if as_of else "event")
    assert str(event.known_start()) == start
    assert str(event.known_end()) == end
    assert list(event.years()) == years
    assert event.year == years[0]


def test_a_record_with_nothing_known_matches_no_range_and_sorts_last():
    nothing = record(None)
    assert nothing.known_start() is None
    assert list(nothing.years()) == []
    assert nothing.year == 0
    assert not nothing.overlaps(d("2018"), None)
    assert nothing.overlaps(None, None)
    assert sorted([nothing, record("2999")], key=Event.sort_key)[0].date == d("2999")


def test_sorting_is_by_earliest_known_day_then_precision_then_id():
    records = [
        record("2018-03-28", id="a-day"),
        record("2018-01", id="a-january"),  # the same first day as 2018: after the year
        record("2018-03", id="b-month"),
        record("2018", id="z-year"),
        record("2018", id="a-year"),
        record("2017/2019", id="span"),
        record("../2018-01-01", id="open-start"),
        record(None, "2018-03-28", id="state", kind="state"),
    ]
    assert [r.id for r in sorted(records, key=Event.sort_key)] == [
        "span",
        "a-year",
        "z-year",
        "a-january",
        "open-start",
        "b-month",
        "a-day",
        "state",
    ]


# Properties --------------------------------------------------------------------------------

_DATES = st.builds(
    lambda y, m, day, q: PartialDate(y, m, day if m else None, q),
    st.integers(1900, 2100),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
    st.sampled_from(["", "~", "?"]),
)


@given(_DATES, _DATES, st.booleans(), st.booleans())
def test_an_interval_reads_back_from_its_text(a, b, open_start, open_end):
    start, end = sorted([a, b], key=PartialDate.first_day)
    interval = Interval(None if open_start else start, None if open_end and not open_start else end)
    assert parse_when(str(interval)) == interval


@given(_DATES, _DATES, st.none() | _DATES, st.integers(1890, 2110))
def test_a_record_matches_a_year_exactly_when_it_counts_in_it(a, b, as_of, year):
    start, end = sorted([a, b], key=PartialDate.first_day)
    for date in (start, Interval(start, end), Interval(None, end), Interval(start, None)):
        event = Event("e", date, "t", "s", (), as_of=as_of)
        assert event.known_start().first_day() <= event.known_end().last_day()
        matches = event.overlaps(PartialDate(year), PartialDate(year))
        assert matches == (year in event.years()), (str(date), as_of, year)
