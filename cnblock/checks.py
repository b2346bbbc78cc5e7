"""The named checks of `cnblock check`, each runnable alone (as hledger's are):

- schema: the files' structure, fields, ids and values;
- references: every entity, technology and source an event or a person names exists;
- dates: dates, intervals and as_of are real and well formed;
- provenance: each text against its sha256 (and recorded lines), each cited line inside its
  text and not blank, each span inside its line with its digest, the event's year stated;
- names: the names an entity says the sources print are found in the texts;
- mentions (warnings): each cited line or span names one of the event's entities, in some
  language (a pronoun may stand for it, hence only a warning);
- coverage (warnings): lines of a text that state a date and that no event cites.

The loader finds the first three kinds of problem together; they are told apart here by
what each message says (tests/test_checks.py holds one example of each).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from cnblock import datelines, loader, provenance, texts
from cnblock.errors import DataError, Location, Problem, Problems
from cnblock.model import EventLog

CHECKS = ("schema", "references", "dates", "provenance", "names", "mentions", "coverage")
WARNINGS = ("mentions", "coverage")
"""Checks whose findings are warnings: exit 0 unless --strict."""
NEEDS_LOG = ("provenance", "names", "mentions", "coverage")

_REFERENCE = re.compile(r"unknown (entity|technology|source) '")
_DATE = re.compile(
    r"is not a date|has no month|is not a day of the calendar|is not an interval"
    r"|has an empty side|has no known end|runs backwards|in the interval|an interval date"
    r"|has no 'as_of'|has no 'date'"
)
_NAMES = re.compile(r"\bprinted\b")


def kind_of_load_problem(problem: Problem) -> str:
    """Which check a problem found while loading belongs to."""
    if _REFERENCE.match(problem.message):
        return "references"
    if _DATE.search(problem.message):
        return "dates"
    if _NAMES.search(problem.message):
        return "names"
    return "schema"


class Finding(NamedTuple):
    """A problem found by one check."""

    check: str
    problem: Problem

    @property
    def is_warning(self) -> bool:
        return self.check in WARNINGS


class Report(NamedTuple):
    """What the checks found; the checks that could not run and why; the sources whose texts
    were not at hand and why."""

    findings: list[Finding]
    not_run: dict[str, str]
    unchecked: dict[str, str]
    log: EventLog | None
    more: int = 0
    """Errors found while loading past the MAX_PROBLEMS first kept in `findings`."""


def run(paths: list[str], names: Sequence[str], folder: Path | None) -> Report:
    """Run the checks `names` (in CHECKS) on the merged files, against the texts at hand."""
    wanted = set(names)
    loaded = Problems()  # the first MAX_PROBLEMS by position, and the count

    def kept(problem: Problem) -> None:
        if kind_of_load_problem(problem) in wanted:
            loaded(problem)

    try:
        log = loader.load(paths, on_problem=kept)
    except DataError:
        loading = [Finding(kind_of_load_problem(p), p) for p in loaded.kept()]
        blocked = {
            n: "the files do not load (see: cnblock check schema references dates)"
            for n in NEEDS_LOG
            if n in wanted
        }
        return Report(loading, blocked, {}, None, loaded.count - len(loading))
    findings: list[Finding] = []
    unchecked: dict[str, str] = {}
    if wanted & set(NEEDS_LOG):
        examined = provenance.examine(log, folder)
        unchecked = examined.unchecked
        printed = {
            loc for e in log.entities.values() for k, loc in e.where.items() if "printed" in k
        }
        for problem in examined.problems:
            kind = "names" if problem.location in printed else "provenance"
            if kind in wanted:
                findings.append(Finding(kind, problem))
        found = examined.lines
        if "mentions" in wanted:
            findings.extend(Finding("mentions", p) for p in mentions(log, found))
        if "coverage" in wanted:
            findings.extend(Finding("coverage", p) for p in coverage(log, found, folder))
    return Report(sorted(findings, key=lambda f: f.problem), {}, unchecked, log)


def mentions(log: EventLog, found: dict[str, list[str]]) -> list[Problem]:
    """Citations (of a text at hand) whose line, or span, names none of the event's entities
    by any of their names."""
    problems = []
    for event in log.events:
        if not event.entities:
            continue
        names = {provenance.fold(n) for e in log.event_entities(event) for n in e.all_names() if n}
        for citation in event.sources:
            lines = found.get(citation.source)
            if lines is None or citation.line > len(lines):
                continue
            cited = lines[citation.line - 1]
            if citation.span:
                cited = cited[citation.span[0] : citation.span[1]]
            folded = provenance.fold(cited)
            if not any(name in folded for name in names):
                what = "span" if citation.span else "line"
                who = ", ".join(e.name for e in log.event_entities(event))
                problems.append(
                    Problem(
                        citation.where.get("span" if citation.span else "line", event.where["id"]),
                        f"the cited {what} names none of {event.id}'s entities ({who})",
                    )
                )
    return problems


def coverage(log: EventLog, found: dict[str, list[str]], folder: Path | None) -> list[Problem]:
    """Lines of each text at hand that state a date and that no event cites, at their place
    in the text."""
    cited = {(c.source, c.line) for e in log.events for c in e.sources}
    problems = []
    for source_id, lines in found.items():
        path = texts.locate(log.sources[source_id], folder)
        for n, line in enumerate(lines, 1):
            if (source_id, n) in cited:
                continue
            stated = datelines.mentions(line)
            if stated:
                dates = ", ".join(line[m.start : m.end] for m in stated)
                problems.append(
                    Problem(
                        Location(str(path), n, stated[0].start + 1),
                        f"{source_id} states {dates} here, and no event cites this line",
                    )
                )
    return problems
