"""Plain-text forms of data shared by the terminal tables and the file exports."""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Sequence
from typing import NamedTuple, overload

from cnblock.model import Citation, Event, EventLog

_UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class Lines(Sequence[str]):
    """A text's lines (split at line feeds, as str.split("\\n") would) without a string a line:
    the text and where each line starts, 8 bytes a line. A report of problems in a file of
    millions of short lines shows only a few of them."""

    def __init__(self, text: str):
        self.text = text
        self.starts = array("q", [0])
        self.starts.extend(found.end() for found in re.finditer("\n", text))

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count = len(self.starts)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError(index)
        end = self.starts[index + 1] - 1 if index + 1 < count else len(self.text)
        return self.text[self.starts[index] : end]


MAX_SHOWN = 4000
"""Characters of one value a terminal is shown (a table cell, a name, a chart label, a line of
a text); past them an explicit ellipsis. Exports keep the whole value. Laying out a 32 MB
title took the table renderer minutes."""


def capped(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` as a terminal shows it: at most `limit` characters, then '…' if cut."""
    return text if len(text) <= limit else text[:limit] + "…"


def printable(text: str, keep_newlines: bool = False) -> str:
    """`text` with every control or invisible formatting character written as an escape."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif unicodedata.category(char) in _UNSAFE:
            code = ord(char)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
        else:
            out.append(char)
    return "".join(out)


def citation_label(log: EventLog, citations: Sequence[Citation], short: bool = True) -> str:
    """Each source cited with its lines: 'Money Today l.5,7', or when not `short`,
    'Money Today, lines 5, 7'."""
    lines: dict[str, list[str]] = {}
    for c in citations:
        lines.setdefault(c.source, []).append(str(c.line))
    parts = []
    for source_id, numbers in lines.items():
        publisher = log.sources[source_id].publisher
        if short:
            parts.append(f"{publisher} l.{','.join(numbers)}")
        else:
            parts.append(f"{publisher}, line{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}")
    return "; ".join(parts)


def counted(number: int, noun: str) -> str:
    """'1 event', '2 events'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def date_label(event: Event) -> str:
    """The date as a reader should take it: '2018-09', '2017/2018', 'as of 2018-03-28' for a
    state without a date, '2013/.. (as of 2018-03-28)' where both are known."""
    if event.date is None:
        return f"as of {event.as_of}" if event.as_of else "date unknown"
    return f"{event.date} (as of {event.as_of})" if event.as_of else str(event.date)


def claimant(log: EventLog, event: Event) -> str | None:
    """Who asserts the record, in words: an entity's name, 'the source', or None."""
    if event.according_to is None:
        return None
    entity = log.entities.get(event.according_to)
    return entity.name if entity else "the source"


class Phrase(NamedTuple):
    """A cited phrase as the reader's own copy of the text has it, with a little of the line
    on each side. Shown, never stored."""

    before: str
    phrase: str
    after: str
    more_before: bool = False  # the line goes on before `before`
    more_after: bool = False  # and after `after`
