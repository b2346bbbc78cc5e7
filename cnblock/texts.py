"""A source's text: where it is, and reading it without trusting it.

The shipped sources name their texts by file name in the folder that CNBLOCK_SEEDS names (the
articles are not part of the project). A user's own source names its text by a path relative
to the data file that records it (`text: texts/caixin-2021.txt`), so that the articles can be
kept beside the log that cites them, and the log moved or shared as one folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from cnblock.errors import CnblockError, DataError, Location, Problem
from cnblock.model import Source

SEEDS_ENV = "CNBLOCK_SEEDS"
MAX_TEXT_BYTES = 8 * 1024 * 1024
"""Far above any article (the seed texts are about 10 KiB); a larger file is not a text."""


def seeds_folder() -> Path | None:
    """The folder CNBLOCK_SEEDS names, or None when it is not set."""
    value = os.environ.get(SEEDS_ENV)
    return Path(value) if value else None


def check_folder(folder: Path) -> None:
    """CnblockError naming the cause when `folder` (from CNBLOCK_SEEDS) is not a folder, so
    that it is said once rather than once a source."""
    try:
        info = folder.stat()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise CnblockError(f"{SEEDS_ENV}={folder}: {reason}") from None
    except ValueError:
        raise CnblockError(f"{SEEDS_ENV}: the folder's name holds a NUL character") from None
    if not stat.S_ISDIR(info.st_mode):
        raise CnblockError(f"{SEEDS_ENV}={folder}: is not a folder")


def _fail(path: str, message: str, line: int = 1, col: int = 1) -> DataError:
    return DataError([Problem(Location(path, line, col), message)])


_CHUNK = 1 << 20


def read_bytes(
    path: str,
    limit: int,
    what: str,
    each: Callable[[bytes], object] | None = None,
    larger: str = "",
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, each chunk handed to `each` as it
    is read (a hash, say); a DataError naming `path` (as 'a data file', 'a text': `what`) when
    it cannot be one (`larger`: how to allow a larger file, said when it is too large). The
    file is opened without blocking and checked through its descriptor, so that a FIFO, a
    device or a link to one cannot block, run forever or be swapped in after the check."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except ValueError:  # a NUL in the name
        raise _fail(path, "the name holds a NUL character") from None
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _fail(path, f"is a directory, not {what}")
        if not stat.S_ISREG(info.st_mode):
            raise _fail(path, "is not a regular file")
        if info.st_size > limit:
            raise _fail(path, f"is {info.st_size:,} bytes; {_at_most(what, limit, larger)}")
    except BaseException:
        os.close(fd)
        raise
    chunks, size = [], 0
    with os.fdopen(fd, "rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                if size > limit:  # it grew since it was measured
                    raise _fail(path, f"is over {limit:,} bytes; {_at_most(what, limit, larger)}")
                if each is not None:
                    each(chunk)
                chunks.append(chunk)
        except OSError as exc:
            raise _fail(path, f"cannot read: {exc.strerror}") from None
    return b"".join(chunks)


def _at_most(what: str, limit: int, larger: str) -> str:
    mib = f" ({limit / 1024 / 1024:,.0f} MiB)" if limit >= 1024 * 1024 else ""
    return f"{what} may have at most {limit:,} bytes{mib}" + (f"; {larger}" if larger else "")


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text (a byte-order mark dropped); a DataError at the first invalid byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise _fail(path, f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, col) from None


def split(text: str) -> list[str]:
    """A text's lines as citations count them: split on line feeds, nothing removed, so that
    line n is the n-th piece (a text ending in a line feed has an empty last line)."""
    return text.split("\n")


def locate(source: Source, seeds: Path | None) -> Path | str:
    """Where the source's text is to be found, or in words why it has none: a seed in the
    CNBLOCK_SEEDS folder, or a `text` path taken from the folder of the file that records it
    (unless it is absolute)."""
    if source.text:
        recorded_in = source.where.get("text")
        base = Path(recorded_in.path).parent if recorded_in else Path()
        return base / os.path.expanduser(source.text)
    if source.seed:
        return seeds / source.seed if seeds else f"{SEEDS_ENV} is not set"
    return "no text recorded (give the source 'text' and 'sha256')"


class SourceText(NamedTuple):
    """A text as read from disk: its fingerprint and its lines."""

    path: Path
    sha256: str
    lines: list[str]


def read(path: Path) -> SourceText:
    """Read a source's text for checking: bytes that are not UTF-8 count as U+FFFD (they
    cannot match a citation, and the fingerprint catches the change). DataError when it is
    not a readable file of reasonable size."""
    import hashlib

    digest = hashlib.sha256()
    raw = read_bytes(str(path), MAX_TEXT_BYTES, "a text", digest.update)  # hashed as it is read
    return SourceText(path, digest.hexdigest(), split(raw.decode("utf-8-sig", "replace")))


class Readable(NamedTuple):
    """A source's text to show a reader: its lines, and what the reader should know about
    them (bytes that are not UTF-8, a text that is not the one recorded)."""

    lines: list[str]
    notes: list[str]


def for_reading(source: Source, seeds: Path | None) -> Readable:
    """The source's text as the reader's copy has it; a one-line CnblockError saying why when
    there is none to show. Bytes that are not UTF-8 are shown as \\xNN escapes."""
    import hashlib

    where = locate(source, seeds)
    if isinstance(where, str):
        raise CnblockError(f"cannot show {source.id}: {where}")
    digest = hashlib.sha256()
    try:
        raw = read_bytes(str(where), MAX_TEXT_BYTES, "a text", digest.update)
    except DataError as exc:
        raise CnblockError(f"cannot show {source.id}: {where}: {exc.problems[0].message}") from None
    notes = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("utf-8-sig", "backslashreplace")
        notes.append(f"{where} is not valid UTF-8; its bad bytes are shown as \\xNN")
    if source.sha256 and digest.hexdigest() != source.sha256:
        notes.append(
            f"{where} is not the text recorded for {source.id} (its sha256 differs);"
            " the lines may not be the ones the events cite"
        )
    return Readable(split(text), notes)
