"""No broken words: every listing command, at 60, 80, 120 and 200 columns, shows every name,
id and technology of what it lists whole on some line, with no trailing spaces, no blank first
line, and no line past the width but for a single word too wide for any line (an address)."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

WIDTHS = [60, 80, 120, 200]
_TOKEN = re.compile(r"[\w.'&-]+")


def words(text: str) -> set[str]:
    """The words of a text; a full stop after a word is not part of it."""
    return {w.rstrip(".") for w in _TOKEN.findall(text)}


def shown(run, width: int, *args: str) -> str:
    result = run(*args, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def records(run, *args: str) -> list[dict]:
    data = json.loads(run(*args, "--format", "json").stdout)
    return data if isinstance(data, list) else [data]


def names_in(record: dict, limit: int | None = None) -> list[str]:
    """The names a record shows: its own, and those of what an event involves (at most
    `limit` entities, as the short timeline shows them)."""
    found = [record["name"]] if "name" in record else []
    involved = record.get("entities", [])[:limit] + record.get("technologies", [])
    return found + [item["name"] for item in involved]


def assert_tidy(out: str, width: int) -> None:
    lines = out.splitlines()
    assert lines, "nothing printed"
    assert lines[0].strip(), "a blank first line"
    for line in lines:
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
        too_wide = cell_len(line) > width
        assert not too_wide or len(line.split()) == 1, f"past {width} columns: {line!r}"


def assert_whole(out: str, ids: list[str], names: list[str], command: str) -> None:
    """Every id whole, every word of every name whole, and each name that can be kept on one
    line (with its words, at most 24 cells) whole on one line."""
    lines = out.splitlines()
    tokens = set().union(*(words(line) for line in lines))
    broken = sorted({i for i in ids if i not in tokens})
    broken += sorted({w for n in names for w in words(n) if w not in tokens})
    assert not broken, f"{command}: not whole on any line: {broken}\n{out}"
    flat = [" ".join(line.split()) for line in lines]
    split = sorted({n for n in names if cell_len(n) <= 24 and not any(n in f for f in flat)})
    assert not split, f"{command}: names split over lines: {split}\n{out}"


LISTINGS = [
    ("timeline", "--company", "BYD"),
    ("timeline", "--company", "BYD", "--long"),
    ("timeline", "--year", "2016"),
    ("timeline",),
    ("companies",),
    ("people",),
    ("tech",),
    ("sources",),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_listings_keep_every_word_whole(run, command, width):
    out = shown(run, width, *command)
    assert_tidy(out, width)
    found = records(run, *[a for a in command if a != "--long"])
    ids = [r["id"] for r in found]
    limit = None if "--long" in command else 6
    names = [n for r in found for n in names_in(r, limit)]
    if command[0] == "sources":
        names = [r["publisher"] for r in found]
    assert_whole(out, ids, names, " ".join(command))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("event_id", ["alliance-built-by-70-bodies", "amo-labs-carmomile-byd"])
def test_the_detail_of_an_event_keeps_every_word_whole(run, width, event_id):
    out = shown(run, width, "show", event_id)
    assert_tidy(out, width)
    (found,) = records(run, "show", event_id)
    assert_whole(out, [event_id], names_in(found), "show")


@pytest.mark.parametrize("width", WIDTHS)
def test_years_keep_every_word_whole(run, width):
    out = shown(run, width, "years")
    assert_tidy(out, width)
    rows = records(run, "years")
    named = [c for r in rows for c in r["companies"][:6]]  # the table names six a year
    assert_whole(out, [str(r["year"]) for r in rows], named, "years")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_year_matrix_keeps_every_word_whole(run, width):
    out = shown(run, width, "years", "--by", "company")
    assert_tidy(out, width)
    (row, *_) = records(run, "years", "--by", "company")
    organisations = [k for k in row if k != "year"]
    # an organisation that does not fit is left out, and named under the table
    assert_whole(out, [], organisations, "years --by company")


def test_output_into_a_pipe_is_as_wide_as_its_content(run):
    """Without COLUMNS and without a terminal, no line is cut to a guessed width."""
    result = run("timeline", "--company", "BYD", "--long", env={"COLUMNS": None})
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) > 120
    summary = "BYD started out as a battery manufacturer that its chairman, Wang Chuanfu, set up"
    assert any(summary in line for line in lines)
    assert_tidy(result.stdout, 10_000)
