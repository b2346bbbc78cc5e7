"""`cnblock validate` and `cnblock check`: every problem of the data files at its FILE:LINE:COL."""

import functools
from typing import Annotated

import typer

from cnblock import loader, render
from cnblock.commands.common import Words, rendered, state, write
from cnblock.commands.helppage import Command
from cnblock.errors import MAX_PROBLEMS, Problem
from cnblock.text import counted, printable

app = typer.Typer()


class _Shown:
    """validate's report, printed as the problems are found: the first MAX_PROBLEMS in full,
    the rest only counted, so that a file of a million problems costs no memory for them."""

    def __init__(self, color: str):
        self.color, self.count = color, 0
        self.lines = functools.cache(loader.source_lines)  # each file read once

    def __call__(self, problem: Problem) -> None:
        self.count += 1
        if self.count <= MAX_PROBLEMS:
            write(rendered(render.problem_entry(problem, self.lines), self.color, end=""))


@app.command(
    cls=Command, epilog="Example: CNBLOCK_SEEDS=../shared/seeds cnblock validate my-events.yaml"
)
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILE]...",
            click_type=Words(files=True),
            help="Your data files, checked on top of the shipped log (unless --no-shipped)."
            " Default: the files the other commands load.",
        ),
    ] = None,
) -> None:
    """Check data files and report every problem at its FILE:LINE:COL."""
    from cnblock import provenance

    paths = state(ctx).files(list(files or []))
    shown = _Shown(state(ctx).color)
    # frozen: else the collector's first pass after the load walks every record (~0.8 s at
    # 100,000 events), for a log kept until the command ends
    log, problems, unchecked = provenance.validate(paths, shown, freeze=True)
    for problem in problems:  # against the texts, once the files loaded
        shown(problem)
    if shown.count or log is None:
        write(rendered(render.more_problems(MAX_PROBLEMS, shown.count), state(ctx).color, end=""))
        where = printable(loader.describe_files(paths))
        write(f"{counted(shown.count, 'problem')} in {where}\n")
        raise typer.Exit(1)
    counts = ", ".join(
        [
            counted(len(log.events), "event"),
            counted(len(log.entities), "entity").replace("entitys", "entities"),
            counted(len(log.technologies), "technology").replace("technologys", "technologies"),
            counted(len(log.sources), "source"),
        ]
    )
    checked = len(log.sources) - len(unchecked)
    texts = (
        "citations checked against every source's text"
        if not unchecked
        else f"citations checked against {checked} of {len(log.sources)} sources' texts"
        if checked
        else "citations not checked against any text"
    )
    write(printable(f"ok: {loader.describe_files(paths)}: {counts}; {texts}") + "\n")
    for source_id, why in unchecked.items():
        write(f"not checked: {printable(source_id)}: {printable(why)}\n")


def _complete_check(incomplete: str) -> list[str]:
    from cnblock.checks import CHECKS

    return [name for name in CHECKS if name.startswith(incomplete)]


@app.command(
    cls=Command,
    epilog="Example: CNBLOCK_SEEDS=../shared/seeds cnblock check provenance mentions --strict",
)
def check(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME]...",
            autocompletion=_complete_check,
            help="Checks to run: schema, references, dates, provenance, names, mentions,"
            " coverage. Default: all of them.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too (mentions, coverage).")
    ] = False,
) -> None:
    """Run named checks alone; mentions and coverage give warnings, the others errors.

    Files: schema, references, dates. Against the texts: provenance, names.

    Warnings: mentions (a cited line naming none of the event's entities), coverage.

    Exit 1 on errors, or on warnings with --strict.
    """
    from cnblock import checks, texts
    from cnblock.errors import UsageError
    from cnblock.suggest import did_you_mean

    for name in names or []:
        if name not in checks.CHECKS:
            raise UsageError(f"unknown check '{name}'{did_you_mean(name, checks.CHECKS)}")
    wanted = [n for n in checks.CHECKS if n in (names or checks.CHECKS)]
    paths = state(ctx).files()
    report = checks.run(paths, wanted, texts.seeds_folder())
    # each problem tagged with the check that found it (two checks may find the same one)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for finding in report.findings:
        tagged = f"{finding.problem.message} [{finding.check}]"
        (warnings if finding.is_warning else errors).append(
            finding.problem._replace(message=tagged)
        )
    count = len(errors) + report.more
    shown = render.problem_report(errors, loader.source_lines, total=count)
    shown.append_text(render.problem_report(warnings, loader.source_lines, "warning"))
    write(rendered(shown, state(ctx).color, end=""))
    write(
        f"{', '.join(wanted)}: {counted(count, 'error')},"
        f" {counted(len(warnings), 'warning')} in {loader.describe_files(paths)}\n"
    )
    for name, why in report.not_run.items():
        write(f"not run: {name}: {why}\n")
    if set(wanted) & set(checks.NEEDS_LOG):
        for source_id, why in report.unchecked.items():
            write(f"not checked: {printable(source_id)}: {printable(why)}\n")
    if errors or report.not_run or (strict and warnings):
        raise typer.Exit(1)
