"""A source's text, line by line, beside the events that cite each line: what `cnblock source
show` prints. Pure: the lines come from the reader's own copy, read by the caller.

Text from the file is shown as text: control and formatting characters as escapes, nothing
taken as markup; cited spans and stated dates are highlighted (and named in a plain line
below, so that a pipe or NO_COLOR loses nothing).
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text

from cnblock import datelines
from cnblock.layout import PLAIN, Screen, wrap
from cnblock.model import EventLog
from cnblock.text import capped, printable

SPAN_STYLE = "bold yellow"
DATE_STYLE = "underline"


class Cite(NamedTuple):
    """One event's citation of a line."""

    event: str
    span: tuple[int, int] | None


def citations(log: EventLog, source_id: str) -> dict[int, list[Cite]]:
    """The events citing each line of a source, by line number, in the log's order."""
    lines: dict[int, list[Cite]] = {}
    for event in log.events:
        for citation in event.sources:
            if citation.source == source_id:
                lines.setdefault(citation.line, []).append(Cite(event.id, citation.span))
    return lines


def uncited(lines: list[str], cited: dict[int, list[Cite]]) -> list[int]:
    """The numbers of the lines that state a date and that no event cites."""
    return [n for n, line in enumerate(lines, 1) if n not in cited and datelines.mentions(line)]


def _marked(line: str, marks: list[tuple[int, int]], style: str) -> Text:
    """The line escaped, with the code-point ranges `marks` styled."""
    out, at = Text(), 0
    for first, last in sorted(marks):
        start, end = max(first, at), min(last, len(line))
        if start >= end:
            continue
        out.append(printable(line[at:start]))
        out.append(printable(line[start:end]), style=style)
        at = end
    out.append(printable(line[at:]))
    return out


def view(
    lines: list[str],
    cited: dict[int, list[Cite]],
    only: list[int] | None = None,
    screen: Screen = PLAIN,
) -> Text:
    """Each line (or the lines numbered in `only`) behind its number; below a cited line the
    ids of the events citing it (with their spans), below a listed uncited line the dates it
    states."""
    numbers = only if only is not None else range(1, len(lines) + 1)
    digits = len(str(len(lines)))
    gutter, below = digits + 3, " " * digits + " | "
    width = None if screen.width is None else max(screen.width - gutter, 20)
    out: list[Text] = []
    for n in numbers:
        line = capped(lines[n - 1].removesuffix("\r"))  # a line of megabytes: its start
        cites = cited.get(n, [])
        if only is None:
            body = _marked(line, [c.span for c in cites if c.span], SPAN_STYLE)
            named = [c.event + (f" [{c.span[0]}:{c.span[1]}]" if c.span else "") for c in cites]
            notes = ["cited by " + ", ".join(named)] if named else []
        else:
            found = datelines.mentions(line)
            body = _marked(line, [(m.start, m.end) for m in found], DATE_STYLE)
            stated = ", ".join(printable(line[m.start : m.end]) for m in found)
            notes = [f"states {stated}"]  # the dates, for a reader without colours
        pieces = wrap(body, width, screen.drawing) or [Text()]
        out.append(Text.assemble((f"{n:>{digits}} | ", "dim"), pieces[0]))
        out.extend(Text.assemble((below, "dim"), piece) for piece in pieces[1:])
        out.extend(
            Text.assemble((below, "dim"), piece)
            for note in notes
            for piece in wrap(Text(note, style="cyan"), width, screen.drawing)
        )
    return Text("\n").join(out)
