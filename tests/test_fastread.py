"""The quick reader (cnblock.fastread) gives exactly what yamlnodes and the loader give: the
same nodes for each record it reads itself, and for any file the same records, the same
positions, the same problems in the same order, the same errors. What it is not sure of it
leaves to yamlnodes: a record (read with its own lines), or the whole file."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import fastread_cases
import hypothesis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnblock import fastread, loader, yamlnodes
from cnblock.errors import DataError, Problems
from cnblock.yamlnodes import Map, Scalar, Seq

from helpers import DATA, mutate

PATH = "log.yaml"


class Seen:
    """What the quick reader did with the files of a load."""

    def __init__(self) -> None:
        self.accepted: list[bool] = []
        self.quick = 0  # records it read itself
        self.unusual = 0  # records it left to yamlnodes
        self.without_nodes = 0  # events the loader read from its fields, without nodes
        self.matched = 0  # events a layout's pattern matched (fastread.Shape)
        self.shaped = 0  # of those, events the loader read from the match


@contextlib.contextmanager
def watched() -> Iterator[Seen]:
    seen = Seen()
    read, record = fastread.read, fastread._Reading.record

    def watched_read(*args: Any) -> bool:
        seen.accepted.append(read(*args))
        return seen.accepted[-1]

    def watched_record(self: Any, chunk: str, line: int) -> Map | None:
        node = record(self, chunk, line)
        if node is None:
            seen.unusual += 1
        else:
            seen.quick += 1
        return node

    quick = loader._Builder.quick

    def watched_quick(self: Any, *args: Any) -> bool:
        taken = quick(self, *args)
        seen.without_nodes += taken
        return taken

    shaped = loader._Builder.shaped

    def watched_shaped(self: Any, *args: Any) -> bool:
        taken = shaped(self, *args)
        seen.matched += 1
        seen.shaped += taken
        return taken

    fastread.read = watched_read  # type: ignore[assignment]
    fastread._Reading.record = watched_record  # type: ignore[method-assign]
    loader._Builder.quick = watched_quick  # type: ignore[method-assign]
    loader._Builder.shaped = watched_shaped  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        fastread.read, fastread._Reading.record = read, record  # type: ignore[method-assign]
        loader._Builder.quick = quick  # type: ignore[method-assign]
        loader._Builder.shaped = shaped  # type: ignore[method-assign]


@contextlib.contextmanager
def general() -> Iterator[None]:
    """The loader without the quick reader: every file read by yamlnodes."""
    read = fastread.read
    fastread.read = lambda *args: False  # type: ignore[assignment]
    try:
        yield
    finally:
        fastread.read = read  # type: ignore[assignment]


def _record(record: Any) -> tuple[Any, ...]:
    where = record.where
    runs = {key: list(at) for key, at in where.runs.items()}
    return (tuple(record[:-1]), where.rows(), runs, list(where.items()), where.path)


def outcome(text: str) -> tuple[Any, ...]:
    """Everything a load of `text` shows: its records with their positions, its problems in
    the order found, its error (a load with a sink, and one without)."""
    found: list[Any] = []
    try:
        log = loader.load([PATH], drafts={PATH: text}, on_problem=found.append)
    except DataError as exc:
        records: Any = ("DataError", exc.problems, exc.count)
    except Exception as exc:
        records = (type(exc).__name__, str(exc))
    else:
        records = (
            [(_record(e), [_record(c) for c in e.sources]) for e in log.events],
            [
                _record(r)
                for section in (log.sources, log.entities, log.technologies)
                for r in section.values()
            ],
        )
    try:
        loader.load([PATH], drafts={PATH: text})
        kept: Any = None
    except DataError as exc:
        kept = (exc.problems, exc.count)
    except Exception as exc:
        kept = (type(exc).__name__, str(exc))
    return records, found, kept


def both(text: str) -> tuple[Seen, tuple[Any, ...], tuple[Any, ...]]:
    with watched() as seen:
        quick = outcome(text)
    with general():
        slow = outcome(text)
    return seen, quick, slow


def plain(node: Any) -> Any:
    """A node as nested tuples, to compare."""
    if isinstance(node, Scalar):
        return ("scalar", tuple(node))
    if isinstance(node, Seq):
        kept = type(node.items).__name__  # the compact form of a list of scalars, or not
        return ("list", node.loc, node.hollow, kept, [plain(item) for item in node.items])
    assert isinstance(node, Map)
    items = [
        (tuple(key), plain(value))
        for key, (key_node, value) in node.items.items()
        for key in [key_node]
    ]
    return ("mapping", node.loc, node.hollow, items)


class Collect:
    """A builder that keeps each record's nodes (fastread.Builder)."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.problems: list[Any] = []
        self.report = self.problems.append

    def stream(self, key: str, item: Any, top: Map) -> bool:
        self.items.append((key, plain(item)))
        return True

    def quick(self, *args: Any) -> bool:
        return False  # every record's nodes, to compare

    def shaped(self, *args: Any) -> bool:
        return False  # (never asked: no layout is learnt when quick says no)

    def add_file(self, root: Any, path: str) -> None:
        self.items.append(("top", plain(root)))

    def abandon_file(self) -> None:
        self.items.clear()
        self.problems.clear()

    def begin_file(self) -> None:
        pass


def nodes(text: str) -> tuple[list[Any], list[Any]] | None:
    """Each record's nodes as the quick reader makes them, and as yamlnodes does (None if the
    quick reader leaves the file to yamlnodes)."""
    quick = Collect()
    if not fastread.read([text], PATH, quick, loader._read):
        return None
    slow: list[Any] = []

    def item(key: str, node: Any, top: Map) -> bool:
        slow.append((key, plain(node)))
        return True

    problems: list[Any] = []
    root, _ = yamlnodes.parse(text, PATH, item, problems.append, keep=loader._read)
    slow.append(("top", plain(root)))
    return [*quick.items, *quick.problems], [*slow, *problems]


HEAD = "# a log\nschema: 2\n\nsources:\n  - id: s1\n    publisher: P\n    published: 2018\n    language: en\n"


def event(*lines: str) -> str:
    return HEAD + "\nevents:\n  - " + "\n    ".join(lines) + "\n"


GOOD = [
    "id: e1",
    'date: "2018"',
    "title: A title, with [brackets], a colon:in it and C# (비야디)",
    "summary: >-\n      One line,\n      # not a comment: a line of the block\n      and a third",
    "entities: []",
    "technologies: [t-1, 비야디 x, a.b]",
    "sources: [{source: s1, line: 3}, {source: s1, line: 4}]",
    "place: 'its'",
]
BASE = ["id: e1", "title: T", "summary: S", "sources: [{source: s1, line: 1}]"]


def with_form(form: str) -> str:
    key = form.split(":", maxsplit=1)[0]
    return event(*[line for line in BASE if not line.startswith(key + ":")], form)


@pytest.mark.parametrize("form", [*GOOD, "kind: state", "names: {ko: 비야디, zh: 比亚迪}"])
def test_each_usual_form_is_read_quickly_into_the_same_nodes_and_records(form):
    text = with_form(form)
    quick, slow = nodes(text) or ([], [None])
    assert quick == slow
    seen, fast, general_ = both(text)
    assert seen.accepted == [True, True]
    assert seen.unusual == 0
    assert seen.quick == 4
    assert fast == general_


QUICK = [
    "id: e1",
    'date: "2018-03"',
    "date: 2017/2018",
    "kind: state\n    as_of: '2018'",
    "kind: state\n    date: 2019\n    as_of: '2018'",
    "kind: plan",
    "according_to: source",
    "according_to: s1",
    "date_note: >-\n      a note",
    "place: Beijing",
    "entities: []",
    "entities: [e1, s1]",
    "technologies: [t1]",
    "sources: [{source: s1, line: 3}, {source: s2, line: 4}]",
]


@pytest.mark.parametrize("form", QUICK)
def test_a_usual_event_is_read_from_its_fields_without_nodes_to_the_same_record(form):
    seen, fast, slow = both(with_form(form))
    assert seen.without_nodes == 2  # the event (in both loads)
    assert fast == slow


NOT_QUICK = {
    "an unknown key": "colour: red",
    "an optional field left empty": "place: ~",
    "a required field left empty": "title: null",
    "a bad date": "date: 2018-13",
    "a bad kind": "kind: party",
    "a list of a field that is not one": "title: [a]",
    "a mapping": "title: {a: b}",
    "a bad id in a list": "entities: [E1]",
    "null in a list": "entities: [null]",
    "an id listed twice": "entities: [e1, e1]",
    "a long list": "entities: [" + ", ".join(f"e{i}" for i in range(70)) + "]",
    "no citation": "sources: []",
    "many citations": "sources: [" + ", ".join(["{source: s1, line: 1}"] * 65) + "]",
    "a citation as text": "sources: s1",
    "a citation of other keys": "sources: [{line: 3, source: s1}]",
    "a citation with a digest": "sources: [{source: s1, line: 3, digest: 0123456789ab}]",
    "a citation of a bad line": "sources: [{source: s1, line: 0}]",
    "a citation of a bad source": "sources: [{source: S1, line: 3}]",
    "a missing field": "summary: x\n    title: y\n    id: e1\n    date: 2018",
}


@pytest.mark.parametrize("reason", NOT_QUICK)
def test_an_event_not_of_the_usual_kinds_is_read_from_its_nodes_to_the_same_record(reason):
    form = NOT_QUICK[reason]
    text = with_form(form) if reason != "a missing field" else event(form)
    seen, fast, slow = both(text)
    assert seen.without_nodes == 0
    assert seen.unusual == 0  # read quickly, into nodes
    assert fast == slow


def test_a_schema_1_event_is_read_from_its_nodes():
    text = with_form("date: 2018").replace("schema: 2", "schema: 1")
    seen, fast, slow = both(text)
    assert seen.without_nodes == 0
    assert fast == slow


def twice(first: str, second: str) -> str:
    """Two events of one layout (with_form): the first read a line at a time, its layout learnt
    (fastread.Shape), the second matched by the layout's pattern."""
    other = with_form(second).split("\nevents:\n")[1].replace("id: e1", "id: e2", 1)
    return with_form(first) + other


@pytest.mark.parametrize("form", [*QUICK, *GOOD[:5], *GOOD[6:]])  # (GOOD[5]: not ids)
def test_an_event_of_a_layout_met_before_is_read_from_its_match_to_the_same_record(form):
    seen, fast, slow = both(twice(form, form))
    assert seen.shaped == 2  # the second event (in both loads)
    assert seen.without_nodes == 2  # the first
    assert fast == slow


SHAPED_NOT = {  # reason: the first event's form (read, its layout learnt), the second's
    "an optional field left empty": ("place: x", "place: ~"),
    "a required field left empty": ("title: x", "title: null"),
    "a bad date": ("date: 2018-12", "date: 2018-13"),
    "a bad kind": ("kind: plan", "kind: party"),
    "a bad id in a list": ("entities: [e1]", "entities: [E1]"),
    "null in a list": ("entities: [e1]", "entities: [null]"),
    "an id listed twice": ("entities: [e1, s1]", "entities: [e1, e1]"),
    "a long list": ("entities: [e1]", NOT_QUICK["a long list"]),
    "no citation": ("sources: [{source: s1, line: 1}]", "sources: []"),
    "words, not citations": ("sources: [{source: s1, line: 1}]", "sources: [s1, 3]"),
    "many citations": ("sources: [{source: s1, line: 1}]", NOT_QUICK["many citations"]),
    "a citation of other keys": ("sources: [{source: s1, line: 1}]", "sources: [{line: 3, s: 1}]"),
    "a citation's key twice": (
        "sources: [{source: s1, line: 1}]",
        "sources: [{source: s1, source: s2, line: 3}]",
    ),
    "a citation with a digest": (
        "sources: [{source: s1, line: 1}]",
        NOT_QUICK["a citation with a digest"],
    ),
    "a citation of a bad line": (
        "sources: [{source: s1, line: 1}]",
        "sources: [{source: s1, line: 0}]",
    ),
    "a citation of a bad source": (
        "sources: [{source: s1, line: 1}]",
        "sources: [{source: S1, line: 3}]",
    ),
    "ids where text is expected": ("place: [x]", "place: [y]"),
    "text where ids are expected": ("entities: e1", "entities: e2"),
    "citations where text is expected": ("title: [{a: b}]", "title: [{a: c}]"),
    "a citation as text": ("sources: s1", "sources: s2"),
    "an unknown key": ("colour: red", "colour: blue"),
}


@pytest.mark.parametrize("reason", SHAPED_NOT)
def test_an_event_of_a_layout_met_before_not_of_the_usual_kinds_is_read_otherwise(reason):
    first, second = SHAPED_NOT[reason]
    seen, fast, slow = both(twice(first, second))
    assert seen.shaped == 0
    assert fast == slow


LAYOUT = (
    ("id", fastread.PLAIN, ""),
    ("title", fastread.DOUBLE, ""),
    ("summary", fastread.FOLDED, "\n      "),
    ("sources", fastread.LISTED, ""),
)
NO_PLAN = {
    "an unknown key": (*LAYOUT, ("colour", fastread.PLAIN, "")),
    "a list where text is expected": (*LAYOUT, ("place", fastread.LISTED, "")),
    "citations as text": (*LAYOUT[:3], ("sources", fastread.SINGLE, "")),
    "a field missing": LAYOUT[1:],
}


@pytest.mark.parametrize("reason", NO_PLAN)
def test_a_layout_of_which_quick_would_read_no_event_has_no_plan(reason):
    """fastread learns only layouts of events quick read, but shaped keeps to quick's rules
    whatever it is given."""
    assert loader._plan(LAYOUT) is not None
    assert loader._plan(NO_PLAN[reason]) is None


def test_shaped_says_no_before_a_schema_2_file_is_read_and_to_a_layout_without_a_plan():
    builder = loader._Builder(Problems())
    shape = fastread.Shape(re.compile("(x)"), (("colour", fastread.PLAIN, ""),))
    found = shape.pattern.fullmatch("x")
    assert not builder.shaped(shape, found, PATH, 3)  # no schema read yet
    builder.schema_read, builder.schema = True, 1
    assert not builder.shaped(shape, found, PATH, 3)
    builder.schema = 2
    assert not builder.shaped(shape, found, PATH, 3)  # no plan: an unknown key
    assert builder.records["events"] == []


def test_an_event_matched_after_unusual_records_that_is_one_of_them_joins_them(monkeypatch):
    """Review: a flow mapping that repeats a key matches a layout's pattern (the line reader
    leaves it to yamlnodes). After unusual records it is read with them, in one parse."""
    parsed = []
    parse = yamlnodes.parse

    def counted(text: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(text.count("  - id: "))
        return parse(text, *args, **kwargs)

    monkeypatch.setattr(yamlnodes, "parse", counted)
    good = "sources: [{source: s1, line: 1}]"
    text = twice(good, good).replace("id: e2\n", "id: &a e2\n", 1)  # e2: unusual (an anchor)
    e3 = with_form("sources: [{source: s1, line: 1, line: 2}]").split("\nevents:\n")[1]
    seen, fast, slow = both(text + e3.replace("id: e1", "id: e3", 1))
    assert parsed == [2, 2]  # e2 and e3 in one parse (in each load: with a sink, without)
    assert seen.matched == 0
    assert fast == slow


def test_the_layouts_learnt_are_bounded(monkeypatch):
    monkeypatch.setattr(fastread, "MOST_SHAPES", 2)
    forms = ["place: x", "kind: plan", "date: 2018", "place: 'y'"]
    text = with_form(forms[0])
    for n, form in enumerate([*forms, *reversed(forms)], start=2):
        text += with_form(form).split("\nevents:\n")[1].replace("id: e1", f"id: e{n}", 1)
    seen, fast, slow = both(text)
    # learnt: the layouts of e1 (place: x) and e3 (kind: plan); matched: e2, e8 and e9 (in
    # both loads); the layouts of e4 and e5 come past the bound: read a line at a time
    assert seen.shaped == 2 * 3
    assert fast == slow


EVENTS_FIRST = (
    "schema: 1\nevents:\n  - id: e\n    {fields}\n    title: T\n    summary: S\n"
    "    sources: [{{source: s, line: 1}}]\n"
    "sources:\n  - id: s\n    publisher: P\n    published: 2018\n    language: en\n"
)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ("date: 2017/2018", "an interval date is a schema 2 field; write 'schema: 2' at the top"),
        ("date: 2018\n    kind: state\n    as_of: 2018", "'kind' is a schema 2 field"),
        ("date: 2018\n    according_to: source", "'according_to' is a schema 2 field"),
    ],
)
def test_an_event_before_its_files_schema_is_read_keeps_to_that_schema(fields, problem):
    """Regression (review): with `events:` first in a schema 1 file, the first event was read
    without nodes before the file's schema was, as schema 2: schema 2 fields were accepted."""
    text = EVENTS_FIRST.format(fields=fields)
    _, fast, slow = both(text)
    assert fast == slow
    assert any(problem in p.message for p in fast[2][0]), fast[2]


@pytest.mark.parametrize(
    "form",
    [
        "{key}: x",
        "names: {{{key}: x}}",
        "sources: [{{source: s1, {key}: 1}}]",
    ],
)
def test_a_key_longer_than_libyaml_allows_is_left_to_yamlnodes(form):
    """Regression (review): libyaml refuses a key of more than 1,024 characters (a syntax
    error); the quick reader read it as a key, and reported other problems."""
    text = with_form(form.format(key="a" * 1025))
    _, fast, slow = both(text)
    assert fast == slow
    assert "YAML syntax" in fast[2][0][0].message


@pytest.mark.parametrize(
    "form",
    [
        "title: T\n      # a comment deeper than its field",
        "summary: >-\n        a\n        b\n      # a comment less deep than the block",
        "summary: >-\n      a\n    # a comment",
    ],
)
def test_a_comment_among_the_fields_is_read_a_line_at_a_time_to_the_same_nodes(form):
    text = with_form(form)
    quick, slow = nodes(text) or ([], [None])
    assert quick == slow
    seen, fast, general_ = both(text)
    assert seen.unusual == 0
    assert fast == general_


def test_a_folded_block_ends_at_a_blank_line_before_a_shallower_line():
    text = event("id: e1", "summary: >-\n      a\n      b\n\n    # a comment\n", "title: T")
    quick, slow = nodes(text) or ([], [None])
    assert quick == slow
    seen, fast, general_ = both(text)
    assert seen.unusual == 0
    assert fast == general_


def test_positions_count_characters_not_bytes():
    text = event("id: e1", "title: 비야디 比亚迪", "summary: S", "names: {ko: 비야디, zh: 比亚迪}")
    quick, slow = nodes(text) or ([], [None])
    assert quick == slow
    line = text.split("\n").index("    names: {ko: 비야디, zh: 比亚迪}")
    shown = text.split("\n")[line]
    names = dict(dict(quick)["events"][3])[("names", line + 1, 5, True, PATH)]
    zh = shown.index("zh") + 1  # in characters: in UTF-8 bytes it would be 27
    assert zh == 22
    assert names[3][1] == (
        ("zh", line + 1, zh, True, PATH),
        ("scalar", ("比亚迪", line + 1, zh + 4, True, PATH)),
    )


UNUSUAL = {
    "trailing space": "title: T ",
    "a key not on the item's line": "  -\n    id: e2",
    "a comment on the item's line": "  - # c\n    id: e2",
    "an odd key": "Title: T",
    "a quoted key": '"title": T',
    "a duplicate key": "id: e2",
    "a key without a value": "title:",
    "a block list": "entities:\n      - a",
    "an escape": 'title: "a\\u0041"',
    "a quote in double quotes": 'title: "a"b"',
    "an unclosed double quote": 'title: "a',
    "a doubled single quote": "title: 'it''s'",
    "an unclosed single quote": "title: 'a",
    "a list with spaces": "entities: [ a ]",
    "a list without spaces": "entities: [a,b]",
    "a nested list": "entities: [[a]]",
    "an unclosed list": "entities: [a",
    "a multi-line list": "entities: [a,\n      b]",
    "a list of odd words": "entities: [-a]",
    "a span": "sources: [{source: s1, line: 3, span: [0, 4], digest: 0123456789ab}]",
    "an odd citation": "sources: [{source: s1, line: 3}",
    "a mapping and a word": "sources: [{source: s1, line: 3}, s1]",
    "an empty mapping in a list": "sources: [{}]",
    "a mapping with a repeated key": "names: {ko: a, ko: b}",
    "an unclosed mapping": "names: {ko: a",
    "an empty mapping": "names: {}",
    "a mapping of odd words": "names: {ko: a: b}",
    "a literal block": "summary: |\n      a",
    "a clipped folded block": "summary: >\n      a",
    "a folded block with nothing": "summary: >-",
    "a folded block too shallow": "summary: >-\n    a",
    "a folded block with a deeper line": "summary: >-\n      a\n        b",
    "a folded block with a blank line inside": "summary: >-\n      a\n\n      b",
    "a folded block starting blank": "summary: >-\n\n      a",
    "an anchor": "title: &a T",
    "an alias": "title: *a",
    "a tag": "title: !t T",
    "a plain dash": "title: - T",
    "a question mark": "title: ? T",
    "a percent": "title: %T",
    "an at sign": "title: @T",
    "a backquote": "title: `T`",
    "a colon and space": "title: a: b",
    "a space and hash": "title: a # b",
    "a final colon": "title: a:",
    "a continued plain line": "title: a\n      b",
    "a line at an odd indentation": "title: T\n   x: y",
    "a deeper key": "title: T\n     x: y",
    "a comment after a value": "title: T # c",
}


@pytest.mark.parametrize("reason", UNUSUAL)
def test_a_record_written_unusually_is_left_to_yamlnodes_with_the_same_results(reason):
    text = event("id: e1", "title: T", "summary: S", "sources: [{source: s1, line: 1}]")
    unusual = UNUSUAL[reason]
    text += (unusual if unusual.startswith("  -") else "  - id: e2\n    " + unusual) + "\n"
    text += "  - id: e3\n    title: T\n"
    seen, fast, slow = both(text)
    assert seen.unusual >= 1, reason
    assert fast == slow


TOP = {
    "no schema": "sources:\n  - id: s1\n",
    "the schema after a section": "sources:\n  - id: s1\nschema: 2\n",
    "an unknown schema": "schema: 3\nsources:\n  - id: s1\n",
    "a quoted schema": 'schema: "2"\nsources:\n  - id: s1\n',
    "an unknown top-level key": "schema: 2\nfoo:\n  - id: s1\n",
    "a section twice": "schema: 2\nsources:\n  - id: s1\nsources:\n  - id: s2\n",
    "the same section twice in a row": "schema: 2\nsources:\nsources:\n  - id: s2\n",
    "an empty section": "schema: 2\nsources:\nevents:\n  - id: e\n",
    "a section's list on its key's line": "schema: 2\nsources: []\n",
    "a document marker": "---\nschema: 2\nsources:\n  - id: s1\n",
    "a directive": "%YAML 1.1\n---\nschema: 2\n",
    "a record before any section": "  - id: x\nschema: 2\n",
    "text before the schema": "  x\nschema: 2\n",
    "a top-level list": "- schema: 2\n",
    "something under a key": "schema: 2\n  x: y\nsources:\n  - id: s1\n",
    "a tab": "schema: 2\nsources:\n  - id: s1\n    note: a\tb\n",
    "a carriage return": "schema: 2\r\nsources:\r\n  - id: s1\r\n",
    "a byte-order mark inside": "schema: 2\nsources:\n  - id: s1\n    note: a\ufeffb\n",
    "a record yamlnodes cannot read alone": "schema: 2\nsources:\n  - id: 's1\n  - id: s2\n",
    "nothing": "",
    "only comments": "# a\n\n# b\n",
}


@pytest.mark.parametrize("reason", TOP)
def test_a_file_whose_top_level_is_unusual_is_left_whole_to_yamlnodes(reason):
    seen, fast, slow = both(TOP[reason])
    assert seen.accepted == [False, False], reason
    assert fast == slow


def test_too_many_unusual_records_leave_the_file_to_yamlnodes(monkeypatch):
    odd = "'it''s'"  # unusual (a doubled quote), and read apart by yamlnodes
    records = [f"  - id: e{i}\n    title: {'T' if i % 2 else odd}\n" for i in range(20)]
    text = "schema: 2\nevents:\n" + "".join(records)
    seen, fast, slow = both(text)
    assert seen.accepted == [True, True]  # ten unusual records read apart
    monkeypatch.setattr(fastread, "PADDING_SLACK", 0)
    seen, fast, slow = both(text)
    assert seen.accepted == [False, False]
    assert fast == slow


@pytest.mark.parametrize("unusual", [False, True])
def test_a_large_record_or_run_of_unusual_records_leaves_the_file_to_yamlnodes(unusual):
    title = "a: b" if unusual else "T"
    records = [f"  - id: e{i}\n    title: {title}\n" for i in range(4000)]
    big = "  - id: big\n    entities: [" + ", ".join(f"e{i}" for i in range(20_000)) + "]\n"
    text = "schema: 2\nevents:\n" + ("".join(records) if unusual else big)
    seen, fast, slow = both(text)
    assert seen.accepted == [False, False]
    assert fast == slow


def test_a_character_refused_anywhere_is_found_first():
    text = event("id: e1", "title: T\x00")
    _, fast, slow = both(text)
    assert fast == slow
    assert "U+0000" in str(fast[2])


def test_a_file_read_quickly_never_imports_yaml(tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text(event(*GOOD[:7]), "utf-8")
    code = (
        "import sys\nfrom cnblock import errors, loader\ntry:\n"
        f"    loader.load([{str(path)!r}], on_problem=print)\n"
        "except errors.DataError:\n    pass\nprint('yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[-2] == "False", out.stdout
    assert "is not a valid id" in out.stdout  # it read the record (and found its problems)


# Generated logs: the usual forms, with words that are sometimes not usual, then mutated.

WORDS = st.text(alphabet=st.sampled_from("abz09 -_.비比"), max_size=8) | st.text(
    alphabet=st.sampled_from("abz09 -_.,:#'\"[]{}&*!|>%@`?비比"), max_size=8
)
"""Mostly words of the usual kind; some with anything YAML reads as an indicator."""


@st.composite
def value(draw: st.DrawFn) -> str:  # noqa: PLR0911 - one return a form
    form = draw(st.sampled_from(["plain", "dq", "sq", "folded", "list", "map", "cites"]))
    words = draw(WORDS)
    if form == "plain":
        return words
    if form == "dq":
        return f'"{words}"'
    if form == "sq":
        return f"'{words}'"
    if form == "folded":
        lines = draw(st.lists(WORDS, min_size=0, max_size=3))
        return ">-" + "".join(f"\n      {line}" for line in lines)
    if form == "list":
        return "[" + ", ".join(draw(st.lists(WORDS, max_size=3))) + "]"
    if form == "map":
        pairs = draw(st.lists(st.tuples(WORDS, WORDS), max_size=3))
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    cites = draw(
        st.lists(st.tuples(st.sampled_from(["s1", "s2", "x"]), st.integers(0, 12)), max_size=2)
    )
    return "[" + ", ".join(f"{{source: {s}, line: {n}}}" for s, n in cites) + "]"


FIELDS = {
    "sources": ["id", "publisher", "published", "language", "title", "note", "lines"],
    "entities": ["id", "kind", "name", "names", "aliases", "affiliations", "note"],
    "technologies": ["id", "name", "aliases", "description"],
    "events": [
        "id",
        "kind",
        "date",
        "as_of",
        "according_to",
        "title",
        "summary",
        "entities",
        "technologies",
        "sources",
        "place",
        "date_note",
    ],
}
USUAL = {
    "id": st.sampled_from(["s1", "s2", "e1", "e2", "t1", "x-1"]),
    "title": st.sampled_from(["A title", "'A title'", "비야디 比亚迪"]),
    "kind": st.sampled_from(["company", "person", "event", "state", "plan", "statement"]),
    "date": st.sampled_from(['"2018"', "2018-03", "2017/2018", "'2019-02-30'"]),
    "as_of": st.sampled_from(['"2020"', "2016", "2019-06-01"]),
    "according_to": st.sampled_from(["source", "e1", "e2", "Source"]),
    "published": st.sampled_from(['"2018-03-28"', "2018"]),
    "language": st.just("ko"),
    "lines": st.sampled_from(["12", "0"]),
    "entities": st.sampled_from(["[e1]", "[e1, e2]", "[]", "[e1, e1]", "[e1, s1]"]),
    "technologies": st.sampled_from(["[t1]", "[]", "[t1, e1]"]),
    "affiliations": st.sampled_from(["[e1]", "[e2]"]),
    "sources": st.sampled_from(
        ["[{source: s1, line: 3}]", "[{source: s2, line: 1}, {source: s1, line: 9}]"]
    ),
    "place": st.sampled_from(["Beijing", '"Hong Kong"']),
    "date_note": st.just(">-\n      a note"),
    "summary": st.sampled_from([">-\n      A summary\n      of two lines", '"A summary"']),
    "names": st.sampled_from(["{ko: 비야디, zh: 比亚迪}", "{en: x}"]),
}


@st.composite
def record(draw: st.DrawFn, section: str) -> str:
    keys = draw(st.lists(st.sampled_from(FIELDS[section]), min_size=1, max_size=6, unique=True))
    if "id" not in keys and draw(st.booleans()):
        keys.insert(0, "id")
    if section == "events" and draw(st.booleans()):  # all that an event needs, often
        keys += [key for key in ("id", "title", "summary", "sources") if key not in keys]
    lines = []
    for key in keys:
        usual = USUAL.get(key)
        shown = draw(usual) if usual is not None and draw(st.integers(0, 3)) else draw(value())
        lines.append(f"{key}: {shown}")
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["# a comment", "", "  # deeper"])))
    return "  - " + "\n    ".join(lines) + "\n"


@st.composite
def log(draw: st.DrawFn) -> str:
    parts = [draw(st.sampled_from(["", "# a log\n", "# a\n\n"]))]
    parts.append(draw(st.sampled_from(["schema: 2\n", "schema: 1\n"])))
    for section in draw(st.permutations(list(FIELDS))):  # events first, too
        records = draw(
            st.lists(record(section), min_size=0 if section != "events" else 1, max_size=3)
        )
        if records:
            parts.append(f"\n{section}:\n" + draw(st.sampled_from(["", "  # c\n"])))
            parts += records
    return "".join(parts)


@st.composite
def usual_log(draw: st.DrawFn) -> str:
    """A log of events written the usual way, most of them good: every event has what an
    event needs, and some of the other fields, in any order."""
    events = []
    for _ in range(draw(st.integers(1, 6))):
        optional = [key for key in FIELDS["events"] if key not in ("id", "title", "summary")]
        keys = ["id", "title", "summary", "sources"]
        keys += draw(st.lists(st.sampled_from(optional), max_size=5, unique=True))
        keys = list(dict.fromkeys(draw(st.permutations(keys))))
        lines = [f"{key}: {draw(USUAL[key])}" for key in keys]
        events.append("  - " + "\n    ".join(lines) + "\n")
    head = "schema: 2\nsources:\n  - id: s1\n    publisher: P\n    published: 2018\n"
    head += "    language: en\nentities:\n  - id: e1\n    kind: person\n    name: E\n"
    return head + "events:\n" + "".join(events)


TEXTS = st.sampled_from(
    ["e1", "s1", "x-1", "2018", "2018-03", "2017/2018", "2019-02-30", "A title", "plan", "null"]
) | st.sampled_from(["~", "", " ", "비야디 比亚迪", "a: b", "a #b", "a:", "-x", "source", "C# (x)"])
TEXTS |= WORDS
"""A value's text: usual, bad, or anything YAML reads as an indicator."""
ITEMS = st.sampled_from(["e1", "s1", "x", "null", "a b", "E1", "t1"]) | WORDS
CITED = st.sampled_from(["source: s1, line: 3", "source: s2, line: 1", "line: 3, source: s1"])
CITED |= st.sampled_from(["source: s1, line: 0", "source: s1", "source: S, line: 2", "a: b"])
FORMS = {key: ["plain", "dq", "sq", "folded"] * 3 + ["list"] for key in FIELDS["events"]}
FORMS.update({key: ["list"] * 6 + ["plain"] for key in ("entities", "technologies", "sources")})
GOOD_TEXT = {
    "kind": st.sampled_from(["event", "plan", "statement"]),
    "date": st.sampled_from(["2018", "2018-03", "2017/2018", "2019-02-28"]),
    "as_of": st.just("2020"),
    "according_to": st.sampled_from(["source", "e1"]),
    "entities": st.sampled_from(["e1", "e1, s1", ""]),
    "technologies": st.just(""),
    "sources": st.sampled_from(
        ["{source: s1, line: 3}", "{source: s1, line: 3}, {source: s1, line: 4}"]
    ),
}
"""Good values (the others: any words will do)."""


@st.composite
def written(draw: st.DrawFn, key: str, form: str, good: bool) -> str:
    """A value of `key` written in `form`: a good one, or any."""
    if good:
        text = draw(GOOD_TEXT.get(key, st.sampled_from(["A title", "비야디 比亚迪", "C# (x)"])))
        if form == "list":
            return f"[{text}]"
    elif form == "list" and key == "sources":
        return "[" + ", ".join("{" + c + "}" for c in draw(st.lists(CITED, max_size=3))) + "]"
    elif form == "list":
        return "[" + ", ".join(draw(st.lists(ITEMS, max_size=3))) + "]"
    else:
        text = draw(TEXTS)
    if form == "folded":
        margin = "\n" + " " * draw(st.sampled_from([6, 6, 8]))
        lines = [text] if good else draw(st.lists(TEXTS, max_size=3))
        return ">-" + "".join(margin + line for line in lines)
    return {"plain": text, "dq": f'"{text}"', "sq": f"'{text}'", "list": f"[{text}]"}[form]


@st.composite
def shaped_log(draw: st.DrawFn) -> str:
    """Events of a few layouts (keys in order, each written one way), each layout met several
    times with other values: after the first of a layout, the others are matched by its
    pattern (fastread.Shape), whatever their values."""
    layouts = []
    for _ in range(draw(st.integers(1, 3))):
        optional = [key for key in FIELDS["events"] if key not in ("id", "title", "summary")]
        keys = ["id", "title", "summary", "sources"]
        keys += draw(st.lists(st.sampled_from(optional), max_size=4, unique=True))
        keys = list(dict.fromkeys(draw(st.permutations(keys))))
        layouts.append([(key, draw(st.sampled_from(FORMS[key]))) for key in keys])
    events = []
    for n in range(draw(st.integers(2, 8))):
        layout = draw(st.sampled_from(layouts))
        good = draw(st.integers(0, 3)) > 0  # all the event's values good, or some
        lines = []
        for key, form in layout:
            value = draw(written(key, form, good or draw(st.booleans())))
            if key == "id" and draw(st.integers(0, 5)):
                value = f"e{n + 2}"
            lines.append(f"{key}: {value}")
        after = draw(st.sampled_from(["", "", "", "\n", "  # a comment\n", "\n\n"]))
        events.append("  - " + "\n    ".join(lines) + "\n" + after)
    head = "schema: 2\nsources:\n  - id: s1\n    publisher: P\n    published: 2018\n"
    head += "    language: en\nentities:\n  - id: e1\n    kind: person\n    name: E\n"
    return head + "events:\n" + "".join(events)


EXAMPLES = settings(
    max_examples=int(os.environ.get("CNBLOCK_FASTREAD_EXAMPLES", "400")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
"""The examples each property below tries (CNBLOCK_FASTREAD_EXAMPLES for more)."""


@EXAMPLES
@given(usual_log())
def test_a_log_of_usual_events_loads_the_same_quickly_and_generally(text):
    seen, fast, slow = both(text)
    assert fast == slow
    hypothesis.event(f"events read without nodes: {seen.without_nodes > 0}")
    hypothesis.event(
        f"all events read without nodes: {seen.without_nodes == 2 * text.count('  - id: ') - 4}"
    )


@EXAMPLES
@given(shaped_log())
def test_a_log_of_events_of_a_few_layouts_loads_the_same_quickly_and_generally(text):
    seen, fast, slow = both(text)
    assert fast == slow
    hypothesis.event(f"events read from a layout's match: {seen.shaped > 0}")
    hypothesis.event(f"a layout's match not read from it: {seen.matched > seen.shaped}")


@EXAMPLES
@given(log())
def test_a_generated_log_loads_the_same_quickly_and_generally(text):
    seen, fast, slow = both(text)
    assert fast == slow
    hypothesis.event(f"read quickly: {seen.accepted[0]}; records read quickly: {seen.quick > 0}")
    hypothesis.event(f"events read without nodes: {seen.without_nodes > 0}")
    read = nodes(text)
    if read is not None:  # then yamlnodes reads the whole file too, into the same nodes
        assert read[0] == read[1]


@EXAMPLES
@given(st.data())
def test_a_mutated_log_loads_the_same_quickly_and_generally(data):
    text = data.draw(
        log()
        | usual_log()
        | shaped_log()
        | st.sampled_from([(DATA / "valid.yaml").read_text("utf-8")])
    )
    text = mutate(data.draw, text)
    _, fast, slow = both(text)
    assert fast == slow


def test_an_events_only_schema_1_file_after_a_schema_2_file_keeps_to_its_schema(run, tmp_path):
    """Regression (review): `validate a.yaml b.yaml`, b a schema 1 file of events alone,
    said ok to a schema 2 date in b."""
    sources = "sources:\n  - id: s\n    publisher: P\n    published: 2018\n    language: en\n"
    (tmp_path / "a.yaml").write_text("schema: 2\n" + sources, "utf-8")
    events = EVENTS_FIRST.format(fields="date: 2017/2018").split("sources:\n  - id: s")[0]
    (tmp_path / "b.yaml").write_text(events, "utf-8")
    result = run(
        "--no-cache", "--no-shipped", "validate", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")
    )
    assert result.exit_code == 1, result.output
    assert "b.yaml:4:11: error: an interval date is a schema 2 field" in result.output


def test_a_file_of_more_problems_than_are_held_back_is_left_to_yamlnodes(monkeypatch):
    """Problems found here are held until the file is read (it may yet be left to yamlnodes):
    past MOST_HELD the file goes to yamlnodes, which reports each as found, in bounded memory."""
    monkeypatch.setattr(fastread, "MOST_HELD", 3)
    text = with_form("place: x") + "".join(
        f"  - id: e{n}\n    title: T\n    summary: S\n    sources: [{{source: s1, line: 1}}]\n"
        f"    odd: {n}\n"
        for n in range(2, 8)
    )
    seen, fast, slow = both(text)
    assert seen.accepted == [False, False]  # with a sink and without
    assert fast == slow
    assert sum("unknown key 'odd'" in p.message for p in fast[1]) == 6


def test_a_reviewers_hand_written_cases_load_the_same_quickly_and_generally():
    """The 2,102 cases of a reviewer's differential read (tests/fastread_cases.py): YAML's
    subtleties in every field, citation forms, blocks, structure. Nine differed before 63d33c6
    (schema 1 with events first, keys longer than libyaml allows)."""
    differing = []
    for label, text in fastread_cases.every_case():
        _, fast, slow = both(text)
        read = nodes(text)
        if fast != slow or (read is not None and read[0] != read[1]):
            differing.append(label)
    assert differing == []
