"""layout's measuring and line breaking, against their plain definitions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from cnblock import layout
from cnblock.layout import GLUE, UNICODE

WIDE = UNICODE._replace(wide_ambiguous=True)
DRAWINGS = st.sampled_from([UNICODE, WIDE])
CHARS = ["a", "bc", " ", "  ", GLUE, "中", "é", "─", "\t", "\x01", "☺\ufe0f", "\u200d"]
PARAGRAPHS = st.lists(st.sampled_from(CHARS), max_size=30).map("".join)


def greedy(paragraph: str, width: int | None, drawing) -> list[tuple[int, int]]:
    """layout._break as first written: every run of non-spaces measured and placed in turn."""
    units, start = [], None
    for i, char in enumerate(paragraph + " "):
        if char == " " and start is not None:
            units.append((start, i))
            start = None
        elif char != " " and start is None:
            start = i
    if width is None or not units:
        return [(units[0][0], units[-1][1])] if units else [(0, 0)]
    pieces = []
    for start, end in units:
        if GLUE in paragraph[start:end] and layout.cells(paragraph[start:end], drawing) > width:
            at = start
            for word in paragraph[start:end].split(GLUE):
                pieces.append((at, at + len(word)))
                at += len(word) + 1
        else:
            pieces.append((start, end))
    lines = []
    line_start, line_end = pieces[0]
    used = layout.cells(paragraph[line_start:line_end], drawing)
    for start, end in pieces[1:]:
        size = layout.cells(paragraph[start:end], drawing)
        if used + 1 + size <= width:
            line_end, used = end, used + 1 + size
        else:
            lines.append((line_start, line_end))
            line_start, line_end, used = start, end, size
    lines.append((line_start, line_end))
    return lines


@settings(max_examples=1000)
@given(PARAGRAPHS, st.one_of(st.none(), st.integers(1, 30)), DRAWINGS)
def test_a_paragraph_breaks_where_the_greedy_loop_breaks_it(paragraph, width, drawing):
    """A paragraph that fits is one line without measuring each word: the same lines."""
    assert layout._break(paragraph, width, drawing) == greedy(paragraph, width, drawing)


def test_a_paragraph_that_fits_exactly_or_is_blank_is_one_line():
    assert layout._break("  ab cd  ", 5, UNICODE) == [(2, 7)]
    assert layout._break("  ab cd  ", 4, UNICODE) == [(2, 4), (5, 7)]
    assert layout._break("   ", 10, UNICODE) == [(0, 0)]
    assert layout._break("    ", 2, UNICODE) == [(0, 0)]  # blank, and wider than the line
    assert layout._break("", None, UNICODE) == [(0, 0)]
    assert [t.plain for t in layout.wrap(Text(f" a{GLUE}b \n\nc"), 80)] == ["a b", "", "c"]


@given(st.text(max_size=20), DRAWINGS)
def test_cells_are_richs_measure_and_ambiguous_characters_wide_when_asked(text, drawing):
    wide = sum(1 for c in text if not c.isascii() and layout.unicodedata.east_asian_width(c) == "A")
    want = cell_len(text) + (wide if drawing.wide_ambiguous else 0)
    assert layout.cells(text, drawing) == want


def test_printable_ascii_is_a_cell_a_character_and_a_control_character_is_not():
    assert layout.cells("BYD pilots a ledger (2018)") == 26
    assert layout.cells("a\tb") == cell_len("a\tb")
    assert layout.cells("中文", WIDE) == 4
