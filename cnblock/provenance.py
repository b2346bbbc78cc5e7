"""Checks of the log against the texts it cites, when those texts are at hand.

The shipped articles are not part of the project (their publishers forbid redistribution);
the folder named by CNBLOCK_SEEDS holds them on machines that may have them. A user's own
source names its text relative to its data file (see `cnblock.texts`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from cnblock import loader, texts
from cnblock.errors import CnblockError, DataError, Problem, ProblemSink
from cnblock.model import Event, EventLog, Source
from cnblock.text import Phrase
from cnblock.texts import seeds_folder


class Texts(NamedTuple):
    """The texts found for a log: each checked source's lines by id, and for each source
    that could not be checked, why."""

    lines: dict[str, list[str]]
    unchecked: dict[str, str]


def find_texts(log: EventLog, folder: Path | None, problems: list[Problem]) -> Texts:
    """Read every source's text that can be found; record a missing seed (when CNBLOCK_SEEDS
    names a folder), an unreadable text and a text that does not match its fingerprint or its
    recorded number of lines as problems."""
    found: dict[str, list[str]] = {}
    unchecked: dict[str, str] = {}
    for source in log.sources.values():
        where = texts.locate(source, folder)
        if isinstance(where, str):
            unchecked[source.id] = where
            continue
        field = "text" if source.text else "seed"
        if not os.path.lexists(where):
            if source.seed:
                message = f"seed text '{source.seed}' is not in {folder}"
                problems.append(Problem(source.where["seed"], message))
            else:
                unchecked[source.id] = f"its text {where} is not there"
            continue
        try:
            text = texts.read(where)
        except DataError as exc:
            problems.append(Problem(source.where[field], f"{where}: {exc.problems[0].message}"))
            continue
        if text.sha256 != source.sha256:
            problems.append(
                Problem(
                    source.where["sha256"],
                    f"{where} has sha256 {text.sha256}, not the one recorded here",
                )
            )
            continue
        if source.lines is not None and source.lines != len(text.lines):
            message = f"{where} has {len(text.lines)} lines, not {source.lines}"
            problems.append(Problem(source.where["lines"], message))
        found[source.id] = text.lines
    return Texts(found, unchecked)


def text_name(source: Source) -> str:
    """How messages name a source's text: its seed file name or its recorded path."""
    return source.text or source.seed or source.id


def check_event(event: Event, texts: dict[str, list[str]], log: EventLog) -> list[Problem]:
    """Each citation must name a non-blank line of its text, and, where every cited text is at
    hand, the cited lines must state the event's year unless date_note explains it."""
    problems, cited, every_text = [], [], True
    for citation in event.sources:
        lines = texts.get(citation.source)
        if lines is None:
            every_text = False  # a source without a text: its lines cannot be checked
            continue
        seed = text_name(log.sources[citation.source])
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
    if not (cited and every_text and event.date is not None and not event.date_note):
        return problems
    # the year a date starts (or, for `../X`, ends) in; a state's as_of is the publication's
    year = str(event.year)
    if not any(year in line for line in cited):
        problems.append(
            Problem(
                event.where["date"],
                f"no cited line states the year {year};"
                " cite one that does or explain the date in date_note",
            )
        )
    return problems


def phrase_digest(phrase: str) -> str:
    """The digest a citation records for a phrase: the first 12 hex digits of its sha256."""
    import hashlib

    return hashlib.sha256(phrase.encode("utf-8")).hexdigest()[:12]


def find_span(line: str, phrase: str, occurrence: int = 1) -> tuple[int, int, str]:
    """The span and digest of the `occurrence`-th appearance of `phrase` in `line`, as a
    citation records them; ValueError when it does not appear that often."""
    start = -1
    for _ in range(occurrence):
        start = line.find(phrase, start + 1)
        if start < 0 or not phrase:
            raise ValueError(f"the phrase does not appear {occurrence} time(s) in the line")
    return start, start + len(phrase), phrase_digest(phrase)


CONTEXT = 24
"""How many characters of the line `show` gives on each side of a cited phrase."""


def cited_phrases(
    log: EventLog, events: Sequence[Event], folder: Path | None, context: int = CONTEXT
) -> dict[tuple[str, int, int, int], Phrase | str]:
    """For each citation with a span, by (source, line, start, end): the phrase from the
    text at hand, or in words why it cannot be shown. Texts are read only for the sources
    these events cite with a span, and only a text matching its fingerprint is used."""
    wanted = {c.source for e in events for c in e.sources if c.span}
    if not wanted:
        return {}
    cited = log._replace(sources={k: v for k, v in log.sources.items() if k in wanted})
    try:
        found = find_texts(cited, folder, []).lines
    except CnblockError:  # a bad CNBLOCK_SEEDS folder: `validate` says what is wrong with it
        found = {}
    phrases: dict[tuple[str, int, int, int], Phrase | str] = {}
    for event in events:
        for c in event.sources:
            if c.span is None:
                continue
            key = (c.source, c.line, *c.span)
            lines = found.get(c.source)
            if lines is None:
                phrases[key] = (
                    f"set {texts.SEEDS_ENV} to the folder of the article texts to see it"
                    if folder is None and log.sources[c.source].seed
                    else "its text is not at hand (see: cnblock validate)"
                )
                continue
            line = lines[c.line - 1] if c.line <= len(lines) else ""
            start, end = c.span
            if end > len(line) or phrase_digest(line[start:end]) != c.digest:
                phrases[key] = "the text at hand does not match this citation"
                continue
            phrases[key] = Phrase(
                line[max(0, start - context) : start],
                line[start:end],
                line[end : end + context],
                more_before=start > context,
                more_after=end + context < len(line.rstrip()),
            )
    return phrases


def check_spans(event: Event, texts: dict[str, list[str]], log: EventLog) -> list[Problem]:
    """Each span must lie inside its cited line, and the phrase there must have the digest
    the citation records (so that an edited text, or a miscounted span, is caught)."""
    problems = []
    for citation in event.sources:
        lines = texts.get(citation.source)
        if citation.span is None or lines is None or citation.line > len(lines):
            continue  # no span, no text, or a line already reported as past the end
        line = lines[citation.line - 1]
        start, end = citation.span
        name = text_name(log.sources[citation.source])
        if end > len(line):
            problems.append(
                Problem(
                    citation.where["span"],
                    f"span [{start}, {end}] runs past the end of line {citation.line} of {name}"
                    f" ({len(line)} characters)",
                )
            )
            continue
        actual = phrase_digest(line[start:end])
        if actual != citation.digest:
            problems.append(
                Problem(
                    citation.where["digest"],
                    f"digest {citation.digest} does not match the phrase at [{start}, {end}] of"
                    f" line {citation.line} of {name} (its digest is {actual})",
                )
            )
    return problems


def fold(text: str) -> str:
    """`text` in NFKC and case-folded, for finding a name in a line whatever its form."""
    import unicodedata

    return unicodedata.normalize("NFKC", text).casefold()


def check_printed(log: EventLog, texts: dict[str, list[str]]) -> list[Problem]:
    """Each name an entity marks as printed must be printed by the source it names: that
    source must be cited by one of the entity's events (those naming it or according to it),
    and, when its text is at hand, contain the name (compared without regard to case or
    Unicode width)."""
    claims = [
        (entity, code, source)
        for entity in log.entities.values()
        for code, source in entity.printed.items()
        if source in log.sources  # else reported by the loader
    ]
    uncited: dict[str, set[str]] = {}
    for entity, _, source in claims:
        uncited.setdefault(entity.id, set()).add(source)
    _strike_cited(log.events, uncited)
    folded: dict[str, str] = {}  # each text folded once, when first needed
    problems = []
    for entity, code, source in claims:
        where = entity.where.get(f"printed.{code}") or entity.where["printed"]
        name = entity.name if code == "name" else entity.names.get(code, "")
        if source in uncited.get(entity.id, ()):
            problems.append(
                Problem(
                    where,
                    f"{source} is said to print the {code} name of {entity.id}, but none"
                    f" of {entity.id}'s events cites it",
                )
            )
        elif source in texts:
            if source not in folded:
                folded[source] = fold("\n".join(texts[source]))
            if fold(name) in folded[source]:
                continue
            problems.append(
                Problem(
                    where,
                    f"'{name}' ({code}) is said to be printed in {source},"
                    f" but its text does not contain it",
                )
            )
    return problems


def _strike_cited(events: Sequence[Event], uncited: dict[str, set[str]]) -> None:
    """Take out of `uncited` (sources by entity id) each source an event of the entity's
    cites (one naming it or according to it); stop when none is left, which in a large log
    is long before its end."""
    for event in events:
        if not uncited:
            return
        if uncited.keys().isdisjoint(event.entities) and event.according_to not in uncited:
            continue
        for entity_id in (*event.entities, event.according_to):
            left = uncited.get(entity_id or "")
            if left is not None:
                left.difference_update([c.source for c in event.sources])
                if not left:
                    del uncited[entity_id or ""]


def past_recorded_end(event: Event, found: dict[str, list[str]], log: EventLog) -> list[Problem]:
    """Citations past the recorded number of lines of a text that is not at hand."""
    problems = []
    for citation in event.sources:
        source = log.sources[citation.source]
        if citation.source not in found and source.lines and citation.line > source.lines:
            problems.append(
                Problem(
                    citation.where["line"],
                    f"line {citation.line} is past the end of {text_name(source)}"
                    f" ({source.lines} lines, as recorded)",
                )
            )
    return problems


def checkable(log: EventLog, found: dict[str, list[str]]) -> Sequence[Event]:
    """The events whose citations check_event, check_spans and past_recorded_end can find
    anything wrong with: those citing a text at hand or a source that records its number of
    lines (a citation of any other source cannot be checked without its text)."""
    sources = set(found) | {s.id for s in log.sources.values() if s.lines}
    if not sources:
        return ()
    if sources.issuperset(log.sources):
        return log.events
    return [e for e in log.events if not sources.isdisjoint([c.source for c in e.sources])]


class Examination(NamedTuple):
    """What checking a log against its texts found: the problems, sorted, and for each
    source that could not be checked, why."""

    problems: list[Problem]
    unchecked: dict[str, str]
    lines: dict[str, list[str]]
    """The lines of each text found, by source id (read, and checked against its sha256, once)."""


def examine(log: EventLog, folder: Path | None) -> Examination:
    """Check the log against every text that can be found (the seeds in `folder`, the
    users' texts beside their files)."""
    if folder is not None:
        texts.check_folder(folder)
    problems: list[Problem] = []
    found = find_texts(log, folder, problems)
    for event in checkable(log, found.lines):
        problems.extend(check_event(event, found.lines, log))
        problems.extend(check_spans(event, found.lines, log))
        problems.extend(past_recorded_end(event, found.lines, log))
    problems.extend(check_printed(log, found.lines))
    return Examination(sorted(problems), found.unchecked, found.lines)


def check(log: EventLog, folder: Path | None) -> list[Problem]:
    """Every problem of provenance in the log, against the texts that can be found."""
    return examine(log, folder).problems


class Validation(NamedTuple):
    """The log (None if it could not be loaded), every problem, the sources not checked."""

    log: EventLog | None
    problems: list[Problem]
    unchecked: dict[str, str]


def validate(
    paths: list[str], on_problem: ProblemSink | None = None, freeze: bool = False
) -> Validation:
    """Load `paths` and check them against every text that can be found. `on_problem` takes
    each problem of the load as it is found (see loader.load); those against the texts are
    returned. `freeze`: as loader.load's (a command keeps the log until it ends)."""
    try:
        log = loader.load(paths, on_problem=on_problem, freeze=freeze)
    except DataError as exc:
        return Validation(None, exc.problems, {})
    examined = examine(log, seeds_folder())
    return Validation(log, examined.problems, examined.unchecked)
