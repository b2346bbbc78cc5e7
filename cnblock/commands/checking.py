"""`cnblock validate`: every problem of the data files at its FILE:LINE:COL."""

from typing import Annotated

import typer

from cnblock import loader, render
from cnblock.commands.common import Words, rendered, state, write
from cnblock.text import counted, printable

app = typer.Typer()


@app.command(epilog="Example: CNBLOCK_SEEDS=../shared/seeds cnblock validate my-events.yaml")
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILE]...",
            click_type=Words(),
            help="Your data files, checked on top of the shipped log (unless --no-shipped)."
            " Default: the files the other commands load.",
        ),
    ] = None,
) -> None:
    """Check data files and report every problem at its FILE:LINE:COL."""
    from cnblock import provenance

    paths = state(ctx).files(list(files or []))
    log, problems, unchecked = provenance.validate(paths)
    if problems or log is None:
        write(rendered(render.problem_report(problems, loader.source_lines), end=""))
        where = printable(loader.describe_files(paths))
        write(f"{counted(len(problems), 'problem')} in {where}\n")
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
