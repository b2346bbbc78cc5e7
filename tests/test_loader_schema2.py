"""Schema 2 in the loader: each new field read with its position; schema 1 still loads.
(Each new mistake has its own file in data/invalid/, checked by test_loader.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from cnblock import loader
from cnblock.errors import DataError, Location
from cnblock.model import Interval, PartialDate

from helpers import DATA

VALID2 = str(DATA / "valid-schema2.yaml")


def by_id():
    return {e.id: e for e in loader.load([VALID2]).events}


def test_an_interval_date_keeps_both_sides():
    craze = by_id()["craze"]
    assert craze.date == Interval(PartialDate(2017), PartialDate(2018))
    assert craze.kind == "event"  # the default


def test_a_state_with_an_open_interval_as_of_and_an_entity_as_claimant():
    fund = by_id()["fund"]
    assert (fund.kind, str(fund.date), str(fund.as_of), fund.according_to) == (
        "state",
        "2013/..",
        "2018-03-28",
        "zhu",
    )
    assert fund.where["as_of"] == Location(VALID2, 26, 12)


def test_a_state_may_have_no_date_and_the_source_may_be_the_claimant():
    small = by_id()["small-firms"]
    assert (small.date, str(small.as_of), small.according_to) == (None, "2018-03-28", "source")


def test_a_statement_with_an_open_start():
    before = by_id()["before"]
    assert before.kind == "statement"
    assert before.date == Interval(None, PartialDate(2018, 3, 28))


def test_a_citation_s_span_and_digest():
    (citation,) = by_id()["craze"].sources
    assert (citation.span, citation.digest) == ((10, 42), "0123456789ab")
    assert citation.where["span"] == Location(VALID2, 22, 51)
    (plain,) = by_id()["fund"].sources
    assert (plain.span, plain.digest) == (None, None)


def test_an_entity_s_printed_names():
    log = loader.load([VALID2])
    assert log.entities["byd"].printed == {"name": "test-press", "ko": "test-press"}
    assert log.entities["byd"].where["printed.ko"] == Location(VALID2, 13, 37)
    assert log.entities["zhu"].printed == {}


def test_events_are_in_order_of_earliest_known_day():
    assert [e.id for e in loader.load([VALID2]).events] == [
        "fund",
        "craze",
        "before",
        "small-firms",
    ]


def test_a_schema_1_file_reads_as_plain_events_without_spans():
    log = loader.load([str(DATA / "valid.yaml")])
    (event,) = log.events
    assert (event.kind, event.as_of, event.according_to) == ("event", None, None)
    assert event.sources[0].span is None
    assert log.entities["byd"].printed == {}


def test_a_schema_1_file_can_add_to_a_schema_2_log(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "schema: 1\n"
        "events:\n"
        "  - {id: mine, date: '2019', title: T, summary: S, entities: [byd],"
        " sources: [{source: test-press, line: 2}]}\n",
        "utf-8",
    )
    log = loader.load([VALID2, str(mine)])
    assert [e.id for e in log.events][-1] == "mine"
    assert log.events[-1].kind == "event"


def test_an_empty_as_of_on_a_state_is_missing(tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text(
        "schema: 2\n"
        "sources: [{id: s, publisher: P, published: '2020', language: en}]\n"
        "events:\n"
        "  - {id: e, kind: state, as_of: ~, title: T, summary: S, sources: [{source: s, line: 1}]}\n",
        "utf-8",
    )
    with pytest.raises(DataError) as caught:
        loader.load([str(path)])
    assert [(p.location.line, p.message) for p in caught.value.problems] == [
        (4, "event 'e' is a state but has no 'as_of' (the date the source reports it true)")
    ]


def test_a_bad_as_of_is_reported_once(tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text(
        "schema: 2\n"
        "sources: [{id: s, publisher: P, published: '2020', language: en}]\n"
        "events:\n"
        "  - {id: e, kind: state, as_of: 2018-13, title: T, summary: S,"
        " sources: [{source: s, line: 1}]}\n",
        "utf-8",
    )
    with pytest.raises(DataError) as caught:
        loader.load([str(path)])
    assert [p.message for p in caught.value.problems] == ["'2018-13' has no month 13"]


def test_a_plan_may_be_reported_before_its_date_but_a_state_may_not(tmp_path):
    path = tmp_path / "log.yaml"
    record = (
        "  - {{id: {id}, kind: {kind}, date: 2035/.., as_of: '2020', title: T, summary: S,"
        " sources: [{{source: s, line: 1}}]}}\n"
    )
    head = "schema: 2\nsources: [{id: s, publisher: P, published: '2020', language: en}]\n"
    path.write_text(head + "events:\n" + record.format(id="p", kind="plan"), "utf-8")
    (plan,) = loader.load([str(path)]).events
    assert (str(plan.known_start()), str(plan.known_end())) == ("2035", "2035")
    path.write_text(head + "events:\n" + record.format(id="s", kind="state"), "utf-8")
    with pytest.raises(DataError) as caught:
        loader.load([str(path)])
    assert caught.value.problems[0].message.startswith("as_of 2020 is before the date's start")


def test_a_state_as_of_a_year_may_have_begun_within_that_year(tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text(
        "schema: 2\nsources: [{id: s, publisher: P, published: '2020', language: en}]\n"
        "events:\n  - {id: e, kind: state, date: 2018-05/.., as_of: '2018', title: T,"
        " summary: S, sources: [{source: s, line: 1}]}\n",
        "utf-8",
    )
    (event,) = loader.load([str(path)]).events
    assert str(event.known_end()) == "2018-05"  # an as_of that may precede it bounds nothing


def _one_event(tmp_path: Path, fields: str) -> Path:
    path = tmp_path / "log.yaml"
    path.write_text(
        "schema: 2\nsources: [{id: s, publisher: P, published: '2020', language: en}]\n"
        f"events:\n  - {{id: e, title: T, summary: S, {fields}}}\n",
        "utf-8",
    )
    return path


def test_an_empty_span_is_refused(tmp_path):
    path = _one_event(
        tmp_path,
        "date: '2018', sources: [{source: s, line: 1, span: [5, 5], digest: 0123456789ab}]",
    )
    with pytest.raises(DataError) as caught:
        loader.load([str(path)])
    assert [p.message for p in caught.value.problems] == [
        "span [5, 5] is empty or backwards: its start must be below its end"
    ]
    one = _one_event(
        tmp_path,
        "date: '2018', sources: [{source: s, line: 1, span: [5, 6], digest: 0123456789ab}]",
    )
    assert loader.load([str(one)]).events[0].sources[0].span == (5, 6)


def test_a_state_may_be_reported_on_the_day_it_began(tmp_path):
    path = _one_event(
        tmp_path,
        "kind: state, date: 2018-03-28/.., as_of: 2018-03-28, sources: [{source: s, line: 1}]",
    )
    assert str(loader.load([str(path)]).events[0].known_end()) == "2018-03-28"
