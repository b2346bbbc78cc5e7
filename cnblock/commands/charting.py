"""`cnblock chart`: the filtered events drawn in the terminal, a lane an organisation."""

# No `from __future__ import annotations`: Typer reads the options from real annotations.
from enum import Enum
from typing import Annotated

import typer

from cnblock import query
from cnblock.commands.common import screen, select, show, state, with_filters
from cnblock.commands.helppage import Command
from cnblock.commands.streams import is_terminal

app = typer.Typer()


class By(str, Enum):
    company = "company"
    tech = "tech"


@app.command(cls=Command, epilog="Example: cnblock chart --company BYD --company 美团")
@with_filters
def chart(
    ctx: typer.Context,
    filters: query.Filters,
    by: Annotated[
        By, typer.Option("--by", help="A lane per organisation (company) or per technology.")
    ] = By.company,
    top: Annotated[
        int,
        typer.Option(
            "--top", min=1, metavar="N", help="Lanes for the N busiest; the rest share one."
        ),
    ] = 8,
) -> None:
    """Draw the events as lanes across the years, each date over the whole period it may mean.

    A year-only date is a year wide, a month a month; approximate and uncertain dates are
    shaded, open ends fade. ASCII into a file or a pipe (CNBLOCK_ASCII=0 keeps Unicode
    there; CNBLOCK_ASCII=1 asks for ASCII everywhere).
    """
    import os
    import sys

    from cnblock import chart as charts
    from cnblock.layout import ASCII

    log, events = select(ctx, filters)
    if not events:
        return
    where = screen(ctx)
    chosen = state(ctx).ascii is not None or os.environ.get("CNBLOCK_ASCII") in ("0", "1")
    if not chosen and not is_terminal(sys.stdout):
        where = where._replace(drawing=ASCII)  # a file or a pipe: characters any reader shows
    show(ctx, charts.chart(log, events, where, by=by.value, top=top))
