"""Tables laid out so that no word is ever cut: rich Text in, rich Text out. Never prints.

Columns wrap between words. When the columns' longest words do not fit side by side, the
columns that may leave go, in the order the table gives, to labelled lines under each row
("Source: CoinDesk Korea l.14"); only a word wider than the whole line is ever printed past
the edge, and then whole, never cut. Lines carry no trailing spaces; there is no blank first
line. A width of None means "as wide as the content needs" (output into a file or a pipe).

Cells are measured in terminal cells. `Drawing.wide_ambiguous` counts the East Asian
"ambiguous" characters (·, –, …, ─, █) as two cells, as many CJK terminals draw them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Span, Text

GLUE = "\u00a0"
"""Joins the words of one name in a list of names: the wrapper keeps them on one line when
the name fits, and shows the glue as a plain space."""

_UNGLUE = {ord(GLUE): " "}

GAP = 2
"""Spaces between two columns."""

WHOLE = 24
"""A glued name up to this many cells is worth a wider column (or a line of its own) to stay
whole; a longer one may break between its words like any text."""


class Drawing(NamedTuple):
    """The characters tables draw with, and how ambiguous-width characters are counted."""

    rule: str
    bar: str
    dot: str
    dash: str
    wide_ambiguous: bool

    @property
    def separator(self) -> str:
        """Between the names of a list of names in several languages."""
        return f"{GLUE}{self.dot} "


UNICODE = Drawing(rule="─", bar="█", dot="·", dash="–", wide_ambiguous=False)
ASCII = Drawing(rule="-", bar="#", dot="/", dash="-", wide_ambiguous=True)


class Screen(NamedTuple):
    """What output is laid out for: a width in cells (None: as wide as the content needs)
    and the characters to draw with."""

    width: int | None = None
    drawing: Drawing = UNICODE


PLAIN = Screen()
"""As wide as the content needs, drawn with Unicode."""


@lru_cache(maxsize=4096)
def _wide_ambiguous_len(text: str) -> int:
    return cell_len(text) + sum(
        1 for c in text if not c.isascii() and unicodedata.east_asian_width(c) == "A"
    )


def cells(text: str, drawing: Drawing = UNICODE) -> int:
    """The number of terminal cells `text` takes (one line)."""
    if text.isascii() and text.isprintable():  # one cell a character, measured at C speed
        return len(text)
    return _wide_ambiguous_len(text) if drawing.wide_ambiguous else cell_len(text)


class Column(NamedTuple):
    """How a column behaves. `leave`: when the columns do not fit, those with a `leave` number
    go, lowest first, and each becomes a line under every row, headed by `label` (no label:
    the value alone, dim); None: the column always stays. `weight`: its share of spare room."""

    header: str
    leave: int | None = None
    label: str = ""
    right: bool = False
    weight: int = 1
    drop: bool = False  # when it leaves, it is left out, and a line under the table says so
    least: int = 0  # the width it should have to be read comfortably, when there is room


class Row(NamedTuple):
    """One row: a cell a column; then the `under` lines (an id), the lines of the columns
    that left, and the `below` blocks (a summary), all indented and as wide as the line. A row
    with a `heading` is that line alone (a year); `gap` puts a blank line before the row."""

    cells: Sequence[Text] = ()
    under: Sequence[Text] = ()
    below: Sequence[Text] = ()
    heading: Text | None = None
    gap: bool = False


def _words(text: str) -> list[str]:
    return [w for line in text.split("\n") for part in line.split(" ") for w in part.split(GLUE)]


def _min_width(text: Text, drawing: Drawing) -> int:
    return max((cells(w, drawing) for w in _words(text.plain)), default=0)


def _unit_width(text: Text, drawing: Drawing) -> int:
    """The width at which every glued name of at most WHOLE cells stays whole (and every
    word of a longer one)."""
    widest = 0
    for line in text.plain.split("\n"):
        for unit in line.split(" "):
            size = cells(unit, drawing)
            if size > WHOLE:
                size = max(cells(w, drawing) for w in unit.split(GLUE))
            widest = max(widest, size)
    return widest


def _max_width(text: Text, drawing: Drawing) -> int:
    return max((cells(line, drawing) for line in text.plain.split("\n")), default=0)


def wrap(text: Text, width: int | None, drawing: Drawing = UNICODE) -> list[Text]:
    """`text` in lines of at most `width` cells, broken only at spaces and newlines; a glued
    name stays on one line when it fits. A word wider than `width` gets a line to itself,
    whole. No line starts or ends with a space."""
    plain = text.plain
    lines: list[Text] = []
    offset = 0
    # Without spans a line is the slice Rich would make (Text.divide), made directly
    simple = not text.spans
    style, justify, overflow = text.style, text.justify, text.overflow
    for paragraph in plain.split("\n"):
        for start, end in _break(paragraph, width, drawing):
            if simple:
                piece = plain[offset + start : offset + end]
                if GLUE in piece:
                    piece = piece.translate(_UNGLUE)
                lines.append(Text(piece, style=style, justify=justify, overflow=overflow))
                continue
            line = text[offset + start : offset + end]
            line.plain = line.plain.translate(_UNGLUE)
            lines.append(line)
        offset += len(paragraph) + 1
    return lines


def _units(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each run of non-spaces."""
    units, start = [], None
    for i, char in enumerate(paragraph):
        if char == " ":
            if start is not None:
                units.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        units.append((start, len(paragraph)))
    return units


def _break(paragraph: str, width: int | None, drawing: Drawing) -> list[tuple[int, int]]:
    """Greedy line breaking of one paragraph: (start, end) of each line."""
    # One line when it fits: its words' widths and the spaces add up to the paragraph's (a
    # zero-width joiner is the exception: Rich counts the character after it as joined)
    if width is None or ("\u200d" not in paragraph and cells(paragraph, drawing) <= width):
        end = len(paragraph.rstrip(" "))
        return [(len(paragraph) - len(paragraph.lstrip(" ")), end)] if end else [(0, 0)]
    units = _units(paragraph)
    if not units:
        return [(0, 0)]
    # a glued name wider than the line is broken at its glue instead, between its words
    pieces: list[tuple[int, int]] = []
    for start, end in units:
        if GLUE in paragraph[start:end] and cells(paragraph[start:end], drawing) > width:
            at = start
            for word in paragraph[start:end].split(GLUE):
                pieces.append((at, at + len(word)))
                at += len(word) + 1
        else:
            pieces.append((start, end))
    lines: list[tuple[int, int]] = []
    line_start, line_end, used = (
        pieces[0][0],
        pieces[0][1],
        cells(paragraph[slice(*pieces[0])], drawing),
    )
    for start, end in pieces[1:]:
        size = cells(paragraph[start:end], drawing)
        if used + 1 + size <= width:
            line_end, used = end, used + 1 + size
        else:
            lines.append((line_start, line_end))
            line_start, line_end, used = start, end, size
    lines.append((line_start, line_end))
    return lines


def _fit(columns: Sequence[Column], lows: list[int], width: int) -> list[int]:
    """The columns that stay (indexes) when the rest leave in their order, so that the `lows`
    of those that stay fit side by side in `width`."""
    shown = list(range(len(columns)))
    leaving = sorted((c.leave, i) for i, c in enumerate(columns) if c.leave is not None)
    for _, index in leaving:
        if sum(lows[i] for i in shown) + GAP * (len(shown) - 1) <= width:
            break
        shown.remove(index)
    return shown


def _share(lows: list[int], highs: list[int], weights: list[int], room: int) -> list[int]:
    """Column widths from their minimums, sharing `room` spare cells by weight and by how much
    more each column could use, never past its maximum."""
    widths = list(lows)
    # a column that a little more room would show in full gets it first, the cheapest first
    for i in sorted(range(len(widths)), key=lambda i: highs[i] - widths[i]):
        need = highs[i] - widths[i]
        if 0 < need <= room // 2:
            widths[i] += need
            room -= need
    while room > 0:
        hungry = [i for i in range(len(widths)) if widths[i] < highs[i]]
        if not hungry:
            break
        total = sum(weights[i] * (highs[i] - widths[i]) for i in hungry)
        given = 0
        for i in hungry:
            extra = min(highs[i] - widths[i], room * weights[i] * (highs[i] - widths[i]) // total)
            widths[i] += extra
            given += extra
        if given == 0:  # rounding left a few cells: one each, hungriest first
            for i in sorted(hungry, key=lambda i: widths[i] - highs[i])[:room]:
                widths[i] += 1
                given += 1
        room -= given
    return widths


class _Plan(NamedTuple):
    shown: list[int]
    widths: list[int]
    moved: list[int]


def _plan(
    columns: Sequence[Column], rows: Sequence[Row], width: int | None, drawing: Drawing
) -> _Plan:
    grid = [r.cells for r in rows if r.heading is None]
    texts = [
        [Text(column.header)] + [r[i] for r in grid if i < len(r)]
        for i, column in enumerate(columns)
    ]
    highs = [max(_max_width(t, drawing) for t in column) for column in texts]
    if width is None:  # as wide as the content: the narrower measures are not needed
        return _Plan(list(range(len(columns))), highs, [])
    lows = [max(_min_width(t, drawing) for t in column) for column in texts]
    mids = [
        max([column.least] + [_unit_width(t, drawing) for t in cells])
        for column, cells in zip(columns, texts, strict=True)
    ]
    # columns leave until every name that can stay whole does (a column that leaves has the
    # whole line for its names), or until the words fit at least
    shown = _fit(columns, mids, width)
    if sum(lows[i] for i in shown) + GAP * (len(shown) - 1) > width:
        shown = _fit(columns, lows, width)
    widths = [lows[i] for i in shown]
    room = width - sum(widths) - GAP * (len(shown) - 1)
    # first, where there is room, wide enough to keep every name whole, cheapest first
    for k in sorted(range(len(shown)), key=lambda k: mids[shown[k]] - widths[k]):
        need = mids[shown[k]] - widths[k]
        if 0 < need <= room:
            widths[k] += need
            room -= need
    widths = _share(
        widths, [highs[i] for i in shown], [columns[i].weight for i in shown], max(0, room)
    )
    # columns that stay and still do not fit (a word wider than the line): the widest gives
    # way, so that the rest of its text wraps within the line and only that word runs past
    while room < 0 and max(widths) > 1:
        k = widths.index(max(widths))
        cut = min(-room, widths[k] - 1)
        widths[k] -= cut
        room += cut
    return _Plan(shown, widths, [i for i in range(len(columns)) if i not in shown])


def _line(parts: list[tuple[Text, int, bool]], drawing: Drawing) -> Text:
    """Cells side by side, each padded to its width, GAP apart; no trailing spaces. (The
    Text that appending each cell and its padding would make, made at once: a long table
    makes thousands of lines.)"""
    pieces: list[str] = []
    spans: list[Span] = []
    at = 0
    for n, (text, width, right) in enumerate(parts):
        plain = text.plain
        pad = " " * max(0, width - cells(plain, drawing))
        if n:
            pieces.append(" " * GAP)
            at += GAP
        if right:
            pieces.append(pad)
            at += len(pad)
        end = at + len(plain)
        if text.style:
            spans.append(Span(at, end, text.style))
        spans += [Span(start + at, stop + at, style) for start, stop, style in text.spans]
        pieces.append(plain)
        at = end
        if not right:
            pieces.append(pad)
            at += len(pad)
    out = Text("".join(pieces), spans=spans)
    out.rstrip()
    return out


def _cell_lines(text: Text, width: int, drawing: Drawing) -> list[Text]:
    return wrap(text, width, drawing) if text.plain else []


def table(
    columns: Sequence[Column],
    rows: Sequence[Row],
    screen: Screen = PLAIN,
    indent_column: int = 1,
    header: bool = True,
) -> Text:
    """The rows under a bold header and a rule; columns that must leave become lines under
    each row, and each row's `below` blocks follow, indented to `indent_column`'s start."""
    return Text("\n").join(list(table_lines(columns, rows, screen, indent_column, header)))


def table_lines(
    columns: Sequence[Column],
    rows: Sequence[Row],
    screen: Screen = PLAIN,
    indent_column: int = 1,
    header: bool = True,
) -> Iterator[Text]:
    """The lines of `table`, each laid out only when it is asked for (the widths are planned
    from every row first): a long table can be written as it is made."""
    width, drawing = screen
    plan = _plan(columns, rows, width, drawing)
    starts, at = {}, 0
    for i, w in zip(plan.shown, plan.widths, strict=True):
        starts[i] = at
        at += w + GAP
    table_width = max(0, at - GAP)
    indent = starts.get(indent_column, 0) or 2  # under the given column, else a little in
    block = None if width is None else max(1, width - indent)

    def row_lines(texts: list[Text], style: str = "", bottom: bool = False) -> Iterator[Text]:
        wrapped = [_cell_lines(t, w, drawing) for t, w in zip(texts, plan.widths, strict=True)]
        height = max((len(c) for c in wrapped), default=0)
        for c in wrapped:
            if bottom:
                c[:0] = [Text()] * (height - len(c))
            else:
                c.extend([Text()] * (height - len(c)))
        for n in range(height):
            parts = [
                (wrapped[k][n], plan.widths[k], columns[i].right) for k, i in enumerate(plan.shown)
            ]
            line = _line(parts, drawing)
            if style:
                line.stylize(style)
            yield line

    if header:
        yield from row_lines([Text(columns[i].header) for i in plan.shown], "bold", bottom=True)
        yield Text(drawing.rule * table_width)
    for row in rows:
        if row.gap:
            yield Text()
        if row.heading is not None:
            yield row.heading
            continue
        yield from row_lines([row.cells[i] if i < len(row.cells) else Text() for i in plan.shown])
        for extra in row.under:
            yield from _indented(extra, indent, block, drawing)
        for i in plan.moved:
            if columns[i].drop:
                continue
            value = row.cells[i] if i < len(row.cells) else Text()
            if not value.plain:
                continue
            label = columns[i].label
            moved = Text(f"{label}: ", style="dim") + value if label else value.copy()
            if not label:
                moved.stylize("dim")
            yield from _indented(moved, indent, block, drawing)
        for extra in row.below:
            yield from _indented(extra, indent, block, drawing)
    dropped = [columns[i].header for i in plan.moved if columns[i].drop]
    if dropped:
        note = Text(f"Left out at this width: {', '.join(dropped)}", style="dim")
        yield Text()
        yield from wrap(note, width, drawing)


def _indented(text: Text, indent: int, width: int | None, drawing: Drawing) -> list[Text]:
    """`text` wrapped to `width` cells after `indent` spaces; a word too wide for that comes
    further left, as far as the margin, and only then past the right edge."""
    if width is not None:
        widest = _min_width(text, drawing)
        if widest > width:
            indent, width = max(0, indent + width - widest), widest
    return [Text(" " * indent) + line for line in wrap(text, width, drawing)]


def paragraphs(blocks: Sequence[Text], screen: Screen = PLAIN) -> Text:
    """Free text wrapped between words to the screen's width."""
    return Text("\n").join([line for b in blocks for line in wrap(b, *screen)])
