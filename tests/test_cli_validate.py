"""`cnblock validate` on the shipped log and on hand-broken copies of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnblock import loader

SHIPPED = Path(loader.default_data_file())


def broken_copy(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the shipped log with one edit; returns it and the 1-based line edited."""
    text = SHIPPED.read_text("utf-8")
    assert text.count(old) >= 1, old
    index = text.index(old)
    path = tmp_path / "events.yaml"
    path.write_text(text[:index] + new + text[index + len(old) :], "utf-8")
    return path, text[:index].count("\n") + 1


def test_the_shipped_log_is_valid(run, monkeypatch):
    monkeypatch.delenv("CNBLOCK_SEEDS", raising=False)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "ok: " in result.stdout
    assert " 49 events, 61 entities, 19 technologies, 2 sources" in result.stdout
    assert "CNBLOCK_SEEDS is not set" in result.stdout


def test_validate_keeps_its_log_out_of_the_collectors_walks(run, monkeypatch):
    """The command freezes the loaded log (loader.load's `freeze`), as the other commands do:
    else the collector's first pass after a large load walks every record."""
    asked = []

    def load(paths, **options):
        asked.append(options.pop("freeze"))
        return real(paths, **options)  # not frozen here: the test process goes on

    real = loader.load
    monkeypatch.setattr(loader, "load", load)
    monkeypatch.delenv("CNBLOCK_SEEDS", raising=False)
    result = run("validate")
    assert "ok: the shipped log: 49 events" in result.stdout, result.output
    assert asked == [True]


def test_the_shipped_log_is_valid_against_the_texts(run, seeds, monkeypatch):
    monkeypatch.setenv("CNBLOCK_SEEDS", str(seeds))
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "ok: the shipped log: 49 events, 61 entities, 19 technologies, 2 sources;"
        " citations checked against every source's text\n"
    )


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (
            "  - id: uchain-founded\n",
            "  - id: vite-founded\n",
            9,
            "duplicate event id 'vite-founded' (first at ",
        ),
        (
            'date: "2018-09"\n    title: BYD holds',
            'date: "2018-13"\n    title: BYD holds',
            11,
            "'2018-13' has no month 13",
        ),
        (
            "entities: [byd, wang-chuanfu]\n    technologies: [electric-vehicles, vehicle",
            "entities: [bydd, wang-chuanfu]\n    technologies: [electric-vehicles, vehicle",
            16,
            "unknown entity 'bydd'; did you mean 'byd'?",
        ),
        ("    title: BYD holds its first", "    title: [BYD holds its first", 5, "YAML syntax"),
    ],
    ids=["duplicate-id", "month-13", "unknown-entity", "syntax-error"],
)
def test_broken_copies_are_reported_at_file_line_col(run, tmp_path, old, new, column, message):
    path, line = broken_copy(tmp_path, old, new)
    result = run("--no-shipped", "validate", str(path))
    assert result.exit_code == 1, result.output
    first = result.stdout.splitlines()[0]
    if message == "YAML syntax":  # the parser notices where the flow list cannot go on
        assert first.startswith(f"{path}:"), result.output
        assert ": error: YAML syntax:" in first, result.output
    else:
        assert first.startswith(f"{path}:{line}:{column}: error: {message}"), result.output
    assert "Traceback" not in result.output
    assert result.stdout.rstrip().endswith(f"1 problem in {path}"), result.output


def test_a_problem_is_shown_in_context_with_a_caret(run, tmp_path):
    path, line = broken_copy(
        tmp_path, 'date: "2018-09"\n    title: BYD holds', 'date: "2018-13"\n    title: BYD holds'
    )
    lines = run("--no-shipped", "validate", str(path)).stdout.splitlines()
    assert lines[1] == f'{line:>5} |     date: "2018-13"'
    assert lines[2] == "      |           ^"


def test_the_caret_allows_for_wide_characters(run, tmp_path):
    prefix = "entities: [{name: 비야디, kind: company, id: "
    path = tmp_path / "wide.yaml"
    path.write_text(f"schema: 1\n{prefix}Bad}}]\n", "utf-8")
    lines = run("validate", str(path)).stdout.splitlines()
    assert lines[0].startswith(f"{path}:2:{len(prefix) + 1}: error: 'Bad' is not a valid id")
    # three Hangul syllables take two terminal cells each
    assert lines[2] == "      | " + " " * (len(prefix) + 3) + "^"


def test_several_files_are_checked_together(run, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "schema: 1\nevents:\n  - {id: x, date: '2021', title: t, summary: s, entities: [bydd], sources: [{source: coindesk-korea-2020, line: 3}]}\n",
        "utf-8",
    )
    result = run("validate", str(SHIPPED), str(mine))
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"{mine}:3:60: error: unknown entity 'bydd'; did you mean 'byd'?"
    ), result.output


def test_other_commands_refuse_a_broken_log_on_stderr(run, tmp_path):
    path, line = broken_copy(
        tmp_path, 'date: "2018-09"\n    title: BYD holds', 'date: "2018-13"\n    title: BYD holds'
    )
    result = run("--no-shipped", "--data", str(path), "timeline")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{path}:{line}:11: error: '2018-13' has no month 13")
    assert result.stderr.rstrip().endswith("cnblock: 1 problem in the data")


def test_markup_in_a_data_file_is_not_interpreted_in_problems(run, tmp_path):
    path = tmp_path / "markup.yaml"
    path.write_text(
        "schema: 1\nentities: [{id: '[bold]x[/bold]', kind: company, name: X}]\n", "utf-8"
    )
    result = run("validate", str(path))
    assert "'[bold]x[/bold]' is not a valid id" in result.stdout
