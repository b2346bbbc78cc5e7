"""Chart geometry: extents at true precision, lanes, the axis with its breaks, row packing."""

from __future__ import annotations

import pytest

from cnblock.lanes import (
    FADE,
    OTHERS,
    Axis,
    end_of,
    extent,
    lanes,
    margins,
    pack,
    start_of,
    years_shown,
)
from cnblock.model import PartialDate

from logs import LOG, event, make_log


def test_a_year_spans_twelve_months_a_month_one_and_a_day_its_share():
    assert start_of(PartialDate(2018)) == 2018 * 12
    assert end_of(PartialDate(2018)) == 2019 * 12
    assert end_of(PartialDate(2018, 9)) - start_of(PartialDate(2018, 9)) == 1
    day = PartialDate(2018, 9, 28)
    assert end_of(day) - start_of(day) == pytest.approx(1 / 30)


@pytest.mark.parametrize(
    ("date", "width", "point", "fuzzy"),
    [
        ("2018", 12, False, False),
        ("2018-05", 1, False, False),
        ("2018-05-04", 1 / 31, True, False),
        ("2018~", 12, False, True),
        ("2018-05?", 1, False, True),
    ],
)
def test_extent_of_a_single_date(date, width, point, fuzzy):
    ext = extent(event("e", date))
    assert ext is not None
    assert ext.end - ext.start == pytest.approx(width)
    assert (ext.point, ext.fuzzy, ext.open_start, ext.open_end) == (point, fuzzy, False, False)
    assert ext.drawn() == (ext.start, ext.end)


def test_open_ends_fade_by_a_fixed_length():
    from cnblock.lanes import Extent

    ext = Extent(10.0, 20.0, open_start=True, open_end=True)
    assert ext.drawn() == (10.0 - FADE, 20.0 + FADE)


def test_lanes_are_the_busiest_organisations_then_the_rest():
    shown = lanes(LOG, LOG.events, top=1)
    assert [lane.label for lane in shown] == ["Meituan Dianping", OTHERS]
    assert [e.id for e in shown[0].events] == ["post", "abs", "dcep"]
    assert [e.id for e in shown[1].events] == ["founding", "alliance", "poc"]
    assert shown[0].names == (("zh", "美团点评"),)
    # people never get a lane; with room for all, nothing is left for the rest
    assert [lane.key for lane in lanes(LOG, LOG.events, top=9)] == ["meituan", "byd", "alliance"]


def test_lanes_by_technology():
    shown = lanes(LOG, LOG.events, top=5, by="tech")
    assert [(lane.label, len(lane.events)) for lane in shown] == [
        ("Blockchain", 2),
        ("Digital yuan", 1),
        (OTHERS, 3),
    ]
    alone = make_log(event("x", "2018", "byd"))
    assert [lane.label for lane in lanes(alone, alone.events, by="tech")] == ["All events"]


def test_years_shown_break_long_empty_stretches_only():
    exts = [extent(e) for e in LOG.events]
    assert years_shown([x for x in exts if x]) == [(1995, 1995), (2016, 2020)]
    assert years_shown([x for x in exts if x], gap=30) == [(1995, 2020)]


def test_the_axis_maps_months_across_runs_and_breaks():
    axis = Axis([(2000, 2001), (2010, 2010)], year_width=12.0, gap_width=5.0, left=100.0)
    assert axis.x(2000 * 12) == 100.0
    assert axis.x(2001 * 12 + 6) == 118.0
    assert axis.x(2010 * 12) == 100 + 24 + 5
    assert axis.x(2005 * 12) == 124.0  # inside a break: the nearest edge
    assert axis.x(1990 * 12) == 100.0
    assert axis.right == 100 + 24 + 5 + 12
    assert axis.breaks() == [126.5]
    assert axis.year_ticks() == [(2000, 100.0), (2001, 112.0), (2010, 129.0)]


def test_the_axis_keeps_room_for_fades_past_its_first_and_last_year():
    # an open end in the last year shown fades on past it, an unknown start before the first
    log = make_log(event("open", "2020/..", "byd"), event("held", "../2018", "byd"))
    known = [x for x in (extent(e) for e in log.events) if x is not None]
    runs = years_shown(known)
    assert runs == [(2018, 2020)]
    assert margins(known, runs) == (FADE, FADE)
    axis = Axis(runs, 12.0, 5.0, 100.0, lead=FADE, trail=FADE)
    assert axis.x(2018 * 12) == 106.0  # the first year starts after the lead
    assert axis.x(2018 * 12 - FADE) == 100.0  # where the fade in begins
    assert axis.x(2021 * 12 + FADE) == axis.right == 106 + 36 + 6
    assert axis.x(2030 * 12) == axis.right  # nothing beyond the trail
    inside = make_log(event("open", "2019-01/..", "byd"), event("end", "2020", "byd"))
    known = [x for x in (extent(e) for e in inside.events) if x is not None]
    assert margins(known, years_shown(known)) == (0.0, 0.0)  # the fade ends in 2019


def test_pack_puts_overlapping_spans_in_new_rows():
    assert pack([(0, 10), (5, 15), (10, 20), (11, 12)]) == [0, 1, 0, 2]
    assert pack([(0, 10), (11, 20)], gap=2) == [0, 1]
    assert pack([]) == []


AS_OF = PartialDate.parse("2018-03-28")


@pytest.mark.parametrize(
    ("date", "extra", "expected"),
    [
        # a state with no known start fades in up to the day it was reported
        (None, {"kind": "state", "as_of": AS_OF}, (start_of(AS_OF), end_of(AS_OF), True, False)),
        # an open-ended state runs to its as-of date, then fades out
        ("2013/..", {"kind": "state", "as_of": AS_OF}, (2013 * 12, end_of(AS_OF), False, True)),
        # an open end without an as-of date fades out after what is known
        ("2013/..", {}, (2013 * 12, 2014 * 12, False, True)),
        ("../2018-03", {}, (2018 * 12 + 2, 2018 * 12 + 3, True, False)),
        ("2017/2018", {}, (2017 * 12, 2019 * 12, False, False)),
        # a state whose date ends before its as-of date is drawn up to the as-of date
        ("2016", {"kind": "state", "as_of": AS_OF}, (2016 * 12, end_of(AS_OF), False, False)),
    ],
)
def test_extent_of_intervals_and_states(date, extra, expected):
    ext = extent(event("e", date, **extra))
    assert ext is not None
    assert (ext.start, ext.end, ext.open_start, ext.open_end) == pytest.approx(expected)
    assert not ext.point


def test_each_side_of_an_interval_keeps_its_own_fuzziness():
    ext = extent(event("e", "2018-05~/2019"))
    assert (ext.fuzzy_start, ext.fuzzy_end, ext.fuzzy) == (True, False, True)
