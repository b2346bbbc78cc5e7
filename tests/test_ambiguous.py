"""Terminals that draw East Asian "ambiguous" characters (·, –, ─, █) two cells wide, as many
Chinese and Korean setups do: with ASCII drawing (chosen by --ascii, CNBLOCK_ASCII=1, or a
CJK locale) every listing at 80 columns stays within 80 cells counted that way."""

from __future__ import annotations

import unicodedata

import pytest
from rich.cells import cell_len

LISTINGS = [
    ("timeline", "--company", "BYD"),
    ("timeline", "--company", "BYD", "--long"),
    ("years",),
    ("years", "--by", "company"),
    ("companies",),
    ("people",),
    ("tech",),
    ("sources",),
    ("show", "amo-labs-carmomile-byd"),
]


def wide_cells(line: str) -> int:
    """Cells on a terminal that draws ambiguous-width characters two cells wide."""
    return cell_len(line) + sum(
        1 for c in line if not c.isascii() and unicodedata.east_asian_width(c) == "A"
    )


def too_wide(out: str, width: int) -> list[str]:
    """Lines past `width` when ambiguous characters count double, but for a single word too
    wide for any line (an address)."""
    return [line for line in out.splitlines() if wide_cells(line) > width and len(line.split()) > 1]


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
@pytest.mark.parametrize(
    ("how", "env"),
    [
        ("--ascii", {}),
        ("", {"LANG": "zh_CN.UTF-8"}),
        ("", {"LC_ALL": "ko_KR.UTF-8"}),
        ("", {"CNBLOCK_ASCII": "1"}),
    ],
    ids=["option", "zh locale", "ko locale", "environment"],
)
def test_eighty_columns_stay_eighty_cells_when_ambiguous_characters_are_wide(
    run, command, how, env
):
    args = ([how] if how else []) + list(command)
    environment = {"COLUMNS": "80", "NO_COLOR": "1", "LANG": None, "LC_ALL": None, "LC_CTYPE": None}
    environment |= env
    out = run(*args, env=environment).stdout
    assert out.strip(), out
    assert too_wide(out, 80) == [], out
    assert not any(c in out for c in "─█–"), out  # drawn with ASCII


def test_unicode_drawing_is_the_default_elsewhere_and_would_overflow(run):
    """Without ASCII drawing the rule under a table is 80 ─, 160 cells on such a terminal:
    the check above is not vacuous."""
    environment = {"COLUMNS": "80", "NO_COLOR": "1", "LANG": "en_GB.UTF-8", "LC_ALL": None}
    environment["LC_CTYPE"] = None
    out = run("timeline", "--company", "BYD", env=environment).stdout
    assert "─" * 80 in out
    assert wide_cells("─" * 80) == 160
    assert (
        run("--unicode", "companies", env=environment | {"LANG": "ko_KR.UTF-8"}).stdout.count("─")
        >= 80
    )
