"""The new fields of schema 2 in every export format, and the YAML subset's round trip."""

from __future__ import annotations

import csv
import io
import json

from cnblock import export, loader
from cnblock.model import Citation, PartialDate
from cnblock.query import Filters

from helpers import tables
from logs import event, make_log

AS_OF = PartialDate.parse("2018-03-28")
LOG = make_log(
    event(
        "fund",
        "2013/..",
        "alliance",
        kind="state",
        as_of=AS_OF,
        according_to="zhu",
    )._replace(sources=(Citation("press", 12, (10, 42), "0123456789ab"),)),
    event("small", None, "alliance", kind="state", as_of=AS_OF, according_to="source"),
    event("craze", "2017/2018", "byd", tech=("blockchain",)),
    event("before", "../2018-03-28", "zhu", kind="statement"),
    event("poc", "2018-05", "byd"),
)


def by_id(records):
    return {r["id"]: r for r in records}


def test_json_carries_kind_dates_as_of_attribution_and_spans():
    out = json.loads(export.to_json_export(LOG, LOG.events, Filters()))
    records = by_id(out["events"])
    fund = records["fund"]
    assert {k: fund[k] for k in list(fund)[:8]} == {
        "id": "fund",
        "kind": "state",
        "date": "2013/..",
        "date_precision": "year",
        "date_start": "2013",
        "date_end": None,
        "as_of": "2018-03-28",
        "according_to": {"id": "zhu", "name": "Zhu Peijiang"},
    }
    assert fund["sources"] == [
        {
            "source": "press",
            "publisher": "Test Press",
            "line": 12,
            "span": [10, 42],
            "digest": "0123456789ab",
        }
    ]
    small = records["small"]
    assert (small["date"], small["date_precision"], small["date_start"], small["date_end"]) == (
        None,
        None,
        None,
        None,
    )
    assert small["according_to"] == "source"
    before = records["before"]
    # open at the start: the precision is the end's (the one side the date gives)
    assert (before["date_precision"], before["date_start"], before["date_end"]) == (
        "day",
        None,
        "2018-03-28",
    )
    assert records["poc"]["according_to"] is None
    (zhu,) = records["before"]["entities"]
    assert zhu["printed"] == {"ko": "press"}


def test_csv_adds_kind_as_of_and_according_to():
    rows = by_id(csv.DictReader(io.StringIO(export.to_csv_export(LOG, LOG.events, Filters()))))
    assert {k: rows["fund"][k] for k in ("kind", "date", "as_of", "according_to")} == {
        "kind": "state",
        "date": "2013/..",
        "as_of": "2018-03-28",
        "according_to": "Zhu Peijiang",
    }
    assert (rows["small"]["date"], rows["small"]["according_to"]) == ("", "the source")
    assert rows["poc"]["kind"] == "event"


def test_markdown_shows_kind_and_as_of_and_with_long_the_claimant():
    short = export.to_markdown(LOG, LOG.events, Filters())
    rows = {row[2]: row for table in tables(short) for row in table[1:]}
    assert rows["Title of fund"][:2] == ["2013/.. (as of 2018-03-28)", "state"]
    assert rows["Title of small"][:2] == ["as of 2018-03-28", "state"]
    assert rows["Title of before"][:2] == ["../2018-03-28", "statement"]
    assert "According to" not in short
    long = export.to_markdown(LOG, LOG.events, Filters(), long=True)
    assert "*According to Zhu Peijiang.*" in long
    assert "*According to the source.*" in long


def test_yaml_subset_round_trip_keeps_every_new_field(tmp_path):
    path = tmp_path / "subset.yaml"
    path.write_text(export.to_yaml(LOG, LOG.events, Filters()), "utf-8")
    text = path.read_text("utf-8")
    assert "schema: 2\n" in text
    assert "kind: event" not in text  # the default is left out
    again = loader.load([str(path)])
    assert again.events == LOG.events
    assert again.events[0].sources[0].span == (10, 42)
    assert again.entities["zhu"].printed == {"ko": "press"}


def test_timelinejs_intervals_have_start_and_end_and_states_are_labelled():
    slides = by_id(
        {"id": s["unique_id"]} | s
        for s in json.loads(export.to_timelinejs(LOG, LOG.events, Filters()))["events"]
    )
    assert slides["craze"]["start_date"] == {"year": "2017", "display_date": "2017/2018"}
    assert slides["craze"]["end_date"] == {"year": "2018", "display_date": "2018"}
    fund = slides["fund"]
    assert fund["text"]["headline"] == "[state] Title of fund"
    assert fund["start_date"]["display_date"] == "2013/.. (as of 2018-03-28)"
    assert fund["end_date"] == {
        "year": "2018",
        "month": "3",
        "day": "28",
        "display_date": "2018-03-28",
    }
    small = slides["small"]
    assert small["start_date"]["display_date"] == "as of 2018-03-28"
    assert "end_date" not in small
    assert "end_date" not in slides["poc"]
    assert slides["before"]["text"]["headline"] == "[statement] Title of before"


def test_a_subset_keeps_only_the_printed_markers_its_own_events_vouch_for(tmp_path):
    other = make_log(event("before", "../2018-03-28", "zhu", kind="statement"))
    moved = other._replace(
        entities=other.entities | {"zhu": other.entities["zhu"]._replace(printed={"ko": "gone"})}
    )
    _, entities, _ = export.subset(moved, moved.events)
    assert {e.id: dict(e.printed) for e in entities}["zhu"] == {}
    _, kept, _ = export.subset(LOG, [e for e in LOG.events if e.id == "before"])
    assert {e.id: dict(e.printed) for e in kept}["zhu"] == {"ko": "press"}


def test_a_subset_brings_along_whoever_a_claim_is_according_to(tmp_path):
    claim = make_log(event("claim", "2018", "byd", according_to="zhu"))
    path = tmp_path / "subset.yaml"
    path.write_text(export.to_yaml(claim, claim.events, Filters()), "utf-8")
    again = loader.load([str(path)])
    assert again.events[0].according_to == "zhu"
    assert "zhu" in again.entities
