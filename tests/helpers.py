"""What several test modules share (test modules never import each other)."""

from __future__ import annotations

from pathlib import Path

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
