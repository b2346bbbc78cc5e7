"""Appending a record to a data file's text keeps everything already there, byte for byte."""

from __future__ import annotations

import pytest
import yaml

from cnblock import curate

RECORD = {
    "id": "x-1",
    "date": "2021-03",
    "title": "BYD's test: a ledger",
    "entities": ["byd"],
    "sources": [{"source": "s", "line": 3, "span": [0, 4]}],
}
ITEM = (
    "  - id: x-1\n"
    '    date: "2021-03"\n'
    '    title: "BYD\'s test: a ledger"\n'
    "    entities: [byd]\n"
    "    sources: [{source: s, line: 3, span: [0, 4]}]\n"
)


def added(document: str) -> str:
    out = curate.append(document, "events", RECORD, 1)
    assert yaml.safe_load(out)["events"][-1] == RECORD  # any YAML reader sees the record
    return out


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", "schema: 1\n\nevents:\n" + ITEM),
        ("# mine\n", "# mine\nschema: 1\n\nevents:\n" + ITEM),
        ("schema: 1", "schema: 1\n\nevents:\n" + ITEM),
        ("schema: 1\nevents:\nsources: []\n", "schema: 1\nevents:\n" + ITEM + "sources: []\n"),
        (
            "schema: 1\nevents: ~  # none yet\n",
            "schema: 1\nevents:\n" + ITEM[:-1] + "  # none yet\n",
        ),
        (
            "schema: 1\nevents:\n  - id: a  # first\n    summary: >-\n      x\n\n  # tail\nsources: []\n",
            "schema: 1\nevents:\n  - id: a  # first\n    summary: >-\n      x\n\n"
            + ITEM
            + "  # tail\nsources: []\n",
        ),
        (
            "schema: 1\nevents:\n- {id: a}",
            "schema: 1\nevents:\n- {id: a}\n" + ITEM.replace("\n  ", "\n")[2:],
        ),
    ],
    ids=["empty", "comment", "no-section", "empty-section", "null", "block", "block-at-column-0"],
)
def test_a_record_is_appended_and_nothing_else_changes(before, after):
    assert added(before) == after


def test_a_flow_list_gets_the_record_before_its_bracket():
    out = added("schema: 1\nevents: [{id: a}]  # c\n")
    assert out == (
        'schema: 1\nevents: [{id: a}, {id: x-1, date: "2021-03", title: "BYD\'s test: a ledger",'
        " entities: [byd], sources: [{source: s, line: 3, span: [0, 4]}]}]  # c\n"
    )
    assert added("schema: 1\nevents: []\n").startswith("schema: 1\nevents: [{id: x-1,")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("BYD", "BYD"),
        ("2021", '"2021"'),
        ("no", '"no"'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        (" lead", '" lead"'),
        ("[x]", '"[x]"'),
        ("비야디", '"비야디"'),
        ("tab\there", '"tab\\there"'),
        ("esc\x1b[31m", '"esc\\u001b[31m"'),
        (7, "7"),
    ],
)
def test_values_are_written_so_every_yaml_reader_gets_them_back(value, written):
    assert curate.scalar(value) == written
    assert yaml.safe_load(f"k: {written}")["k"] == value


def test_a_file_that_is_not_a_mapping_or_has_no_list_there_is_refused():
    with pytest.raises(ValueError, match="not a mapping"):
        curate.append("- a\n", "events", RECORD, 1)
    with pytest.raises(ValueError, match="'events' is not a list"):
        curate.append("events: {a: 1}\n", "events", RECORD, 1)
