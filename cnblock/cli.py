"""The cnblock command line: the app, its global options, and the one place where cnblock's
errors become messages and exit statuses. The commands live in `cnblock.commands`."""

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cnblock import __version__
from cnblock.commands import checking, explore, exporting, streams
from cnblock.commands.common import State, console, write
from cnblock.errors import CnblockError, DataError
from cnblock.loader import LOCAL_FILE
from cnblock.text import printable


class _Group(TyperGroup):
    """The one place where cnblock's errors become messages and exit statuses."""

    # Typer hands its own Context, a subclass of the vendored click Context that the base class
    # names (a private module); so the narrower type is right here.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CnblockError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None


def report(exc: CnblockError) -> None:
    """The error on standard error: the problems with their lines, then one summary line."""
    from cnblock import loader, render

    err = console(stderr=True)
    if isinstance(exc, DataError):
        err.print(render.problem_report(exc.problems, loader.source_lines), end="", soft_wrap=True)
    err.print(f"cnblock: {printable(str(exc))}", soft_wrap=True)


app = typer.Typer(
    cls=_Group,
    epilog="Start with: cnblock timeline --company BYD",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
for family in (explore, exporting, checking):
    app.add_typer(family.app)


def _version(value: bool) -> None:
    if value:
        write(f"cnblock {__version__}\n")
        raise typer.Exit


@app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            "-d",
            metavar="FILE",
            help="Your own data file, loaded on top of the shipped log; repeat for several."
            f" Default: $CNBLOCK_DATA, else ./{LOCAL_FILE} if there is one.",
        ),
    ] = None,
    no_shipped: Annotated[
        bool,
        typer.Option(
            "--no-shipped",
            help="Leave out the shipped log: load only your own files (a YAML subset, say).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Explore how Chinese companies and institutions took up blockchain, event by cited event."""
    ctx.obj = State([str(p) for p in data or []], shipped=not no_shipped)
    if ctx.invoked_subcommand is None:
        write(ctx.get_help() + "\n")


def main() -> None:
    """The console script."""
    streams.tolerant()
    app(prog_name="cnblock")
