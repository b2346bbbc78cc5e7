"""The loader: every check has a small file in data/invalid/ whose header says where it must
point and what it must say (`# expect: LINE:COL: message`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cnblock import loader
from cnblock.errors import DataError, Location

from conftest import DATA

INVALID = sorted((DATA / "invalid").glob("*.yaml"))
_EXPECT = re.compile(r"# expect: (\d+):(\d+): (.*)")


def problems_of(*paths: str | Path) -> list[tuple[int, int, str]]:
    with pytest.raises(DataError) as caught:
        loader.load([str(p) for p in paths])
    return [(p.location.line, p.location.col, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_each_invalid_file_is_reported_where_it_says(path: Path):
    expected = [_EXPECT.match(line).groups() for line in path.read_text("utf-8", "replace").splitlines() if _EXPECT.match(line)]
    assert expected, f"{path.name} states no expectation"
    found = problems_of(path)
    assert len(found) == len(expected), found
    for (line, col, message), (want_line, want_col, want_message) in zip(found, expected):
        assert (line, col) == (int(want_line), int(want_col)), found
        assert message.startswith(want_message), found


def test_every_check_has_its_file():
    names = {p.stem for p in INVALID}
    for needed in ["duplicate-event-id", "bad-month", "unknown-entity", "syntax-error", "alias", "python-tag", "deep-nesting"]:
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
    assert (problem.location.path, problem.location.line, problem.location.col) == (str(again), 2, 17)
    assert problem.message.startswith("duplicate entity id 'byd' (first at ")


def test_data_files_come_from_the_option_then_the_environment(monkeypatch):
    monkeypatch.setenv("CNBLOCK_DATA", os.pathsep.join(["a.yaml", "b.yaml"]))
    assert loader.data_files(["x.yaml"]) == ["x.yaml"]
    assert loader.data_files() == ["a.yaml", "b.yaml"]
    monkeypatch.delenv("CNBLOCK_DATA")
    assert loader.data_files() == [str(loader.default_data_file())]


# Hostile files: one positioned line each, never a hang or a traceback.

def test_invalid_utf8_is_located(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("schema: 1\ntitle: caf".encode() + b"\xe9\n")
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
    assert (line, col) == (1, 1) and message.startswith("is 33,554,433 bytes; a data file may have at most")


def test_an_alias_bomb_is_refused_without_expanding(tmp_path):
    lines = ["schema: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 12)]
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
