"""The conventions of well-made command-line tools: `-o -`, the format from the file name, a
pager like git's, -V, --color, both spellings of a kind, and every error on one plain line."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from cnblock import loader
from cnblock.model import canonical_kind

ROOT = Path(__file__).resolve().parent.parent


def cnblock(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """The real program in a process of its own, standard output and error being pipes."""
    environment = {k: v for k, v in os.environ.items() if k not in ("CNBLOCK_DATA", "COLUMNS")}
    environment.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "cnblock", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        check=False,
    )


def test_dash_output_is_standard_output(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("export", "--company", "BYD", "--year", "1995", "-o", "-")
    assert result.stdout.startswith("# cnblock timeline: company BYD, year 1995\n"), result.output
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("byd.csv", "id,kind,date,"),
        ("byd.json", '{\n  "filters"'),
        ("byd.yml", "# A subset of the cnblock event log"),
        ("byd.md", "# cnblock timeline"),
        ("byd.txt", "# cnblock timeline"),  # an ending no format claims: markdown
    ],
)
def test_the_format_follows_the_file_name(run, tmp_path, name, start):
    target = tmp_path / name
    result = run("export", "--company", "BYD", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text("utf-8").startswith(start), target.read_text("utf-8")[:200]


def test_a_format_that_contradicts_the_file_name_is_a_usage_error(run, tmp_path):
    target = tmp_path / "byd.json"
    result = run("export", "--company", "BYD", "--format", "csv", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"cnblock: --format csv contradicts the file name '{target}', which ends in .json"
        " (json or timelinejs); change one of them\n"
    )
    assert not target.exists()
    # TimelineJS is JSON: no contradiction
    assert run("export", "-f", "timelinejs", "-o", str(target)).exit_code == 0
    assert "events" in json.loads(target.read_text("utf-8"))


def test_dash_capital_v_is_the_version(run):
    from cnblock import __version__

    assert run("-V").stdout == f"cnblock {__version__}\n"


def test_color_always_never_and_the_environment(run):
    args = ("timeline", "--company", "BYD", "--year", "1995")
    assert "\x1b[" in run("--color", "always", *args).stdout
    assert "\x1b[" in run(*args, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run("--color", "never", *args, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run(*args).stdout  # not a terminal
    assert run("--color", "sometimes", *args).stderr == (
        "cnblock: invalid value for '--color': 'sometimes' is not one of 'auto', 'always',"
        " 'never'; see: cnblock -h\n"
    )


@pytest.mark.parametrize("spelling", ["organisation", "organization", "Organization"])
def test_both_spellings_of_a_kind_are_one_kind(run, spelling):
    found = json.loads(run("companies", "--kind", spelling, "--format", "json").stdout)
    assert "zhongguancun-blockchain-industry-alliance" in [c["id"] for c in found]
    assert {c["kind"] for c in found} == {"organisation"}


def test_an_unknown_kind_suggests_one(run):
    result = run("companies", "--kind", "universty")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "cnblock: invalid value for --kind: 'universty' is not a kind of organisation;"
        " did you mean 'university'?"
    ), result.stderr
    assert result.stderr.count("\n") == 1


def test_the_loader_reads_the_us_spelling_as_the_british_kind(tmp_path):
    assert canonical_kind("organization") == "organisation"
    assert canonical_kind("program") == "programme"
    assert canonical_kind("company") == "company"
    data = tmp_path / "mine.yaml"
    data.write_text(
        "schema: 1\nentities:\n  - {id: club, kind: organization, name: Club}\n"
        "  - {id: plan, kind: program, name: Plan}\n",
        "utf-8",
    )
    log = loader.load([str(data)])
    assert [(e.id, e.kind) for e in log.entities.values()] == [
        ("club", "organisation"),
        ("plan", "programme"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timeline", "--compny", "BYD"], "no such option: --compny"),
        (["show"], "missing argument 'ID...'"),
        (["nope"], "no such command 'nope'"),
        (["timeline", "--format", "xml"], "invalid value for '--format' / '-f': 'xml'"),
        (["timeline", "--limit", "0"], "invalid value for '--limit' / '-n': 0 is not a count"),
        (["timeline", "--company", "BYDD"], "unknown company 'BYDD'; did you mean 'BYD'?"),
    ],
)
def test_every_error_is_one_plain_line_on_standard_error(args, message):
    done = cnblock(*args)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith(f"cnblock: {message}"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "╭" not in done.stderr
    assert "Usage:" not in done.stderr


def test_help_placeholders_are_words(run):
    show = run("show", "-h", env={"COLUMNS": "120"}).stdout
    assert "ID..." in show, show
    assert "<str>" not in show, show
    timeline = run("timeline", "-h", env={"COLUMNS": "120"}).stdout
    assert "N  " in timeline, timeline
    assert "x>=1" not in timeline, timeline
    assert "NAME" in timeline
    assert "table: a table to read on screen" in timeline
    validate = run("validate", "-h", env={"COLUMNS": "120"}).stdout
    assert "[FILE]..." in validate, validate
    assert "<path>" not in validate, validate


def on_a_terminal(*args: str, rows: int = 24, **env: str) -> tuple[str, int]:
    """Run cnblock with standard output on a pseudo-terminal `rows` lines high; what the
    terminal received and the exit status."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 100, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("CNBLOCK_DATA", "COLUMNS")}
    environment.update(PYTHONPATH=str(ROOT), NO_COLOR="1", **env)
    environment.pop("PAGER", None) if "PAGER" not in env else None
    proc = subprocess.Popen(
        [sys.executable, "-m", "cnblock", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    return received.decode("utf-8", "replace"), proc.wait(timeout=60)


def test_long_output_on_a_terminal_goes_through_the_pager(tmp_path):
    paged = tmp_path / "paged.txt"
    pager = f"cat > '{paged}'; echo LESS=$LESS >> '{paged}'"
    screen, status = on_a_terminal("timeline", CNBLOCK_PAGER=pager)
    assert status == 0
    text = paged.read_text("utf-8")
    assert "byd-founded-as-battery-maker" in text, text[-300:]
    assert "LESS=FRX" in text, text[-300:]
    assert "byd-founded-as-battery-maker" not in screen
    # $PAGER when CNBLOCK_PAGER is not set
    paged.unlink()
    on_a_terminal("timeline", PAGER=pager)
    assert "byd-founded-as-battery-maker" in paged.read_text("utf-8")


def test_no_pager_for_short_output_with_no_pager_or_an_empty_pager(tmp_path):
    paged = tmp_path / "paged.txt"
    pager = f"cat > '{paged}'"
    screen, _ = on_a_terminal("timeline", "--company", "BYD", "--year", "1995", PAGER=pager)
    assert "byd-founded-as-battery-maker" in screen
    assert not paged.exists()
    screen, _ = on_a_terminal("--no-pager", "timeline", PAGER=pager)
    assert "byd-founded-as-battery-maker" in screen
    assert not paged.exists()
    screen, _ = on_a_terminal("timeline", CNBLOCK_PAGER="", PAGER=pager)
    assert "byd-founded-as-battery-maker" in screen
    assert not paged.exists()
