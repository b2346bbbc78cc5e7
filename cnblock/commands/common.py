"""What the commands share: the global state, output in one place, the filter options."""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from typing import IO, TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

import typer

# Typer vendors click; a parameter type is reached through Typer, never by importing click.
from typer._click.types import ParamType

from cnblock import loader, query
from cnblock.commands import streams
from cnblock.commands.streams import is_terminal
from cnblock.model import Entity, Event, EventLog, Technology
from cnblock.text import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from cnblock.export import Record
    from cnblock.layout import Screen

R = TypeVar("R")


class State:
    """What the global options chose, and the log once a command has loaded it."""

    def __init__(
        self,
        data: list[str],
        shipped: bool = True,
        color: str = "auto",
        ascii: bool | None = None,
        pager: bool = True,
        cache: bool = True,
    ):
        self.data = data
        self.cache = cache
        self.shipped = shipped
        self.color = color
        self.ascii = ascii
        self.pager = pager
        self.log: EventLog | None = None
        self.noted: set[tuple[str, str]] = set()

    def files(self, named: list[str] | None = None) -> list[str]:
        """The files to load: the shipped log unless --no-shipped, then `named` or the user's
        files; UsageError when that leaves nothing."""
        from cnblock.errors import UsageError

        repeats: list[tuple[str, str]] = []
        paths = loader.data_files(named or self.data, shipped=self.shipped, repeats=repeats)
        for again, loaded in repeats:  # said once a process, however often files() is asked
            if (again, loaded) not in self.noted:
                self.noted.add((again, loaded))
                sys.stderr.write(f"note: {printable(loader.repeat_note(again, loaded))}\n")
        if not paths:
            raise UsageError(
                f"--no-shipped leaves nothing to load: name a file with --data"
                f" (or set {loader.DATA_ENV})"
            )
        return paths

    def load(self) -> EventLog:
        if self.log is None:
            from cnblock import cache

            self.log = loader.load(  # kept until the command ends
                self.files(), freeze=True, cached=self.cache and cache.enabled()
            )
        return self.log

    def select(self, filters: query.Filters) -> tuple[EventLog, list[Event]]:
        """The events `filters` choose, and a log to show them with: its records are the whole
        log's, but from a warm cache its events may be only those the filters could match
        (query.candidates), read without the rest. The answer is the same either way."""
        from cnblock import cache

        if self.log is None and not filters.empty and self.cache and cache.enabled():
            log = loader.load(
                self.files(),
                freeze=True,
                cached=True,
                pick=lambda records, keys: query.candidates(records, filters, keys),
            )
        else:
            log = self.load()
        return log, query.select(log, filters)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):  # a command run without the app's callback
        obj = ctx.find_root().obj = State([])
    return obj


def console(
    stderr: bool = False, color: str = "auto", file: IO[str] | None = None, terminal: bool = False
) -> Console:
    """A console for standard output (or error), or one rendering into `file` as if for a
    terminal when `terminal`. `color`: 'auto' leaves it to the terminal, NO_COLOR and
    FORCE_COLOR; 'always' and 'never' override them."""
    from rich.console import Console

    options: dict[str, Any] = {"file": file} if file is not None else {}
    if color == "never":
        options["no_color"] = True
        options["color_system"] = None
    elif color == "always" or terminal:
        options["force_terminal"] = True
    # Data is never markup: nothing in a cell is parsed for [tags], :emoji: or highlighted.
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, **options)


def screen_width() -> int | None:
    """The width to lay tables out for: COLUMNS when set, else the terminal's; None (as wide
    as the content needs) when standard output is a file or a pipe."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if is_terminal(sys.stdout):
            return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        pass
    return None


CJK_LANGUAGES = ("zh", "ja", "ko")


def ascii_wanted(choice: bool | None) -> bool:
    """Draw with ASCII when asked (--ascii, CNBLOCK_ASCII=1), or, unless told otherwise,
    when the locale is Chinese, Japanese or Korean: terminals there often draw ·, –, ─ and █
    two cells wide."""
    if choice is not None:
        return choice
    env = os.environ.get("CNBLOCK_ASCII", "")
    if env in ("0", "1"):
        return env == "1"
    if not _can_draw(getattr(sys.stdout, "encoding", None)):
        return True  # an ASCII or Latin-1 output cannot show the lines and bars
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = os.environ.get(name)
        if value:
            return value.lower().startswith(CJK_LANGUAGES)
    return False


def _can_draw(encoding: str | None) -> bool:
    try:
        "─█·–".encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def screen(ctx: typer.Context) -> Screen:
    from cnblock.layout import ASCII, UNICODE, Screen

    return Screen(screen_width(), ASCII if ascii_wanted(state(ctx).ascii) else UNICODE)


PAGER_ENV = "CNBLOCK_PAGER"


def plain_output(color: str = "auto") -> bool:
    """Whether Rich would print nothing but the plain text on standard output: it is a file or
    a pipe, and colour is off or left to the terminal (and neither FORCE_COLOR nor
    TTY_COMPATIBLE=1 says there is one). Such output need not go through Rich's Console, whose
    import alone costs more than laying out a table."""
    if color == "always" or (
        color == "auto" and ("FORCE_COLOR" in os.environ or os.environ.get("TTY_COMPATIBLE") == "1")
    ):
        return False
    return not is_terminal(sys.stdout)


def rendered(text: Text, color: str = "auto", end: str = "\n") -> str:
    """`text` as standard output's console would print it (colours only for a terminal)."""
    if plain_output(color):
        return text.plain + end
    import io

    # Rendered into memory, never through Rich's own writes to sys.stdout: those are unchecked
    buffer = io.StringIO()
    out = console(color=color, file=buffer, terminal=is_terminal(sys.stdout))
    out.print(text, soft_wrap=True, end=end)
    return buffer.getvalue()


def show(ctx: typer.Context, text: Text | Iterator[Text]) -> None:
    """Print laid-out text on standard output; through a pager when standard output is a
    terminal and the text is longer than the screen, unless --no-pager. Text given as lines
    (render.timeline_lines) is written as they are made when the output is plain (a file or
    a pipe); otherwise joined first."""
    from rich.text import Text as RichText  # imported already by whatever made the text

    options = state(ctx)
    if not isinstance(text, RichText):
        if plain_output(options.color):
            _write_lines(text)
            return
        text = RichText("\n").join(list(text))
    command = os.environ.get(PAGER_ENV, os.environ.get("PAGER", "less -FRX")).strip()
    shown = rendered(text, options.color)
    if options.pager and command and command != "cat" and is_terminal(sys.stdout):
        try:
            height = os.get_terminal_size(sys.stdout.fileno()).lines
        except OSError:
            height = 0
        if height and text.plain.count("\n") + 1 >= height and _page(command, shown):
            return
    write(shown)


def _write_lines(lines: Iterator[Text], size: int = 1 << 16) -> None:
    """The plain text of `lines`, a line break after each, written in pieces of about `size`
    characters: what `rendered` gives for the lines joined, without the whole of it at once."""
    pending: list[str] = []
    length = 0
    written = False
    for line in lines:
        plain = line.plain
        pending.append(plain)
        length += len(plain) + 1
        if length >= size:
            write("\n".join(pending) + "\n")
            pending, length, written = [], 0, True
    if pending or not written:
        write("\n".join(pending) + "\n")


def _page(command: str, text: str) -> bool:
    """Hand the text to the pager as git does (LESS=FRX unless LESS is set); False when the
    pager could not be started, so that the caller prints the text itself."""
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        done = subprocess.run(command, shell=True, input=text.encode("utf-8"), env=env, check=False)
    except OSError:
        return False
    return done.returncode != 127  # the shell's 'command not found'


class Words(ParamType):
    """A plain text argument whose help shows only its placeholder (ID..., FILE...), not
    Typer's `<str>` or `<path>` beside it. `files`: the shell completes it with file names."""

    name = "text"

    def __init__(self, files: bool = False):
        self.files = files

    def get_metavar(self, param: Any, ctx: Any) -> str | None:
        return ""

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        return str(value)

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from typer._click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type="file")] if self.files else []


def at_least_one(value: int | None) -> int | None:
    """A count option's check (`N`, not Typer's `N [x>=1]` in the help)."""
    if value is not None and value < 1:
        raise typer.BadParameter(f"{value} is not a count: give 1 or more")
    return value


def write(text: str, data: bool = False) -> None:
    """Text on standard output, checked (see `streams.write`); `data` for file formats."""
    streams.write(text, data)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="table: a table to read on screen; json or csv: for scripts and spreadsheets.",
    ),
]


def emit(
    ctx: typer.Context,
    fmt: Format,
    *,
    records: Callable[[], Any],
    table: Callable[[Screen], Text | Iterator[Text]],
    csv: Callable[[], str] | None = None,
    empty: bool = False,
) -> None:
    """Print once, in the format asked for. `records` are JSON-ready; CSV is derived from them
    unless `csv` says otherwise; a table is laid out for the screen; an empty table is not
    printed at all."""
    from cnblock import export

    if fmt is Format.json:
        for chunk in export.json_chunks(records()):  # written as it is made
            write(chunk, data=True)
    elif fmt is Format.csv:
        write(csv() if csv is not None else export.to_csv(records()), data=True)
    elif not empty:
        show(ctx, table(screen(ctx)))


Candidate = tuple[str, str]
"""A completion: the value to insert and what it is (shown by zsh and fish)."""

TYPED: list[str] = []
"""The word being completed, as typed, when cnblock's completion (commands/completion.py)
runs: Typer keeps only values that start with it case-sensitively, which would drop
`Meituan Dianping` for `meit`, so completion asks Typer with an empty word and the
functions below read the real one here."""


def typed(incomplete: str) -> str:
    return TYPED[-1] if TYPED else incomplete


def completion_log(ctx: typer.Context) -> EventLog | None:
    """The log a command on this command line would load: the shipped log (unless
    --no-shipped) and the --data files typed before the cursor, else $CNBLOCK_DATA or the
    local file; None when it cannot be loaded (completion then offers nothing)."""
    from cnblock.errors import CnblockError

    params = ctx.find_root().params
    named = [str(p) for p in params.get("data") or []]
    try:
        paths = loader.data_files(named, shipped=not params.get("no_shipped"))
        return loader.load(paths) if paths else None
    except CnblockError:
        return None


def matching_names(records: Iterable[Entity | Technology], incomplete: str) -> list[Candidate]:
    """Every name, in any language or script, alias included, that starts like `incomplete`
    (compared case- and width-folded), with the record's English name as its description
    when it is another name; the id only when no name matches (so that `Penta` completes to
    `Penta Security`, not to the choice of it and `penta-security`); only English names for
    an empty prefix."""
    wanted = query.fold(incomplete)
    found: dict[str, str] = {}
    for record in records:
        names = [n for n in record.all_names() if n != record.id] if wanted else [record.name]
        # a name a shell cannot show as it is (a bidi override, a zero-width space) is left
        # out: escaped, it would no longer be the name
        matched = [n for n in names if query.fold(n).startswith(wanted) and printable(n) == n]
        if not matched and query.fold(record.id).startswith(wanted):
            matched = [record.id]
        for name in matched:
            found.setdefault(name, "" if name == record.name else printable(record.name))
    return sorted(found.items(), key=lambda pair: (query.fold(pair[0]), pair[0]))


def complete(kind: str) -> Callable[[typer.Context, str], list[Candidate]]:
    """Shell completion of company, person or technology names from the log that the
    command line selects."""

    def names(ctx: typer.Context, incomplete: str) -> list[Candidate]:
        log = completion_log(ctx)
        if log is None:
            return []
        incomplete = typed(incomplete)
        records: list[Entity] | list[Technology] = (
            query.organisations(log)
            if kind == "company"
            else query.people(log)
            if kind == "person"
            else list(log.technologies.values())
        )
        return matching_names(records, incomplete)

    return names


def complete_source(ctx: typer.Context, incomplete: str) -> list[Candidate]:
    """Shell completion of --source: source ids, with their publisher and date."""
    log = completion_log(ctx)
    wanted = query.fold(typed(incomplete))
    return [
        (s.id, printable(f"{s.publisher}, {s.published}"))
        for s in (log.sources.values() if log else [])
        if query.fold(s.id).startswith(wanted)
    ]


def complete_event(ctx: typer.Context, incomplete: str) -> list[Candidate]:
    """Shell completion of event ids, each with its title; ids already given are left out."""
    log = completion_log(ctx)
    wanted = query.fold(typed(incomplete))
    given = {query.fold(a) for a in ctx.params.get("event_ids") or []}
    return [
        (e.id, printable(e.title))
        for e in (log.events if log else [])
        if query.fold(e.id).startswith(wanted) and query.fold(e.id) not in given
    ]


def complete_kind(incomplete: str) -> list[str]:
    """Shell completion of --kind: the record kinds of the schema."""
    from cnblock.model import EVENT_KINDS

    return [k for k in EVENT_KINDS if k.startswith(incomplete.casefold())]


def _filter_option(*decls: str, help: str, **extra: Any) -> Any:
    return typer.Option(*decls, help=help, rich_help_panel="Filters", **extra)


_MANY = list[str] | None
FILTER_OPTIONS: dict[str, Any] = {
    "company": Annotated[
        _MANY,
        _filter_option(
            "--company",
            "-c",
            metavar="NAME",
            autocompletion=complete("company"),
            help="Company or organisation by id or any name or alias, in any language"
            " (BYD, 비야디, 比亚迪).",
        ),
    ],
    "person": Annotated[
        _MANY,
        _filter_option(
            "--person",
            "-p",
            metavar="NAME",
            autocompletion=complete("person"),
            help="Person by id or any name (Wang Xing, 王兴).",
        ),
    ],
    "tech": Annotated[
        _MANY,
        _filter_option(
            "--tech",
            "-t",
            metavar="NAME",
            autocompletion=complete("tech"),
            help="Technology by id, name or alias (DCEP, BaaS).",
        ),
    ],
    "year": Annotated[
        _MANY,
        _filter_option(
            "--year", "-y", metavar="YEAR", help="A year (2018) or a range (2017..2019, 2019..)."
        ),
    ],
    "since": Annotated[
        str | None,
        _filter_option(
            "--since", metavar="DATE", help="Events on or after DATE (2018, 2018-09, 2018-09-01)."
        ),
    ],
    "until": Annotated[
        str | None, _filter_option("--until", metavar="DATE", help="Events on or before DATE.")
    ],
    "grep": Annotated[
        _MANY,
        _filter_option(
            "--grep",
            "-g",
            metavar="TEXT",
            help="Text in titles, summaries or names, in any language.",
        ),
    ],
    "source": Annotated[
        _MANY,
        _filter_option(
            "--source",
            metavar="ID",
            autocompletion=complete_source,
            help="Only events citing this source (see: cnblock sources).",
        ),
    ],
    "kind": Annotated[
        _MANY,
        _filter_option(
            "--kind",
            "-k",
            metavar="KIND",
            autocompletion=complete_kind,
            help="What the record says: event, state (true as of a date), statement, plan"
            " or speculation.",
        ),
    ],
}
"""The shared filter options by `query.Filters` field; `with_filters` adds them to a command."""


def filters_from(options: dict[str, Any]) -> query.Filters:
    """The Filters that the filter options' values ask for (lists become tuples)."""
    given: dict[str, Any] = {
        n: tuple(v) if isinstance(v, list) else v for n, v in options.items() if v
    }
    return query.Filters(**given)


Command = Callable[..., None]


def with_filters(command: Command) -> Command:
    """Give a command the shared filter options, handed to it as one `filters` argument.

    Typer reads a command's options from its signature, so the wrapper's signature is the
    command's own parameters (less `filters`) followed by one keyword parameter a filter.
    A command's own option of the same name wins (`companies --kind` is the organisation's
    kind, not the record's)."""
    signature = inspect.signature(command)
    if "filters" not in signature.parameters:
        raise TypeError(f"{command.__name__} takes no 'filters' parameter")
    shared = [name for name in FILTER_OPTIONS if name not in signature.parameters]
    extra = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=FILTER_OPTIONS[name]
        )
        for name in shared
    ]
    own = [p for p in signature.parameters.values() if p.name != "filters"]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        filters = filters_from({name: kwargs.pop(name, None) for name in shared})
        command(*args, filters=filters, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=own + extra)  # type: ignore[attr-defined]
    return wrapper


def select(ctx: typer.Context, filters: query.Filters) -> tuple[EventLog, list[Event]]:
    """The events the filters choose, with a log to show them with (whose events may be only
    a part of the whole: see State.select); says so when none match."""
    log, events = state(ctx).select(filters)
    if not events:
        sys.stderr.write("no events match\n")
    return log, events


class Listing(NamedTuple):
    """How a listing command lists one kind of record."""

    records: Callable[[EventLog], Iterable[Any]]
    activity: Callable[[Sequence[Event]], dict[str, query.Activity]]
    record: Callable[[Any, query.Activity], Record]
    table: Callable[[EventLog, list[tuple[Any, query.Activity]], Screen], Text]


def show_listing(
    ctx: typer.Context,
    filters: query.Filters,
    fmt: Format,
    listing: Listing,
    keep: Callable[[Any], bool] = lambda record: True,
) -> None:
    """Print what a listing command lists, with its number of events and years: everything in
    the log without filters, else only what the filtered events involve."""
    if filters.empty:
        log = state(ctx).load()
        events = list(log.events)
    else:
        log, events = select(ctx, filters)
    stats = listing.activity(events)
    pairs = [
        (r, a)
        for r, a in query.listed(listing.records(log), stats, everything=filters.empty)
        if keep(r)
    ]
    emit(
        ctx,
        fmt,
        records=lambda: [listing.record(r, a) for r, a in pairs],
        table=lambda screen: listing.table(log, pairs, screen),
        empty=not pairs,
    )
