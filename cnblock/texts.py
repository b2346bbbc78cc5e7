"""A source's text: where it is, and reading it without trusting it.

The shipped sources name their texts by file name in the folder that CNBLOCK_SEEDS names (the
articles are not part of the project). A user's own source names its text by a path relative
to the data file that records it (`text: texts/caixin-2021.txt`), so that the articles can be
kept beside the log that cites them, and the log moved or shared as one folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from cnblock.errors import DataError, Location, Problem
from cnblock.model import Source

SEEDS_ENV = "CNBLOCK_SEEDS"
MAX_TEXT_BYTES = 8 * 1024 * 1024
"""Far above any article (the seed texts are about 10 KiB); a larger file is not a text."""


def seeds_folder() -> Path | None:
    """The folder CNBLOCK_SEEDS names, or None when it is not set."""
    value = os.environ.get(SEEDS_ENV)
    return Path(value) if value else None


def _fail(path: str, message: str, line: int = 1, col: int = 1) -> DataError:
    return DataError([Problem(Location(path, line, col), message)])


def read_bytes(path: str, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; a DataError naming `path` (as
    'a data file', 'a text': `what`) when it cannot be one."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _fail(path, f"is a directory, not {what}")
    if not stat.S_ISREG(info.st_mode):
        raise _fail(path, "is not a regular file")  # a FIFO or device could block or never end
    if info.st_size > limit:
        raise _fail(path, f"is {info.st_size:,} bytes; {what} may have at most {limit:,}")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror}") from None
    if len(raw) > limit:  # it grew since it was measured
        raise _fail(path, f"is over {limit:,} bytes; {what} may have at most {limit:,}")
    return raw


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

    raw = read_bytes(str(path), MAX_TEXT_BYTES, "a text")
    return SourceText(
        path, hashlib.sha256(raw).hexdigest(), split(raw.decode("utf-8-sig", "replace"))
    )
