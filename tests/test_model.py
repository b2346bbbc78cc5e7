import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnblock.model import PartialDate


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2018", (2018, None, None, "")),
        ("2018-09", (2018, 9, None, "")),
        ("2018-03-28", (2018, 3, 28, "")),
        ("2018~", (2018, None, None, "~")),
        ("2018-09?", (2018, 9, None, "?")),
        ("2020-02-29", (2020, 2, 29, "")),
    ],
)
def test_parse_keeps_precision(text, parts):
    date = PartialDate.parse(text)
    assert (date.year, date.month, date.day, date.qualifier) == parts
    assert str(date) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2018-13", "no month 13"),
        ("2018-00", "no month 00"),
        ("2018-02-30", "not a day of the calendar"),
        ("2019-02-29", "not a day of the calendar"),
        ("18", "is not a date"),
        ("2018-9", "is not a date"),
        (" 2018", "is not a date"),
        ("2018/09", "is not a date"),
        ("２０１８", "is not a date"),
        ("2018~?", "is not a date"),
    ],
)
def test_parse_rejects(text, message):
    with pytest.raises(ValueError, match=message):
        PartialDate.parse(text)


def test_year_sorts_before_its_months_and_months_before_days():
    texts = ["2019", "2018-09-01", "2018-09", "2018", "2018-01", "2017-12-31"]
    ordered = sorted((PartialDate.parse(t) for t in texts), key=PartialDate.sort_key)
    assert [str(d) for d in ordered] == [
        "2017-12-31",
        "2018",
        "2018-01",
        "2018-09",
        "2018-09-01",
        "2019",
    ]


def test_span_of_each_precision():
    assert PartialDate.parse("2018").first_day() == (2018, 1, 1)
    assert PartialDate.parse("2018").last_day() == (2018, 12, 31)
    assert PartialDate.parse("2020-02").last_day() == (2020, 2, 29)
    assert PartialDate.parse("2018-09-14").last_day() == (2018, 9, 14)


def test_coarse_date_overlaps_a_finer_bound():
    year = PartialDate.parse("2018")
    assert year.overlaps(PartialDate.parse("2018-06"), None)
    assert year.overlaps(None, PartialDate.parse("2018-01-01"))
    assert not year.overlaps(PartialDate.parse("2019"), None)
    assert not PartialDate.parse("2018-05").overlaps(
        PartialDate.parse("2018-06"), PartialDate.parse("2018-12")
    )


@given(
    st.integers(1000, 2999),
    st.one_of(st.none(), st.integers(1, 12)),
    st.sampled_from(["", "~", "?"]),
)
def test_round_trip(year, month, qualifier):
    date = PartialDate(year, month, None, qualifier)
    assert PartialDate.parse(str(date)) == date
