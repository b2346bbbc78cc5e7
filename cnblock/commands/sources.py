"""`cnblock source add` and `cnblock source show`: register a text, read what it says."""

# No `from __future__ import annotations`: Typer reads the options from real annotations.
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cnblock import loader
from cnblock.commands.common import state, write
from cnblock.commands.helppage import Command, Group
from cnblock.model import EventLog, Source
from cnblock.text import printable

app = typer.Typer()
source_app = typer.Typer(cls=Group, no_args_is_help=True)
app.add_typer(
    source_app,
    name="source",
    help="Register an article's text as a source; read a source's text.",
)

ToOption = Annotated[
    Path | None,
    typer.Option(
        "--to",
        metavar="FILE",
        help="The data file to write. Default: your first --data file, else the first file"
        f" in ${loader.DATA_ENV}, else ./{loader.LOCAL_FILE} (made if missing).",
    ),
]


@source_app.command(
    "add",
    cls=Command,
    epilog="Example: cnblock source add article.txt --id caixin-2021 --publisher Caixin"
    " --published 2021-03-02",
)
def source_add(
    ctx: typer.Context,
    text: Annotated[
        Path, typer.Argument(metavar="TEXT", help="The article's text: a UTF-8 plain-text file.")
    ],
    source_id: Annotated[
        str,
        typer.Option(
            "--id", metavar="ID", help="The source's id: lowercase letters, digits, hyphens."
        ),
    ],
    publisher: Annotated[
        str, typer.Option("--publisher", metavar="NAME", help="Who published it.")
    ],
    published: Annotated[
        str,
        typer.Option(
            "--published", metavar="DATE", help="When: 2021, 2021-03 or 2021-03-02 (as known)."
        ),
    ],
    title: Annotated[str | None, typer.Option("--title", help="Its title.")] = None,
    author: Annotated[str | None, typer.Option("--author", help="Its author.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was published.")] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            metavar="CODE",
            help="Its language (ko, zh, en...). Default: guessed from the text's script.",
        ),
    ] = None,
    to: ToOption = None,
) -> None:
    """Register a text as a source in your data file: its path, sha256 and number of lines.

    The text is never copied: your file records where it is, and validate checks it.
    """
    from cnblock import additions, output

    options = state(ctx)
    files = loader.data_files(options.data, shipped=options.shipped)
    target = additions.target_file(str(to) if to else None, loader.user_files(options.data))
    registered, _ = additions.examine_text(str(text))
    additions.current(files, target)
    fields = {
        "id": source_id,
        "publisher": publisher,
        "title": title,
        "author": author,
        "published": published,
        "language": language or registered.language,
        "url": url,
        "text": additions.text_path(str(text), target),
        "sha256": registered.sha256,
        "lines": registered.lines,
    }
    record = {k: v for k, v in fields.items() if v is not None}
    draft = additions.draft(files, target, "sources", record)
    additions.still_as_read(draft)
    output.write_file(target, draft.document, force=not draft.created)
    guessed = "" if language else " (guessed from the text; --language sets it)"
    write(
        f"{'created' if draft.created else 'updated'} {printable(target)}: source"
        f" {source_id}, {printable(str(record['text']))}, {registered.lines} lines,"
        f" sha256 {registered.sha256[:12]}..., language {record['language']}{guessed}\n"
        f"Cite it with: cnblock add --cite {source_id}:LINE ...\n"
    )
    _warn_if_not_loaded(target, options.data)


def _warn_if_not_loaded(target: str, data: list[str]) -> None:
    """Say so when the other commands will not load the file just written by default."""
    loaded = {os.path.realpath(f) for f in loader.user_files(data)}
    if os.path.realpath(target) not in loaded:
        sys.stderr.write(
            f"note: {printable(target)} is not among the files cnblock loads; name it with"
            f" --data {printable(target)} or in {loader.DATA_ENV}\n"
        )


@source_app.command(
    "show",
    cls=Command,
    epilog="Example: CNBLOCK_SEEDS=../shared/seeds cnblock source show coindesk-korea-2020"
    " --uncited",
)
def source_show(
    ctx: typer.Context,
    source_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The source's id (see: cnblock sources).", show_default=False
        ),
    ],
    uncited: Annotated[
        bool,
        typer.Option(
            "--uncited",
            help="Only the lines that state a year, a month or a relative date (last July,"
            " 지난해, 去年) and that no event cites: what may still be missing.",
        ),
    ] = False,
) -> None:
    """Show a source's text from your copy, each line numbered, with the events that cite it.

    Shipped articles are read from the folder CNBLOCK_SEEDS names, yours from their `text:`.
    """
    from cnblock import sourceview
    from cnblock.commands.common import screen, show

    log = state(ctx).load()
    source = _find_source(log, source_id)
    lines = _read_lines(source)
    cited = sourceview.citations(log, source.id)
    only = sourceview.uncited(lines, cited) if uncited else None
    if only == []:
        sys.stderr.write(f"every dated line of {printable(source.id)} is cited by an event\n")
        return
    show(ctx, sourceview.view(lines, cited, only, screen(ctx)))


def _find_source(log: EventLog, source_id: str) -> Source:
    from cnblock.errors import UsageError
    from cnblock.suggest import did_you_mean

    if source_id not in log.sources:
        raise UsageError(f"unknown source '{source_id}'{did_you_mean(source_id, log.sources)}")
    return log.sources[source_id]


def _read_lines(source: Source) -> list[str]:
    """The source's lines from the reader's copy; notes about the copy on standard error."""
    from cnblock import texts

    readable = texts.for_reading(source, texts.seeds_folder())
    for note in readable.notes:
        sys.stderr.write(f"note: {printable(note)}\n")
    return readable.lines
