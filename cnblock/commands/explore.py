"""The explorer commands: timeline, years, show and the listings."""

# No `from __future__ import annotations`: Typer reads the options from real annotations.
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from cnblock import export, query, render
from cnblock.commands.common import (
    Format,
    FormatOption,
    Listing,
    Words,
    at_least_one,
    complete_event,
    emit,
    select,
    show_listing,
    state,
    with_filters,
)
from cnblock.commands.helppage import Command
from cnblock.model import ENTITY_KINDS, KIND_SPELLINGS, canonical_kind
from cnblock.suggest import did_you_mean
from cnblock.text import printable

if TYPE_CHECKING:
    from rich.text import Text

    from cnblock.layout import Screen

app = typer.Typer()


@app.command(cls=Command, epilog="Example: cnblock timeline --company BYD --year 2018..2019 --long")
@with_filters
def timeline(
    ctx: typer.Context,
    filters: query.Filters,
    long: Annotated[
        bool, typer.Option("--long", "-l", help="Add summaries and date notes.")
    ] = False,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", metavar="N", callback=at_least_one, help="Show at most N events."
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show events in date order, grouped by year.

    Filters of different kinds must all match; a filter given twice matches either value.
    """
    log, events = select(ctx, filters)
    events = (events[::-1] if reverse else events)[:limit]
    emit(
        ctx,
        fmt,
        records=lambda: [export.event_record(log, e) for e in events],
        table=lambda screen: render.timeline_lines(log, events, long, screen=screen),
        csv=lambda: export.events_csv(log, events),
        empty=not events,
    )


class By(str, Enum):
    company = "company"


@app.command(cls=Command, epilog="Example: cnblock years --by company --tech blockchain")
@with_filters
def years(
    ctx: typer.Context,
    filters: query.Filters,
    by: Annotated[
        By | None, typer.Option("--by", help="Count per year and company, as a matrix.")
    ] = None,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            metavar="N",
            callback=at_least_one,
            help="With --by company: the N busiest organisations.",
        ),
    ] = 8,
    fmt: FormatOption = Format.table,
) -> None:
    """Count events by year, with the organisations active in each.

    A record whose date spans several years (2017/2018, or a state from 2013 as of 2018) is
    counted in every year it is known to cover.
    """
    log, events = select(ctx, filters)
    spanning = query.spanning(events)
    if by is By.company:
        years_, entities, counts = query.year_matrix(log, events, top)
        matrix = [
            {"year": y} | {e.name: counts.get((y, e.id), 0) for e in entities} for y in years_
        ]
        emit(
            ctx,
            fmt,
            records=lambda: matrix,
            table=lambda screen: (
                render.year_matrix(years_, entities, counts, screen)
                + render.spanning_note(spanning, screen)
            ),
            csv=lambda: export.to_csv(matrix, ["year", *(e.name for e in entities)]),
            empty=not events,
        )
        return
    rows = query.years(log, events)
    emit(
        ctx,
        fmt,
        records=lambda: [
            {"year": r.year, "events": r.events, "companies": list(r.companies)} for r in rows
        ],
        table=lambda screen: render.years(rows, screen) + render.spanning_note(spanning, screen),
        empty=not events,
    )


@app.command(
    cls=Command, epilog="Example: cnblock show byd-first-developer-conference byd-largest-ev-maker"
)
def show(
    ctx: typer.Context,
    event_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            click_type=Words(),
            autocompletion=complete_event,
            help="Event ids, as the timeline shows them under each title; any case.",
        ),
    ],
    fmt: FormatOption = Format.table,
) -> None:
    """Show events in full: every name, the date note and every citation.

    JSON gives one object for one id and a list for several.
    """
    log = state(ctx).load()
    events = query.find_events(log, event_ids)

    def details(screen: "Screen") -> "Text":
        from cnblock import provenance, texts

        phrases = provenance.cited_phrases(log, events, texts.seeds_folder())
        return render.event_details(log, events, screen, phrases)

    emit(
        ctx,
        fmt,
        records=lambda: (
            export.event_record(log, events[0])
            if len(events) == 1
            else [export.event_record(log, e) for e in events]
        ),
        table=details,
        csv=lambda: export.events_csv(log, events),
    )


ORGANISATIONS = Listing(
    query.organisations,
    query.entity_activity,
    export.entity_record,
    lambda log, pairs, screen: render.entities(pairs, log, screen=screen),
)
PEOPLE = Listing(
    query.people,
    query.entity_activity,
    export.entity_record,
    lambda log, pairs, screen: render.entities(pairs, log, True, screen),
)
TECHNOLOGIES = Listing(
    lambda log: log.technologies.values(),
    query.technology_activity,
    export.technology_record,
    lambda log, pairs, screen: render.technologies(pairs, screen),
)
SOURCES = Listing(
    lambda log: log.sources.values(),
    query.source_activity,
    export.source_record,
    lambda log, pairs, screen: render.sources(pairs, screen),
)
_ORGANISATION_KINDS = [k for k in ENTITY_KINDS if k != "person"]


def _kind(value: str | None) -> str | None:
    """The kind of organisation asked for, in cnblock's spelling; BadParameter, suggesting the
    closest kind, when it is not one."""
    if value is None:
        return None
    kind = canonical_kind(value.strip().casefold())
    if kind not in _ORGANISATION_KINDS:
        raise typer.BadParameter(
            f"'{printable(value)}' is not a kind of organisation"
            f"{did_you_mean(kind, _ORGANISATION_KINDS)}"
            f" (kinds: {', '.join(_ORGANISATION_KINDS)})",
            param_hint="--kind",
        )
    return kind


def _complete_kind(incomplete: str) -> list[str]:
    wanted = incomplete.casefold()
    spellings = [*_ORGANISATION_KINDS, *KIND_SPELLINGS]
    return [k for k in spellings if k.startswith(wanted)]


@app.command(cls=Command, epilog="Example: cnblock companies --kind university")
@with_filters
def companies(
    ctx: typer.Context,
    filters: query.Filters,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            callback=_kind,
            autocompletion=_complete_kind,
            help=f"Only this kind: {', '.join(_ORGANISATION_KINDS)} (US spellings accepted too).",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List companies and organisations with their names in every language."""
    show_listing(ctx, filters, fmt, ORGANISATIONS, keep=lambda e: kind is None or e.kind == kind)


@app.command(cls=Command, epilog="Example: cnblock people --company Meituan")
@with_filters
def people(ctx: typer.Context, filters: query.Filters, fmt: FormatOption = Format.table) -> None:
    """List the people named in the log, with their affiliations."""
    show_listing(ctx, filters, fmt, PEOPLE)


@app.command(cls=Command, epilog="Example: cnblock tech --company Meituan")
@with_filters
def tech(ctx: typer.Context, filters: query.Filters, fmt: FormatOption = Format.table) -> None:
    """List the technologies, with how often and when they appear."""
    show_listing(ctx, filters, fmt, TECHNOLOGIES)


@app.command(cls=Command, epilog="Example: cnblock sources --format json")
@with_filters
def sources(ctx: typer.Context, filters: query.Filters, fmt: FormatOption = Format.table) -> None:
    """List the articles the events cite."""
    show_listing(ctx, filters, fmt, SOURCES)
