from __future__ import annotations

import pytest

from cnblock import query
from cnblock.errors import UsageError
from cnblock.query import Filters

from logs import LOG


def ids(**filters) -> list[str]:
    return [e.id for e in query.select(LOG, Filters(**filters))]


@pytest.mark.parametrize("name", ["BYD", "byd", "비야디", "比亚迪", " byd "])
def test_a_company_is_found_by_any_name_in_any_language(name):
    assert ids(company=(name,)) == ["founding", "poc"]


def test_aliases_and_full_width_forms_match():
    assert ids(company=("메이퇀",)) == ids(company=("ＭＥＩＴＵＡＮ",)) == ["post", "abs", "dcep"]


def test_a_person_is_not_a_company_and_back():
    assert ids(person=("王兴",)) == ["post"]
    with pytest.raises(UsageError, match="unknown company 'Wang Xing'"):
        ids(company=("Wang Xing",))
    with pytest.raises(UsageError, match="unknown person 'BYD'"):
        ids(person=("BYD",))


def test_an_unknown_name_suggests_the_closest():
    with pytest.raises(UsageError) as caught:
        ids(company=("BYDD",))
    assert str(caught.value) == "unknown company 'BYDD'; did you mean 'BYD'?"
    assert caught.value.exit_code == 2


def test_filters_of_one_kind_are_or_and_of_different_kinds_and():
    assert ids(company=("BYD", "Meituan")) == ["founding", "post", "poc", "abs", "dcep"]
    assert ids(company=("BYD", "Meituan"), tech=("blockchain",)) == ["post", "poc"]
    assert ids(company=("Meituan",), year=("2018",), tech=("DCEP",)) == []


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (("2018",), ["post", "poc", "abs"]),  # a year sorts before its months
        (("2016..2018",), ["alliance", "post", "poc", "abs"]),
        (("2019..",), ["dcep"]),
        (("..1995",), ["founding"]),
        (("1995", "2020"), ["founding", "dcep"]),
    ],
)
def test_years_and_ranges(years, expected):
    assert ids(year=years) == expected


@pytest.mark.parametrize("bad", ["18", "2018..2016", "2018-05", "twenty", "..", "2018...2019"])
def test_a_bad_year_is_a_usage_error(bad):
    with pytest.raises(UsageError, match="--year"):
        ids(year=(bad,))


def test_a_coarse_date_is_kept_when_its_span_overlaps_the_bounds():
    assert ids(since="2018-06") == ["post", "abs", "dcep"]  # 'post' is all of 2018
    assert ids(since="2018-06", until="2018-10") == ["post"]
    assert ids(until="2018-04-30") == ["founding", "alliance", "post"]


def test_a_bad_bound_is_a_usage_error():
    with pytest.raises(UsageError, match="--since: '2018-13' has no month 13"):
        ids(since="2018-13")


def test_grep_searches_text_and_names_in_every_language():
    assert ids(grep=("区块链",)) == ["post", "poc"]  # a summary, and a technology's alias
    assert ids(grep=("美团",)) == ["post", "abs", "dcep"]
    assert ids(grep=("nothing like this",)) == []


def test_source_filter_checks_the_id():
    assert len(ids(source=("press",))) == 6
    with pytest.raises(UsageError, match="unknown source 'pres'; did you mean 'press'"):
        ids(source=("pres",))


def test_describe_says_which_filters_made_a_subset():
    assert Filters().describe() == "none"
    assert (
        Filters(company=("BYD", "Meituan"), year=("2018",)).describe()
        == "company BYD or Meituan, year 2018"
    )


def test_years_count_events_and_rank_organisations():
    rows = query.years(LOG, list(LOG.events))
    assert [(r.year, r.events, r.companies) for r in rows] == [
        (1995, 1, ("BYD",)),
        (2016, 1, ("Zhongguancun Blockchain Industry Alliance",)),
        (2018, 3, ("Meituan Dianping", "BYD")),
        (2020, 1, ("Meituan Dianping",)),
    ]


def test_year_matrix_keeps_the_busiest():
    years, entities, counts = query.year_matrix(LOG, list(LOG.events), top=1)
    assert years == [1995, 2016, 2018, 2020]
    assert [e.id for e in entities] == ["meituan"]
    assert counts[(2018, "meituan")] == 2
