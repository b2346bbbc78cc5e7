"""Filters on schema 2 records: overlap with the known extent, open ends, kinds, counting."""

from __future__ import annotations

import pytest

from cnblock import query
from cnblock.errors import UsageError
from cnblock.model import PartialDate
from cnblock.query import Filters

from logs import event, make_log

LOG = make_log(
    event("craze", "2017/2018", "byd"),
    event("summer", "2018-05/2018-09", "byd"),
    event("week", "2018-03-26/2018-03-30", "meituan"),
    event("before", "../2018-03-28", "alliance", kind="statement"),
    event("since", "2013/..", "alliance", kind="state", as_of=None),
    event("fund", "2013/..", "alliance", kind="state", as_of=PartialDate.parse("2018-03-28")),
    event("small", None, "alliance", kind="state", as_of=PartialDate.parse("2018-03-28")),
    event("guess", "2020", "meituan", kind="speculation", according_to="source"),
)


def ids(**filters) -> list[str]:
    return [e.id for e in query.select(LOG, Filters(**filters))]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("2012", []),
        ("2017", ["fund", "craze"]),
        ("2013", ["fund", "since"]),
        ("2015", ["fund"]),  # 2013/.. as of 2018-03-28 is known to cover 2015; open without
        ("2019", []),
        ("2019..", ["guess"]),
        ("..2016", ["fund", "since"]),
    ],
)
def test_year_precision_overlap(year, expected):
    assert ids(year=(year,)) == expected


def test_an_interval_matches_every_year_it_spans():
    assert "craze" in ids(year=("2017",))
    assert "craze" in ids(year=("2018",))


def test_month_precision_overlap():
    assert ids(since="2018-04", until="2018-04") == ["craze"]
    assert ids(since="2018-09", until="2018-09") == ["craze", "summer"]
    assert ids(since="2018-10", until="2018-12") == ["craze"]


def test_day_precision_overlap():
    assert ids(since="2018-03-30", until="2018-03-30") == ["craze", "week"]
    assert ids(since="2018-03-31", until="2018-04-01") == ["craze"]
    assert "before" in ids(since="2018-03-28", until="2018-03-28")
    assert "before" not in ids(since="2018-03-29")


def test_an_open_start_is_not_given_a_lower_bound():
    assert "before" in ids(until="2018")
    assert "before" in ids(year=("2018",))
    assert "before" not in ids(year=("2016",))  # unknown stays unknown
    assert "before" not in ids(until="2017")


def test_an_open_end_reaches_as_of_and_no_further():
    assert "fund" in ids(year=("2018",))
    assert "fund" not in ids(since="2018-03-29")
    assert "since" not in ids(year=("2014",))


def test_a_state_without_date_is_found_by_its_as_of():
    assert ids(since="2018-03-28", until="2018-03-28", kind=("state",)) == ["fund", "small"]


def test_kind_filter_or_within_and_across():
    assert ids(kind=("state",)) == ["fund", "since", "small"]
    assert ids(kind=("statement", "speculation")) == ["before", "guess"]
    alliance = ("Zhongguancun Blockchain Industry Alliance",)
    assert ids(kind=("state",), company=alliance) == ["fund", "since", "small"]
    assert ids(kind=("state",), company=("BYD",)) == []
    assert Filters(kind=("state",)).describe() == "kind state"


def test_an_unknown_kind_is_a_usage_error_with_a_suggestion():
    with pytest.raises(UsageError) as caught:
        ids(kind=("stat",))
    assert str(caught.value).startswith("unknown kind 'stat'; did you mean 'state'")
    assert caught.value.exit_code == 2


def test_sorted_by_earliest_known_day():
    assert [e.id for e in LOG.events] == [
        "fund",
        "since",
        "craze",
        "week",
        "before",
        "small",
        "summer",
        "guess",
    ]


def test_years_count_a_record_in_every_year_it_is_known_to_cover():
    rows = {r.year: r.events for r in query.years(LOG, list(LOG.events))}
    assert rows == {2013: 2, 2014: 1, 2015: 1, 2016: 1, 2017: 2, 2018: 6, 2020: 1}


def test_activity_spans_the_known_years():
    activity = query.entity_activity(list(LOG.events))
    assert (activity["byd"].first, activity["byd"].last) == (2017, 2018)
    assert (activity["alliance"].first, activity["alliance"].last) == (2013, 2018)


def test_year_matrix_counts_each_covered_year():
    years, chosen, counts = query.year_matrix(LOG, list(LOG.events), 3)
    assert years[0] == 2013
    assert 2017 in years
    assert counts[(2017, "byd")] == 1
    assert counts[(2018, "byd")] == 2
    assert [e.id for e in chosen] == ["alliance", "byd", "meituan"]
