"""What several test modules share (test modules never import each other)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st
from markdown_it import MarkdownIt

HERE = Path(__file__).parent
DATA = HERE / "data"


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table in the document as rows of cell texts, as a Markdown parser reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    found, rows, row = [], None, None
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(
                "".join(
                    child.content
                    for child in token.children or []
                    if child.type in ("text", "code_inline")
                )
                if token.children
                else token.content
            )
        elif token.type == "tr_close":
            rows.append(row)
            row = None
        elif token.type == "table_close":
            found.append(rows)
    return found


HAZARDS = [
    "\x00",
    "\x07",
    "\x1b]2;t\x07",
    "\r",
    "\r\n",
    "\x85",
    "\u2028",
    "\u2029",
    "\u202e",
    "\ufeff",
    "\t",
    "\\",
    '"',
    "'",
    "[",
    "]",
    "{",
    "}",
    ":",
    "- ",
    "? ",
    "&a ",
    "*a",
    "!!python/object ",
    "#",
    "|",
    ">",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "비야디",
    "\ud7ff",
    "\U0001f600",
]
VALUES = [
    "9" * 5000,
    "0",
    "-1",
    "",
    "~",
    "null",
    "yes",
    "2018-13-40",
    "2018-02-29",
    '"\\e[31m"',
    '"\\N"',
    '"\\L"',
    '"\\0"',
    "'it''s'",
    "[a, b, a]",
    "{a: 1, a: 2}",
    "x" * 10000,
    "[" * 40,
    "=2+5",
    "../../etc/passwd",
    "&anchor v",
    "*anchor",
    "!!str v",
]


def mutate(draw: st.DrawFn, text: str) -> str:
    """`text` with one to four line, byte and value operators applied (issue 8's structured
    mutator of valid logs: tests/test_fuzz.py, tests/test_fastread.py)."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "insert", "value"]))
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(j, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "  ", "\t"])) + lines[i].lstrip(" ")
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            piece = draw(st.sampled_from(HAZARDS) | st.text(max_size=3))
            lines[i] = lines[i][:at] + piece + lines[i][at:]
        elif op == "value" and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(VALUES))}"
    mutated = "\n".join(lines)
    return mutated if draw(st.booleans()) else mutated.rstrip("\n")
