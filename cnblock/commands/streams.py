"""Standard output and error, written so that nothing is lost in silence and nothing reaches a
terminal raw.

Every byte for standard output goes through `write`: it is written with `os.write` in a loop
that checks each write (CPython's buffered writer can drop the rest of a short write, as under
`ulimit -f`), a closed or full output is one plain error, and a closed pipe (`| head`) ends the
command quietly. Data formats (JSON, CSV, exports) are UTF-8 whatever the locale says, and
escaped when they go to a terminal; text for people is written in the terminal's encoding,
with what it cannot show written as escapes.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

import typer

from cnblock.errors import OutputError
from cnblock.text import printable

PIPE_CLOSED = 141
"""The exit status when the reader of a pipe went away (128 + SIGPIPE, as shells report)."""


def _fd(stream: IO[Any]) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, ValueError, OSError):  # io.UnsupportedOperation is both
        return None


def is_terminal(stream: IO[Any] | None) -> bool:
    """Whether `stream` is a terminal (False when it is closed or not a real file)."""
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def for_terminal(text: str) -> str:
    """`text` with every control and invisible formatting character but tab and newline
    written as an escape: what a data format may hold, made safe to show on a terminal."""
    return "\t".join(printable(part, keep_newlines=True) for part in text.split("\t"))


def write(text: str, data: bool = False) -> None:
    """Write `text` on standard output, every byte of it, or raise OutputError saying why not.

    `data`: the text is a file format (JSON, CSV, an export): UTF-8 into a file or a pipe,
    escaped on a terminal. Otherwise it is text for people, already made safe by its renderer,
    in the output's own encoding."""
    stream = sys.stdout
    if stream is None:  # started with standard output closed (`>&-`)
        raise OutputError("standard output is closed; nothing was written")
    terminal = is_terminal(stream)
    if data and terminal:
        text = for_terminal(text)
    encoding = "utf-8" if data and not terminal else getattr(stream, "encoding", None) or "utf-8"
    fd = _fd(stream)
    if fd is None:  # an in-memory stream (a test runner's): nothing can be lost there
        stream.write(text)
        stream.flush()
        return
    payload = memoryview(text.encode(encoding, "backslashreplace"))
    try:
        stream.flush()
        while payload:
            payload = payload[os.write(fd, payload) :]
    except BrokenPipeError:
        _quiet(fd)
        raise typer.Exit(PIPE_CLOSED) from None
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else str(exc)
        raise OutputError(
            f"cannot write to standard output: {reason}; the output is incomplete"
        ) from None


def _quiet(fd: int) -> None:
    """Point standard output at the null device, so that Python's own flush at exit does not
    complain about the closed pipe."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


def tolerant() -> None:
    """Let text that the output's encoding cannot show be written as escapes rather than end
    the command with a traceback (help, usage errors and messages printed by Typer too)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
