"""Help pages: drawn by cnblock (commands/helppage.py), printed like every other output."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rich.cells import cell_len

from cnblock.commands import helppage


def cnblock(*args: str, shell: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m cnblock ARGS` with output into a pipe (or as `shell` redirects it)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    environment.update(env)
    command = [sys.executable, "-m", "cnblock", *args]
    if shell:
        command = ["bash", "-c", " ".join(f"'{a}'" for a in command) + " " + shell]
    return subprocess.run(command, capture_output=True, text=True, env=environment)


def test_into_a_pipe_the_page_is_plain_text_80_columns_wide():
    done = cnblock("timeline", "--help")
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in out, out
    lines = out.splitlines()
    assert lines[0] == " Usage: cnblock timeline [OPTIONS]", out
    assert max(cell_len(line) for line in lines) == 80, out
    assert [line for line in lines if line.endswith(" ")] == [], out
    assert "╭─ Filters ─" in out, out
    assert "│ -c, --company NAME  Company or organisation by id" in out, out
    assert "│     --since DATE    Events on or after DATE" in out, out  # long options line up
    assert "[default: table]" in out, out
    assert lines[-1] == " Example: cnblock timeline --company BYD --year 2018..2019 --long", out


def test_cnblock_alone_prints_the_same_page_as_help(run):
    page = run("--help").stdout
    assert run().stdout == page
    for name in ("timeline", "years", "chart", "export", "validate", "add", "source"):
        assert f"│ {name} " in page, page
    assert "TimelineJS or a self-contained HTML page with a chart." in page, page
    assert " Start with: cnblock timeline --company BYD" in page, page


def test_a_narrow_page_wraps_between_words_and_keeps_option_names_whole(run):
    out = run("timeline", "--help", env={"COLUMNS": "44"}).stdout
    assert max(cell_len(line) for line in out.splitlines()) == 44, out
    assert "-c, --company" in out, out
    assert "[default: table]" in out, out
    assert "╰" + "─" * 42 + "╯" in out, out


def test_colour_only_when_asked_and_no_colour_with_no_color(run):
    plain = run("timeline", "--help").stdout
    coloured = run("--color", "always", "timeline", "--help").stdout
    assert "\x1b[" not in plain, plain
    assert "\x1b[1;36m--company\x1b[0m" in coloured, coloured
    assert "\x1b[33mNAME" in coloured, coloured
    dimmed = run("--color", "always", "timeline", "--help", env={"NO_COLOR": "1"}).stdout
    assert "\x1b[1m--company\x1b[0m" in dimmed, dimmed  # bold stays; no colour
    assert "36m" not in dimmed, dimmed
    assert "\x1b[" not in run("--color", "never", "timeline", "--help").stdout
    # the app's own page: its --color and --ascii, given before -h, are read before it
    main = run("--color", "always", "--ascii", "--help").stdout
    assert "\x1b[33mUsage:\x1b[0m cnblock" in main, main
    assert "+- \x1b[0mOptions" in main, main


def test_ascii_frames_for_terminals_that_draw_box_lines_wide(run):
    out = run("--ascii", "show", "--help").stdout
    assert "+- Arguments -" in out, out
    assert "| ID...  Event ids" in out, out
    assert "╭" not in out, out
    assert "│" not in out, out


def test_a_group_run_without_its_command_shows_its_help(run):
    result = run("source")
    assert result.exit_code == 2, result.output
    assert result.stdout.startswith(" Usage: cnblock source [OPTIONS] COMMAND [ARGS]..."), result
    assert "│ add   Register a text as a source" in result.stdout, result.stdout
    assert result.stderr == "", result.stderr


@pytest.mark.parametrize("args", [["--help"], ["timeline", "-h"], ["source"]], ids=" ".join)
def test_help_into_a_full_output_is_one_error_line(args):
    done = cnblock(*args, shell=">/dev/full")
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("cnblock: cannot write to standard output"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


def test_help_into_a_pipe_closed_early_ends_quietly():
    done = cnblock("--help", shell="| head -1")
    assert done.stdout == " Usage: cnblock [OPTIONS] COMMAND [ARGS]...\n", done.stdout
    assert done.stderr == "", done.stderr


def test_paragraphs_read_help_as_click_does():
    text = """First line
        goes on.

        \b
        kept
          as is

        Last.
        \f
        Not shown."""
    assert helppage.paragraphs(text) == ["First line goes on.", "kept\n  as is", "Last."]
    assert helppage.paragraphs("") == []


def test_a_command_without_help_has_an_empty_summary():
    from typer.core import TyperCommand

    assert helppage.summary(TyperCommand("bare")) == ""
    assert helppage.summary(TyperCommand("terse", short_help="Short.", help="Long.")) == "Short."


def test_help_that_cannot_be_written_is_one_error_line_in_process(run, monkeypatch):
    from cnblock.commands import streams
    from cnblock.errors import OutputError

    def full(text: str, data: bool = False) -> None:
        raise OutputError("cannot write to standard output: no space left on device")

    monkeypatch.setattr(streams, "write", full)
    for args in (["--help"], ["source"], ["timeline", "-h"]):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert (
            result.stderr == "cnblock: cannot write to standard output: no space left on device\n"
        )


def test_a_page_leaves_out_hidden_options_and_a_command_may_have_no_help_option():
    import typer
    from typer.main import get_command
    from typer.testing import CliRunner

    app = typer.Typer(add_completion=False)

    @app.command(cls=helppage.Command, add_help_option=False)
    def quiet(
        shown: bool = typer.Option(False, "--shown", help="In the page."),
        secret: bool = typer.Option(False, "--secret", hidden=True),
    ) -> None:
        """Do little.

        And more."""

    command = get_command(app)
    assert command.get_help_option(typer.Context(command)) is None
    page = helppage.page(command, typer.Context(command, info_name="quiet"))
    assert "│ --shown  In the page." in page, page
    assert "--secret" not in page, page
    assert " Do little.\n\n And more.\n" in page, page
    assert CliRunner().invoke(app, ["--help"]).exit_code == 2  # no such option


@pytest.mark.parametrize(
    ("size", "width"), [(132, 132), (0, helppage.WIDTH), (None, helppage.WIDTH)]
)
def test_the_page_is_as_wide_as_the_terminal(monkeypatch, size, width):
    class Terminal:
        def fileno(self) -> int:
            return 1

    def terminal_size(fd: int) -> os.terminal_size:
        if size is None:
            raise OSError("not a terminal")
        return os.terminal_size((size, 24))

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys, "stdout", Terminal())
    monkeypatch.setattr(os, "get_terminal_size", terminal_size)
    assert helppage.page_width() == width
