"""Data files -> EventLog. Keeps the position of every value and collects every problem.

One or several files are read and merged, so that a user's own file can add events that
reference the shipped entities. All problems of all files are reported at once, sorted by
position, in a DataError.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import sys
from array import array
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cnblock import fastread, texts
from cnblock.errors import DataError, Location, Problem, Problems, ProblemSink, Where, pack
from cnblock.model import (
    ENTITY_KINDS,
    EVENT_KINDS,
    Citation,
    Entity,
    Event,
    EventKeys,
    EventLog,
    Interval,
    PartialDate,
    Source,
    Technology,
    canonical_kind,
    parse_when,
)
from cnblock.suggest import did_you_mean
from cnblock.text import Lines
from cnblock.yamlnodes import NULLS, Map, Node, Scalar, Scalars, Seq, parse

SCHEMA = 2
"""The newest schema: what `export --format yaml` writes. Every schema in SCHEMAS loads."""
SCHEMAS = (1, 2)
_SCHEMA2_KEYS = {
    "event": ("kind", "as_of", "according_to"),
    "citation": ("span", "digest"),
    "entity": ("printed",),
}
"""Fields that schema 1 files may not use."""
SOURCE_CLAIM = "source"
"""The word `according_to` takes for the reporter's own claim, rather than an entity's."""
MAX_BYTES = 128 * 1024 * 1024
"""The default size cap of a data file: room for some 300,000 events of the shipped shape
(100,000 take 41 MB), while a load stays within about ten times the file's size in memory."""
MAX_ENV = "CNBLOCK_MAX_MIB"
"""Names another cap, in MiB, for a larger log (or a smaller one, to refuse large files)."""


def _over(paths: list[str], limit: int) -> bool:
    """Whether a file is past the size cap, or cannot be looked at (then the load refuses
    it, or says why, cache or not)."""
    try:
        return any(os.stat(path).st_size > limit for path in paths)
    except OSError:
        return True


def max_bytes() -> int:
    """The size cap of a data file: $CNBLOCK_MAX_MIB MiB when that is set, else MAX_BYTES;
    UsageError when it is set to anything but a whole number of MiB from 1."""
    setting = os.environ.get(MAX_ENV, "")
    value = setting.strip()
    if not value:
        return MAX_BYTES
    if not (value.isascii() and value.isdigit() and len(value) < 8 and int(value) > 0):
        from cnblock.errors import UsageError

        raise UsageError(
            f"{MAX_ENV}={setting!r} is not a size: give a whole number of MiB (1 or more),"
            " or unset it"
        )
    return int(value) * 1024 * 1024


SUGGESTIONS = 20
"""Unknown references that get a "did you mean"; past them, only the problem is said."""

DATA_ENV = "CNBLOCK_DATA"
_PACKAGED = Path(__file__).parent / "data" / "events.yaml"
_CHECKOUT = Path(__file__).parent.parent / "data" / "events.yaml"

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DIGEST = re.compile(r"[0-9a-f]{12}")
SECTIONS = ("sources", "entities", "technologies", "events")
_SINGULAR = {
    "sources": "source",
    "entities": "entity",
    "technologies": "technology",
    "events": "event",
}


def default_data_file() -> Path:
    """The shipped log: inside the installed package, or in the checkout when run from source."""
    return _PACKAGED if _PACKAGED.is_file() else _CHECKOUT


LOCAL_FILE = "cnblock.yaml"
"""A user's own log in the current folder: loaded when no file is named, written by `add`."""


def user_files(explicit: list[str] | None = None) -> list[str]:
    """The user's own files: those named with --data, else CNBLOCK_DATA, else ./cnblock.yaml
    when it exists (else none)."""
    if explicit:
        return list(explicit)
    setting = os.environ.get(DATA_ENV, "")
    from_env = [p for p in setting.split(os.pathsep) if p]
    if from_env:
        return from_env
    if setting:  # only separators: a mistake, not a wish for the default
        from cnblock.errors import UsageError

        raise UsageError(
            f"{DATA_ENV}={setting!r} names no file: name files separated by"
            f" '{os.pathsep}', or unset it"
        )
    return [LOCAL_FILE] if os.path.isfile(LOCAL_FILE) else []


def data_files(
    explicit: list[str] | None = None,
    shipped: bool = True,
    repeats: list[tuple[str, str]] | None = None,
) -> list[str]:
    """The files to load, in order: the shipped log (unless not `shipped`), then the user's
    files (see `user_files`). A file named twice, under any spelling (a link to it too), is
    loaded once; each later naming goes to `repeats` as (that name, the name loaded)."""
    paths = ([str(default_data_file())] if shipped else []) + user_files(explicit)
    seen: dict[str, str] = {}
    for path in paths:
        key = os.path.normcase(os.path.realpath(path))
        if key not in seen:
            seen[key] = path
        elif repeats is not None:
            repeats.append((path, seen[key]))
    return list(seen.values())


def repeat_note(again: str, loaded: str) -> str:
    """What to say of a file named twice (see `data_files`)."""
    if is_shipped(loaded):
        return f"{again} is the shipped log, loaded already; it is read once"
    if again == loaded:
        return f"{loaded} is named twice; it is read once"
    return f"{again} is {loaded}, named already; it is read once"


def is_shipped(path: str) -> bool:
    """Whether `path` is the shipped log."""
    return os.path.realpath(path) == os.path.realpath(default_data_file())


def describe_files(paths: list[str]) -> str:
    """The files in words, the shipped log named as such: 'the shipped log, mine.yaml'."""
    return ", ".join("the shipped log" if is_shipped(p) else p for p in paths)


def read_text(path: str) -> str:
    """A data file's text, or a DataError naming the file when it cannot be one."""
    limit = max_bytes()
    larger = f"{MAX_ENV}=N allows N MiB"
    return texts.decode(texts.read_bytes(path, limit, "a data file", larger=larger), path)


def source_lines(path: str) -> Sequence[str] | None:
    """A file's lines, for showing problems in context; None if it cannot be read as text."""
    try:
        return Lines(read_text(path))
    except DataError:
        return None


def load(
    paths: list[str],
    drafts: Mapping[str, str] | None = None,
    freeze: bool = False,
    cached: bool = False,
    on_problem: ProblemSink | None = None,
    *,
    pick: Callable[[EventLog, EventKeys], Iterable[int] | None] | None = None,
) -> EventLog:
    """Load and merge data files; raise DataError if any of them has a problem.
    `drafts` gives, by path, a text to read instead of the file (a change not yet written).
    `on_problem` takes each problem as it is found (the DataError then counts them only);
    without it, the DataError carries the first errors.MAX_PROBLEMS by position, and the count.

    The cyclic garbage collector is paused while loading: the reader makes no cycles, and
    every full collection would walk all the records made so far again (about 70 % of the
    time of a large load). `freeze`: leave the loaded records out of every later collection
    too (gc.freeze), for a process that keeps the log until it ends, as a command does.
    `cached`: use (and keep) the derived copy of cnblock.cache when the files are unchanged.
    `pick`: with `cached`, the events to read from the cache (see cache.read); the log then
    holds only those events. Without a usable cache every event is loaded.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        limit = max_bytes()  # a bad setting is a usage error, with or without the cache
        if not cached or drafts or on_problem or _over(paths, limit):
            return _load(paths, drafts, on_problem)  # the cap applies to a cached file too
        from cnblock import cache

        log = cache.read(paths, pick)
        if log is None:
            log = _load(paths, None, None)
            cache.write(paths, log)
        return log
    finally:
        if freeze:
            gc.freeze()
        if collecting:
            gc.enable()


def _load(
    paths: list[str], drafts: Mapping[str, str] | None, on_problem: ProblemSink | None
) -> EventLog:
    problems = Problems(on_problem)
    builder = _Builder(problems)
    for path in paths:
        builder.begin_file()
        try:
            # Each event becomes a record as soon as its mapping is read (builder.stream). The
            # text is not kept here: the readers let it go once they have it in UTF-8.
            text = [drafts[path] if drafts and path in drafts else read_text(path)]
            if fastread.read(text, path, builder, _read):
                continue  # a file of the usual shape, read without PyYAML
            root, _ = parse(text.pop(), path, builder.stream, problems, keep=_read)
        except DataError as exc:
            # a file that breaks off adds no records; the problems found before the break
            # have been reported already (they are as true as the break)
            builder.abandon_file()
            for problem in exc.problems:
                problems(problem)
            continue
        builder.add_file(root, path)
    log = builder.finish(tuple(paths))
    if problems.count:
        raise DataError(problems.kept(), problems.count)
    return log


def _read(depth: int, key: str | None, is_list: bool) -> bool:
    """yamlnodes.Keep: the shape the loader reads. Any other list or mapping is only named in
    a problem ("must be a mapping, not a list") and is kept hollow, so that memory follows what
    is read: a file of thousands of deeply nested lists is not held whole."""
    if depth == 0:  # the top level: a mapping
        return not is_list
    if depth == 1:  # a section: a list of records
        return is_list and key in SECTIONS
    if depth == 2:  # a record: a mapping
        return not is_list
    if depth == 3:  # a field's list or mapping: each item's position is kept
        return True
    if depth == 4:  # a citation among an event's sources
        return not is_list
    return depth == 5 and is_list  # a citation's span


class _BadValueError(Exception):
    """A value that cannot be read; becomes a Problem at `loc`."""

    def __init__(self, loc: Location, message: str):
        super().__init__(message)
        self.loc, self.message = loc, message


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.is_null


def _describe(node: Node) -> str:
    return "a list" if isinstance(node, Seq) else "a mapping" if isinstance(node, Map) else "text"


def _scalar(node: Node, what: str) -> Scalar:
    if not isinstance(node, Scalar):
        raise _BadValueError(node.loc, f"{what} must be a single value, not {_describe(node)}")
    return node


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""What no text may hold: C0 and C1 controls but tab and newline (an escape sequence, a bell,
a carriage return that splits a CSV row, NEL) and the Unicode line and paragraph separators
(line breaks that editors, YAML parsers and spreadsheets each count differently)."""


_TEXT = re.compile("[^\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]+")
_LINE = re.compile("[^\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]+")
"""Text and a line that are certainly good (no control character; a line, no line break
either). What they do not match goes the long way, which says what is wrong."""


def _text(node: Node, what: str = "this value") -> str:
    # The common case first, without the layers below: a scalar of good text (node[0] is
    # its value, node[3] whether it was written plain; see yamlnodes.Scalar).
    if node.__class__ is Scalar:
        value = node[0]
        if _TEXT.fullmatch(value) and not value.isspace() and not (node[3] and value in NULLS):
            return value
    return _checked_text(node, what)


def _checked_text(node: Node, what: str) -> str:
    value = _scalar(node, what)
    if value.is_null or not value.value.strip():
        raise _BadValueError(node.loc, f"{what} must not be empty")
    found = _CONTROL.search(value.value)
    if found:
        raise _BadValueError(
            node.loc,
            f"{what} holds the control character U+{ord(found.group()):04X};"
            " text may hold tabs and line breaks, no other control characters",
        )
    return value.value


def _line(node: Node, what: str = "this value") -> str:
    if node.__class__ is Scalar:  # the common case, as in _text
        value = node[0]
        if _LINE.fullmatch(value) and not value.isspace() and not (node[3] and value in NULLS):
            return value
    value = _checked_text(node, what)
    if "\n" in value or "\r" in value:
        raise _BadValueError(node.loc, f"{what} must be one line")
    return value


def _ident(node: Node, what: str = "an id") -> str:
    if node.__class__ is Scalar:  # the common case: an id is one good line, and only
        value = node[0]  # 'null' of the empty words matches _ID
        if _ID.fullmatch(value) and not (node[3] and value == "null"):
            return sys.intern(value)  # one copy of each id
    value = _line(node, what)
    if not _ID.fullmatch(value):
        raise _BadValueError(
            node.loc,
            f"'{value}' is not a valid id: use lowercase letters, digits and single hyphens,"
            " like 'wang-chuanfu'",
        )
    return value


_parse_date = functools.lru_cache(4096)(PartialDate.parse)
_parse_when = functools.lru_cache(4096)(parse_when)
"""Dates repeat in a log: each is read once and shared (they are immutable)."""


def _date(node: Node, what: str = "a date") -> PartialDate:
    value = _line(node, what)
    try:
        return _parse_date(value)
    except ValueError as exc:
        raise _BadValueError(node.loc, str(exc)) from None


def _when(node: Node, what: str = "a date") -> PartialDate | Interval:
    value = _line(node, what)
    try:
        return _parse_when(value)
    except ValueError as exc:
        raise _BadValueError(node.loc, str(exc)) from None


def _event_kind(node: Node, what: str = "kind") -> str:
    value = _line(node, what)
    if value not in EVENT_KINDS:
        raise _BadValueError(
            node.loc,
            f"unknown kind '{value}'{did_you_mean(value, EVENT_KINDS)}"
            f" (expected one of: {', '.join(EVENT_KINDS)})",
        )
    return value


def _claimant(node: Node, what: str = "according_to") -> str:
    value = _line(node, what)
    if value != SOURCE_CLAIM and not _ID.fullmatch(value):
        raise _BadValueError(
            node.loc,
            f"according_to must be an entity id or '{SOURCE_CLAIM}' (the reporter's own claim),"
            f" not '{value}'",
        )
    return value


def _span(node: Node, what: str = "span") -> tuple[int, int]:
    usage = "span must be two whole numbers [start, end]: code-point offsets in the cited line"
    if not isinstance(node, Seq) or len(node.items) != 2:
        raise _BadValueError(node.loc, usage)
    numbers = []
    for item in node.items:
        if not (
            isinstance(item, Scalar)
            and item.plain
            and item.value.isascii()
            and item.value.isdigit()
        ):
            raise _BadValueError(item.loc, usage)
        digits = item.value.lstrip("0") or "0"
        if len(digits) > 9:  # as in _number: int() refuses 4,300 digits and more
            raise _BadValueError(
                item.loc, f"a span offset of {len(digits):,} digits is past any line's end"
            )
        numbers.append(int(digits))
    start, end = numbers
    if not start < end:
        raise _BadValueError(
            node.loc,
            f"span [{start}, {end}] is empty or backwards: its start must be below its end",
        )
    return start, end


def _digest(node: Node, what: str = "digest") -> str:
    value = _line(node, what)
    if not _DIGEST.fullmatch(value):
        raise _BadValueError(
            node.loc,
            "digest must be 12 lowercase hexadecimal digits: the start of the phrase's sha256",
        )
    return value


def _printed(node: Node, what: str = "printed") -> dict[str, str]:
    """`printed: {name: source-id, ko: source-id}`: which names a source prints, and which."""
    if not isinstance(node, Map):
        raise _BadValueError(
            node.loc,
            f"{what} must be a mapping of 'name' or a language code to the id of a source that"
            f" prints that name, like {{ko: money-today-2018}}, not {_describe(node)}",
        )
    printed = {}
    for code, (key, value) in node.items.items():
        if code != "name" and not _LANG.fullmatch(code):
            raise _BadValueError(
                key.loc,
                f"'{code}' in printed is neither 'name' nor a language code like 'ko' or 'zh'",
            )
        printed[code] = _ident(value, f"the source that prints the {code} name")
    return printed


def _number(node: Node, what: str = "a line number") -> int:
    if node.__class__ is Scalar:  # the common case: plain digits, no leading zero, < 10**9
        digits = node[0]
        if (
            node[3]
            and digits.isascii()
            and digits.isdigit()
            and digits[0] != "0"
            and len(digits) <= 9
        ):
            return int(digits)
    value = _scalar(node, what)
    if not (value.plain and value.value.isascii() and value.value.isdigit()):
        raise _BadValueError(node.loc, f"{what} must be a whole number, not '{value.value}'")
    digits = value.value.lstrip("0")
    if not digits:
        raise _BadValueError(node.loc, f"{what} counts from 1")
    if len(digits) > 9:  # no text has a billion lines; int() refuses 4,300 digits and more
        raise _BadValueError(node.loc, f"{what} of {len(digits):,} digits is past any text's end")
    return int(digits)


def _file_name(node: Node, what: str = "seed") -> str:
    value = _line(node, what)
    if "/" in value or "\\" in value or value in (".", ".."):
        raise _BadValueError(
            node.loc, f"{what} must be a file name in the CNBLOCK_SEEDS folder, not a path"
        )
    return value


def _sha256(node: Node, what: str = "sha256") -> str:
    value = _line(node, what)
    if not _SHA256.fullmatch(value):
        raise _BadValueError(node.loc, "sha256 must be 64 lowercase hexadecimal digits")
    return value


def _seq(node: Node, what: str) -> Sequence[Node]:
    if isinstance(node, Scalar) and node.is_null:
        return []
    if not isinstance(node, Seq):
        raise _BadValueError(node.loc, f"{what} must be a list, not {_describe(node)}")
    return node.items


def _list_of(item: Callable[[Node, str], str]) -> Callable[[Node, str], tuple[str, ...]]:
    def read(node: Node, what: str) -> tuple[str, ...]:
        values: list[str] = []
        seen: set[str] = set()  # a list may be long: a set keeps the check linear
        each = f"each entry of {what}"
        for child in _seq(node, what):
            value = item(child, each)
            if value in seen:
                raise _BadValueError(child.loc, f"'{value}' is listed twice in {what}")
            seen.add(value)
            values.append(value)
        return tuple(values)

    return read


def _names(node: Node, what: str) -> dict[str, str]:
    if not isinstance(node, Map):
        raise _BadValueError(
            node.loc, f"{what} must be a mapping of language code to name, not {_describe(node)}"
        )
    names = {}
    for code, (key, value) in node.items.items():
        if not _LANG.fullmatch(code):
            raise _BadValueError(key.loc, f"'{code}' is not a language code like 'ko' or 'zh'")
        names[code] = _line(value, f"the {code} name")
    return names


_Reader = Callable[[Node, str], Any]
_FIELDS: dict[str, dict[str, tuple[_Reader | None, bool]]] = {
    "source": {
        "id": (_ident, True),
        "publisher": (_line, True),
        "published": (_date, True),
        "language": (_line, True),
        "title": (_line, False),
        "author": (_line, False),
        "url": (_line, False),
        "seed": (_file_name, False),
        "sha256": (_sha256, False),
        "note": (_text, False),
        "text": (_line, False),
        "lines": (_number, False),
    },
    "entity": {
        "id": (_ident, True),
        "kind": (_line, True),
        "name": (_line, True),
        "names": (_names, False),
        "aliases": (_list_of(_line), False),
        "affiliations": (_list_of(_ident), False),
        "note": (_text, False),
        "printed": (_printed, False),
    },
    "technology": {
        "id": (_ident, True),
        "name": (_line, True),
        "aliases": (_list_of(_line), False),
        "description": (_text, False),
    },
    "event": {
        "id": (_ident, True),
        "kind": (_event_kind, False),
        "date": (_when, False),  # required unless the event is a state: see _check_event
        "as_of": (_date, False),
        "according_to": (_claimant, False),
        "date_note": (_text, False),
        "title": (_line, True),
        "summary": (_text, True),
        "entities": (_list_of(_ident), False),
        "technologies": (_list_of(_ident), False),
        "place": (_line, False),
        "sources": (None, True),  # read by _Builder._citations
    },
    "citation": {
        "source": (_ident, True),
        "line": (_number, True),
        "span": (_span, False),
        "digest": (_digest, False),
    },
}


_SPECS = {
    kind: {key: (reader, required, f"'{key}'") for key, (reader, required) in fields.items()}
    for kind, fields in _FIELDS.items()
}
"""_FIELDS with each field's name as problems quote it."""
_REQUIRED = {
    kind: tuple(key for key, (_, required) in fields.items() if required)
    for kind, fields in _FIELDS.items()
}
_DEFAULTS = {
    record: [record._field_defaults.get(name) for name in record._fields[:-1]]
    for record in (Citation, Event)
}


def _packed(node: Node) -> int:
    """A node's position as errors.Where keeps it."""
    if node.__class__ is Scalar:
        return node[1] << 32 | node[2]
    return pack(node.loc.line, node.loc.col)


RUN = 64
"""A list of more scalars than this keeps its items' positions as a run (errors.Where)."""


def _inner_positions(
    key: str, node: Node, keys: list[str], at: list[int], runs: dict[str, array[int]]
) -> None:
    """Add the positions of a list or mapping that is the value of `key`: its own, and each
    item's, so that a bad reference is shown at the item itself (for a mapping, each key's
    position and its value's). A long list of scalars adds its reader's array of positions
    as a run, not a key and a number for each item."""
    at.append(_packed(node))
    if isinstance(node, Seq):
        if isinstance(node.items, Scalars) and len(node.items) > RUN:
            runs[key] = node.items.at
            return
        for i, item in enumerate(node.items):
            keys.append(f"{key}.{i}")
            at.append(_packed(item))
    elif isinstance(node, Map):
        for name, (name_node, item) in node.items.items():
            keys += (f"{key}.{name}", f"{key}.{name}:key")
            at += (_packed(item), _packed(name_node))


_new_scalar = tuple.__new__  # a Scalar without its Python-level __new__
_UNKNOWN = (None, False, "")  # the field spec of an unknown key
_ID_LISTS = {"entities", "technologies"}
_ITEM_KEYS = {key: tuple(f"{key}.{i}" for i in range(RUN)) for key in _ID_LISTS}
_IDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:, [a-z0-9]+(?:-[a-z0-9]+)*)*")
"""Ids (_ID) as a flow list writes them, checked at once."""


def _ids(line: int, col: int, inner: str, at: list[int]) -> tuple[str, ...]:
    """A flow list of ids at `col` of `line`, `inner` the text between its brackets, as
    _inner_positions and _list_of(_ident) read it from its nodes (_BadValueError, worded by
    neither, for anything those would say something of); the positions of the list and of
    each item added to `at`."""
    words = inner.split(", ") if inner else []
    if len(words) > RUN or (inner and not _IDS.fullmatch(inner)) or "null" in words:
        raise _BadValueError(Location("", line, col), "")  # a run (see _record), or not ids
    ids = tuple(map(sys.intern, words))
    if len(ids) > 1 and len(set(ids)) < len(ids):
        raise _BadValueError(Location("", line, col), "")  # listed twice
    here = line << 32 | col
    at.append(here)
    here += 1  # each item where the one before ends, after ', '
    for word in words:
        at.append(here)
        here += len(word) + 2
    return ids


_COMMON: dict[Any, tuple[re.Pattern[str], Callable[[str], Any] | None]] = {
    _ident: (_ID, sys.intern),
    _line: (_LINE, None),
    _text: (_TEXT, None),
    _when: (_LINE, _parse_when),
    _date: (_LINE, _parse_date),
}
"""The common case of a reader, as its own first lines take it, for _Builder.shaped: a value
that is not plain null, matches the pattern and is not all spaces is read by the function (or
is the value itself); any other value is left to the reader."""

_SCALAR, _IDS_LIST, _CITATIONS = range(3)
"""How _Builder.shaped reads a field of a fastread.Shape."""
Plan = tuple[tuple[str, int, int, str, Any, str, int, Any], ...]
"""How _Builder.shaped reads each field of a fastread.Shape: (key, how (_SCALAR ...), form,
margin, reader, what, the column of its value, the reader's common case (_COMMON) or None)."""


def _plan(layout: tuple[tuple[str, int, str], ...]) -> Plan | None:
    """How to read an event of `layout` from its text as _quick_values reads its fields; None
    if _quick_values would read no event of that layout (an unknown key, a field missing, a
    list where a value is expected or the other way round)."""
    spec = _SPECS["event"]
    plan = []
    for key, form, margin in layout:
        if key not in spec:
            return None
        reader, _, what = spec[key]
        if form != fastread.LISTED:
            how = _SCALAR
        elif key in _ID_LISTS:
            how = _IDS_LIST
        elif reader is None:  # sources
            how = _CITATIONS
        else:
            return None
        if how == _SCALAR and reader is None:
            return None  # sources, written as a scalar
        plan.append((key, how, form, margin, reader, what, len(key) + 7, _COMMON.get(reader)))
    if not {key for key, _, _ in layout}.issuperset(_REQUIRED["event"]):
        return None  # a field missing
    return tuple(plan)


def _keys(plan: Plan, counts: Sequence[int]) -> list[str]:
    """The keys of an event read by `plan` (its positions' index: see _where) whose lists have
    `counts` items, in order."""
    keys = []
    lists = iter(counts)
    for key, how, *_ in plan:
        keys.append(key)
        if how != _SCALAR:
            keys += (f"{key}.{i}" for i in range(next(lists)))
    return keys


def _build(record: Any, values: dict[str, Any], where: Where) -> Any:
    """A record of a complete mapping's values (a missing optional field takes its default),
    without the keyword handling of the record's own constructor: a large log builds many."""
    return tuple.__new__(record, [*map(values.get, record._fields[:-1], _DEFAULTS[record]), where])


class _Builder:
    """Turns the nodes of each file into records, then checks what spans files."""

    def __init__(self, problems: Problems):
        self.report: ProblemSink = problems
        self._shapes: dict[tuple[str, ...], dict[str, int]] = {}
        self._cited = self._shapes.setdefault(("source", "line"), {"source": 0, "line": 1})
        """The keys' index of the usual citation (see _where): read by _quick_citations."""
        self._plans: dict[int, tuple[fastread.Shape, Plan | None]] = {}
        """How `shaped` reads the events of each shape met, by its id (None: it does not)."""
        self._shaped_indexes: dict[tuple[int, ...], dict[str, int]] = {}
        """The keys' index of the events `shaped` reads, by their plan's id and lists' sizes."""
        self._suggested = 0
        self.records: dict[str, list[tuple[dict[str, Any], Where]]] = {s: [] for s in SECTIONS}
        self.ids: dict[str, dict[str, Where]] = {s: {} for s in SECTIONS}
        self.schema = SCHEMA
        self.schema_read = False  # whether this file's schema is known yet
        self._undo: tuple[dict[str, int], list[tuple[str, str]]] = ({}, [])

    def begin_file(self) -> None:
        """Start a file; what it adds can be taken back by `abandon_file`."""
        self.schema, self.schema_read = SCHEMA, False
        self._undo = ({s: len(r) for s, r in self.records.items()}, [])

    def abandon_file(self) -> None:
        """Take back the records and ids of the file begun last."""
        lengths, added = self._undo
        for section, length in lengths.items():
            del self.records[section][length:]
        for section, taken in added:
            del self.ids[section][taken]

    def stream(self, key: str, item: Node, top: Map) -> bool:
        """yamlnodes.ItemHook: read an item of a section as soon as the parser finishes it,
        once the file's schema is known (a file that names it after its sections is read
        after parsing instead, as a whole)."""
        if key not in SECTIONS:
            return False
        if not self.schema_read:
            if "schema" not in top.items:
                return False
            self._read_schema(top)
        self._item(key, item)
        return True

    def _read_schema(self, root: Map) -> None:
        self.schema = SCHEMA  # until the file says otherwise; a bad value is reported once
        if "schema" in root.items:
            self._check_schema(root.items["schema"][1])
        self.schema_read = True

    def add_file(self, root: Node | None, path: str) -> None:
        # A document of nothing ('---' alone) is an empty file too: libyaml places its empty
        # value after the marker, on a line that a file without a final newline lacks.
        if root is None or (isinstance(root, Scalar) and root.plain and root.value == ""):
            self._problem(
                Location(path, 1, 1),
                "the file is empty; expected a mapping with 'schema' and 'events'",
            )
            return
        if not isinstance(root, Map):
            self._problem(
                root.loc,
                "the top level must be a mapping with 'schema' and 'events',"
                f" not {_describe(root)}",
            )
            return
        if "schema" not in root.items:
            self._problem(root.loc, f"missing 'schema: {SCHEMA}' at the top level")
        if not self.schema_read:
            self._read_schema(root)
        for key, (key_node, value) in root.items.items():  # a streamed section is empty here
            if key in SECTIONS:
                self._section(key, value)
            elif key != "schema":
                self._problem(
                    key_node.loc,
                    f"unknown top-level key '{key}' (expected schema, {', '.join(SECTIONS)})",
                )

    def _check_schema(self, node: Node) -> None:
        if isinstance(node, Scalar) and node.plain and node.value in map(str, SCHEMAS):
            self.schema = int(node.value)
            return
        shown = node.value if isinstance(node, Scalar) else _describe(node)
        readable = " and ".join(map(str, SCHEMAS))
        self._problem(
            node.loc, f"unsupported schema '{shown}'; this cnblock reads schema {readable}"
        )

    def _section(self, section: str, node: Node) -> None:
        try:
            items = _seq(node, f"'{section}'")
        except _BadValueError as bad:
            self._problem(bad.loc, bad.message)
            return
        for item in items:
            self._item(section, item)

    def _item(self, section: str, item: Node) -> None:
        read = self._record(_SINGULAR[section], item)
        if read is not None:
            self._take(section, *read, item)

    def _take(
        self, section: str, values: dict[str, Any], where: Where, complete: bool, item: Node
    ) -> None:
        """A record read (see _record): checked as a whole and kept, if complete."""
        if section == "events" and not self._check_event(values, where, item):
            complete = False
        self._keep(section, values, where, complete)

    def _keep(self, section: str, values: dict[str, Any], where: Where, complete: bool) -> None:
        """A record checked: its id taken (a duplicate is reported), and the record kept."""
        if "id" in values:
            seen = self.ids[section]
            if values["id"] in seen:
                first = seen[values["id"]]["id"]
                hint = (
                    ", in the shipped log: pick another id, or, if this file repeats the"
                    " shipped records, load it with --no-shipped"
                    if first.path != where["id"].path and is_shipped(first.path)
                    else ""
                )
                kind, taken = _SINGULAR[section], values["id"]
                self._problem(
                    where["id"], f"duplicate {kind} id '{taken}' (first at {first}{hint})"
                )
                return
            seen[values["id"]] = where  # (its Location made only for a duplicate)
            self._undo[1].append((section, values["id"]))
        if complete:
            self.records[section].append((values, where))

    def quick(self, section: str, path: str, line: int, fields: list[fastread.Field]) -> bool:
        """fastread.Builder: an event as the quick reader read it, read without its nodes when
        every field is of the commonest kinds and good, as _item would read it (the same
        readers, values and positions); False, having done nothing, for anything else (the
        quick reader then hands over its nodes, and _item reads them, problems and all)."""
        if section != "events" or not self.schema_read or self.schema < 2:
            return False  # an event before the file's schema is read goes by its nodes
        keys: list[str] = []
        at: list[int] = []
        try:
            values = self._quick_values(fields, keys, at, path)
        except _BadValueError:
            return False  # _record reads it, and words what is wrong
        # _check_event asks the record for its position and for the keys that have a value,
        # all of which are in `values` here: a mapping without items answers as the nodes would
        record = Map(Location(path, line, 5))
        self._take(section, values, self._where(path, keys, at, {}), True, record)
        return True

    def shaped(  # noqa: PLR0912 - one loop over the fields: a call a field costs a tenth
        self, shape: fastread.Shape, found: re.Match[str], path: str, line: int
    ) -> bool:
        """fastread.Builder: an event of a layout read before (fastread.Shape), from the groups
        of its text that the layout's pattern `found`: as `quick` reads the fields
        fastread.record makes of that text (the same readers, values and positions), without
        making them; False, having done nothing, for anything else (fastread then reads it a
        line at a time, and `quick` or _item reads it)."""
        if not self.schema_read or self.schema < 2:
            return False
        known = self._plans.get(id(shape))
        if known is None or known[0] is not shape:  # (an id is unique while its shape lives)
            assert shape.pattern.groups == len(shape.layout)  # one group a field, in order
            known = self._plans[id(shape)] = (shape, _plan(shape.layout))
        plan = known[1]
        if plan is None:
            return False
        values: dict[str, Any] = {}
        at: list[int] = []
        counts = [id(plan)]  # with the plan, the number of each list's items: the keys
        here = line
        try:
            groups = found.groups()  # as many as the plan's fields (see the assert above)
            for (key, how, form, margin, reader, what, col, common), text in zip(  # noqa: B905
                plan, groups
            ):
                if how == _IDS_LIST:
                    values[key] = ids = _ids(here, col, text, at)
                    counts.append(len(ids))
                    here += 1
                    continue
                if how == _CITATIONS:
                    values[key] = cited = self._shaped_citations(here, col, text, path, at)
                    counts.append(len(cited))
                    here += 1
                    continue
                plain = form == fastread.PLAIN
                if form == fastread.FOLDED:  # its margin before each line: one space
                    value = text.replace(margin, " ")[1:]
                elif plain and text in NULLS:
                    return False  # left empty
                else:
                    value = text
                at.append(here << 32 | col)
                if common is not None and common[0].fullmatch(value) and not value.isspace():
                    values[key] = value if common[1] is None else common[1](value)
                else:
                    scalar = _new_scalar(Scalar, (value, here, col, plain, path))
                    values[key] = reader(scalar, what)
                here += 1 + text.count("\n") if form == fastread.FOLDED else 1
        except (_BadValueError, ValueError):  # (ValueError: from common[1], a date that is none)
            return False  # _record reads it, and words what is wrong
        sized = tuple(counts)
        index = self._shaped_indexes.get(sized)
        if index is None:
            index = self._shaped_indexes[sized] = self._index(_keys(plan, counts[1:]))
        where = Where(path, index, array("Q", at))
        if "date" in values and values.get("kind") != "state":  # _check_event's first case:
            self._keep("events", values, where, True)  # nothing to find
        else:  # _check_event asks the record for its position and for keys left empty (none
            record = Map(_new_scalar(Location, (path, line, 5)))  # is), as in quick
            self._take("events", values, where, True, record)
        return True

    def _shaped_citations(
        self, line: int, col: int, text: str, path: str, at: list[int]
    ) -> tuple[Citation, ...]:
        """`sources: [{source: x, line: N}, ...]`, `text` between its brackets (flow mappings
        of plain words: the layout's pattern says so), as _quick_citations reads it; the
        positions of the list and of each citation added to `at`."""
        if not text.startswith("{"):
            raise _BadValueError(Location(path, line, col), "")  # words: not citations
        cited = text[1:-1].split("}, {")
        if len(cited) > RUN:
            raise _BadValueError(Location(path, line, col), "")
        at.append(line << 32 | col)
        citations = []
        start = col + 1
        for pairs in cited:
            at.append(line << 32 | start)
            source, comma, digits = pairs.partition(", line: ")
            if not source.startswith("source: ") or not comma or ", " in digits:
                raise _BadValueError(Location(path, line, start), "")  # other keys
            source = source[8:]
            source_at = start + 9  # after '{source: '
            digits_at = source_at + len(source) + 8  # after ', line: '
            citations.append(
                self._citation(
                    _new_scalar(Scalar, (source, line, source_at, True, path)),
                    _new_scalar(Scalar, (digits, line, digits_at, True, path)),
                )
            )
            start += len(pairs) + 4  # after '}, '
        return tuple(citations)

    def _citation(self, source: Scalar, digits: Scalar) -> Citation:
        """{source: x, line: N}, of these two plain scalars, as _citations reads it."""
        cited, number = _ident(source), _number(digits)
        positions = array("Q", (source[1] << 32 | source[2], digits[1] << 32 | digits[2]))
        where = Where(source[4], self._cited, positions)  # as _where makes it for these keys
        # _build(Citation, ...) of {source, line}: the other fields' defaults are None
        return tuple.__new__(Citation, (cited, number, None, None, where))

    def _quick_values(
        self, fields: list[fastread.Field], keys: list[str], at: list[int], path: str
    ) -> dict[str, Any]:
        """An event's values, and its positions into `keys` and `at`, as _record reads them;
        _BadValueError (worded by no one) for anything _record would not read as good."""
        values: dict[str, Any] = {}
        spec = _SPECS["event"]
        for key, line, kind, value in fields:
            reader, _, what = spec.get(key) or _UNKNOWN
            if kind == fastread.SCALAR and reader is not None:
                if value[3] and value[0] in NULLS:
                    raise _BadValueError(value.loc, "")  # left empty
                keys.append(key)
                at.append(value[1] << 32 | value[2])
                values[key] = reader(value, what)
            elif kind == fastread.WORDS and key in _ID_LISTS:
                values[key] = ids = _ids(line, value[0], value[3], at)
                keys.append(key)
                keys += _ITEM_KEYS[key][: len(ids)]
            elif kind == fastread.MAPPINGS and reader is None and key in spec:
                values[key] = self._quick_citations(line, value, keys, at, path)
            else:  # an unknown key, or a value of another kind than its field's
                raise _BadValueError(Location(path, line, 5), "")
        if not all(key in values for key in _REQUIRED["event"]):
            raise _BadValueError(Location(path, fields[0][1], 5), "")  # a field missing
        return values

    def _quick_citations(
        self,
        line: int,
        value: tuple[int, list[tuple[int, list[fastread.Pair]]]],
        keys: list[str],
        at: list[int],
        path: str,
    ) -> tuple[Citation, ...]:
        """`sources: [{source: x, line: N}, ...]` as _citations reads it (_BadValueError for
        anything else)."""
        col, maps = value
        if not maps or len(maps) > RUN:
            raise _BadValueError(Location(path, line, col), "")
        keys.append("sources")
        at.append(line << 32 | col)
        citations = []
        for i, (start, pairs) in enumerate(maps):
            keys.append(f"sources.{i}")
            at.append(line << 32 | start)
            if len(pairs) != 2 or pairs[0][0] != "source" or pairs[1][0] != "line":
                raise _BadValueError(Location(path, line, start), "")
            (_, _, source, source_at), (_, _, digits, digits_at) = pairs
            citations.append(
                self._citation(
                    _new_scalar(Scalar, (source, line, source_at, True, path)),
                    _new_scalar(Scalar, (digits, line, digits_at, True, path)),
                )
            )
        return tuple(citations)

    def _problem(self, loc: Location, message: str) -> None:
        self.report(Problem(loc, message))

    def _record(self, kind: str, node: Node) -> tuple[dict[str, Any], Where, bool] | None:
        """Read one mapping by its field spec; `complete` is False if anything was wrong."""
        if node.__class__ is not Map:
            self._problem(node.loc, f"each {kind} must be a mapping, not {_describe(node)}")
            return None
        assert isinstance(node, Map)
        spec = _SPECS[kind]
        values: dict[str, Any] = {}
        keys: list[str] = []  # where each value stands, packed (errors.Where)
        at: list[int] = []
        runs: dict[str, array[int]] = {}
        complete = True
        newer = _SCHEMA2_KEYS.get(kind, ()) if self.schema < 2 else ()
        for key, (key_node, value) in node.items.items():
            field = spec.get(key)
            if field is None:
                self._problem(
                    key_node.loc,
                    f"unknown key '{key}' in {kind} (expected one of: {', '.join(spec)})",
                )
                complete = False
                continue
            if key in newer:
                self._problem(
                    key_node.loc, f"'{key}' is a schema 2 field; write 'schema: 2' at the top"
                )
                complete = False
                continue
            reader, required, what = field
            keys.append(key)
            if value.__class__ is Scalar:  # node[1], node[2]: its line and column
                at.append(value[1] << 32 | value[2])
                if not required and value[3] and value[0] in NULLS:
                    continue  # an optional field left empty is the same as leaving it out
            else:
                _inner_positions(key, value, keys, at, runs)
            try:
                values[key] = (reader or self._citations)(value, what)
            except _BadValueError as bad:
                if bad.message:
                    self._problem(bad.loc, bad.message)
                complete = False
        missing = [key for key in _REQUIRED[kind] if key not in node.items]
        if missing:
            name = f"{kind} '{values['id']}'" if "id" in values else f"this {kind}"
            for key in missing:
                self._problem(node.loc, f"{name} has no '{key}'")
            complete = False
        return values, self._where(node.loc.path, keys, at, runs), complete

    def _where(
        self, path: str, keys: list[str], at: list[int], runs: dict[str, array[int]]
    ) -> Where:
        """The packed positions of one record; records of one shape share the keys' index."""
        return Where(path, self._index(keys), array("Q", at), runs or None)

    def _index(self, keys: list[str]) -> dict[str, int]:
        """The keys' index of a record of these keys, shared by every record of the shape."""
        shape = tuple(keys)
        index = self._shapes.get(shape)
        if index is None:
            index = {key: i for i, key in enumerate(shape)}  # a repeated key: the last wins
            if len(shape) <= RUN:  # a long mapping's record is a shape of its own
                self._shapes[shape] = index
        return index

    def _citations(self, node: Node, what: str) -> tuple[Citation, ...]:
        citations = []
        items = _seq(node, what)
        if not items:
            raise _BadValueError(node.loc, "an event must cite at least one source line")
        for item in items:
            read = self._record("citation", item)
            if read is None or not read[2]:
                raise _BadValueError(item.loc, "")  # its problems are recorded already
            values, where, _ = read
            if ("span" in values) != ("digest" in values):
                present, missing = ("span", "digest") if "span" in values else ("digest", "span")
                raise _BadValueError(
                    where[present],
                    f"a citation with '{present}' needs '{missing}' too; give both or neither",
                )
            citations.append(_build(Citation, values, where))
        return tuple(citations)

    def _check_event(self, values: dict[str, Any], where: Where, node: Node) -> bool:
        """What involves several fields of an event; False if the event cannot be built."""
        assert isinstance(node, Map)  # _record returned values, so it was one
        if self.schema >= 2 and "date" in values and values.get("kind") != "state":
            return True  # the usual event: nothing below can find anything

        def absent(key: str) -> bool:  # left out or empty; a bad value is reported already
            value = node.items.get(key, (None, None))[1]
            return key not in values and (value is None or _is_null(value))

        found = self._date_problems(values, where)
        name = f"event '{values['id']}'" if "id" in values else "this event"
        kind = values.get("kind", "event" if absent("kind") else None)  # None: unknown kind
        if kind == "state" and absent("as_of"):
            message = f"{name} is a state but has no 'as_of' (the date the source reports it true)"
            found.append(Problem(node.loc, message))
        elif kind not in (None, "state") and absent("date"):
            found.append(Problem(node.loc, f"{name} has no 'date' (only a state may leave it out)"))
        for problem in found:
            self.report(problem)
        return not found

    def _date_problems(self, values: dict[str, Any], where: Where) -> list[Problem]:
        """An interval in a schema 1 file; a state reported true before its date begins."""
        found = []
        date, as_of = values.get("date"), values.get("as_of")
        if isinstance(date, Interval) and self.schema < 2:
            message = "an interval date is a schema 2 field; write 'schema: 2' at the top"
            found.append(Problem(where["date"], message))
        start = date.start or date.end if isinstance(date, Interval) else date
        if (
            values.get("kind") == "state"
            and as_of
            and start
            and as_of.last_day() < start.first_day()
        ):
            found.append(
                Problem(
                    where["as_of"],
                    f"as_of {as_of} is before the date's start ({start}): a state cannot be"
                    " reported true before it began",
                )
            )
        return found

    def finish(self, files: tuple[str, ...]) -> EventLog:
        """Build the merged log and check every cross-reference."""
        sources = {}
        for values, where in self.records["sources"]:
            source = Source(**values, where=where)
            self._check_source(source)
            sources[source.id] = source
        technologies = {v["id"]: Technology(**v, where=w) for v, w in self.records["technologies"]}
        entities = {}
        for values, where in self.records["entities"]:
            kind = values.get("kind")
            spelled = {"kind": canonical_kind(kind)} if isinstance(kind, str) else {}
            entity = Entity(**(values | spelled), where=where)
            self._check_entity(entity)
            entities[entity.id] = entity
        events = []
        for values, where in self.records["events"]:
            event = _build(Event, values, where)  # a state may have no date: None
            self._check_references(event)
            events.append(event)
        events.sort(key=Event.sort_key)
        return EventLog(sources, entities, technologies, tuple(events), files)

    def _check_source(self, source: Source) -> None:
        """A text is named by `seed` or `text`, never both, and always with its sha256."""
        where, name = source.where, f"source '{source.id}'"
        if source.seed and source.text:
            self._problem(where["text"], f"{name} has both 'seed' and 'text'; give one")
        elif source.sha256 and not (source.seed or source.text):
            self._problem(where["sha256"], f"{name} has 'sha256' but no 'seed' or 'text'")
        elif not source.sha256 and (source.seed or source.text):
            present = "seed" if source.seed else "text"
            self._problem(
                where[present], f"{name} has '{present}' but no 'sha256'; give both or neither"
            )
        if source.lines and not (source.seed or source.text):
            self._problem(where["lines"], f"{name} has 'lines' but no 'seed' or 'text'")

    def _check_entity(self, entity: Entity) -> None:
        if entity.kind not in ENTITY_KINDS:
            self._problem(
                entity.where["kind"],
                f"unknown kind '{entity.kind}'{did_you_mean(entity.kind, ENTITY_KINDS)}"
                f" (expected one of: {', '.join(ENTITY_KINDS)})",
            )
        if entity.affiliations and not entity.is_person:
            self._problem(entity.where["affiliations"], "only a person has affiliations")
        self._refs("entities", entity.affiliations, entity.where, "affiliations")
        for code, source in entity.printed.items():
            if code != "name" and code not in entity.names:
                self._problem(
                    entity.where[f"printed.{code}:key"],
                    f"printed lists '{code}' but entity '{entity.id}' has no {code} name",
                )
            if source not in self.ids["sources"]:
                self._problem(
                    entity.where[f"printed.{code}"],
                    f"unknown source '{source}' in printed"
                    f"{self._hint(source, self.ids['sources'])}",
                )

    def _check_references(self, event: Event) -> None:
        self._refs("entities", event.entities, event.where, "entities")
        self._refs("technologies", event.technologies, event.where, "technologies")
        for citation in event.sources:
            self._refs("sources", (citation.source,), citation.where, "source")
        if event.according_to not in (None, SOURCE_CLAIM):
            known = self.ids["entities"]
            if event.according_to not in known:
                self._problem(
                    event.where["according_to"],
                    f"unknown entity '{event.according_to}' in according_to (an entity id, or"
                    f" '{SOURCE_CLAIM}' for the reporter's own claim)"
                    f"{self._hint(event.according_to, known)}",
                )

    def _refs(
        self, section: str, ids: tuple[str, ...], where: Mapping[str, Location], key: str
    ) -> None:
        known = self.ids[section]
        for i, ref in enumerate(ids):
            if ref not in known:
                loc = where.get(f"{key}.{i}") or where[key]
                self._problem(loc, f"unknown {_SINGULAR[section]} '{ref}'{self._hint(ref, known)}")

    def _hint(self, ref: str, known: Collection[str]) -> str:
        """'; did you mean ...?' for the first SUGGESTIONS unknown references of the load: each
        compares with every known id, so thousands of unknown references stay linear."""
        self._suggested += 1
        return did_you_mean(ref, known) if self._suggested <= SUGGESTIONS else ""
