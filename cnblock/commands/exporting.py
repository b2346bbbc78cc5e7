"""`cnblock export`: the filtered events in a file format, to standard output or a file."""

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cnblock import export, query
from cnblock.commands.common import select, with_filters, write
from cnblock.text import counted, printable

app = typer.Typer()

# The choices come from the registry, so Typer needs an Enum made at run time; mypy cannot
# follow a functional Enum built from a dict.
ExportFormat = Enum(  # type: ignore[misc]
    "ExportFormat", {name: name for name in export.EXPORTERS}, type=str
)


EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".html": "html",
    ".htm": "html",
}
"""The format a FILE's extension chooses when --format is not given."""


def format_for(output: Path | None) -> str:
    return EXTENSIONS.get(output.suffix.lower(), "markdown") if output else "markdown"


@app.command(
    "export",
    epilog="Example: cnblock export --company BYD -o byd.html (the file's extension chooses"
    " the format; --format overrides it)",
)
@with_filters
def export_events(
    ctx: typer.Context,
    filters: query.Filters,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="The file format. Default: from FILE's extension (.md, .csv, .json, .yaml,"
            " .html), else markdown.",
            show_default=False,
        ),
    ] = None,
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
    """Export the filtered events as Markdown, CSV, JSON, a YAML subset, TimelineJS or a
    self-contained HTML page with a chart."""
    name = fmt.value if fmt is not None else format_for(output)
    log, events = select(ctx, filters)
    text = export.EXPORTERS[name](log, events, filters, long)
    if output is None:
        write(text, data=True)
        return
    from cnblock.output import write_file

    write_file(str(output), text, force=force, inputs=log.files)
    sys.stderr.write(f"wrote {counted(len(events), 'event')} to {printable(str(output))}\n")
