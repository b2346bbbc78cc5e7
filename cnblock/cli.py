"""The cnblock command line: the app, its global options, and the one place where cnblock's
errors become messages and exit statuses. The commands live in `cnblock.commands`.

A run builds (and imports) only the command it runs: the app knows each command's module by
name (COMMANDS) and asks Typer to build a command the first time Click looks it up, so that
`cnblock timeline` neither imports the exporters' module nor builds the eight other commands.
"""

import importlib
import os
import sys
from collections.abc import Sequence
from enum import Enum
from typing import Annotated, Any, NamedTuple

import typer

# Typer vendors click; its exceptions are reached through Typer, never by importing click.
from typer._click.exceptions import (
    ClickException,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)

from cnblock import __version__
from cnblock.commands import streams
from cnblock.commands.common import State, Words, console, write
from cnblock.commands.helppage import Group
from cnblock.errors import CnblockError, DataError, DraftError, Terminated
from cnblock.loader import LOCAL_FILE
from cnblock.text import printable


class Listed(NamedTuple):
    """Where a command lives (its module in `cnblock.commands`) and its line in `cnblock
    --help`: the first paragraph of its own help, repeated here so that listing the commands
    imports none of them (tests/test_commands.py checks that the two agree)."""

    module: str
    summary: str


COMMANDS: dict[str, Listed] = {
    "timeline": Listed("explore", "Show events in date order, grouped by year."),
    "years": Listed("explore", "Count events by year, with the organisations active in each."),
    "chart": Listed(
        "charting",
        "Draw the events as lanes across the years, each date over the whole period it may mean.",
    ),
    "show": Listed("explore", "Show events in full: every name, the date note and every citation."),
    "companies": Listed(
        "explore", "List companies and organisations with their names in every language."
    ),
    "people": Listed("explore", "List the people named in the log, with their affiliations."),
    "tech": Listed("explore", "List the technologies, with how often and when they appear."),
    "sources": Listed("explore", "List the articles the events cite."),
    "export": Listed(
        "exporting",
        "Export the filtered events as Markdown, CSV, JSON, a YAML subset, TimelineJS or a"
        " self-contained HTML page with a chart.",
    ),
    "validate": Listed(
        "checking", "Check data files and report every problem at its FILE:LINE:COL."
    ),
    "check": Listed(
        "checking",
        "Run named checks alone; mentions and coverage give warnings, the others errors.",
    ),
    "add": Listed(
        "curating",
        "Add a cited event to your data file, checked against the whole log before writing.",
    ),
    "source": Listed("sources", "Register an article's text as a source; read a source's text."),
}
"""Every command, in the order --help lists them (tests/test_commands.py checks this against
the modules' own Typer apps)."""


def build_command(name: str) -> Any:
    """The Click command Typer makes of command `name`, importing only its module."""
    from typer.main import get_command_from_info, get_command_name, get_group_from_info

    family = importlib.import_module(f"cnblock.commands.{COMMANDS[name].module}")
    for info in family.app.registered_commands:
        callback = info.callback
        if (info.name or get_command_name(getattr(callback, "__name__", ""))) == name:
            return get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
    for group in family.app.registered_groups:  # `source add`, `source show`
        if group.name == name:
            return get_group_from_info(
                group,
                pretty_exceptions_short=app.pretty_exceptions_short,
                suggest_commands=app.suggest_commands,
                rich_markup_mode=app.rich_markup_mode,
            )
    raise LookupError(f"cnblock.commands.{COMMANDS[name].module} has no command '{name}'")


COMPLETE_ENV = "_CNBLOCK_COMPLETE"
"""Set by the completion scripts: the shell asks for candidates (or for its script)."""


class _Group(Group):
    """The one place where cnblock's errors become messages and exit statuses; builds each
    command when it is first looked up."""

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return [*COMMANDS, *(n for n in super().list_commands(ctx) if n not in COMMANDS)]

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self.add_command(build_command(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def listed(self, ctx: typer.Context) -> list[tuple[str, str]]:
        """The commands `cnblock --help` lists, none of them built for it."""
        return [(name, listed.summary) for name, listed in COMMANDS.items()]

    # Typer hands its own Context, a subclass of the vendored click Context that the base class
    # names (a private module); so the narrower type is right here.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CnblockError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the app; a usage error (unknown option, bad value) is one plain line on standard
        error, like cnblock's own errors, not a boxed panel."""
        if COMPLETE_ENV in os.environ or any(
            a.startswith(("--install-completion", "--show-completion")) for a in args or sys.argv
        ):
            from cnblock.commands import completion

            completion.register()
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            status = super().main(args, prog_name, complete_var, False, **extra)
        except NoArgsIsHelpError as exc:  # `cnblock source`: its help, as `cnblock` gives its own
            try:
                write(exc.format_message() + "\n")
            except CnblockError as error:
                report(error)
                sys.exit(error.exit_code)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            usage_error(exc)
            sys.exit(exc.exit_code)
        except CnblockError as exc:  # from an eager option, before invoke: -h into a full disk
            report(exc)
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.stderr.write("cnblock: interrupted\n")
            sys.exit(130)
        sys.exit(status if isinstance(status, int) else 0)


def usage_error(exc: ClickException) -> None:
    """`cnblock: <what is wrong>; see: cnblock COMMAND -h`, on one line."""
    misplaced = _global_option(exc)
    if misplaced:
        sys.stderr.write(f"cnblock: {misplaced}\n")
        return
    message = " ".join(exc.format_message().split()).rstrip(".")
    if message[1:2].islower():  # "No such option" reads as cnblock's own messages do
        message = message[0].lower() + message[1:]
    if isinstance(exc, UsageError) and exc.ctx is not None:
        message += f"; see: {exc.ctx.command_path} -h"
    sys.stderr.write(f"cnblock: {message}\n")


def _global_option(exc: ClickException) -> str | None:
    """What to say when a command was given one of the app's own options (`cnblock timeline
    --color never`): where it goes, instead of Click's 'no such option'. None otherwise."""
    name = getattr(exc, "option_name", None)
    ctx = getattr(exc, "ctx", None)
    if not isinstance(exc, NoSuchOption) or ctx is None or ctx.parent is None or not name:
        return None
    root = ctx.find_root()
    for param in root.command.get_params(root):
        if name in (*param.opts, *param.secondary_opts):
            value = "" if getattr(param, "is_flag", False) else f" {param.metavar or 'VALUE'}"
            command = ctx.command_path.partition(" ")[2]
            return (
                f"{name} is a global option: it goes before the command"
                f" ({root.command_path} {name}{value} {command} ...)"
            )
    return None


def report(exc: CnblockError) -> None:
    """The error on standard error: the problems with their lines, then one summary line."""
    from cnblock import loader, render

    err = console(stderr=True)
    if isinstance(exc, DataError):
        drafts = exc.drafts if isinstance(exc, DraftError) else {}

        def lines(path: str) -> Sequence[str] | None:
            return drafts[path].split("\n") if path in drafts else loader.source_lines(path)

        shown = render.problem_report(exc.problems, lines, total=exc.count)
        err.print(shown, end="", soft_wrap=True)
    err.print(f"cnblock: {printable(str(exc))}", soft_wrap=True)  # names may hold escapes


app = typer.Typer(
    cls=_Group,
    epilog="Start with: cnblock timeline --company BYD",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        # An eager option runs while the arguments are parsed, before _Group.invoke.
        try:
            write(f"cnblock {__version__}\n")
        except CnblockError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None
        raise typer.Exit


@app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            metavar="FILE",
            # a plain word, not Typer's Path: that refuses an unreadable file as a usage error
            # (exit 2, before any command); the loader reports it at FILE:1:1, as for any file
            click_type=Words(files=True),
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
    color: Annotated[
        Color,
        typer.Option(
            "--color",
            metavar="WHEN",
            is_eager=True,  # read before -h, so that `cnblock --color never -h` has none
            help="Colour: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it),"
            " always, or never.",
        ),
    ] = Color.auto,
    ascii: Annotated[
        bool | None,
        typer.Option(
            "--ascii/--unicode",
            is_eager=True,  # read before -h, which draws its frames by it
            help="Draw rules and bars with ASCII (- #), for terminals that draw ─ · – █ two"
            " cells wide. Default: ASCII when the locale is Chinese, Japanese or Korean, or"
            " CNBLOCK_ASCII=1.",
            show_default=False,
        ),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Never page. Long output on a terminal otherwise goes through $CNBLOCK_PAGER,"
            " else $PAGER, else 'less -FRX' (an empty value or 'cat': no pager).",
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read the data files afresh, neither using nor keeping the copy of the loaded"
            " log in the cache folder ($XDG_CACHE_HOME/cnblock). Also: CNBLOCK_CACHE=0.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Explore how Chinese companies and institutions took up blockchain, event by cited event."""
    ctx.obj = State(
        list(data or []),
        shipped=not no_shipped,
        color=color.value,
        ascii=ascii,
        pager=not no_pager,
        cache=not no_cache,
    )
    if ctx.invoked_subcommand is None:
        write(ctx.get_help() + "\n")


def main() -> None:
    """The console script."""
    streams.tolerant()
    try:
        app(prog_name="cnblock")
    except Terminated as stop:  # the half-written file is cleaned up by now
        sys.exit(128 + stop.signal)
