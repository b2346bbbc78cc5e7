"""`cnblock export`: the filtered events in a file format, to standard output or a file."""

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cnblock import export, query
from cnblock.commands.common import select, with_filters, write
from cnblock.text import counted

app = typer.Typer()

# The choices come from the registry, so Typer needs an Enum made at run time; mypy cannot
# follow a functional Enum built from a dict.
ExportFormat = Enum(  # type: ignore[misc]
    "ExportFormat", {name: name for name in export.EXPORTERS}, type=str
)


@app.command("export", epilog="Example: cnblock export --company BYD --format markdown -o byd.md")
@with_filters
def export_events(
    ctx: typer.Context,
    filters: query.Filters,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="The file format.")
    ] = ExportFormat.markdown,  # type: ignore[attr-defined]
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE instead of standard output."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    long: Annotated[
        bool, typer.Option("--long", "-l", help="Markdown: add each event's summary and date note.")
    ] = False,
) -> None:
    """Export the filtered events as Markdown, CSV, JSON, a YAML subset or TimelineJS."""
    log, events = select(ctx, filters)
    text = export.EXPORTERS[fmt.value](log, events, filters, long)
    if output is None:
        write(text)
        return
    from cnblock.output import write_file

    write_file(str(output), text, force=force, inputs=log.files)
    sys.stderr.write(f"wrote {counted(len(events), 'event')} to {output}\n")
