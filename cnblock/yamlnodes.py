"""A safe, position-keeping YAML reader: text -> a tree of Scalar, Seq and Map nodes.

It builds the tree from PyYAML's event stream (libyaml's when present) instead of `yaml.load`:
nothing is constructed or executed, every scalar keeps its raw text (`2018-03-28` stays a
string, `no` is not False), duplicate keys are reported at the second key, anchors, aliases and
tags are refused where they stand, and nesting is capped without recursion.
"""

from __future__ import annotations

from typing import Any

import yaml

from cnblock.errors import DataError, Location, Problem

MAX_DEPTH = 32

# libyaml's parser is several times faster; the pure one behaves the same.
_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = {"", "~", "null", "Null", "NULL"}


class Scalar:
    __slots__ = ("loc", "plain", "value")

    def __init__(self, value: str, loc: Location, plain: bool = True):
        self.value, self.loc, self.plain = value, loc, plain

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in _NULLS


class Seq:
    __slots__ = ("items", "loc")

    def __init__(self, loc: Location):
        self.loc: Location = loc
        self.items: list[Node] = []


class Map:
    __slots__ = ("items", "loc", "pending")

    def __init__(self, loc: Location):
        self.loc: Location = loc
        self.items: dict[str, tuple[Scalar, Node]] = {}
        self.pending: Scalar | None = None


Node = Scalar | Seq | Map

_COMPLEX_KEY = Scalar("", Location("", 0, 0))
"""Stands for a key that was a list or a mapping (already reported): its value is skipped."""


def _loc(path: str, mark: Any) -> Location:
    """A 1-based position from a parser mark (libyaml's and the pure parser's differ in type)."""
    return Location(path, mark.line + 1, mark.column + 1)


def _error_location(path: str, text: str, exc: yaml.YAMLError) -> Location:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return _loc(path, mark)
    position = getattr(exc, "position", 0)  # a ReaderError counts characters
    before = text[:position]
    return Location(path, before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1)


def _syntax_message(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [exc.context, exc.problem]
        return "YAML syntax: " + "; ".join(p for p in parts if p)
    if isinstance(exc, yaml.reader.ReaderError):
        return f"YAML syntax: character {exc.character!r} is not allowed in a YAML file"
    return f"YAML syntax: {exc}"


def parse(text: str, path: str) -> tuple[Node | None, list[Problem]]:
    """Read one YAML document into nodes; return the root (None if empty) and the problems.

    A syntax error or excessive nesting stops the reading and raises DataError; problems that
    leave the tree usable (duplicate keys, aliases, tags) are returned for the caller to join.
    """
    problems: list[Problem] = []
    stack: list[Seq | Map] = []
    roots: list[Node] = []

    def attach(node: Node) -> None:
        if not stack:
            roots.append(node)
            return
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
        elif parent.pending is None:
            if isinstance(node, Scalar):
                parent.pending = node
            else:
                problems.append(
                    Problem(node.loc, "a key must be plain text, not a list or mapping")
                )
                parent.pending = _COMPLEX_KEY
        else:
            key, parent.pending = parent.pending, None
            if key is _COMPLEX_KEY:
                return  # reported at the key; its value has nowhere to go
            if key.value in parent.items:
                first = parent.items[key.value][0].loc.line
                problems.append(
                    Problem(key.loc, f"duplicate key '{key.value}' (first at line {first})")
                )
            else:
                parent.items[key.value] = (key, node)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionEndEvent):
                attach(stack.pop())
                continue
            here = _loc(path, event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(here, f"aliases (*{event.anchor}) are not allowed; write the value out")
                )
                attach(Scalar(f"*{event.anchor}", here, plain=False))  # reported once, here
                continue
            if isinstance(event, yaml.NodeEvent):  # a scalar or the start of a collection
                if event.anchor is not None:
                    problems.append(Problem(here, f"anchors (&{event.anchor}) are not allowed"))
                tag = _explicit_tag(event)
                if tag:
                    problems.append(Problem(here, f"tags ({tag}) are not allowed"))
            if isinstance(event, yaml.ScalarEvent):
                attach(Scalar(event.value, here, plain=not event.style))  # libyaml: '', pure: None
            elif isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise DataError([Problem(here, f"nesting deeper than {MAX_DEPTH} levels")])
                stack.append(Seq(here) if isinstance(event, yaml.SequenceStartEvent) else Map(here))
            elif isinstance(event, yaml.DocumentStartEvent) and roots:
                raise DataError([Problem(here, "only one YAML document is allowed in a file")])
    except yaml.YAMLError as exc:
        raise DataError([Problem(_error_location(path, text, exc), _syntax_message(exc))]) from None
    return (roots[0] if roots else None), problems


def _explicit_tag(event: yaml.NodeEvent) -> str | None:
    """The tag written on a scalar or collection, if any."""
    tag: str | None = getattr(event, "tag", None)  # aliases and ends have none
    # libyaml reports the non-specific tag "!" on quoted scalars; that is not a user's tag
    return None if tag == "!" else tag
