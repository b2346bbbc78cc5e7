"""The standard-output writer in process, on real file descriptors (pipes, /dev/full)."""

from __future__ import annotations

import io
import os
import sys

import pytest
import typer

from cnblock.commands import streams
from cnblock.errors import OutputError


class Pipe(io.TextIOWrapper):
    """A text stream over the write end of a pipe that may claim to be a terminal."""

    def __init__(self, fd: int, terminal: bool = False, encoding: str = "utf-8"):
        super().__init__(open(fd, "wb", closefd=False), encoding=encoding)  # noqa: SIM115
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.fixture
def pipe(monkeypatch):
    """Standard output replaced by a pipe; returns a function reading what was written."""
    read_end, write_end = os.pipe()

    def install(**options):
        monkeypatch.setattr(sys, "stdout", Pipe(write_end, **options))

    def written() -> bytes:
        os.close(write_end)
        with open(read_end, "rb") as handle:
            return handle.read()

    return install, written


def test_every_byte_reaches_the_descriptor(pipe):
    install, written = pipe
    install()
    streams.write("比亚迪 BYD\n", data=True)
    assert written() == "比亚迪 BYD\n".encode()


def test_data_to_a_terminal_is_escaped_but_keeps_tabs_and_newlines(pipe):
    install, written = pipe
    install(terminal=True)
    streams.write("a\tb\x1b]2;title\x07\u202e\x85\n", data=True)
    assert written() == b"a\tb\\x1b]2;title\\x07\\u202e\\x85\n"


def test_people_text_takes_the_terminal_encoding_with_escapes(pipe):
    install, written = pipe
    install(encoding="ascii")
    streams.write("비야디\n")
    assert written() == b"\\ube44\\uc57c\\ub514\n"


def test_data_stays_utf8_on_an_ascii_pipe(pipe):
    install, written = pipe
    install(encoding="ascii")
    streams.write("비야디\n", data=True)
    assert written() == "비야디\n".encode()


def test_a_closed_output_is_an_error(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(OutputError, match="standard output is closed; nothing was written"):
        streams.write("x")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_device_is_an_error(monkeypatch):
    with open("/dev/full", "w", encoding="utf-8") as full:
        monkeypatch.setattr(sys, "stdout", full)
        with pytest.raises(OutputError, match="no space left on device; the output is incomplete"):
            streams.write("x" * 100_000)


def test_short_writes_are_continued(pipe, monkeypatch):
    install, written = pipe
    install()
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data[:3])))
    streams.write("0123456789")
    assert written() == b"0123456789"


def test_a_closed_pipe_ends_quietly(monkeypatch):
    read_end, write_end = os.pipe()
    os.close(read_end)
    saved = os.dup(write_end)
    try:
        monkeypatch.setattr(sys, "stdout", Pipe(write_end))
        with pytest.raises(typer.Exit) as caught:
            streams.write("x")
        assert caught.value.exit_code == streams.PIPE_CLOSED
    finally:
        os.close(saved)
        os.close(write_end)


def test_unencodable_text_from_typer_becomes_escapes(monkeypatch):
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    streams.tolerant()
    stream.write("비")
    stream.flush()
    assert stream.buffer.getvalue() == b"\\ube44"


def test_is_terminal_of_nothing():
    assert streams.is_terminal(None) is False
    assert streams.is_terminal(io.StringIO()) is False
