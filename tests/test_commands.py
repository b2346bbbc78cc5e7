"""The command layer's own machinery, on a small log: the shared filter options, the output
dispatch, the global options and the error translation point."""

from __future__ import annotations

import inspect
import json
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from cnblock import query
from cnblock.commands import common

from helpers import DATA

VALID = str(DATA / "valid.yaml")


def test_with_filters_adds_every_filter_option_and_hands_over_one_filters_value():
    seen: list[query.Filters] = []

    @common.with_filters
    def listing(
        filters: query.Filters,
        wide: Annotated[bool, typer.Option("--wide")] = False,
    ) -> None:
        seen.append(filters)
        typer.echo(f"wide={wide}")

    parameters = list(inspect.signature(listing).parameters)
    assert parameters == ["wide", *common.FILTER_OPTIONS], parameters
    app = typer.Typer()
    app.command()(listing)
    result = CliRunner().invoke(
        app, ["--wide", "-c", "BYD", "--company", "比亚迪", "--year", "2018", "--since", "2018-09"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "wide=True\n"
    assert seen == [query.Filters(company=("BYD", "比亚迪"), year=("2018",), since="2018-09")]


def test_with_filters_refuses_a_command_without_a_filters_parameter():
    def plain() -> None: ...

    with pytest.raises(TypeError, match="plain takes no 'filters' parameter"):
        common.with_filters(plain)


def test_filters_from_drops_options_not_given():
    assert common.filters_from({"company": ["a"], "year": None, "grep": []}) == query.Filters(
        company=("a",)
    )


def test_tech_and_sources_tables(run):
    tech = run("--no-shipped", "--data", VALID, "tech").stdout
    assert "blockchain" in tech
    assert "Blockchain" in tech
    sources = run("--no-shipped", "--data", VALID, "sources").stdout
    assert "test-press" in sources
    assert "Test Press" in sources
    assert "2020-05" in sources


def test_listing_csv_is_derived_from_the_json_records(run):
    records = json.loads(run("--no-shipped", "--data", VALID, "tech", "--format", "json").stdout)
    csv_lines = run("--no-shipped", "--data", VALID, "tech", "--format", "csv").stdout.splitlines()
    assert csv_lines[0].split(",") == list(records[0])
    assert csv_lines[1].startswith("blockchain,Blockchain,")


def test_version(run):
    from cnblock import __version__

    assert run("--version").stdout == f"cnblock {__version__}\n"


def test_completion_offers_nothing_when_the_log_cannot_be_loaded(monkeypatch, tmp_path):
    from typer.main import get_command

    from cnblock.cli import app
    from cnblock.commands import completion

    monkeypatch.setenv("CNBLOCK_DATA", str(tmp_path / "missing.yaml"))
    monkeypatch.setenv(completion.LINE_ENV, "cnblock timeline --company b")
    shell = completion.BashComplete(get_command(app), {}, "cnblock", "_CNBLOCK_COMPLETE")
    assert shell.complete() == "plain"


def test_a_data_error_is_reported_once_with_its_position(run, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema: 1\nevents: [oops]\n", "utf-8")
    result = run("--data", str(broken), "timeline")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{broken}:2:10: error: each event must be a mapping")
    assert result.stderr.endswith("cnblock: 1 problem in the data\n")


def _eager_commands() -> dict:
    """Every command as Typer builds it when each family's app is added whole."""
    import importlib
    import pkgutil

    from typer.main import get_command

    import cnblock.commands

    eager = typer.Typer()
    eager.callback()(lambda: None)
    for info in pkgutil.iter_modules(cnblock.commands.__path__):
        family = importlib.import_module(f"cnblock.commands.{info.name}")
        if isinstance(getattr(family, "app", None), typer.Typer):
            eager.add_typer(family.app)
    return get_command(eager).commands  # type: ignore[attr-defined]


def _shape(command) -> tuple:
    params = [(p.name, tuple(p.opts), p.required, type(p.type).__name__) for p in command.params]
    return command.name, command.help, command.epilog, params


def test_the_app_builds_each_command_as_typer_would_and_lists_them_all():
    """cli.COMMANDS names every command of every module in cnblock.commands, and the command
    built alone is the one Typer builds with all the others."""
    from typer.main import get_command

    from cnblock import cli

    eager = _eager_commands()
    group = get_command(cli.app)
    assert sorted(group.list_commands(None)) == sorted(eager)  # type: ignore[attr-defined]
    for name, command in eager.items():
        assert _shape(group.get_command(None, name)) == _shape(command), name  # type: ignore[attr-defined]


def test_the_listed_summaries_are_the_commands_own_and_every_command_draws_cnblocks_help():
    """cli.COMMANDS repeats each command's summary so that `cnblock --help` builds none of
    them; it must say what the command's own help says. Every command (and `source`'s) is one
    of helppage's classes, so that no help goes through Typer's rich formatting."""
    from cnblock import cli
    from cnblock.commands import helppage

    eager = _eager_commands()
    for name, command in eager.items():
        assert cli.COMMANDS[name].summary == helppage.summary(command), name
        assert isinstance(command, (helppage.Command, helppage.Group)), name
        for sub in getattr(command, "commands", {}).values():
            assert isinstance(sub, (helppage.Command, helppage.Group)), f"{name} {sub.name}"
    assert "source" in eager


def test_a_run_builds_only_the_command_it_runs(run, monkeypatch):
    from cnblock import cli

    built: list[str] = []
    original = cli.build_command
    monkeypatch.setattr(cli, "build_command", lambda name: built.append(name) or original(name))
    result = run("years", "--format", "json")
    assert result.exit_code == 0, result.output
    assert built == ["years"]
    assert "timeline" in run("--help").stdout


def test_plain_output_is_what_rich_prints_into_a_pipe(shipped, monkeypatch):
    """The plain path (no Console into a file or pipe) prints exactly what Rich would."""
    import io

    from rich.console import Console

    from cnblock import render
    from cnblock.layout import Screen

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    texts = [
        render.timeline(shipped, list(shipped.events), True, screen=Screen(80)),
        render.event_details(shipped, list(shipped.events[:3]), Screen(60)),
    ]
    for text in texts:
        buffer = io.StringIO()
        Console(file=buffer, markup=False, emoji=False, highlight=False).print(text, soft_wrap=True)
        assert common.plain_output()  # pytest captures standard output: not a terminal
        assert common.rendered(text) == buffer.getvalue()
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not common.plain_output()
    assert not common.plain_output("always")


def test_a_long_timeline_into_a_pipe_is_written_in_pieces_as_its_lines_are_made(
    shipped, monkeypatch
):
    """Into a file or a pipe the timeline's lines are written as they are laid out, in pieces,
    and the pieces make exactly the text of the whole table."""
    from cnblock import render
    from cnblock.layout import Screen

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    written: list[str] = []
    monkeypatch.setattr(common, "write", lambda text, data=False: written.append(text))
    events = list(shipped.events) * 5
    lines = render.timeline_lines(shipped, events, True, screen=Screen(80))
    made = []

    def counted():
        for line in lines:
            made.append(written[:])  # what had been written when this line was made
            yield line

    common._write_lines(counted(), size=2000)
    assert len(written) > 5
    assert made[-1], "nothing written before the last line was made"
    assert "".join(written) == common.rendered(
        render.timeline(shipped, events, True, screen=Screen(80))
    )
    written.clear()
    common._write_lines(iter([]))
    assert written == ["\n"]


@pytest.mark.parametrize(
    ("args", "name", "where"),
    [
        (["timeline", "--color", "never"], "--color", "(cnblock --color WHEN timeline ...)"),
        (["timeline", "-d", "mine.yaml"], "-d", "(cnblock -d FILE timeline ...)"),
        (["source", "add", "--no-pager"], "--no-pager", "(cnblock --no-pager source add ...)"),
        (["years", "--unicode"], "--unicode", "(cnblock --unicode years ...)"),
    ],
)
def test_a_global_option_after_the_command_says_where_it_goes(run, args, name, where):
    """Not Click's 'no such option' for an option the app has: where it goes."""
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"cnblock: {name} is a global option: it goes before the command {where}\n"
    ), result.stderr
