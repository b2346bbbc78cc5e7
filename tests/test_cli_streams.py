"""Standard output as it really is: closed, full, size-limited, a pipe closed early, an ASCII
encoding. Every command either writes all of its output or says in one line why not; none
ends in a traceback. (Run as real processes: an in-process runner has no file descriptors.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

COMMANDS = [
    ["timeline"],
    ["timeline", "--format", "json"],
    ["timeline", "--format", "csv"],
    ["years"],
    ["years", "--by", "company", "--format", "csv"],
    ["show", "byd-first-developer-conference"],
    ["companies"],
    ["companies", "--format", "json"],
    ["people"],
    ["tech"],
    ["sources", "--format", "csv"],
    ["export"],
    ["export", "--format", "yaml"],
    ["export", "--format", "timelinejs"],
    ["validate"],
]
"""Every command, in the table form and the data formats."""


def cnblock(args: list[str], shell_tail: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m cnblock ARGS` through the shell, so that `>&-` and `ulimit` can be used."""
    quoted = " ".join(f"'{a}'" for a in args)
    environment = {k: v for k, v in os.environ.items() if k not in ("CNBLOCK_DATA", "COLUMNS")}
    environment |= {"PYTHONPATH": str(ROOT), "CNBLOCK_PAGER": "cat", **env}
    return subprocess.run(
        f"'{sys.executable}' -m cnblock {quoted} {shell_tail}",
        shell=True,
        capture_output=True,
        text=True,
        env=environment,
    )


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_closed_standard_output_is_one_line_and_a_failure(args):
    done = cnblock(args, ">&-")
    assert done.returncode == 1, done.stderr
    assert done.stderr == "cnblock: standard output is closed; nothing was written\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_disk_is_one_line_and_a_failure(args):
    done = cnblock(args, "> /dev/full")
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        "cnblock: cannot write to standard output: no space left on device;"
        " the output is incomplete\n"
    )


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_an_ascii_output_encoding_shows_escapes_not_a_traceback(args):
    done = cnblock(args, PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip(), done.stderr


def test_an_ascii_table_is_drawn_with_ascii_and_names_escaped():
    done = cnblock(["companies"], PYTHONIOENCODING="ascii")
    assert "─" not in done.stdout
    assert "-----" in done.stdout
    assert "\\ube44\\uc57c\\ub514" in done.stdout  # 비야디, as the terminal cannot show it


def test_data_formats_stay_utf8_whatever_the_locale_says():
    done = cnblock(["companies", "--format", "json"], PYTHONIOENCODING="ascii")
    assert "비야디" in done.stdout


def test_output_past_a_file_size_limit_is_an_error_not_a_silent_truncation(tmp_path):
    target = tmp_path / "out.json"
    done = cnblock(["export", "--format", "json"], f"> '{target}'")
    assert done.returncode == 0
    whole = target.stat().st_size
    assert whole > 4096
    limited = subprocess.run(
        f"ulimit -f 1; '{sys.executable}' -m cnblock export --format json > '{target}'",
        shell=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert limited.returncode == 1, limited.stderr
    assert limited.stderr == (
        "cnblock: cannot write to standard output: file too large; the output is incomplete\n"
    )
    assert 0 < target.stat().st_size < whole


def test_a_pipe_closed_early_ends_quietly():
    script = (
        f"'{sys.executable}' -m cnblock export --format json | head -c 10 >/dev/null;"
        " exit ${PIPESTATUS[0]}"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    assert done.stderr == ""
    assert done.returncode in (0, 141)  # 0 when all of it fitted in the pipe before head left
