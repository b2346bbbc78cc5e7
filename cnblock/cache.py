"""A derived, disposable copy of a loaded log, so that a repeated command skips the YAML.

One file a set of data files, in the user's cache folder ($XDG_CACHE_HOME/cnblock, else the
platform's), holding the records as plain tuples written with `marshal` (figures that chose
this form: bench/bench.py and the closing note of issue 13). It is used only when everything it
was made from is unchanged:

- each data file's real path, size, mtime_ns, ctime_ns, inode and device, and cnblock's version
  and the size and mtime of each of its modules (a new cnblock, or an edited one, misses);
- a file changed too recently to trust its timestamps (within RACY_NS of the cache being
  written: a same-size change in the same clock tick keeps them) is compared by CRC-32 too;
- the folder is the user's own and private (0700), the file the user's own; anything damaged,
  foreign or of another form is ignored, and the cache rebuilt.

It is written atomically (a temporary file renamed over the old one). `validate` never uses
the cache.

The file: the length of the header; the header (marshalled: what the cache was made from,
the sources, entities and technologies, the events' keys (model.EventKeys) and where each
event's bytes end); each event's own marshalled row; the positions (`where`) of every record,
packed, unpacked only when something asks for one. It is mapped, not read: a filtered command
(`read` with `pick`, see query.candidates) builds only the events its keys pick, and touches
only their pages. A damaged event is found when it is read, and the cache is then ignored.
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import os
import stat
import sys
import time
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import accumulate
from pathlib import Path
from typing import Any

from cnblock import __version__
from cnblock.errors import Location, Where, packed_of
from cnblock.model import (
    Citation,
    Entity,
    Event,
    EventKeys,
    EventLog,
    PartialDate,
    Source,
    Technology,
    event_keys,
    parse_when,
)

CACHE_ENV = "CNBLOCK_CACHE"
FORM = 6
"""The layout of the cache file; bumped when it changes."""
RACY_NS = 3_000_000_000
"""A data file whose mtime or ctime is this close to the writing of the cache is also compared
by content: file systems stamp times by clock tick, so a change of the same size in the same
tick leaves size and times alone."""

_DATES = frozenset({"date", "as_of", "published"})
_SAMPLE = 2048  # events whose round trip is checked before a cache is kept
_RECORDS = (Source, Entity, Technology, Citation, Event)


def enabled() -> bool:
    """Whether commands may use the cache: unless CNBLOCK_CACHE is 0 (or off, no, false)."""
    return os.environ.get(CACHE_ENV, "1").strip().lower() not in ("0", "off", "no", "false")


def folder() -> Path:
    """$XDG_CACHE_HOME/cnblock, else the platform's cache folder."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        base = Path(xdg)
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path.home() / ".cache"
    return base / "cnblock"


def _code() -> tuple[Any, ...]:
    """cnblock's version, the record layouts and the size and mtime of each module."""
    package = os.path.dirname(os.path.abspath(__file__))
    modules = []
    with os.scandir(package) as entries:
        for entry in entries:
            if entry.name.endswith(".py"):
                info = entry.stat()
                modules.append((entry.name, info.st_size, info.st_mtime_ns))
    layouts = tuple(r._fields for r in _RECORDS)
    return (FORM, __version__, sys.version_info[:2], sys.byteorder, layouts, tuple(sorted(modules)))


def _stats(paths: list[str]) -> tuple[tuple[Any, ...], ...] | None:
    found = []
    for path in paths:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        found.append(
            (
                os.path.realpath(path),
                info.st_size,
                info.st_mtime_ns,
                info.st_ctime_ns,
                info.st_ino,
                info.st_dev,
            )
        )
    return tuple(found)


def _file_for(paths: list[str]) -> Path:
    names = "\0".join(os.path.realpath(p) for p in paths).encode("utf-8", "surrogateescape")
    return folder() / f"log-{zlib.crc32(names):08x}-{len(paths)}.marshal"


def _racy(written: int, stat_: tuple[Any, ...]) -> bool:
    """Whether a file (as _stats gives it) changed within RACY_NS of the time `written`."""
    _path, _size, mtime, ctime, _ino, _dev = stat_
    return bool(written - max(mtime, ctime) < RACY_NS)


def _crc(path: str) -> int | None:
    try:
        with open(path, "rb") as handle:
            crc = 0
            while chunk := handle.read(1 << 20):
                crc = zlib.crc32(chunk, crc)
    except OSError:
        return None
    return crc


def _private_folder(path: Path, create: bool) -> bool:
    """Whether `path` is a folder of this user's, closed to others (made so if `create`)."""
    if create:
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
    try:
        info = os.lstat(path)
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and mine and info.st_mode & 0o077 == 0


def read(
    paths: list[str],
    pick: Callable[[EventLog, EventKeys], Iterable[int] | None] | None = None,
) -> EventLog | None:
    """The cached log of `paths`, or None when there is none that can be trusted.

    `pick`: given the log's records (its events left out) and the events' keys, the places of
    the only events to read (None: all of them); the log returned then holds just those
    events. Its errors (an unknown name) are the caller's, not the cache's."""
    opened = _open(paths)
    if opened is None:
        return None
    places = None if pick is None else pick(opened.log, opened.keys)
    try:
        return opened.log._replace(events=opened.events(places))
    except Exception:  # a damaged event is found only when it is read: the cache is ignored
        return None


def _open(paths: list[str]) -> _Opened | None:
    data = _own_bytes(_file_for(paths))
    if data is None:
        return None
    try:
        view = memoryview(data)
        size = int.from_bytes(view[:8], "little")
        form, code, stats, written, crcs, body = marshal.loads(view[8 : 8 + size])
        if form != FORM or code != _code() or stats != _stats(paths):
            return None
        for stat_, crc in zip(stats, crcs, strict=True):
            if _racy(written, stat_) and _crc(stat_[0]) != crc:
                return None
        rest = view[8 + size :]
        events_size, positions_size = body[-2:]
        if events_size + positions_size != len(rest):
            return None  # cut short, or longer than it says
        return _Opened(body, rest[:events_size], rest[events_size:], tuple(paths))
    except Exception:  # a damaged or foreign cache is ignored, whatever it holds
        return None


def _own_bytes(target: Path) -> mmap.mmap | None:
    """The bytes of a regular file of this user's in a private folder of this user's, mapped
    rather than read: a query reads only the pages of the events it picks. (The file is never
    changed in place, only replaced, so the mapping keeps the bytes it was opened with.)"""
    if not _private_folder(target.parent, create=False):
        return None
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if not (stat.S_ISREG(info.st_mode) and mine):
            return None
        return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return None
    finally:
        os.close(fd)


def write(paths: list[str], log: EventLog) -> bool:
    """Keep `log` as the cached copy of `paths`; False (and nothing written) when it cannot be
    kept: the folder is not private, a record cannot be stored as plain values, or a file
    changed while it was read."""
    stats = _stats(paths)
    target = _file_for(paths)
    if stats is None or not _private_folder(target.parent, create=True):
        return False
    try:
        body, events, positions = _encode(log)
        # Something that does not survive the round trip means no cache. The first events
        # stand for the rest (checking all would hold two copies of a large log).
        rows = memoryview(b"".join(events[:_SAMPLE]))
        sample = _Opened(body, rows, memoryview(positions), log.files)
        if (
            sample.log != log._replace(events=())
            or sample.events(range(min(_SAMPLE, len(events)))) != log.events[:_SAMPLE]
        ):
            return False
        # A file's CRC is checked on reading only when the file was racy when written (see
        # RACY_NS): only such a file is read again here (the CRC of another, 0, is never used).
        written = time.time_ns()
        crcs = tuple(_crc(p) if _racy(written, s) else 0 for p, s in zip(paths, stats, strict=True))
        if None in crcs or _stats(paths) != stats:
            return False
        header = marshal.dumps((FORM, _code(), stats, written, crcs, body))
    except (ValueError, TypeError):
        return False
    return _replace(target, [len(header).to_bytes(8, "little"), header, *events, positions])


def _replace(target: Path, parts: list[bytes]) -> bool:
    """Write `parts` to a temporary file beside `target` and rename it over `target`."""
    import tempfile

    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".marshal")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(parts)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


# Records <-> plain values --------------------------------------------------------------------


class _Store:
    """Every record's positions, kept as one marshalled blob until one of them is asked for:
    the key shapes, and for each record its file, its shape and where its positions start in
    one array of them (as errors.Where packs them), and the runs of long lists."""

    __slots__ = (
        "_at",
        "_blob",
        "_file",
        "_indexes",
        "_paths",
        "_runs",
        "_shape",
        "_shapes",
        "_starts",
    )

    def __init__(self, paths: tuple[str, ...], blob: bytes | memoryview):
        self._paths, self._blob = paths, blob
        self._shapes: tuple[tuple[str, ...], ...] | None = None

    def table(self, index: int) -> Where:
        if self._shapes is None:
            shapes, files, shape, at, runs = marshal.loads(self._blob)
            self._file, self._shape, self._at = _ints(files), _ints(shape), _ints(at, "Q")
            self._runs: dict[int, dict[str, bytes]] = runs
            self._indexes: dict[int, dict[str, int]] = {}
            starts = [0]  # each record's positions follow the last's
            for number in self._shape:
                starts.append(starts[-1] + len(shapes[number]))
            if starts[-1] != len(self._at):
                raise ValueError("positions of another size")
            self._starts = array("q", starts)
            self._shapes = shapes
        number, file = self._shape[index], self._file[index]
        keys = self._indexes.get(number)
        if keys is None:
            keys = self._indexes[number] = {k: i for i, k in enumerate(self._shapes[number])}
        runs = self._runs.get(index)
        return Where(
            self._paths[file] if file >= 0 else "",
            keys,
            self._at[self._starts[index] : self._starts[index + 1]],
            {key: _ints(run, "Q") for key, run in runs.items()} if runs else None,
        )


class Positions(Mapping[str, Location]):
    """A record's `where`, unpacked from the cache's blob of positions only when asked for (a
    listing never asks; `show` asks for a source's)."""

    __slots__ = ("_index", "_store", "_unpacked")

    def __init__(self, store: _Store, index: int):
        self._store, self._index = store, index
        self._unpacked: Where | None = None

    def _table(self) -> Where:
        if self._unpacked is None:
            self._unpacked = self._store.table(self._index)
        return self._unpacked

    def __getitem__(self, key: str) -> Location:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def __contains__(self, key: object) -> bool:
        return key in self._table()

    def __eq__(self, other: object) -> bool:
        return self._table() == (other._table() if isinstance(other, Positions) else other)

    __hash__ = None  # type: ignore[assignment]  # a mapping: unhashable, like a dict


class _Packer:
    """Records as plain values: positions apart, strings shared."""

    def __init__(self) -> None:
        self.files: dict[str, int] = {}
        self.strings: dict[str, str] = {}
        # the positions of every record (see _Store): its file, its key shape, its runs
        self.shapes: dict[tuple[str, ...], int] = {}
        self.file, self.shape, self.at = array("i"), array("i"), array("Q")
        self.runs: dict[int, dict[str, bytes]] = {}
        self._pending: list[Mapping[str, Location]] = []  # all added; packed by positions()
        self._indexes: dict[int, tuple[Mapping[str, int], int]] = {}  # id() -> (index, shape)
        self._texts: dict[int, tuple[Any, str]] = {}  # id() -> (date, its text)
        # the events' keys (model.EventKeys), gathered as their rows are made
        self.by_entity: defaultdict[str, list[int]] = defaultdict(list)
        self.by_technology: defaultdict[str, list[int]] = defaultdict(list)
        self.by_source: defaultdict[str, list[int]] = defaultdict(list)
        self.by_kind: defaultdict[str, list[int]] = defaultdict(list)
        self.first, self.last = array("i"), array("i")
        self._days: dict[int, tuple[Any, str | None, int, int]] = {}  # see _day_numbers

    def pack(self, where: Mapping[str, Location]) -> int:
        """Add a record's positions (see _Store); the number to find them by. (They are
        packed all together, by positions().)"""
        self._pending.append(where)
        return len(self._pending) - 1

    def positions(self) -> bytes:
        """Every record's positions, as _Store reads them."""
        self._pack_pending()
        shapes = sorted(self.shapes, key=self.shapes.__getitem__)
        return marshal.dumps(
            (tuple(shapes), self.file.tobytes(), self.shape.tobytes(), self.at.tobytes(), self.runs)
        )

    def _pack_pending(self) -> None:
        """Pack the positions added since the last time, in the order they were added. The
        loader's (an errors.Where) as packed, without a Location made: a record whose shape
        was seen costs a dict look-up and the array's extension."""
        indexes, files, at_all = self._indexes, self.files, self.at
        file_of, shape_of = self.file.append, self.shape.append
        done = len(self.file)
        for number, record in enumerate(self._pending[done:], done):
            where = record
            if where.__class__ is not Where and isinstance(record, Positions):
                where = record._table()  # a cached log's: as read, runs kept
            if where.__class__ is Where:
                path, index, at, runs = packed_of(where)
                seen = indexes.get(id(index))  # records of one shape share their index
                if seen is not None and seen[0] is index:
                    shape = seen[1]
                else:
                    shape, at = self._shape_of(where, index, at)
                if runs:
                    self.runs[number] = {key: run.tobytes() for key, run in runs.items()}
            else:
                path, shape, at = self._unpacked(where)
            if len(at):
                file = files.get(path)
                if file is None:
                    file = files[path] = len(files)
                file_of(file)
            else:
                file_of(-1)
            shape_of(shape)
            at_all.extend(at)

    def _shape_of(
        self, where: Where, index: Mapping[str, int], at: array[int]
    ) -> tuple[int, array[int]]:
        """The shape number of a Where whose index was not seen before, and its positions."""
        if list(index.values()) == list(range(len(at))):  # one place a key, in order
            shape = self.shapes.setdefault(tuple(index), len(self.shapes))
            self._indexes[id(index)] = (index, shape)
            return shape, at
        rows = where.rows()  # a key given twice (its last place counts): as its rows read
        shape = self.shapes.setdefault(tuple(r[0] for r in rows), len(self.shapes))
        return shape, array("Q", [line << 32 | col for _, line, col in rows])

    def _unpacked(self, where: Mapping[str, Location]) -> tuple[str, int, array[int]]:
        """The path, shape number and positions of a mapping of Locations."""
        paths = {loc.path for loc in where.values()}
        if len(paths) > 1:
            raise ValueError("positions in several files")  # never made by the loader
        shape = self.shapes.setdefault(tuple(where), len(self.shapes))
        at = array("Q", [loc.line << 32 | loc.col for loc in where.values()])
        return paths.pop() if paths else "", shape, at

    def plain(self, record: Any) -> tuple[Any, ...]:
        return tuple(self.value(record, n, v) for n, v in zip(record._fields, record, strict=True))

    def rows(self, events: Iterable[Event]) -> list[bytes]:
        """Each event's marshalled row (see event)."""
        dumps, row = marshal.dumps, self.event
        return [dumps(row(e)) for e in events]

    def event(self, event: Event) -> tuple[Any, ...]:
        """plain(event) written out, field by field in the same order (a large log has many
        events, and plain's generic way costs most of a first run's cache write). Its strings
        are not shared: each event is marshalled apart, so sharing would save nothing."""
        (
            id_,
            date,
            title,
            summary,
            sources,
            entities,
            technologies,
            date_note,
            place,
            kind,
            as_of,
            according_to,
            where,
        ) = event
        number = len(self.first)
        for name in entities:
            self.by_entity[name].append(number)
        for name in technologies:
            self.by_technology[name].append(number)
        self.by_kind[kind].append(number)
        pending = self._pending  # pack() written out: the number is the place in the list
        at = len(pending)
        if len(sources) == 1:
            (source, line, span, digest, cited_at) = sources[0]
            cited: tuple[Any, ...] = ((source, line, span, digest, at),)
            self.by_source[source].append(number)
            pending.append(cited_at)
            at += 1
        else:
            cited = tuple([(c[0], c[1], c[2], c[3], at + i) for i, c in enumerate(sources)])
            for name in dict.fromkeys(c[0] for c in sources):
                self.by_source[name].append(number)
            pending.extend([c[4] for c in sources])
            at += len(sources)
        pending.append(where)
        seen = self._days.get(id(date))
        if seen is None or seen[0] is not date:
            seen = self._day_numbers(event, date)
        self.first.append(seen[2])
        self.last.append(seen[3])
        return (
            id_,
            seen[1],
            title,
            summary,
            cited,
            entities,
            technologies,
            date_note,
            place,
            kind,
            None if as_of is None else self._text(as_of),
            according_to,
            at,
        )

    def _day_numbers(self, event: Event, date: Any) -> tuple[Any, str | None, int, int]:
        """The event's date, its text, and its first and last day numbers for the keys
        (model.event_keys' own, of the event alone); kept for each date object that is the
        whole extent (most events' date), so that the next event of that date costs one get."""
        keys = event_keys((event,))
        text = None if date is None else self._text(date)
        seen = (date, text, keys.first[0], keys.last[0])
        if date.__class__ is PartialDate:
            self._days[id(date)] = seen
        return seen

    def keys(self) -> tuple[Any, ...]:
        """The keys of the events made into rows so far, as plain values (see _Opened)."""
        return (
            len(self.first),
            *(
                {k: array("i", v).tobytes() for k, v in by.items()}
                for by in (self.by_entity, self.by_technology, self.by_source, self.by_kind)
            ),
            self.first.tobytes(),
            self.last.tobytes(),
        )

    def _text(self, date: Any) -> str:
        """str(date), made once for each date object (the loader shares a text's dates)."""
        seen = self._texts.get(id(date))
        if seen is not None and seen[0] is date:
            return seen[1]
        text = str(date)
        self._texts[id(date)] = (date, text)
        return text

    def value(self, record: Any, name: str, value: Any) -> Any:
        strings = self.strings
        if name == "where":
            return self.pack(value)
        if name in _DATES and value is not None:
            return str(value)
        if isinstance(record, Event) and name == "sources":
            return tuple(self.plain(c) for c in value)
        if isinstance(value, tuple):
            return tuple(strings.setdefault(v, v) if isinstance(v, str) else v for v in value)
        if isinstance(value, Mapping):
            return dict(value)
        # one copy of each string (ids above all): marshal writes it once, read back shared
        return strings.setdefault(value, value) if isinstance(value, str) else value


def _encode(log: EventLog) -> tuple[tuple[Any, ...], list[bytes], bytes]:
    """The header's part of the log (records, keys, where each event is), each event's own
    marshalled row, and the positions."""
    packer = _Packer()
    small = [
        tuple(packer.plain(r) for r in records)
        for records in (log.sources.values(), log.entities.values(), log.technologies.values())
    ]
    # Each event apart, so that a query reads only the events its keys pick.
    events = packer.rows(log.events)
    ends = array("q", [0])
    ends.extend(accumulate(map(len, events)))
    plain_keys = packer.keys()
    positions = packer.positions()
    body = (tuple(packer.files), *small, plain_keys, ends.tobytes(), ends[-1], len(positions))
    return body, events, positions


def _ints(data: bytes, code: str = "i") -> array[int]:
    found = array(code)
    found.frombytes(data)
    return found


class _Opened:
    """A cache file's records, built at once (they are few), and its events, each built only
    when asked for."""

    def __init__(
        self, body: tuple[Any, ...], rows: memoryview, positions: memoryview, files: tuple[str, ...]
    ):
        paths, sources, entities, technologies, plain_keys, ends, *_sizes = body
        self._ends = _ints(ends, "q")
        count = plain_keys[0]
        if len(self._ends) != count + 1:
            raise ValueError("places for another number of events")
        self._rows = rows
        self._store = _Store(paths, positions)
        self._dates: dict[str, Any] = {}
        entity, technology, source, kind = (
            {k: _ints(v) for k, v in by.items()} for by in plain_keys[1:5]
        )
        first, last = _ints(plain_keys[5]), _ints(plain_keys[6])
        self.keys = EventKeys(count, entity, technology, source, kind, first, last)
        if not len(self.keys.first) == len(self.keys.last) == count:
            raise ValueError("keys for another number of events")
        self.log = EventLog(
            self._records(Source, sources),
            self._records(Entity, entities),
            self._records(Technology, technologies),
            (),
            files,
        )

    def _when(self, text: str | None) -> Any:
        if text is None:
            return None
        found = self._dates.get(text)
        if found is None:
            found = self._dates[text] = parse_when(text)
        return found

    def _records(self, kind: Any, rows: tuple[tuple[Any, ...], ...]) -> dict[str, Any]:
        date_at = [i for i, name in enumerate(kind._fields) if name in _DATES]
        out = {}
        for row in rows:
            values = list(row)
            for i in date_at:
                values[i] = self._when(values[i])
            values[-1] = Positions(self._store, values[-1])
            record = kind._make(values)
            out[record.id] = record
        return out

    def events(self, places: Iterable[int] | None = None) -> tuple[Event, ...]:
        """The events at `places` (every event when None), in that order."""
        new, loads, when, store = tuple.__new__, marshal.loads, self._when, self._store
        fields = Event._fields
        at_date, at_as_of, at_sources = (fields.index(n) for n in ("date", "as_of", "sources"))
        rows, ends = self._rows, self._ends
        built = []
        for at in range(len(ends) - 1) if places is None else places:
            values = list(loads(rows[ends[at] : ends[at + 1]]))
            values[at_date] = when(values[at_date])
            values[at_as_of] = when(values[at_as_of])
            values[at_sources] = tuple(
                new(Citation, (*c[:-1], Positions(store, c[-1]))) for c in values[at_sources]
            )
            values[-1] = Positions(store, values[-1])
            built.append(new(Event, values))
        return tuple(built)
