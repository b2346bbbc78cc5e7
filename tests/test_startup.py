"""Start-up guard: the commonest command imports nothing it does not use.

A deterministic stand-in for a timing gate (wall-clock ratios are too noisy on a shared
machine to fail CI on; bench/bench.py measures time for people)."""

from __future__ import annotations

import subprocess
import sys

import pytest

_SCRIPT = """
import sys, atexit
atexit.register(lambda: sys.__stderr__.write("MODULES " + " ".join(sorted(sys.modules)) + "\\n"))
sys.argv = ["cnblock", *{args!r}]
from cnblock.cli import main
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


def imported_by(*args: str) -> set[str]:
    code = _SCRIPT.format(args=list(args))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "BYD" in result.stdout, result.stdout
    return set(result.stderr.rpartition("MODULES ")[2].split())


def test_the_timeline_imports_nothing_it_does_not_need():
    modules = imported_by("timeline", "--company", "BYD")
    assert "cnblock.loader" in modules  # the guard sees what the command really loads
    assert sorted(set(NOT_NEEDED) & modules) == []


@pytest.mark.parametrize("module", ["json", "cnblock.output"])
def test_the_guard_would_notice(module, tmp_path):
    """Import one of the modules before the command, as a careless import would."""
    code = _SCRIPT.replace("from cnblock.cli", f"import {module}\nfrom cnblock.cli")
    result = subprocess.run(
        [sys.executable, "-c", code.format(args=["timeline", "--company", "BYD"])],
        capture_output=True,
        text=True,
    )
    assert module in result.stderr.rpartition("MODULES ")[2].split()
