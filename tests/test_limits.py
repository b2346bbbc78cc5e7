"""Bounded time and memory on hostile sizes (issue 8, class 6), and plain answers to a bad
environment (class 7). Scaling is asserted as a ratio between two sizes, never a wall time."""

from __future__ import annotations

import time

from cnblock import loader, render, suggest, yamlnodes
from cnblock.errors import Location, Problem


def _seconds(function, *args) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - started)
    return best


def test_a_long_list_is_checked_for_duplicates_in_linear_time():
    """Regression: 100k aliases took 86 s (a list scanned for every entry)."""
    read = loader._list_of(loader._line)

    def check(n: int) -> None:
        root, _ = yamlnodes.parse("[" + ", ".join(f"a{i}" for i in range(n)) + "]", "f")
        read(root, "'aliases'")

    small, large = _seconds(check, 5_000), _seconds(check, 40_000)
    assert large / small < 8 * 2.5, (small, large)  # 8x the size: quadratic would be ~64x


def test_only_the_first_unknown_references_get_a_suggestion(tmp_path, monkeypatch):
    """Regression: 4,000 unknown references to 4,000 entities took 125 s of "did you mean"."""
    calls = []
    real = suggest.did_you_mean

    def counting(name, candidates):
        calls.append(name)
        return real(name, candidates)

    monkeypatch.setattr(loader, "did_you_mean", counting)
    entities = "".join(f"  - {{id: e{i}, kind: company, name: E{i}}}\n" for i in range(200))
    refs = ", ".join(f"x{i}" for i in range(200))
    path = tmp_path / "log.yaml"
    path.write_text(
        "schema: 1\nsources: [{id: s, publisher: P, published: '2020', language: en}]\n"
        f"entities:\n{entities}events:\n  - {{id: a, date: '2018', title: T, summary: S,"
        f" entities: [{refs}], sources: [{{source: s, line: 1}}]}}\n",
        "utf-8",
    )
    try:
        loader.load([str(path)])
    except loader.DataError as exc:
        unknown = [p for p in exc.problems if p.message.startswith("unknown entity")]
    assert len(unknown) == 200  # every one reported ...
    assert len(calls) == loader.SUGGESTIONS  # ... the first few with a suggestion


def test_a_report_shows_a_thousand_problems_and_counts_the_rest_exactly():
    problems = [Problem(Location("f", n, 1), "bad") for n in range(1, 1501)]
    shown = render.problem_report(problems, lambda path: None).plain
    assert shown.count("error: bad") == 1000
    assert shown.endswith("... and 500 more problems\n")


def test_a_huge_line_is_shown_around_the_problem():
    line = "x" * 50_000 + "!" + "y" * 50_000
    shown = render.problem_report([Problem(Location("f", 1, 50_001), "here")], lambda p: [line])
    gutter, caret = shown.plain.splitlines()[1:3]
    assert len(gutter) < 200
    assert caret.index("^") - caret.index("|") == gutter.index("!") - gutter.index("|")


def test_display_text_is_capped_per_cell_with_an_ellipsis():
    """Regression: one 32 MB title took the table renderer past ten minutes."""
    shown = render.cell("t" * 1_000_000).plain
    assert shown == "t" * render.MAX_CELL + "…"


def test_a_data_setting_of_only_separators_is_an_error(run, monkeypatch):
    monkeypatch.setenv("CNBLOCK_DATA", ":")
    result = run("timeline")
    assert result.exit_code == 2, result.output
    assert result.output == (
        "cnblock: CNBLOCK_DATA=':' names no file: name files separated by ':', or unset it\n"
    )
