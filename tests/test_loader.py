"""The loader: every check has a small file in data/invalid/ whose header says where it must
point and what it must say (`# expect: LINE:COL: message`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cnblock import loader
from cnblock.errors import DataError, Location

from helpers import DATA

INVALID = sorted((DATA / "invalid").glob("*.yaml"))
_EXPECT = re.compile(r"# expect: (\d+):(\d+): (.*)")


def problems_of(*paths: str | Path) -> list[tuple[int, int, str]]:
    with pytest.raises(DataError) as caught:
        loader.load([str(p) for p in paths])
    return [(p.location.line, p.location.col, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_each_invalid_file_is_reported_where_it_says(path: Path):
    expected = [
        _EXPECT.match(line).groups()
        for line in path.read_text("utf-8", "replace").splitlines()
        if _EXPECT.match(line)
    ]
    assert expected, f"{path.name} states no expectation"
    found = problems_of(path)
    assert len(found) == len(expected), found
    for (line, col, message), (want_line, want_col, want_message) in zip(
        found, expected, strict=False
    ):
        assert (line, col) == (int(want_line), int(want_col)), found
        assert message.startswith(want_message), found


def test_every_check_has_its_file():
    names = {p.stem for p in INVALID}
    for needed in [
        "duplicate-event-id",
        "bad-month",
        "unknown-entity",
        "syntax-error",
        "alias",
        "python-tag",
        "deep-nesting",
        "interval-backwards",
        "interval-without-ends",
        "unknown-event-kind",
        "state-without-as-of",
        "unknown-according-to",
        "span-backwards",
        "span-not-numbers",
        "bad-digest",
        "span-without-digest",
        "digest-without-span",
        "printed-unknown-language",
        "schema-2-field-in-schema-1",
    ]:
        assert needed in names


def test_the_valid_file_loads_with_raw_text_kept():
    log = loader.load([str(DATA / "valid.yaml")])
    (event,) = log.events
    assert str(event.date) == "2018-09"  # written unquoted, still not turned into a date object
    assert event.entities == ("byd", "wang-chuanfu")
    assert log.entities["byd"].names == {"ko": "비야디", "zh": "比亚迪"}
    assert event.where["date"] == Location(str(DATA / "valid.yaml"), 22, 11)


def test_plain_no_stays_text(tmp_path):
    path = tmp_path / "no.yaml"
    path.write_text(
        "schema: 1\nsources: [{id: s, publisher: 'no', published: '2020', language: no}]\n", "utf-8"
    )
    assert loader.load([str(path)]).sources["s"].language == "no"


def test_all_problems_are_reported_at_once_in_position_order(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text(
        "schema: 1\n"
        "events:\n"
        "  - {id: a, date: '2018-13', title: t, summary: s, sources: [{source: x, line: 1}]}\n"
        "  - {id: a, date: '2018', title: t, summary: s, sources: [{source: x, line: 1}]}\n",
        "utf-8",
    )
    found = problems_of(path)
    assert [(line, message.split(" (")[0]) for line, _, message in found] == [
        (3, "'2018-13' has no month 13"),
        (4, "duplicate event id 'a'"),  # a duplicate is not read further
    ]


def test_files_merge_so_a_users_file_can_use_shipped_entities(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "schema: 1\n"
        "sources: [{id: my-notes, publisher: Me, published: '2021', language: en}]\n"
        "events:\n"
        "  - id: my-event\n"
        "    date: '2021-03'\n"
        "    title: My own finding about BYD\n"
        "    summary: Something I read.\n"
        "    entities: [byd, wang-chuanfu]\n"
        "    sources: [{source: my-notes, line: 1}]\n",
        "utf-8",
    )
    log = loader.load([str(loader.default_data_file()), str(mine)])
    assert log.events[-1].id == "my-event"
    assert len(log.files) == 2


def test_a_duplicate_across_files_points_at_the_second_file(tmp_path):
    again = tmp_path / "again.yaml"
    again.write_text("schema: 1\nentities: [{id: byd, kind: company, name: BYD}]\n", "utf-8")
    with pytest.raises(DataError) as caught:
        loader.load([str(loader.default_data_file()), str(again)])
    (problem,) = caught.value.problems
    assert (problem.location.path, problem.location.line, problem.location.col) == (
        str(again),
        2,
        17,
    )
    assert problem.message.startswith("duplicate entity id 'byd' (first at ")


def test_data_files_layer_the_users_files_on_the_shipped_log(monkeypatch, tmp_path):
    shipped = str(loader.default_data_file())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CNBLOCK_DATA", os.pathsep.join(["a.yaml", "b.yaml"]))
    assert loader.data_files(["x.yaml"]) == [shipped, "x.yaml"]
    assert loader.data_files() == [shipped, "a.yaml", "b.yaml"]
    assert loader.data_files(shipped=False) == ["a.yaml", "b.yaml"]
    monkeypatch.delenv("CNBLOCK_DATA")
    assert loader.data_files() == [shipped]
    (tmp_path / "cnblock.yaml").write_text("schema: 1\n", "utf-8")
    assert loader.data_files() == [shipped, "cnblock.yaml"]
    assert loader.data_files(["x.yaml"]) == [shipped, "x.yaml"]  # a named file replaces it
    assert loader.data_files(shipped=False) == ["cnblock.yaml"]


def test_a_file_named_twice_is_loaded_once(tmp_path, monkeypatch):
    shipped = str(loader.default_data_file())
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.yaml").write_text("schema: 1\n", "utf-8")
    named = ["mine.yaml", str(tmp_path / "mine.yaml"), "./mine.yaml", shipped]
    assert loader.data_files(named) == [shipped, "mine.yaml"]


def test_a_shipped_id_repeated_by_a_users_file_says_how_to_load_a_subset(tmp_path):
    again = tmp_path / "again.yaml"
    again.write_text("schema: 1\ntechnologies: [{id: blockchain, name: B}]\n", "utf-8")
    with pytest.raises(DataError) as caught:
        loader.load(loader.data_files([str(again)]))
    (problem,) = caught.value.problems
    assert problem.location.path == str(again)
    assert problem.message.startswith(
        f"duplicate technology id 'blockchain' (first at {loader.default_data_file()}:"
    )
    assert problem.message.endswith(
        ", in the shipped log: pick another id, or, if this file repeats the shipped records,"
        " load it with --no-shipped)"
    )


# Hostile files: one positioned line each, never a hang or a traceback.


def test_invalid_utf8_is_located(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"schema: 1\ntitle: caf" + b"\xe9\n")
    assert problems_of(path) == [(2, 11, "is not valid UTF-8 (byte 0xe9)")]


def test_a_directory_is_refused(tmp_path):
    assert problems_of(tmp_path) == [(1, 1, "is a directory, not a data file")]


def test_a_missing_file_is_refused(tmp_path):
    assert problems_of(tmp_path / "nope.yaml") == [(1, 1, "no such file")]


def test_a_device_is_refused():
    assert problems_of("/dev/zero") == [(1, 1, "is not a regular file")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert problems_of(fifo) == [(1, 1, "is not a regular file")]


def test_a_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(loader.MAX_BYTES + 1)  # sparse: costs no disk
    ((line, col, message),) = problems_of(path)
    assert (line, col) == (1, 1)
    assert message == (
        "is 134,217,729 bytes; a data file may have at most 134,217,728 bytes (128 MiB);"
        " CNBLOCK_MAX_MIB=N allows N MiB"
    )


def test_the_size_cap_can_be_set_in_mib(tmp_path, monkeypatch):
    path = tmp_path / "log.yaml"
    path.write_text("schema: 1\n" + "#" * (1024 * 1024) + "\n", "utf-8")
    monkeypatch.setenv("CNBLOCK_MAX_MIB", "1")
    with pytest.raises(DataError) as caught:
        loader.read_text(str(path))
    assert "at most 1,048,576 bytes (1 MiB);" in caught.value.problems[0].message
    monkeypatch.setenv("CNBLOCK_MAX_MIB", " 2 ")
    assert loader.read_text(str(path)).startswith("schema: 1")
    monkeypatch.setenv("CNBLOCK_MAX_MIB", "")
    assert loader.max_bytes() == loader.MAX_BYTES


@pytest.mark.parametrize("setting", ["lots", "1.5", "0", "-3", "12MiB", "１", "9" * 40])
def test_a_size_cap_that_is_not_a_whole_number_of_mib_is_a_usage_error(monkeypatch, setting):
    """Regression: CNBLOCK_MAX_MIB=1.5 (or lots) was silently ignored: the default cap."""
    from cnblock.errors import UsageError

    monkeypatch.setenv("CNBLOCK_MAX_MIB", setting)
    with pytest.raises(UsageError) as caught:
        loader.max_bytes()
    assert str(caught.value) == (
        f"CNBLOCK_MAX_MIB={setting!r} is not a size: give a whole number of MiB (1 or more),"
        " or unset it"
    )


def test_an_alias_bomb_is_refused_without_expanding(tmp_path):
    lines = ["schema: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        for i in range(1, 12)
    ]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    found = problems_of(path)
    assert any(m.startswith("aliases (*a10) are not allowed") for _, _, m in found)


def test_a_tag_is_never_executed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    problems_of(DATA / "invalid" / "python-tag.yaml")
    assert not (tmp_path / "cnblock-was-here").exists()


def test_the_pure_python_parser_reads_the_same_log_and_positions(monkeypatch):
    import yaml

    from cnblock import yamlnodes

    path = [str(loader.default_data_file())]
    fast = loader.load(path)
    monkeypatch.setattr(yamlnodes, "_Loader", yaml.SafeLoader)
    slow = loader.load(path)
    assert slow == fast
    assert [e.where for e in slow.events] == [e.where for e in fast.events]
    assert slow.events[0].where["date"].line > 1


REQUIRED = {
    "source": ["id", "publisher", "published", "language"],
    "entity": ["id", "kind", "name"],
    "technology": ["id", "name"],
    "event": ["id", "date", "title", "summary", "sources"],
    "citation": ["source", "line"],
}
"""Written out, not read from the loader's spec, so that a change to the spec is noticed."""


def _log_without(kind: str, field: str) -> str:
    """A small complete log with one field of one kind of record left out, written as JSON
    (which YAML reads) so that leaving a field out cannot break the layout."""
    import json

    citation = {"source": "s", "line": 1}
    records = {
        "source": {"id": "s", "publisher": "P", "published": "2020", "language": "en"},
        "entity": {"id": "byd", "kind": "company", "name": "BYD"},
        "technology": {"id": "chain", "name": "Chain"},
        "event": {"id": "e", "date": "2020", "title": "T", "summary": "S", "sources": [citation]},
        "citation": citation,
    }
    records[kind].pop(field, None)
    return (
        "schema: 1\n"
        f"sources: [{json.dumps(records['source'])}]\n"
        f"entities: [{json.dumps(records['entity'])}]\n"
        f"technologies: [{json.dumps(records['technology'])}]\n"
        f"events: [{json.dumps(records['event'])}]\n"
    )


@pytest.mark.parametrize(
    ("kind", "field"), [(kind, field) for kind, fields in REQUIRED.items() for field in fields]
)
def test_every_required_field_is_required(tmp_path, kind, field):
    path = tmp_path / "log.yaml"
    path.write_text(_log_without(kind, field), "utf-8")
    messages = [message for _, _, message in problems_of(path)]
    assert any(f"has no '{field}'" in message for message in messages), messages


def test_the_complete_records_load(tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text(_log_without("citation", "nothing"), "utf-8")
    assert [e.id for e in loader.load([str(path)]).events] == ["e"]


def test_an_optional_field_left_empty_is_left_out(tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text(_log_without("citation", "nothing").replace('"title"', 'place: ~, "title"'))
    assert loader.load([str(path)]).events[0].place is None


def test_the_size_cap_admits_a_file_of_exactly_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_BYTES", 64)
    path = tmp_path / "log.yaml"
    path.write_text("schema: 1\n" + "#" * 53 + "\n", "utf-8")
    assert path.stat().st_size == 64
    assert loader.read_text(str(path)).startswith("schema: 1")
    path.write_text("schema: 1\n" + "#" * 54 + "\n", "utf-8")
    with pytest.raises(DataError) as caught:
        loader.read_text(str(path))
    assert caught.value.problems[0].message == (
        "is 65 bytes; a data file may have at most 64 bytes; CNBLOCK_MAX_MIB=N allows N MiB"
    )


def test_a_path_through_a_file_cannot_be_read(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("x", "utf-8")
    with pytest.raises(DataError) as caught:
        loader.read_text(str(plain / "events.yaml"))
    assert caught.value.problems[0].message == "cannot read: Not a directory"


def test_a_file_that_fails_to_open_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    path = tmp_path / "log.yaml"
    path.write_text("schema: 1\n", "utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("os.open", refuse)
    with pytest.raises(DataError) as caught:
        loader.read_text(str(path))
    assert caught.value.problems[0].message == "cannot read: Permission denied"


def test_events_become_records_as_they_are_read_and_their_nodes_are_let_go(monkeypatch):
    """The builder takes each item of a top-level list as the parser finishes it, so the
    tree never holds the events; the log and every position are those of a whole-tree read."""
    from cnblock import fastread, yamlnodes

    path = str(loader.default_data_file())
    streamed = loader.load([path])
    kept: list = []
    original = yamlnodes.parse

    def whole_tree(text, name, on_item=None, on_problem=None, keep=None):
        root, problems = original(text, name, None, on_problem, keep)  # every item stays
        kept.append(root)
        return root, problems

    monkeypatch.setattr(loader, "parse", whole_tree)
    monkeypatch.setattr(fastread, "read", lambda *args: False)  # yamlnodes reads it whole
    whole = loader.load([path])
    assert streamed == whole
    assert [e.where for e in streamed.events] == [e.where for e in whole.events]
    assert [c.where for e in streamed.events for c in e.sources] == [
        c.where for e in whole.events for c in e.sources
    ]
    assert len(kept[0].items["events"][1].items) == len(whole.events)
    monkeypatch.undo()
    root, _ = yamlnodes.parse(Path(path).read_text("utf-8"), path, lambda key, item, top: True)
    assert root.items["events"][1].items == []


def test_a_schema_given_after_the_events_still_governs_them(tmp_path):
    """Items are read as they finish only once the schema is known; otherwise after parsing."""
    text = _log_without("citation", "nothing")
    schema, rest = text.split("\n", 1)
    late = tmp_path / "late.yaml"
    late.write_text(rest + schema + "\n", "utf-8")
    assert [e.id for e in loader.load([str(late)]).events] == ["e"]
    schema1 = tmp_path / "schema1.yaml"
    schema1.write_text(rest.replace('"title"', '"kind": "plan", "title"') + schema + "\n")
    assert any("schema 2 field" in m for _, _, m in problems_of(schema1))


def test_a_file_that_breaks_off_adds_only_its_syntax_error(tmp_path):
    """Events read before a syntax error are taken back: the file adds nothing else."""
    good = _log_without("citation", "nothing")
    broken = tmp_path / "broken.yaml"
    broken.write_text(good + "events2: [unclosed\n", "utf-8")
    found = problems_of(broken)
    assert len(found) == 1, found
    assert found[0][2].startswith("YAML syntax"), found
    other = tmp_path / "other.yaml"
    other.write_text(good, "utf-8")
    found = problems_of(broken, other)  # the broken file's ids do not clash with the other's
    assert len(found) == 1, found
    assert found[0][2].startswith("YAML syntax"), found


def test_the_collector_is_paused_while_loading_and_restored(monkeypatch):
    import gc

    seen: list[bool] = []
    original = loader._load
    monkeypatch.setattr(
        loader, "_load", lambda *args: seen.append(gc.isenabled()) or original(*args)
    )
    assert gc.isenabled()
    loader.load([str(loader.default_data_file())])
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        loader.load([str(loader.default_data_file())])
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


@pytest.mark.parametrize("text", ["---", "---\n", "--- \n...\n"])
def test_a_document_of_nothing_is_an_empty_file_reported_inside_it(tmp_path, text):
    """libyaml places the empty value after the marker: on a line '---' alone lacks."""
    path = tmp_path / "nothing.yaml"
    path.write_text(text, "utf-8")
    assert problems_of(path) == [
        (1, 1, "the file is empty; expected a mapping with 'schema' and 'events'")
    ]
