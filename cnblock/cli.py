"""The cnblock command line: parses options, calls the layers below, prints once."""

import functools
import inspect
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer
from typer.core import TyperGroup

from cnblock import __version__, export, loader, query, render
from cnblock.errors import CnblockError, DataError
from cnblock.model import ENTITY_KINDS, EventLog
from cnblock.text import counted


class _Group(TyperGroup):
    """The one place where cnblock's errors become messages and exit statuses."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except CnblockError as exc:
            _report(exc)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    epilog="Start with: cnblock timeline --company BYD",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _State:
    """What the global options chose, and the log once a command has loaded it."""

    def __init__(self, data: list[str]):
        self.data = data
        self.log: EventLog | None = None

    def load(self) -> EventLog:
        if self.log is None:
            self.log = loader.load(loader.data_files(self.data))
        return self.log


def _console(stderr: bool = False):
    from rich.console import Console

    # Data is never markup: nothing in a cell is parsed for [tags], :emoji: or highlighted.
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


def _report(exc: CnblockError) -> None:
    err = _console(stderr=True)
    if isinstance(exc, DataError):
        err.print(render.problem_report(exc.problems, loader.source_lines), end="", soft_wrap=True)
    err.print(f"cnblock: {exc}", soft_wrap=True)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table for people, json or csv for scripts.")]


def _emit(fmt: Format, table: Callable, json: Callable[[], object], csv: Callable[[], str], empty: bool = False) -> None:
    """Print once, in the format asked for; an empty table is not printed at all."""
    if fmt is Format.json:
        _write(export.to_json(json()))
    elif fmt is Format.csv:
        _write(csv())
    elif not empty:
        _console().print(table())


def _complete(kind: str) -> Callable[[str], list[str]]:
    """Shell completion of names from the log that the environment selects."""

    def complete(incomplete: str) -> list[str]:
        try:
            log = loader.load(loader.data_files())
        except CnblockError:
            return []
        records = {
            "company": query.organisations(log),
            "person": query.people(log),
            "tech": list(log.technologies.values()),
        }[kind]
        wanted = query.fold(incomplete)
        return sorted({n for r in records for n in (r.id, r.name) if query.fold(n).startswith(wanted)})

    return complete


def _filter_option(*decls: str, help: str, **extra) -> typer.models.OptionInfo:
    return typer.Option(*decls, help=help, rich_help_panel="Filters", **extra)


_MANY = Optional[list[str]]
_FILTERS = {
    "company": Annotated[_MANY, _filter_option("--company", "-c", metavar="NAME", autocompletion=_complete("company"), help="Company or organisation by id or any name or alias, in any language (BYD, 비야디, 比亚迪).")],
    "person": Annotated[_MANY, _filter_option("--person", "-p", metavar="NAME", autocompletion=_complete("person"), help="Person by id or any name (Wang Xing, 王兴).")],
    "tech": Annotated[_MANY, _filter_option("--tech", "-t", metavar="NAME", autocompletion=_complete("tech"), help="Technology by id, name or alias (DCEP, BaaS).")],
    "year": Annotated[_MANY, _filter_option("--year", "-y", metavar="YEAR", help="A year (2018) or a range (2017..2019, 2019..).")],
    "since": Annotated[Optional[str], _filter_option("--since", metavar="DATE", help="Events on or after DATE (2018, 2018-09, 2018-09-01).")],
    "until": Annotated[Optional[str], _filter_option("--until", metavar="DATE", help="Events on or before DATE.")],
    "grep": Annotated[_MANY, _filter_option("--grep", "-g", metavar="TEXT", help="Text in titles, summaries or names, in any language.")],
    "source": Annotated[_MANY, _filter_option("--source", metavar="ID", help="Only events citing this source (see: cnblock sources).")],
}


def with_filters(command: Callable) -> Callable:
    """Give a command the shared filter options, handed to it as one `filters` argument."""
    signature = inspect.signature(command)
    extra = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=a) for n, a in _FILTERS.items()]
    own = [p for p in signature.parameters.values() if p.name != "filters"]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        given = {n: kwargs.pop(n) for n in _FILTERS}
        filters = query.Filters(**{n: tuple(v) if isinstance(v, list) else v for n, v in given.items() if v})
        return command(*args, filters=filters, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=own + extra)
    return wrapper


def _select(ctx: typer.Context, filters: query.Filters) -> tuple[EventLog, list]:
    log = ctx.obj.load()
    events = query.select(log, filters)
    if not events:
        sys.stderr.write("no events match\n")
    return log, events


def _version(value: bool) -> None:
    if value:
        _write(f"cnblock {__version__}\n")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    data: Annotated[Optional[list[Path]], typer.Option("--data", "-d", metavar="FILE", help="Data file to load instead of the shipped log; repeat to merge several. Default: $CNBLOCK_DATA, else the shipped log.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Explore how Chinese companies and institutions took up blockchain, event by cited event."""
    ctx.obj = _State([str(p) for p in data or []])
    if ctx.invoked_subcommand is None:
        _write(ctx.get_help() + "\n")


@app.command(epilog="Example: cnblock timeline --company BYD --year 2018..2019 --long")
@with_filters
def timeline(
    ctx: typer.Context,
    filters: query.Filters,
    long: Annotated[bool, typer.Option("--long", "-l", help="Add summaries and date notes.")] = False,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Show at most N events.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show events in date order, grouped by year.

    Filters of different kinds must all match; a filter given twice matches either value.
    """
    log, events = _select(ctx, filters)
    events = (events[::-1] if reverse else events)[:limit]
    _emit(fmt, lambda: render.timeline(log, events, long), lambda: [export.event_record(log, e) for e in events], lambda: export.events_csv(log, events), empty=not events)


class By(str, Enum):
    company = "company"


@app.command(epilog="Example: cnblock years --by company --tech blockchain")
@with_filters
def years(
    ctx: typer.Context,
    filters: query.Filters,
    by: Annotated[Optional[By], typer.Option("--by", help="Count per year and company, as a matrix.")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="With --by company: the N busiest organisations.")] = 8,
    fmt: FormatOption = Format.table,
) -> None:
    """Count events by year, with the organisations active in each."""
    log, events = _select(ctx, filters)
    if by is By.company:
        years_, entities, counts = query.year_matrix(log, events, top)
        rows = [{"year": y} | {e.name: counts.get((y, e.id), 0) for e in entities} for y in years_]
        _emit(fmt, lambda: render.year_matrix(years_, entities, counts), lambda: rows, lambda: export.to_csv(rows, ["year", *(e.name for e in entities)]), empty=not events)
        return
    rows = query.years(log, events)
    records = [{"year": r.year, "events": r.events, "companies": list(r.companies)} for r in rows]
    _emit(fmt, lambda: render.years(rows), lambda: records, lambda: export.to_csv(records, ["year", "events", "companies"]), empty=not events)


@app.command(epilog="Example: cnblock show byd-first-developer-conference")
def show(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The event's id, as listed by: cnblock timeline --format csv")],
    fmt: FormatOption = Format.table,
) -> None:
    """Show one event in full: every name, the date note and every citation."""
    log = ctx.obj.load()
    event = query.find_event(log, event_id)
    _emit(fmt, lambda: render.event_detail(log, event), lambda: export.event_record(log, event), lambda: export.events_csv(log, [event]))


def _list(ctx: typer.Context, filters: query.Filters, fmt: Format, records_of: Callable, stats_of: Callable, to_record: Callable, table: Callable, keep: Callable = lambda record: True) -> None:
    """Print what a listing command lists, with its number of events and years: everything in
    the log without filters, else only what the filtered events involve."""
    log = ctx.obj.load()
    events = list(log.events) if filters.empty else _select(ctx, filters)[1]
    pairs = [(r, a) for r, a in query.listed(records_of(log), stats_of(events), everything=filters.empty) if keep(r)]
    rows = lambda: [to_record(r, a) for r, a in pairs]  # noqa: E731 - built only for json and csv
    _emit(fmt, lambda: table(pairs), rows, lambda: export.to_csv(rows()), empty=not pairs)


@app.command(epilog="Example: cnblock companies --kind university")
@with_filters
def companies(
    ctx: typer.Context,
    filters: query.Filters,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help=f"Only this kind: {', '.join(k for k in ENTITY_KINDS if k != 'person')}.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List companies and organisations with their names in every language."""
    if kind is not None and (kind == "person" or kind not in ENTITY_KINDS):
        raise typer.BadParameter(f"'{kind}' is not a kind of organisation", param_hint="--kind")
    table = lambda pairs: render.entities(pairs, ctx.obj.load())  # noqa: E731
    _list(ctx, filters, fmt, query.organisations, query.entity_activity, export.entity_record, table, keep=lambda e: kind is None or e.kind == kind)


@app.command(epilog="Example: cnblock people --company Meituan")
@with_filters
def people(ctx: typer.Context, filters: query.Filters, fmt: FormatOption = Format.table) -> None:
    """List the people named in the log, with their affiliations."""
    table = lambda pairs: render.entities(pairs, ctx.obj.load(), with_affiliations=True)  # noqa: E731
    _list(ctx, filters, fmt, query.people, query.entity_activity, export.entity_record, table)


@app.command(epilog="Example: cnblock tech --company Meituan")
@with_filters
def tech(ctx: typer.Context, filters: query.Filters, fmt: FormatOption = Format.table) -> None:
    """List the technologies, with how often and when they appear."""
    _list(ctx, filters, fmt, lambda log: log.technologies.values(), query.technology_activity, export.technology_record, render.technologies)


@app.command(epilog="Example: cnblock sources --format json")
@with_filters
def sources(ctx: typer.Context, filters: query.Filters, fmt: FormatOption = Format.table) -> None:
    """List the articles the events cite."""
    _list(ctx, filters, fmt, lambda log: log.sources.values(), query.source_activity, export.source_record, render.sources)


ExportFormat = Enum("ExportFormat", {name: name for name in export.EXPORTERS}, type=str)


@app.command("export", epilog="Example: cnblock export --company BYD --format markdown -o byd.md")
@with_filters
def export_events(
    ctx: typer.Context,
    filters: query.Filters,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="The file format.")] = ExportFormat.markdown,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    long: Annotated[bool, typer.Option("--long", "-l", help="Markdown: add each event's summary and date note.")] = False,
) -> None:
    """Export the filtered events as Markdown, CSV, JSON, a YAML subset or TimelineJS."""
    log, events = _select(ctx, filters)
    text = export.EXPORTERS[fmt.value](log, events, filters, long)
    if output is None:
        _write(text)
        return
    from cnblock.output import write_file

    write_file(str(output), text, force=force, inputs=log.files)
    sys.stderr.write(f"wrote {counted(len(events), 'event')} to {output}\n")


@app.command(epilog="Example: CNBLOCK_SEEDS=../shared/seeds cnblock validate my-events.yaml")
def validate(
    ctx: typer.Context,
    files: Annotated[Optional[list[Path]], typer.Argument(metavar="[FILE]...", help="Data files to check together. Default: the files the other commands load.")] = None,
) -> None:
    """Check data files and report every problem at its FILE:LINE:COL."""
    paths = [str(f) for f in files] if files else loader.data_files(ctx.obj.data)
    from cnblock import provenance

    log, problems = provenance.validate(paths)
    out = _console()
    if problems:
        out.print(render.problem_report(problems, loader.source_lines), end="", soft_wrap=True)
        _write(f"{counted(len(problems), 'problem')} in {', '.join(paths)}\n")
        raise typer.Exit(1)
    folder = provenance.seeds_folder()
    checked = f"citations checked against the texts in {folder}" if folder else f"citations not checked against the texts ({provenance.SEEDS_ENV} is not set)"
    summary = f"ok: {', '.join(paths)}: {len(log.events)} events, {len(log.entities)} entities, {len(log.technologies)} technologies, {len(log.sources)} sources; {checked}"
    _write(summary + "\n")


def main() -> None:
    """The console script."""
    app(prog_name="cnblock")
