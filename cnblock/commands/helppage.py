"""Help pages: the usage line, the description, a framed panel for each group of options
(Arguments, Options, Filters) and of commands, and the example, laid out by cnblock's own table
layout and printed like every other output (plain text into a file or a pipe, colour only on a
terminal, NO_COLOR and --color respected).

Typer draws the same panels with its rich_utils module, whose imports (Rich's Markdown support
with markdown-it, Rich's tracebacks with Pygments) cost more than all the rest of `cnblock
--help`; so every cnblock command is one of the classes below, and the page is built from what
Click knows about each parameter (its help record, its panel), nothing private to Typer.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from rich.text import Text

    from cnblock.layout import Screen

WIDTH = 80
"""The width of a help page in a file or a pipe (COLUMNS, when set, wins), as Rich and Click
use."""

OPTION = "bold cyan"
PLACEHOLDER = "yellow"
NOTE = "dim"  # [default: ...], [required], the description after its first paragraph
BORDER = "dim"

_WORD = re.compile(r"[^\s,/]+")  # an option name or a placeholder, without separators
_NOTES = re.compile(r"(\s+\[(?:default: .*|required|env var: .*)\])$")


def page_width() -> int:
    """COLUMNS when set, else the terminal's width, else WIDTH."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        size = os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):  # not a terminal, or no real file
        return WIDTH
    return size or WIDTH  # a terminal that does not know its size says 0


def _settings(ctx: typer.Context) -> tuple[str, bool | None]:
    """The colour choice and the --ascii/--unicode choice of this run: the app's, once its
    options are read (a command's help); else as given before -h (eager options), if they
    were, else the defaults."""
    from cnblock.commands.common import State

    root = ctx.find_root()
    if isinstance(root.obj, State):
        return root.obj.color, root.obj.ascii
    color = root.params.get("color") or "auto"  # the choice's text, or a Color
    return str(getattr(color, "value", color)), root.params.get("ascii")


def paragraphs(text: str) -> list[str]:
    """Click's reading of a docstring or an epilog: dedented, cut at a form feed, paragraphs
    split at blank lines, the lines of a paragraph joined (unless it starts with \\b)."""
    text = inspect.cleandoc(text).partition("\f")[0]
    found = []
    for block in text.split("\n\n"):
        if block.startswith("\b"):
            found.append(block.strip("\b\n"))
        elif block.strip():
            found.append(" ".join(block.split()))
    return found


def _framed(title: str, body: Text, screen: Screen) -> list[Text]:
    """`body` inside a frame `screen.width` cells wide, `title` in its top edge."""
    from rich.text import Text

    from cnblock.layout import cells

    width, drawing = screen
    assert width is not None
    ascii_frame = drawing.rule == "-"
    corners, side = ("++++", "|") if ascii_frame else ("╭╮╰╯", "│")
    inner = width - 4
    fill = drawing.rule * max(0, width - 5 - cells(title, drawing))
    top = Text.assemble(
        (corners[0] + drawing.rule + " ", BORDER), title, (" " + fill + corners[1], BORDER)
    )
    lines = [top]
    for line in body.split("\n"):
        pad = max(0, inner - cells(line.plain, drawing))
        lines.append(Text.assemble((side + " ", BORDER), line, " " * (pad + 1), (side, BORDER)))
    lines.append(Text(corners[2] + drawing.rule * (width - 2) + corners[3], style=BORDER))
    return lines


def _glued(text: str) -> str:
    """`text` with the spaces that must not break a line glued (see layout.GLUE)."""
    from cnblock.layout import GLUE

    return text.replace(" ", GLUE)


def _names(record: str, indent: int) -> Text:
    """An option's names and placeholder: `-f, --format FORMAT`, `--ascii / --unicode`; the
    names never broken apart, long options indented `indent` cells to line up."""
    from rich.text import Text

    names = re.sub(r", | / ", lambda m: _glued(m.group()), record)
    if names.startswith("--"):
        names = _glued(" " * indent) + names
    text = Text(names)
    for found in _WORD.finditer(names):
        style = OPTION if found.group().startswith("-") else PLACEHOLDER
        text.stylize(style, found.start(), found.end())
    return text


def _described(help_text: str) -> Text:
    """An option's help, its [default: ...] and [required] notes dim and kept whole."""
    from rich.text import Text

    plain = " ".join(help_text.split())
    notes = _NOTES.search(plain)
    if notes is None:
        return Text(plain)
    text = Text(plain[: notes.start(1)] + " ")
    text.append(_glued(notes.group(1).strip()), style=NOTE)
    return text


def _panel(title: str, rows: list[tuple[Text, Text]], screen: Screen) -> list[Text]:
    from cnblock import layout

    assert screen.width is not None
    inner = layout.Screen(max(1, screen.width - 4), screen.drawing)
    columns = [layout.Column(""), layout.Column("", weight=10)]
    body = layout.table(columns, [layout.Row(cells=row) for row in rows], inner, header=False)
    return _framed(title, body, screen)


def _options(command: Any, ctx: typer.Context, screen: Screen) -> list[Text]:
    """A panel for each group of arguments and options: Arguments, then Options, then the
    others in the order they first appear."""
    panels: dict[str, list[tuple[str, str]]] = {"Arguments": [], "Options": []}
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:  # hidden
            continue
        default = "Arguments" if param.param_type_name == "argument" else "Options"
        panels.setdefault(getattr(param, "rich_help_panel", None) or default, []).append(record)
    lines = []
    for title, records in panels.items():
        if not records:
            continue
        # long options line up under each other when some of them have a short form
        indent = 4 if any(n.startswith("-") and not n.startswith("--") for n, _ in records) else 0
        rows = [(_names(n, indent), _described(h)) for n, h in records]
        lines += _panel(title, rows, screen)
    return lines


def _commands(listed: Iterable[tuple[str, str]], screen: Screen) -> list[Text]:
    from rich.text import Text

    rows = [(Text(name, style=OPTION), Text(summary)) for name, summary in listed]
    return _panel("Commands", rows, screen) if rows else []


def _prose(text: str, screen: Screen, style: str = "", hang: int = 0) -> list[Text]:
    """A paragraph wrapped one cell in from the left edge; `hang`: how much further in its
    second and later lines start."""
    from rich.text import Text

    from cnblock import layout

    assert screen.width is not None
    whole = Text(text, style=style)
    first = layout.wrap(whole, max(1, screen.width - 2), screen.drawing)[0]
    rest = whole[len(first.plain) :]
    rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")) :]
    lines = [Text(" ") + first]
    if rest.plain:
        width = max(1, screen.width - 2 - hang)
        lines += [
            Text(" " * (1 + hang)) + line for line in layout.wrap(rest, width, screen.drawing)
        ]
    return lines


def page(command: Any, ctx: typer.Context, listed: Iterable[tuple[str, str]] = ()) -> str:
    """The help page of `command` as the output shows it; `listed`: a group's commands, each
    with its summary."""
    from rich.text import Text

    from cnblock.commands.common import ascii_wanted, rendered
    from cnblock.layout import ASCII, UNICODE, Screen

    color, ascii = _settings(ctx)
    screen = Screen(max(20, page_width()), ASCII if ascii_wanted(ascii) else UNICODE)
    usage = " ".join(["Usage:", ctx.command_path, *command.collect_usage_pieces(ctx)])
    lines = _prose(usage, screen, hang=len("Usage: "))
    lines[0].stylize(PLACEHOLDER, 1, 1 + len("Usage:"))
    for n, paragraph in enumerate(paragraphs(command.help or "")):
        lines += [Text(), *_prose(paragraph, screen, style=NOTE if n else "")]
    lines.append(Text())
    lines += _options(command, ctx, screen)
    lines += _commands(listed, screen)
    for paragraph in paragraphs(command.epilog or ""):
        hang = len("Example: ") if paragraph.startswith("Example: ") else 0
        lines += [Text(), *_prose(paragraph, screen, hang=hang)]
    return rendered(Text("\n").join(lines), color, end="")


def summary(command: Any) -> str:
    """A command's line in its group's list: the first paragraph of its help."""
    found = paragraphs(command.short_help or command.help or "")
    return found[0] if found else ""


def _show_help(ctx: typer.Context, param: Any, value: bool) -> None:
    """-h/--help: the page on standard output, written as every output is (checked; a closed
    pipe ends the command quietly)."""
    from cnblock.commands.common import write

    if not value or ctx.resilient_parsing:
        return
    write(ctx.get_help() + "\n")
    ctx.exit()


def _with_help(option: Any) -> Any:
    if option is not None:
        option.callback = _show_help
    return option


class Command(TyperCommand):
    """A cnblock command: Typer's, with cnblock's help page."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(page(self, ctx))

    def get_help_option(self, ctx: Any) -> Any:
        return _with_help(super().get_help_option(ctx))


class Group(TyperGroup):
    """A group of cnblock commands: Typer's, with cnblock's help page."""

    def listed(self, ctx: typer.Context) -> list[tuple[str, str]]:
        """The commands the help page lists, each with its summary."""
        found = (self.get_command(ctx, name) for name in self.list_commands(ctx))
        return [(c.name or "", summary(c)) for c in found if c is not None and not c.hidden]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(page(self, ctx, self.listed(ctx)))

    def get_help_option(self, ctx: Any) -> Any:
        return _with_help(super().get_help_option(ctx))
