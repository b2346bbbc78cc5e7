"""A quick reader for the shape a log has: text -> the reader's nodes, without PyYAML.

A large log is thousands of records written the same few ways: `key: plain words`,
`key: "quoted"`, `key: >-` and a few plain lines, `key: [a, b]`, `key: [{source: x, line: 3}]`.
This module reads a file of that shape straight from its text into the nodes yamlnodes would
make of it (yamlnodes.Scalar, Seq, Map: the same values, the same positions), and hands each
record to the loader as yamlnodes' `on_item` hook does; the loader then reads it as any other.
Most events skip the nodes: the loader reads them from their fields (`Builder.quick`), and
once an event of a layout (its keys in order, each written one way) is read, every later event
of that layout from one match of a pattern made for it (Shape, `Builder.shaped`). What the
loader would not read as good it leaves, and that event is read a line at a time, into nodes.

It reads only what it is sure of. The file's top level must be `schema: 1` or `schema: 2`
first, then the four sections, once each, each a list of `  - ` items; comments and blank
lines between them. A record written in any other way (anything unusual in a value, a comment
in a block, an anchor, a multi-line flow list ...) is read by yamlnodes, the record alone with
every record next to it that is also unusual, from the file's own lines (the lines before
them blank, so that every position is the file's). Anything unusual at the top level, or a
record yamlnodes cannot read alone, and the whole file is read by yamlnodes instead: `read`
says False, having reported nothing (the problems of a file are held back until it is read).
"""

from __future__ import annotations

import itertools
import re
import sys
from typing import Any, NamedTuple, Protocol

from cnblock import yamlnodes
from cnblock.errors import DataError, Location, Problem, ProblemSink
from cnblock.yamlnodes import Map, Node, Scalar, Scalars, Seq

_SECTIONS = ("sources", "entities", "technologies", "events")

_new = tuple.__new__  # a Scalar or Location without their Python-level __new__

_KEY = re.compile(r"[a-z][a-z0-9_]*")
"""A key as the quick reader takes it (any other key: yamlnodes reads the record)."""
_WORD = r"[^\W_][\w.-]*(?: [^\W_][\w.-]*)*"
"""A plain word or words in a flow list or mapping: letters, digits, `_.-`, single spaces;
nothing YAML reads as an indicator, nothing to trim."""
_WORDS = re.compile(f"(?:{_WORD}(?:, {_WORD})*)?")
"""The inside of a flow list of plain words (_WORD), checked at once."""
_PAIRS = re.compile(f"{_WORD}: {_WORD}(?:, {_WORD}: {_WORD})*")
"""The inside of a flow mapping of plain words, checked at once."""
_NOT_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@` ")
"""What a plain value may not start with (YAML's indicators, a space)."""

_BOUNDARY = re.compile(rb"\n(?=  - |[^ \n#])")
"""Where a record or a top-level line starts (after the line break)."""

SCALAR, WORDS, MAPPINGS, PAIRS = range(4)
"""The kinds of a record's field as read here: a scalar (its yamlnodes.Scalar), a flow list of
plain words ((col, [word, ...], [col, ...], the text inside the brackets)), a flow list of
flow mappings ((col, [(col, pairs),
...])), a flow mapping ((col, pairs)); a pair is (key, col, value, col), every one on the
field's line."""
Pair = tuple[str, int, str, int]
Field = tuple[str, int, int, Any]
"""A record's field: its key, its line, its kind, its value (see SCALAR)."""

MOST_HELD = 2000
"""Problems held back while a file is read here (they are reported once it is read); a file
with more is read by yamlnodes, which hands each to the loader's sink as it finds it."""
LONGEST_KEY = 1000
"""A longer key is left to yamlnodes: libyaml refuses a key of more than 1,024 characters
(a syntax error, worded and placed as libyaml does)."""
RUN_SHARE = 16
"""Unusual records next to each other (or one record) may hold at most 1/RUN_SHARE of the
file (or 64 KiB), else yamlnodes reads the whole file: read apart, they would be held several
times over (as text, as its copy for the parser), and memory would no longer follow the file
(tests/test_limits.py)."""
PADDING_SLACK = 10_000
"""Blank lines put before unusual records, past twice the file's lines, that make yamlnodes
read the whole file instead: reading many unusual records apart would cost more."""


MOST_SHAPES = 16
"""The layouts of events learnt in a file (see Shape): an event of a layout learnt is read with
one match of its pattern; past this many, any other layout is read a line at a time."""

PLAIN, DOUBLE, SINGLE, FOLDED, LISTED = range(5)
"""How a field of a Shape is written: a plain scalar, a double- or single-quoted one, a `>-`
block, a flow list (of words, or of flow mappings of words)."""
_RUN = "++" if sys.version_info >= (3, 11) else ""
"""Python 3.11 reads `x++` and `(...)*+`, runs never given back: the same matches (what
follows each run cannot start with what the run takes), found a third sooner. Before 3.11
the runs are of one character each, so that a failing match does not try every way of
cutting the run (a `(a+)*` that would take time exponential in the line's length)."""
_STAR = "*+" if _RUN else "*"
_VALUES = {
    PLAIN: (
        "((?![" + re.escape("".join(sorted(_NOT_FIRST))) + "])"  # no indicator first
        rf"(?:[^\n: ]{_RUN}|:(?! )| (?!#)){_STAR}"  # no ': ', no ' #'
        r"(?<![: ]))"  # no ':' or space last, and not empty
    ),
    DOUBLE: r'"([^"\\\n]*)"',
    SINGLE: r"'([^'\n]*)'",
    LISTED: (
        rf"\[((?:{_WORD}(?:, {_WORD})*)?"  # words, or mappings of words
        rf"|\{{{_PAIRS.pattern}\}}(?:, \{{{_PAIRS.pattern}\}})*)\]"
    ).replace("*", _STAR),
}
"""The text of a value as `record` reads it, each written one way, as one group."""
_FOLDED_LINE = rf"[^ \n][^\n]{_STAR}(?<! )"
"""A line of a `>-` block after its margin: not more indented, no trailing space."""


class Shape(NamedTuple):
    """The layout of an event read here: its keys in order, how each is written (PLAIN ...),
    and the margin of a `>-` block. `pattern` matches records of that layout, one group a
    field's text, each written as `record` reads it, but for one thing: a flow mapping that
    repeats a key, which `record` leaves to yamlnodes (the builder's `shaped` says no to it)."""

    pattern: re.Pattern[str]
    layout: tuple[tuple[str, int, str], ...]
    """(key, form, margin) a field; the margin of a FOLDED field is a line break and the
    spaces before each of its lines."""


def _shape(chunk: str, line: int, fields: list[Field]) -> Shape | None:
    """The Shape of a record that `record` read from `chunk` into `fields` (None if a field is
    a flow mapping: no event's field is one)."""
    lines = chunk.split("\n")
    layout = []
    parts: list[str] = []
    for key, here, kind, _ in fields:
        written = lines[here - line][len(key) + 6 :]  # after '    key: '
        margin = ""
        if kind == PAIRS:
            return None
        if kind != SCALAR:
            form = LISTED
        elif written[:1] == '"':
            form = DOUBLE
        elif written[:1] == "'":
            form = SINGLE
        elif written == ">-":
            form = FOLDED
            block = lines[here - line + 1]
            margin = "\n" + " " * (len(block) - len(block.lstrip(" ")))
        else:
            form = PLAIN
        layout.append((key, form, margin))
        value = (
            f">-({margin}{_FOLDED_LINE}(?:{margin}{_FOLDED_LINE})*)"
            if form == FOLDED
            else _VALUES[form]
        )
        parts.append(("    " if parts else "  - ") + f"{re.escape(key)}: {value}")
    # blank lines may follow (a comment: `record` reads the record)
    return Shape(re.compile("\n".join(parts) + "\n*"), tuple(layout))


class Builder(Protocol):
    """What `read` needs of the loader's builder (loader._Builder)."""

    report: ProblemSink

    def stream(self, key: str, item: Node, top: Map) -> bool: ...

    def quick(self, section: str, path: str, line: int, fields: list[Field]) -> bool: ...

    def shaped(self, shape: Shape, found: re.Match[str], path: str, line: int) -> bool: ...

    def add_file(self, root: Node | None, path: str) -> None: ...

    def abandon_file(self) -> None: ...

    def begin_file(self) -> None: ...


class _Layouts:
    """The layouts of the events of a file read in full so far (Shape), the last matched
    first."""

    def __init__(self) -> None:
        self.shapes: list[Shape] = []
        self.seen: set[tuple[tuple[str, int, str], ...]] = set()

    def match(self, chunk: str) -> tuple[Shape, re.Match[str]] | None:
        """The shape whose pattern matches `chunk`, and the match."""
        shapes = self.shapes
        for i, shape in enumerate(shapes):
            found = shape.pattern.fullmatch(chunk)
            if found is not None:
                if i:
                    shapes.insert(0, shapes.pop(i))
                return shape, found
        return None

    def learn(self, chunk: str, line: int, fields: list[Field]) -> None:
        """Learn the layout of an event `record` read (until MOST_SHAPES are learnt)."""
        if len(self.seen) < MOST_SHAPES:
            shape = _shape(chunk, line, fields)
            if shape is not None and shape.layout not in self.seen:
                self.seen.add(shape.layout)
                self.shapes.append(shape)


class _DeclinedError(Exception):
    """The file is not of the shape read here: yamlnodes reads it."""


def read(text: list[str], path: str, builder: Builder, keep: yamlnodes.Keep) -> bool:
    """Read a data file of the usual shape into `builder`, as yamlnodes.parse would with the
    builder's hooks; False (nothing reported, nothing added) if the file is not of that shape.
    DataError, as yamlnodes.parse, for a character refused anywhere (the pre-scan).

    `text` holds the file's text: it is taken out while the file is read here (only its UTF-8
    is kept: a log with any Korean in it is two bytes a character as text), and put back when
    the file is not read here, for yamlnodes to read."""
    if yamlnodes._Loader is not None:  # a parser chosen by a test: it reads every file
        return False
    yamlnodes._prescan(text[0], path)
    if any(char in text[0] for char in ("\r", "\ufeff", "\t")):
        return False
    data = text.pop().encode("utf-8")
    held: list[Problem] = []

    def hold(problem: Problem) -> None:
        if len(held) >= MOST_HELD:
            raise _DeclinedError  # yamlnodes reports as it finds, in bounded memory
        held.append(problem)

    report, builder.report = builder.report, hold
    try:
        _Reading(data, path, builder, keep).read()
    except _DeclinedError:
        builder.abandon_file()
        builder.begin_file()
        text.append(data.decode("utf-8"))
        return False
    finally:
        builder.report = report
    for problem in held:
        report(problem)
    return True


def _blank_or_comment(line: str) -> bool:
    stripped = line.lstrip(" ")
    return not stripped or stripped[0] == "#"


class _Reading:
    """One file's reading (see `read`)."""

    def __init__(self, data: bytes, path: str, builder: Builder, keep: yamlnodes.Keep):
        self.data, self.path, self.builder, self.keep = data, path, builder, keep
        self.top = Map(Location(path, 1, 1))
        self.section: str | None = None  # the section being read, and its list (None
        self.items: Seq | None = None  # until its first record)
        self.key: Scalar | None = None  # the section's key
        self.run: tuple[int, int, int] | None = None  # unusual records: start, end, line
        self.padding = 0  # the blank lines put before unusual records so far
        self.most_padding = 2 * data.count(b"\n") + PADDING_SLACK
        self.most_run = max(65_536, len(data) // RUN_SHARE)

    def starts(self) -> list[int]:
        """Where each record and top-level line starts, and where the file ends."""
        data = self.data
        starts = [m.end() for m in _BOUNDARY.finditer(data)]
        first = starts[0] if starts else len(data)
        if data[:1] not in (b"", b" ", b"\n", b"#"):
            starts.insert(0, 0)  # the file starts with a top-level line
        elif not all(map(_blank_or_comment, data[:first].decode("utf-8").split("\n"))):
            raise _DeclinedError
        else:
            starts.insert(0, first)
        starts.append(len(data))
        return starts

    def read(self) -> None:  # noqa: PLR0912 - the loop over the file's records
        data = self.data
        starts = self.starts()
        line = data.count(b"\n", 0, starts[0]) + 1
        record, stream, quick = self.record, self.builder.stream, self.builder.quick
        shaped = self.builder.shaped
        path, most_run, section = self.path, self.most_run, self.section
        layouts = _Layouts()
        for start, end in itertools.pairwise(starts):
            if start == end:
                continue
            if end - (start if self.run is None else self.run[0]) > most_run:
                raise _DeclinedError  # a record, or unusual records, too large to read apart
            chunk = data[start:end].decode("utf-8")
            if chunk.startswith("  - "):
                if section is None:
                    raise _DeclinedError
                if self.items is None:
                    self.items = Seq(_new(Location, (path, line, 3)))
                    assert self.key is not None
                    self.top.items[section] = (self.key, self.items)
                # an event of a layout learnt, read from its match (after unusual records, it
                # may be one of them: a flow mapping that repeats a key matches the pattern;
                # then it is read a line at a time, to join them)
                usual = section == "events" and self.run is None
                matched = layouts.match(chunk) if usual else None
                if matched is not None and shaped(*matched, path, line):
                    line += chunk.count("\n")
                    continue
                fields = record(chunk, line)
                if fields is None:  # yamlnodes reads it, with any unusual records next to it
                    if self.run is None:
                        self.run = (start, end, line)
                    else:
                        self.run = (self.run[0], end, self.run[2])
                else:
                    if self.run is not None:
                        self.flush()  # the unusual records before it first
                    if not quick(section, path, line, fields):
                        stream(section, self.nodes(fields, line), self.top)
                    elif matched is None and section == "events":
                        layouts.learn(chunk, line, fields)  # the next of its layout: shaped
            else:
                self.flush()
                self.top_line(chunk, line)
                section = self.section
            line += chunk.count("\n")
        self.flush()
        self.end_section()
        if "schema" not in self.top.items:
            raise _DeclinedError
        self.builder.add_file(self.top, self.path)

    def top_line(self, chunk: str, line: int) -> None:
        """`schema: 1` or `schema: 2` first, then a section's key, each once, alone."""
        first, *rest = chunk.split("\n")
        if not all(map(_blank_or_comment, rest)):
            raise _DeclinedError
        path = self.path
        if first in ("schema: 1", "schema: 2") and not self.top.items:
            self.top = Map(_new(Location, (path, line, 1)))
            self.top.items["schema"] = (
                _new(Scalar, ("schema", line, 1, True, path)),
                _new(Scalar, (first[8:], line, 9, True, path)),
            )
            return
        key = first[:-1]
        if not (first.endswith(":") and key in _SECTIONS and self.top.items):
            raise _DeclinedError
        if key in self.top.items or key == self.section:
            raise _DeclinedError  # a duplicate key
        self.end_section()
        self.section, self.items = key, None
        self.key = _new(Scalar, (key, line, 1, True, path))

    def end_section(self) -> None:
        if self.section is not None and self.items is None:
            raise _DeclinedError  # an empty section (its value is null)

    def flush(self) -> None:
        """Read the unusual records waiting, with yamlnodes: their own lines, after as many
        blank lines as come before them and their section's key."""
        if self.run is None:
            return
        start, end, line = self.run
        self.run = None
        self.padding += line
        if self.padding > self.most_padding:
            raise _DeclinedError  # so many that reading the file whole is quicker
        assert self.section is not None
        top, stream = self.top, self.builder.stream

        def item(key: str, node: Node, _: Map) -> bool:
            return stream(key, node, top)  # the file's top level, with its schema

        fragment = "\n" * (line - 2) + self.section + ":\n" + self.data[start:end].decode("utf-8")
        try:
            yamlnodes.parse(fragment, self.path, item, self.builder.report, self.keep)
        except DataError:
            raise _DeclinedError from None

    def record(self, chunk: str, line: int) -> list[Field] | None:  # noqa: PLR0911, PLR0912
        """A record's fields (see Field), if it is written in the usual way; else None."""
        if " \n" in chunk or chunk.endswith(" "):
            return None  # trailing spaces (and lines of spaces)
        lines = chunk.split("\n")
        if lines[-1] == "":
            lines.pop()
        lines[0] = "    " + lines[0][4:]
        if not _KEY.match(lines[0], 4):
            return None  # a record begins with its first key
        path = self.path
        fields: list[Field] = []
        keys: set[str] = set()
        count = len(lines)
        i = 0
        while i < count:
            text = lines[i]
            here = line + i
            i += 1
            body = text[4:]
            if text[:4] != "    " or body[:1] in ("", " ", "#"):
                if _blank_or_comment(text):
                    continue
                return None
            key, colon, rest = body.partition(": ")
            if not colon or key in keys or len(key) > LONGEST_KEY or not _KEY.fullmatch(key):
                return None
            keys.add(key)
            col = len(key) + 7  # where the value starts (1-based)
            first = rest[0]
            if first == '"':
                inner = rest[1:-1]
                if len(rest) < 2 or rest[-1] != '"' or '"' in inner or "\\" in inner:
                    return None
                fields.append((key, here, SCALAR, _new(Scalar, (inner, here, col, False, path))))
            elif first == "'":
                inner = rest[1:-1]
                if len(rest) < 2 or rest[-1] != "'" or "'" in inner:
                    return None
                fields.append((key, here, SCALAR, _new(Scalar, (inner, here, col, False, path))))
            elif first == "[":
                listed = _flow_list(rest, col)
                if listed is None:
                    return None
                fields.append((key, here, *listed))
            elif first == "{":
                pairs = _flow_map(rest, col)
                if pairs is None:
                    return None
                fields.append((key, here, PAIRS, (col, pairs)))
            elif rest == ">-":
                folded = _folded(lines, i)
                if folded is None:
                    return None
                value, i = folded
                fields.append((key, here, SCALAR, _new(Scalar, (value, here, col, False, path))))
            elif first in _NOT_FIRST or ": " in rest or " #" in rest or rest[-1] == ":":
                return None
            else:
                fields.append((key, here, SCALAR, _new(Scalar, (rest, here, col, True, path))))
        return fields

    def nodes(self, fields: list[Field], line: int) -> Map:
        """The record of `fields` (at `line`) as yamlnodes makes it."""
        path = self.path
        items: dict[str, tuple[Scalar, Node]] = {}
        for key, here, kind, value in fields:
            node: Node
            if kind == SCALAR:
                node = value
            elif kind == PAIRS:
                node = self.mapping(here, *value)
            else:
                col, listed = value[:2]
                node = Seq(_new(Location, (path, here, col)))
                if kind == WORDS:
                    words = node.items
                    assert isinstance(words, Scalars)  # a list of scalars, kept compact
                    for word, at in zip(listed, value[2], strict=True):
                        words.add(word, here, at, True)
                else:  # mappings: a list that is not all scalars (as Seq.append keeps it)
                    node.items = [self.mapping(here, at, pairs) for at, pairs in listed]
            items[key] = (_new(Scalar, (key, here, 5, True, path)), node)
        record = Map(_new(Location, (path, line, 5)))
        record.items = items
        return record

    def mapping(self, line: int, col: int, pairs: list[Pair]) -> Map:
        path = self.path
        node = Map(_new(Location, (path, line, col)))
        node.items = {
            key: (
                _new(Scalar, (key, line, at, True, path)),
                _new(Scalar, (value, line, value_at, True, path)),
            )
            for key, at, value, value_at in pairs
        }
        return node


def _folded(lines: list[str], i: int) -> tuple[str, int] | None:
    """A `>-` block from lines[i], of lines of one indentation deeper than its key's: its value
    (the lines joined by spaces) and the index of the line after it."""
    if i >= len(lines):
        return None
    first = lines[i]
    indent = len(first) - len(first.lstrip(" "))
    if indent < 5 or indent == len(first):
        return None
    margin = " " * indent
    parts = []
    end = i
    for text in lines[i:]:
        if text.startswith(margin):
            if text[indent : indent + 1] == " ":
                return None  # a more indented line is not folded
            parts.append(text[indent:])
            end += 1
            continue
        if text == "":  # the block ends: the next line that is not blank is not of it
            after = next((x for x in lines[end:] if x), "")
            if after.startswith(margin):
                return None
        break
    return " ".join(parts), end


def _flow_list(rest: str, col: int) -> tuple[int, Any] | None:
    """`[a, b]` of plain words (WORDS), or `[{k: v, ...}, ...]` of flow mappings of them
    (MAPPINGS): the kind, and (col, its items with where each starts)."""
    if rest[-1] != "]":
        return None
    inner = rest[1:-1]
    at = col + 1
    if inner.startswith("{"):
        if not inner.endswith("}"):
            return None
        maps = []
        for part in inner[1:-1].split("}, {"):
            pairs = _flow_map("{" + part + "}", at)
            if pairs is None:
                return None
            maps.append((at, pairs))
            at += len(part) + 4
        return MAPPINGS, (col, maps)
    if not _WORDS.fullmatch(inner):
        return None
    words = inner.split(", ") if inner else []
    cols = []
    for word in words:
        cols.append(at)
        at += len(word) + 2
    return WORDS, (col, words, cols, inner)


def _flow_map(rest: str, col: int) -> list[Pair] | None:
    """`{k: v, ...}` of plain words: (key, where, value, where) each."""
    if rest[-1] != "}":
        return None
    inner = rest[1:-1]
    if not _PAIRS.fullmatch(inner):
        return None
    pairs = []
    keys = set()
    at = col + 1
    for pair in inner.split(", "):
        key, _, value = pair.partition(": ")
        if key in keys or len(key) > LONGEST_KEY:
            return None
        keys.add(key)
        pairs.append((key, at, value, at + len(key) + 2))
        at += len(pair) + 2
    return pairs
