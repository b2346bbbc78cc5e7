"""Start-up guard: the commonest command imports nothing it does not use.

A deterministic stand-in for a timing gate (wall-clock ratios are too noisy on a shared
machine to fail CI on; bench/bench.py measures time for people)."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

from cnblock import __version__

_SCRIPT = """
import sys, atexit
atexit.register(lambda: sys.__stderr__.write("MODULES " + " ".join(sorted(sys.modules)) + "\\n"))
sys.argv = ["cnblock", *{args!r}]
from cnblock.launch import main
main()
"""

NOT_NEEDED = [
    "json",
    "csv",
    "hashlib",
    "tempfile",
    "pydantic",
    "sqlite3",
    "html",
    "markdown_it",
    "cnblock.provenance",
    "cnblock.output",
    "cnblock.htmlexport",
    "cnblock.chart",
    "cnblock.curate",
    "cnblock.checks",
]
"""Modules `cnblock timeline --company BYD` has no use for: each costs start-up time."""


def imported_by(*args: str, expect: str = "BYD") -> set[str]:
    code = _SCRIPT.format(args=list(args))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert expect in result.stdout, result.stdout
    return set(result.stderr.rpartition("MODULES ")[2].split())


def test_the_timeline_imports_nothing_it_does_not_need():
    modules = imported_by("timeline", "--company", "BYD")
    assert "cnblock.loader" in modules  # the guard sees what the command really loads
    assert sorted(set(NOT_NEEDED) & modules) == []


def test_a_command_imports_only_its_own_family_and_no_console_into_a_pipe():
    """Typer builds only the command that runs; output into a pipe is plain text, which needs
    no Rich Console."""
    modules = imported_by("timeline", "--company", "BYD")
    assert "cnblock.commands.explore" in modules
    assert "cnblock.commands.exporting" not in modules
    assert "cnblock.commands.checking" not in modules
    assert "rich.console" not in modules
    assert "typer.rich_utils" not in modules
    exporting = imported_by("export", "--company", "BYD", expect="# cnblock timeline")
    assert "cnblock.commands.explore" not in exporting
    assert "cnblock.render" not in exporting


HELP_NOT_NEEDED = ["typer.rich_utils", "rich.markdown", "markdown_it", "pygments", "rich.traceback"]
"""What Typer's own help formatting imports: more than all the rest of `cnblock --help`."""


@pytest.mark.parametrize(
    "args", [["--help"], ["timeline", "--help"], ["source", "add", "-h"]], ids=" ".join
)
def test_help_imports_neither_typers_help_formatting_nor_markdown_nor_pygments(args):
    modules = imported_by(*args, expect="Usage: cnblock")
    assert sorted(m for m in modules if m.split(".")[0] in ("markdown_it", "pygments")) == []
    assert sorted(set(HELP_NOT_NEEDED) & modules) == []


def test_the_list_of_commands_imports_none_of_them_and_no_yaml():
    """`cnblock --help` lists every command from cli.COMMANDS, building none of them."""
    modules = imported_by("--help", expect="Show events in date order, grouped by year.")
    commands = sorted(m for m in modules if m.startswith("cnblock.commands."))
    assert commands == [
        "cnblock.commands.common",
        "cnblock.commands.helppage",
        "cnblock.commands.streams",
    ]
    assert "yaml" not in modules
    assert "rich.console" not in modules  # plain text into a pipe


def test_version_imports_neither_typer_nor_rich_nor_yaml():
    modules = imported_by("--version", expect=f"cnblock {__version__}")
    assert {m.split(".")[0] for m in modules} & {"typer", "rich", "yaml", "json"} == set()
    assert sorted(m for m in modules if m.startswith("cnblock")) == ["cnblock", "cnblock.launch"]


def test_version_is_the_same_answer_through_the_app(run):
    """The fast path and Typer's eager --version option say the same."""
    result = subprocess.run(
        [sys.executable, "-m", "cnblock", "--version"], capture_output=True, text=True
    )
    assert result.stdout == run("--version").stdout == f"cnblock {__version__}\n"
    assert run("--data", "x.yaml", "--version").stdout == result.stdout


@pytest.mark.parametrize("redirect", [">&-", ">/dev/full"])
def test_version_on_an_unusable_output_falls_back_to_the_apps_report(redirect):
    """`cnblock --version >&-`: the fast path cannot write, so the app runs and says why."""
    command = f"{shlex.quote(sys.executable)} -m cnblock --version {redirect}"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert result.stderr.startswith("cnblock: "), result.stderr
    assert "standard output" in result.stderr, result.stderr
    assert result.returncode == 1


def test_a_command_answered_from_the_cache_imports_no_yaml(monkeypatch, tmp_path):
    monkeypatch.setenv("CNBLOCK_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert "yaml" in imported_by("timeline", "--company", "BYD")  # the first run reads YAML
    modules = imported_by("timeline", "--company", "BYD")
    assert "cnblock.cache" in modules
    assert not {m for m in modules if m == "yaml" or m.startswith("yaml.")}
