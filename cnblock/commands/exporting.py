"""`cnblock export`: the filtered events in a file format, to standard output or a file."""

import sys
from enum import Enum
from typing import Annotated

import typer

from cnblock import export, query
from cnblock.commands.common import Words, select, with_filters, write
from cnblock.commands.helppage import Command
from cnblock.errors import UsageError
from cnblock.text import counted, printable

app = typer.Typer()

# The choices come from the registry, so Typer needs an Enum made at run time; mypy cannot
# follow a functional Enum built from a dict.
ExportFormat = Enum(  # type: ignore[misc]
    "ExportFormat", {name: name for name in export.EXPORTERS}, type=str
)


@app.command(
    "export",
    cls=Command,
    epilog="Example: cnblock export --company BYD -o byd.html (the file's ending chooses"
    " the format; a --format that contradicts it is refused)",
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
            help="The file format. Default: the one FILE's ending names (.md, .csv, .json,"
            " .yaml, .yml, .html), else markdown.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            click_type=Words(files=True),
            help="Write to FILE instead of standard output ('-': standard output).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    long: Annotated[
        bool, typer.Option("--long", "-l", help="Markdown: add each event's summary and date note.")
    ] = False,
) -> None:
    """Export the filtered events as Markdown, CSV, JSON, a YAML subset, TimelineJS or a
    self-contained HTML page with a chart."""
    to_file = output is not None and output != "-"
    try:
        name = export.format_for(output or "" if to_file else "", fmt.value if fmt else None)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    log, events = select(ctx, filters)
    text = export.EXPORTERS[name](log, events, filters, long)
    if output is None or not to_file:  # no file, or "-": standard output
        write(text, data=True)
        return
    from cnblock.output import write_file

    write_file(output, text, force=force, inputs=log.files)
    sys.stderr.write(f"wrote {counted(len(events), 'event')} ({name}) to {printable(output)}\n")
