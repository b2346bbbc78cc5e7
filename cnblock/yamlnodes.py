"""A safe, position-keeping YAML reader: text -> a tree of Scalar, Seq and Map nodes.

It builds the tree from PyYAML's event stream (libyaml's when present) instead of `yaml.load`:
nothing is constructed or executed, every scalar keeps its raw text (`2018-03-28` stays a
string, `no` is not False), duplicate keys are reported at the second key, anchors, aliases and
tags are refused where they stand, and nesting is capped without recursion.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from cnblock.errors import DataError, Location, Problem, ProblemSink

MAX_DEPTH = 32

_Loader: type[Any] | None = None
"""The parser class, chosen on first use: PyYAML is imported only when a file is parsed (a
command answered from the cache never needs it)."""

if TYPE_CHECKING:
    import yaml

NULLS = frozenset(("", "~", "null", "Null", "NULL"))
"""The plain texts YAML reads as null (an empty value among them)."""


class Scalar(tuple[str, int, int, bool, str]):
    """A scalar's raw text and where it starts: the tuple (value, line, col, plain, path).
    The reader makes one for every value of a file, and a tuple costs a fraction of an object
    with attributes; its Location is made only when asked for. (The loader's hot paths index
    it: node[0] is the value, node[3] whether it was written plain.)"""

    __slots__ = ()

    def __new__(cls, value: str, loc: Location, plain: bool = True) -> Scalar:
        return tuple.__new__(cls, (value, loc.line, loc.col, plain, loc.path))

    @property
    def value(self) -> str:
        return self[0]

    @property
    def plain(self) -> bool:
        return self[3]

    @property
    def loc(self) -> Location:
        return _new_location(Location, (self[4], self[1], self[2]))

    @property
    def is_null(self) -> bool:
        return self[3] and self[0] in NULLS


class _Sink(list[Any]):
    """The items of a hollow list: whatever is appended is let go."""

    __slots__ = ()

    def append(self, item: Any) -> None:
        pass


_HOLLOW: list[Any] = _Sink()


class Scalars(Sequence[Scalar]):
    """The items of a list while each is a scalar, kept compact: the texts, and the positions
    packed as errors.Where keeps them (line << 32 | col) in one array, not a Scalar and a line
    number each. A list of a million names costs what its names cost, and a few bytes a name.
    Each Scalar is made when it is asked for (iteration makes one at a time)."""

    __slots__ = ("at", "path", "plain", "values")

    def __init__(self, path: str):
        self.path = path
        self.values: list[str] = []
        self.at = array("Q")
        self.plain = bytearray()

    def add(self, value: str, line: int, col: int, plain: bool) -> None:
        self.values.append(value)
        self.at.append(line << 32 | col)
        self.plain.append(plain)

    def append(self, scalar: Scalar) -> None:
        self.add(scalar[0], scalar[1], scalar[2], scalar[3])

    def __len__(self) -> int:
        return len(self.values)

    def _scalar(self, value: str, at: int, plain: int) -> Scalar:
        return _new_scalar(Scalar, (value, at >> 32, at & 0xFFFFFFFF, bool(plain), self.path))

    @overload
    def __getitem__(self, index: int) -> Scalar: ...
    @overload
    def __getitem__(self, index: slice) -> list[Scalar]: ...
    def __getitem__(self, index: int | slice) -> Scalar | list[Scalar]:
        if isinstance(index, slice):
            return list(map(self._scalar, self.values[index], self.at[index], self.plain[index]))
        return self._scalar(self.values[index], self.at[index], self.plain[index])

    def __iter__(self) -> Iterator[Scalar]:
        return map(self._scalar, self.values, self.at, self.plain)

    def __eq__(self, other: object) -> bool:
        return list(self) == other if isinstance(other, list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


class Seq:
    __slots__ = ("items", "loc")

    def __init__(self, loc: Location, hollow: bool = False):
        self.loc: Location = loc
        self.items: list[Node] | Scalars = _HOLLOW if hollow else Scalars(loc.path)
        """A Scalars while every item is a scalar (the common list), a list once one is not."""

    def append(self, node: Node) -> None:
        """Add an item, whatever it is."""
        items = self.items
        if items.__class__ is Scalars and node.__class__ is not Scalar:
            items = self.items = list(items)
        items.append(node)  # type: ignore[arg-type]  # a Scalar, when items is Scalars

    @property
    def hollow(self) -> bool:
        """Whether the reader let its items go (see `Keep`): they are not in `items`."""
        return self.items is _HOLLOW


class Map:
    __slots__ = ("hollow", "items", "loc", "pending")

    def __init__(self, loc: Location, hollow: bool = False):
        self.loc: Location = loc
        self.items: dict[str, tuple[Scalar, Node]] = {}
        self.pending: Scalar | None = None
        self.hollow = hollow
        """Its keys and scalar values are kept (duplicate keys are found in any mapping);
        every list or mapping inside it is hollow too."""


Node = Scalar | Seq | Map

_COMPLEX_KEY = Scalar("", Location("", 0, 0))
"""Stands for a key that was a list or a mapping (already reported): its value is skipped."""


def _error_location(path: str, text: str, exc: yaml.YAMLError) -> Location:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return _within(path, text, mark.line + 1, mark.column + 1)
    position = getattr(exc, "position", 0)  # a ReaderError (the pre-scan finds these first)
    return _at(path, text, position)


def _at(path: str, text: str, position: int) -> Location:
    """The line and column of the character at `position` (an index into `text`)."""
    start = text.rfind("\n", 0, position) + 1
    return Location(path, text.count("\n", 0, position) + 1, position - start + 1)


def _within(path: str, text: str, line: int, col: int) -> Location:
    """A parser's position moved onto the file: libyaml reports the end of a file without a
    final newline on the line after the last; an editor shows the end of the last line."""
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start another
    if line > len(lines):
        line = len(lines)
        col = len(lines[-1]) + 1
    return Location(path, line, min(col, len(lines[line - 1]) + 1))


_UNREADABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]"
"""What cnblock refuses anywhere in a data file: NEL, LS and PS (line breaks that YAML counts
but editors count differently, so that every later position would be off), and every
character YAML does not allow. One class of characters, so that the search is one quick scan.
A carriage return not followed by a line feed is refused too (see _prescan)."""


@functools.cache
def _unreadable(with_cr: bool) -> re.Pattern[str]:
    """_UNREADABLE, with a lone carriage return when the text holds any carriage return.
    (Compiled when a file is first read: a cached run reads none.)"""
    return re.compile("\r(?!\n)|" + _UNREADABLE if with_cr else _UNREADABLE)


_BREAKS = {"\r": "a carriage return (CR)", "\x85": "NEL", "\u2028": "LS", "\u2029": "PS"}


def _prescan(text: str, path: str) -> None:
    """DataError at the first character no position could be trusted past, if any. Found
    here rather than by the parser: libyaml counts its offset in bytes, not characters."""
    found = _unreadable("\r" in text).search(text)
    if found is None:
        return
    char = found.group()
    where = _at(path, text, found.start())
    if char in _BREAKS:
        message = (
            f"a line break other than LF or CRLF ({_BREAKS[char]}, U+{ord(char):04X});"
            " cnblock counts lines as editors do, at line feeds: replace it with a newline"
        )
    else:
        message = f"YAML syntax: character U+{ord(char):04X} is not allowed in a YAML file"
    raise DataError([Problem(where, message)])


def _syntax_message(exc: yaml.YAMLError) -> str:
    import yaml

    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [exc.context, exc.problem]
        return "YAML syntax: " + "; ".join(p for p in parts if p)
    if isinstance(exc, yaml.reader.ReaderError):
        return f"YAML syntax: character {exc.character!r} is not allowed in a YAML file"
    return f"YAML syntax: {exc}"


ItemHook = Callable[[str, Node, Map], bool]
"""Called by `parse` with each finished item of a list that is the value of a top-level key:
the key, the item, and the top-level mapping so far. True means the item is taken: it is not
kept in the tree."""

Keep = Callable[[int, str | None, bool], bool]
"""Asked by `parse` as each list or mapping starts, with its depth (0 for the root), the key
it is the value of (None for a list item or the root) and whether it is a list: False makes
it hollow, its items let go as they are read (a mapping keeps its keys, to find duplicates).
A caller that reads only some of a file's shape says so here, so that what it would never
look at is not kept: memory then follows what is read, not what the file holds. A list or
mapping inside a hollow one, or used as a key, is hollow without asking."""


_EVENTS = {
    "StreamStartEvent": ("start_mark", "end_mark", "encoding"),
    "StreamEndEvent": ("start_mark", "end_mark"),
    "DocumentStartEvent": ("start_mark", "end_mark", "explicit", "version", "tags"),
    "DocumentEndEvent": ("start_mark", "end_mark", "explicit"),
    "AliasEvent": ("anchor", "start_mark", "end_mark"),
    "ScalarEvent": ("anchor", "tag", "implicit", "value", "start_mark", "end_mark", "style"),
    "SequenceStartEvent": ("anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style"),
    "SequenceEndEvent": ("start_mark", "end_mark"),
    "MappingStartEvent": ("anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style"),
    "MappingEndEvent": ("start_mark", "end_mark"),
}
"""PyYAML's events and the arguments each is made with, in order (yaml/events.py)."""


class _Event(BaseException):
    """A parser event as the arguments it was made with (`args`, in the order of _EVENTS).

    libyaml's parser makes each event by calling PyYAML's event class with these arguments,
    and that class's Python-level __init__ then sets them one by one: a third of the time of
    reading a large file. While `parse` reads with it, the names it calls are this class's
    kinds, which keep the arguments as they come (BaseException stores them in C). Events of
    the pure-Python parser are copied into the same form."""

    __slots__ = ()


_KINDS: dict[str, type[_Event]] = {
    name: type(name, (_Event,), {"__slots__": ()}) for name in _EVENTS
}


def _copied(event: Any) -> _Event | None:
    """A PyYAML event in the reader's form (for the pure-Python parser)."""
    if event is None:
        return None
    name = type(event).__name__
    return _KINDS[name](*(getattr(event, field) for field in _EVENTS[name]))


@contextlib.contextmanager
def _kinds_in_place(module: Any) -> Iterator[None]:
    """While inside, libyaml's binding (`module`, yaml._yaml) makes its events as _Events."""
    saved = {name: getattr(module, name) for name in _EVENTS}
    try:
        for name in _EVENTS:
            setattr(module, name, _KINDS[name])
        yield
    finally:
        for name, kind in saved.items():
            setattr(module, name, kind)


def _same(mine: Any, theirs: Any) -> bool:
    if hasattr(theirs, "line"):  # a mark: libyaml's have no equality
        return bool(mine.line == theirs.line and mine.column == theirs.column)
    return bool(mine == theirs)


@functools.cache
def _binding() -> Any:
    """libyaml's binding, if it makes its events through the names of its module with the
    arguments in the order of _EVENTS (checked once, on a small document, against its events
    made the usual way); else None, and the events are copied (_copied) instead."""
    import yaml

    module = sys.modules.get("yaml._yaml")
    parser = getattr(yaml, "CSafeLoader", None)
    if module is None or parser is None or any(not hasattr(module, n) for n in _EVENTS):
        return None
    sample = "a: [b, 'c']\nd: &e !t {f: g}\nh: *e\n"

    def events() -> list[Any]:
        loader = parser(sample)
        try:
            return list(iter(loader.get_event, None))
        finally:
            loader.dispose()

    usual: list[Any] = [_copied(event) for event in events()]
    with _kinds_in_place(module):
        made = events()
    agree = len(made) == len(usual) and all(
        type(m) is type(u) and len(m.args) == len(u.args) and all(map(_same, m.args, u.args))
        for m, u in zip(made, usual, strict=True)
    )
    return module if agree else None


@contextlib.contextmanager
def _events(parser: Any, source: str | bytes) -> Iterator[Iterator[_Event]]:
    """The events of `source` in the reader's form (_Event), from `parser`."""
    import yaml

    binding = _binding() if parser is getattr(yaml, "CSafeLoader", None) else None
    with _kinds_in_place(binding) if binding is not None else contextlib.nullcontext():
        loader = parser(source)
        try:
            get = loader.get_event
            yield iter(get, None) if binding is not None else iter(lambda: _copied(get()), None)
        finally:
            loader.dispose()


def parse(
    text: str,
    path: str,
    on_item: ItemHook | None = None,
    on_problem: ProblemSink | None = None,
    keep: Keep | None = None,
) -> tuple[Node | None, list[Problem]]:
    """Read one YAML document into nodes; return the root (None if empty) and the problems.

    A syntax error or excessive nesting stops the reading and raises DataError; problems that
    leave the tree usable (duplicate keys, aliases, tags) are returned for the caller to join,
    or, with `on_problem`, handed to it as they are found (and not kept).
    With `on_item`, each item of a top-level list is handed over as soon as it is finished (see
    ItemHook), so that a caller can turn it into a record and let its nodes go: the tree of a
    large file then never exists whole. With `keep`, what the caller will not read is let go
    as it is read (see Keep).
    """
    import yaml

    _prescan(text, path)

    tree = _Tree(path, on_item, on_problem, keep)
    # libyaml's parser is several times faster; where the pure one differs: README, "Checking
    # a data file" (syntax errors worded and placed differently; a tab in plain text)
    parser: Any = _Loader or getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    source: str | bytes = text
    if parser is not yaml.SafeLoader:
        # libyaml reads UTF-8, which it would make of the text anyway: made here, the text
        # can go (for a caller that passed it without keeping it, as the loader does), and a
        # large file is not held three times (text, UTF-8, records) at the peak of its load
        source = text.encode("utf-8")
        del text
    try:
        with _events(parser, source) as events:
            tree.read(events)
    except yaml.YAMLError as exc:
        text = source if isinstance(source, str) else source.decode("utf-8")
        raise DataError([Problem(_error_location(path, text, exc), _syntax_message(exc))]) from None
    return (tree.roots[0] if tree.roots else None), tree.problems


_new_location = tuple.__new__  # Location(...) without NamedTuple's Python-level __new__
_new_scalar = tuple.__new__  # Scalar(...) without its __new__, in the reader's loop


class _Tree:
    """Nodes built from parser events, without recursion."""

    def __init__(
        self,
        path: str,
        on_item: ItemHook | None,
        on_problem: ProblemSink | None,
        keep: Keep | None,
    ):
        self.path, self.on_item, self.keep = path, on_item, keep
        self.problems: list[Problem] = []
        self.problem: ProblemSink = on_problem or self.problems.append
        self.stack: list[Seq | Map] = []
        self.roots: list[Node] = []
        self.streamed: dict[int, str] = {}  # id() of the top-level lists handed over by item

    def read(self, events: Iterator[_Event]) -> None:  # noqa: PLR0912, PLR0915 - the hot loop
        """Build the tree from the parser's events. The loop of a large load: the common
        cases (a scalar key or value in a mapping, an item of a list) are written out here,
        with names held locally; anything unusual goes to a method."""
        path, stack, streamed, attach = self.path, self.stack, self.streamed, self.attach
        kinds = _KINDS
        scalar_event, alias_event = kinds["ScalarEvent"], kinds["AliasEvent"]
        seq_start, map_start = kinds["SequenceStartEvent"], kinds["MappingStartEvent"]
        ends = (kinds["SequenceEndEvent"], kinds["MappingEndEvent"])
        document_start = kinds["DocumentStartEvent"]
        for event in events:
            kind = event.__class__
            if kind is scalar_event:
                anchor, tag, _, value, mark, _, style = event.args
                if anchor is not None or (tag is not None and tag != "!"):
                    self.refuse(anchor, tag, Location(path, mark.line + 1, mark.column + 1))
                parent = stack[-1] if stack else None
                if parent.__class__ is Seq and id(parent) not in streamed:
                    run = parent.items
                    if run.__class__ is Scalars:  # a list item, kept compact: commonest
                        run.add(value, mark.line + 1, mark.column + 1, not style)
                        continue
                scalar = _new_scalar(  # libyaml's style is '' when plain, pure's None
                    Scalar, (value, mark.line + 1, mark.column + 1, not style, path)
                )
                if parent.__class__ is Map:
                    key = parent.pending
                    if key is None:
                        parent.pending = scalar  # a key: commonest
                        continue
                    items = parent.items
                    if key is not _COMPLEX_KEY and key[0] not in items:
                        items[key[0]] = (key, scalar)
                        parent.pending = None
                        continue
                elif parent is not None and id(parent) not in streamed:
                    parent.append(scalar)  # type: ignore[union-attr]  # an item of a mixed list
                    continue
                attach(scalar)  # a duplicate key, the value of a complex key, a streamed item
            elif kind in ends:
                ended = stack.pop()
                if streamed:
                    streamed.pop(id(ended), None)
                attach(ended)
            elif kind is map_start or kind is seq_start:
                anchor, tag, _, mark, _, _ = event.args
                here = _new_location(Location, (path, mark.line + 1, mark.column + 1))
                if anchor is not None or (tag is not None and tag != "!"):
                    self.refuse(anchor, tag, here)
                self.start(kind is seq_start, here)
            elif kind is alias_event:
                anchor, mark, _ = event.args
                here = Location(path, mark.line + 1, mark.column + 1)
                self.problem(
                    Problem(here, f"aliases (*{anchor}) are not allowed; write the value out")
                )
                attach(Scalar(f"*{anchor}", here, plain=False))  # reported once, here
            elif kind is document_start and self.roots:
                mark = event.args[0]
                here = Location(path, mark.line + 1, mark.column + 1)
                raise DataError([Problem(here, "only one YAML document is allowed in a file")])

    def refuse(self, anchor: str | None, tag: str | None, here: Location) -> None:
        """Report an anchor or a tag on a scalar or collection. (libyaml reports the
        non-specific tag "!" on quoted scalars; that is not a user's tag.)"""
        if anchor is not None:
            self.problem(Problem(here, f"anchors (&{anchor}) are not allowed"))
        if tag is not None and tag != "!":
            self.problem(Problem(here, f"tags ({tag}) are not allowed"))

    def start(self, is_seq: bool, here: Location) -> None:
        stack = self.stack
        depth = len(stack)
        if depth >= MAX_DEPTH:
            raise DataError([Problem(here, f"nesting deeper than {MAX_DEPTH} levels")])
        parent = stack[-1] if stack else None
        key = parent.pending if isinstance(parent, Map) else None
        keep = self.keep
        if parent is None:
            hollow = keep is not None and not keep(0, None, is_seq)
        elif parent.hollow:
            hollow = True
        elif isinstance(parent, Map) and key is None:
            hollow = keep is not None  # a list or mapping as a key: reported, never read
        else:
            name = key[0] if key is not None and key is not _COMPLEX_KEY else None
            hollow = keep is not None and not keep(depth, name, is_seq)
        node = Seq(here, hollow) if is_seq else Map(here, hollow)
        if (
            self.on_item is not None
            and is_seq
            and depth == 1
            and isinstance(parent, Map)
            and key is not None
            and key is not _COMPLEX_KEY
            and key[0] not in parent.items
        ):
            self.streamed[id(node)] = key[0]
        stack.append(node)

    def attach(self, node: Node) -> None:
        if not self.stack:
            self.roots.append(node)
            return
        parent = self.stack[-1]
        if isinstance(parent, Seq):
            key = self.streamed.get(id(parent)) if self.streamed else None
            top = self.stack[0]
            if (
                key is None
                or self.on_item is None
                or not isinstance(top, Map)
                or not self.on_item(key, node, top)
            ):
                parent.append(node)
        elif parent.pending is None:
            if isinstance(node, Scalar):
                parent.pending = node
            else:
                self.problem(Problem(node.loc, "a key must be plain text, not a list or mapping"))
                parent.pending = _COMPLEX_KEY
        else:
            key_node, parent.pending = parent.pending, None
            if key_node is _COMPLEX_KEY:
                return  # reported at the key; its value has nowhere to go
            if key_node.value in parent.items:
                first = parent.items[key_node.value][0].loc.line
                self.problem(
                    Problem(
                        key_node.loc, f"duplicate key '{key_node.value}' (first at line {first})"
                    )
                )
            else:
                parent.items[key_node.value] = (key_node, node)
