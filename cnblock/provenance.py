"""Checks of the log against the seed texts it cites, when those texts are at hand.

The article texts are not part of the project (their publishers forbid redistribution); the
folder named by CNBLOCK_SEEDS holds them on machines that may have them.
"""

from __future__ import annotations

import os
from pathlib import Path

from cnblock import loader
from cnblock.errors import DataError, Problem
from cnblock.model import Event, EventLog

SEEDS_ENV = "CNBLOCK_SEEDS"


def seeds_folder() -> Path | None:
    """The folder CNBLOCK_SEEDS names, or None when it is not set."""
    value = os.environ.get(SEEDS_ENV)
    return Path(value) if value else None


def seed_lines(log: EventLog, folder: Path, problems: list[Problem]) -> dict[str, list[str]]:
    """The lines of each source's seed text by source id; records missing or altered texts."""
    import hashlib

    texts = {}
    for source in log.sources.values():
        if not source.seed:
            continue  # a user's own source may have no seed text
        path = folder / source.seed
        try:
            raw = path.read_bytes()
        except OSError:
            problems.append(
                Problem(source.where["seed"], f"seed text '{source.seed}' is not in {folder}")
            )
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != source.sha256:
            problems.append(
                Problem(
                    source.where["sha256"], f"{path} has sha256 {digest}, not the one recorded here"
                )
            )
            continue
        texts[source.id] = raw.decode("utf-8", "replace").split("\n")
    return texts


def check_event(event: Event, texts: dict[str, list[str]], log: EventLog) -> list[Problem]:
    """Each citation must name a non-blank line of its text, and, where every cited text is at
    hand, the cited lines must state the event's year unless date_note explains it."""
    problems, cited, every_text = [], [], True
    for citation in event.sources:
        lines = texts.get(citation.source)
        if lines is None:
            every_text = False  # a source without a text: its lines cannot be checked
            continue
        seed = log.sources[citation.source].seed
        if citation.line > len(lines):
            problems.append(
                Problem(
                    citation.where["line"],
                    f"line {citation.line} is past the end of {seed} ({len(lines)} lines)",
                )
            )
        elif not lines[citation.line - 1].strip():
            problems.append(
                Problem(citation.where["line"], f"line {citation.line} of {seed} is blank")
            )
        else:
            cited.append(lines[citation.line - 1])
    year = str(event.date.year)
    if every_text and cited and not event.date_note and not any(year in line for line in cited):
        problems.append(
            Problem(
                event.where["date"],
                f"no cited line states the year {year};"
                " cite one that does or explain the date in date_note",
            )
        )
    return problems


def check(log: EventLog, folder: Path) -> list[Problem]:
    """Every problem of provenance in the log, against the texts in `folder`."""
    problems: list[Problem] = []
    texts = seed_lines(log, folder, problems)
    for event in log.events:
        problems.extend(check_event(event, texts, log))
    return sorted(problems)


def validate(paths: list[str]) -> tuple[EventLog | None, list[Problem]]:
    """Load `paths` and check them against the seed texts when CNBLOCK_SEEDS names a folder.

    Returns the log (None if it could not be loaded) and every problem found.
    """
    try:
        log = loader.load(paths)
    except DataError as exc:
        return None, exc.problems
    folder = seeds_folder()
    return log, check(log, folder) if folder else []
