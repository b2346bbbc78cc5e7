"""`cnblock add`: append a cited event to the user's file, checked first against the whole log."""

# No `from __future__ import annotations`: Typer reads the options from real annotations.
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cnblock import loader
from cnblock.commands.common import complete, state, write
from cnblock.commands.helppage import Command
from cnblock.commands.streams import is_terminal
from cnblock.errors import CnblockError, UsageError
from cnblock.model import EventLog
from cnblock.text import printable

app = typer.Typer()


def _names_option(decl: str, help: str, kind: str) -> Any:
    return typer.Option(decl, metavar="NAME", help=help, autocompletion=complete(kind))


CompanyOption = Annotated[
    list[str] | None, _names_option("--company", "A company or organisation, any name.", "company")
]
PersonOption = Annotated[
    list[str] | None, _names_option("--person", "A person, any name.", "person")
]
TechOption = Annotated[
    list[str] | None, _names_option("--tech", "A technology by name or alias.", "tech")
]
CiteOption = Annotated[
    list[str] | None,
    typer.Option(
        "--cite",
        metavar="SOURCE:LINE[:START-END]",
        help="The line (and span of it) the event rests on; the digest is computed.",
    ),
]


@app.command(
    cls=Command,
    epilog="Example: cnblock add --date 2021-03 --title 'BYD tests a ledger' --summary '...'"
    " --company BYD --cite caixin-2021:12:0-40",
)
def add(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Option("--title", help="One line, your own words.")] = None,
    summary: Annotated[
        str | None, typer.Option("--summary", help="What the source says, in your words.")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="2021, 2021-03, 2021-03-02 or 2017/2018."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="event (default), state, statement, plan or speculation."),
    ] = None,
    company: CompanyOption = None,
    person: PersonOption = None,
    tech: TechOption = None,
    cite: CiteOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="When the source says so.")
    ] = None,
    according_to: Annotated[
        str | None,
        typer.Option("--according-to", metavar="NAME", help="Who makes the claim, or 'source'."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="How the date was worked out (date_note).")
    ] = None,
    event_id: Annotated[
        str | None, typer.Option("--id", help="The event's id. Default: from the title.")
    ] = None,
    to: Annotated[
        Path | None,
        typer.Option("--to", metavar="FILE", help="The file to write (as for source add)."),
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Ask for what is missing (the default on a terminal).",
        ),
    ] = False,
) -> None:
    """Add a cited event to your data file, checked against the whole log before writing.

    Names are resolved like the filters (BYD, 비야디, 比亚迪); anything wrong writes nothing.

    On a terminal, or with -i, it asks for the title, summary, date and citation if missing.
    """
    from cnblock import additions, output, query, texts

    options = state(ctx)
    files = loader.data_files(options.data, shipped=options.shipped)
    target = additions.target_file(str(to) if to else None, loader.user_files(options.data))
    log = additions.current(files, target)
    ask = interactive or is_terminal(sys.stdin)  # None when standard input is closed
    title = title or _ask(ask, "Title", "--title")
    summary = summary or _ask(ask, "Summary", "--summary")
    if not date and kind != "state":
        date = _ask(ask, "Date (2021, 2021-03, 2021-03-02)", "--date")
    cites = cite or [_ask(ask, "Cite (SOURCE:LINE or SOURCE:LINE:START-END)", "--cite")]
    entities = _names(log, "company", company or [], query.organisations(log))
    entities += _names(log, "person", person or [], query.people(log))
    techs = _names(log, "technology", tech or [], list(log.technologies.values()))
    claimant = None
    if according_to:
        claimant = (
            according_to
            if according_to == "source"
            else _names(log, "entity", [according_to], list(log.entities.values()))[0]
        )
    sources = [additions.citation(log, c, texts.seeds_folder()) for c in cites]
    taken = {e.id for e in log.events}
    fields = {
        "id": event_id or additions.event_id(title, taken),
        "kind": kind,
        "date": date,
        "as_of": as_of,
        "according_to": claimant,
        "date_note": note,
        "title": title,
        "summary": summary,
        "entities": list(dict.fromkeys(entities)) or None,
        "technologies": list(dict.fromkeys(techs)) or None,
        "sources": sources,
    }
    record = {k: v for k, v in fields.items() if v is not None}
    draft = additions.draft(files, target, "events", record)
    additions.check_new_event(draft, str(record["id"]), texts.seeds_folder())
    additions.still_as_read(draft)
    output.write_file(target, draft.document, force=not draft.created)
    write(
        f"{'created' if draft.created else 'updated'} {printable(target)}: event {record['id']}\n"
    )


def _ask(ask: bool, prompt: str, option: str) -> str:
    if not ask:
        raise CnblockError(f"missing {option} (or run on a terminal, or with -i, to be asked)")
    try:
        value: str = typer.prompt(prompt)
    except typer.Abort:
        raise CnblockError(f"missing {option}; nothing was written") from None
    return value


def _names(log: EventLog, kind: str, names: list[str], records: Any) -> list[str]:
    """Ids for the names; an unknown name is a mistake of the new event: exit 1, not 2."""
    from cnblock import query

    try:
        return [query.resolve_name(kind, name, records) for name in names]
    except UsageError as exc:
        raise CnblockError(str(exc)) from None
