"""`cnblock source add` and `cnblock source show`: register a text, read what it says."""

# No `from __future__ import annotations`: Typer reads the options from real annotations.
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cnblock import loader
from cnblock.commands.common import state, write
from cnblock.text import printable

app = typer.Typer()
source_app = typer.Typer(no_args_is_help=True)
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

    The text itself is never copied: the file records where it is (relative to the data
    file), and `cnblock validate` checks it is still the same text."""
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
