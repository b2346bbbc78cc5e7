"""Adding records to a user's data file as text: the file's comments, order, quoting and layout
stay exactly as they were, and the new record is appended to its section (never re-dumped).

Pure: text in, text out. The caller reads the file through the loader, checks the result by
loading it, and writes it through `cnblock.output`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()'-]*")
"""Text safe to write unquoted anywhere, block or flow: it starts with a letter and holds no
YAML indicator (`:`, `#`, `,`, brackets, quotes at the start)."""
_RESERVED = {"yes", "no", "true", "false", "on", "off", "y", "n", "null"}

Value = str | int | Sequence[Any] | Mapping[str, Any]


def scalar(value: str | int) -> str:
    """A value as YAML: plain when that is unambiguous, else double-quoted (JSON's quoting is
    a subset of YAML's), so that `2021-03` stays text for every YAML reader."""
    import json

    if isinstance(value, int):
        return str(value)
    plain = (
        _PLAIN.fullmatch(value)
        and value == value.strip()
        and value.lower() not in _RESERVED
        and "  " not in value
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def flow(value: Value) -> str:
    """A value on one line: scalars, [lists] and {mappings}."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    assert isinstance(value, (str, int))
    return scalar(value)


def block_item(record: Mapping[str, Value], indent: int) -> str:
    """A record as one item of a block list, the dash at column `indent`, a field a line."""
    pad = " " * indent
    lines = [
        f"{pad}{'- ' if i == 0 else '  '}{key}: {flow(value)}"
        for i, (key, value) in enumerate(record.items())
    ]
    return "\n".join(lines) + "\n"


def new_file(schema: int, header: str = "") -> str:
    """The text of a new, empty data file."""
    return header + f"schema: {schema}\n"


def append(document: str, section: str, record: Mapping[str, Value], schema: int) -> str:
    """`document` with `record` added at the end of its top-level list `section` (which is
    made if it is missing or empty). Everything already in the document stays as it was.

    `document` must be a data file the loader accepts (or empty): a mapping at the top."""
    import yaml

    loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root = yaml.compose(document, Loader=loader)
    ending = "" if not document or document.endswith("\n") else "\n"
    if root is None:
        return document + ending + new_file(schema) + f"\n{section}:\n" + block_item(record, 2)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("the top level is not a mapping")
    value = next((v for k, v in root.value if k.value == section), None)
    if value is None:
        return document + ending + f"\n{section}:\n" + block_item(record, 2)
    start, end = value.start_mark.index, value.end_mark.index
    if isinstance(value, yaml.ScalarNode):  # `events:` with nothing, or `~` or `null`
        before = document[:start].rstrip(" ")
        return before + "\n" + block_item(record, 2).rstrip("\n") + document[end:]
    if not isinstance(value, yaml.SequenceNode):
        raise ValueError(f"'{section}' is not a list")
    if value.flow_style:  # [a, b]: the record goes before the closing bracket
        close = document.rindex("]", start, end)
        comma = ", " if value.value else ""
        return document[:close] + comma + flow(record) + document[close:]
    first = value.value[0].start_mark
    line_start = document.rfind("\n", 0, first.index) + 1
    dash = document.rindex("-", line_start, first.index) - line_start
    at = _after_last_item(document, value.value[-1])
    return document[:at] + ending * (at == len(document)) + block_item(record, dash) + document[at:]


def _after_last_item(document: str, item: Any) -> int:
    """Where a new item goes: at the start of the line after the last item's content (its
    last scalar or flow collection; a block collection's end mark reaches past comments)."""
    import yaml

    def nodes(node: Any) -> Iterator[Any]:
        yield node
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                yield from nodes(child)
        elif isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                yield from nodes(key)
                yield from nodes(child)

    end: int = max(
        n.end_mark.index for n in nodes(item) if isinstance(n, yaml.ScalarNode) or n.flow_style
    )
    if end > 0 and document[end - 1] == "\n":
        return end
    newline = document.find("\n", end)
    return len(document) if newline < 0 else newline + 1
