"""Hostile text in a data file renders as literal text and keeps the table whole."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from cnblock import render
from cnblock.layout import Screen
from cnblock.text import printable

from logs import event, make_log


def rendered(renderable, width: int = 100) -> str:
    out = io.StringIO()
    Console(
        file=out, width=width, color_system=None, markup=False, emoji=False, highlight=False
    ).print(renderable, soft_wrap=True)
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("ANSI \x1b[31mred\x1b[0m", "ANSI \\x1b[31mred\\x1b[0m"),
        ("OSC \x1b]8;;http://evil\x07link", "OSC \\x1b]8;;http://evil\\x07link"),
        ("bell\x07 and back\rspace\x08", "bell\\x07 and back\\x0dspace\\x08"),
        ("right-to-left \u202eevil", "right-to-left \\u202eevil"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("line\u2028separator", "line\\u2028separator"),
        ("plain 비야디 比亚迪", "plain 비야디 比亚迪"),
    ],
)
def test_printable_shows_control_characters(text, shown):
    assert printable(text) == shown


def test_markup_in_data_is_printed_literally():
    log = make_log(
        event("x", "2018", "byd", title="[bold]not bold[/] and [link=http://evil]x[/link]")
    )
    out = rendered(render.timeline(log, log.events, screen=Screen(160)), width=160)
    assert "[bold]not bold[/] and [link=http://evil]x[/link]" in out


def test_escape_sequences_never_reach_the_terminal():
    log = make_log(
        event(
            "x",
            "2018",
            "byd",
            title="evil \x1b[2J\x1b]0;pwned\x07 title",
            summary="\u202eright to left",
        )
    )
    for renderable in (
        render.timeline(log, log.events, long=True),
        render.event_detail(log, log.events[0]),
    ):
        out = rendered(renderable)
        assert "\x1b" not in out
        assert "\x07" not in out
        assert "\u202e" not in out
        assert "\\x1b[2J\\x1b]0;pwned\\x07" in out


def test_a_very_long_title_wraps_inside_its_column():
    log = make_log(
        event("x", "2018", "byd", title="word " * 200), event("y", "2018", "byd", title="Short")
    )
    lines = rendered(render.timeline(log, log.events, screen=Screen(90)), width=90).splitlines()
    assert all(len(line) <= 90 for line in lines)
    assert any("Short" in line for line in lines)


def test_an_unbroken_word_wider_than_the_line_is_kept_whole_on_a_line_of_its_own():
    word = "x" * 500
    log = make_log(event("x", "2018", "byd", title=f"a {word} b"))
    lines = rendered(render.timeline(log, log.events, screen=Screen(80)), width=80).splitlines()
    assert [line.strip() for line in lines if "x" * 100 in line] == [word]
    assert all(len(line) <= 80 for line in lines if word not in line)


def test_wide_and_right_to_left_characters_keep_the_columns():
    log = make_log(
        event("x", "2018-09", "byd", title="比亚迪 举办 第一届 开发者大会 " * 3),
        event("y", "2018-10", "byd", title="עברית ومرحبا"),
    )
    out = rendered(render.timeline(log, log.events, screen=Screen(80)), width=80)
    from rich.cells import cell_len

    assert all(cell_len(line) <= 80 for line in out.splitlines())
    assert "2018-10" in out
    assert "עברית" in out


def test_problem_report_points_under_the_value():
    from cnblock.errors import Location, Problem

    report = render.problem_report(
        [Problem(Location("f.yaml", 3, 11), "bad date")],
        lambda path: ["schema: 1", "events:", '    date: "2018-13"'],
    )
    assert (
        report.plain
        == 'f.yaml:3:11: error: bad date\n    3 |     date: "2018-13"\n      |           ^\n'
    )


def test_a_table_line_is_the_text_appending_each_cell_would_make():
    """layout._line builds a line at once: the same plain text and the same spans, in the same
    order, as appending each padded cell to a Text (what it did before)."""
    from rich.text import Text

    from cnblock import layout

    def appended(parts, drawing):
        out = Text()
        for n, (text, width, right) in enumerate(parts):
            pad = max(0, width - layout.cells(text.plain, drawing))
            if n:
                out.append(" " * layout.GAP)
            if right:
                out.append(" " * pad)
                out.append_text(text)
            else:
                out.append_text(text)
                out.append(" " * pad)
        out.rstrip()
        return out

    styled = Text("BYD", style="bold")
    styled.stylize("green", 1, 2)
    cells = [styled, Text(""), Text("", style="dim"), Text("比亚迪 ·"), Text("x  ", style="red")]
    for drawing in (layout.UNICODE, layout.ASCII):
        for right in (False, True):
            parts = [(c, 9, right and i % 2 == 0) for i, c in enumerate(cells)]
            made, want = layout._line(parts, drawing), appended(parts, drawing)
            assert (made.plain, made.spans, made.style) == (want.plain, want.spans, want.style)


def test_a_wrapped_line_of_plain_text_is_the_slice_rich_would_make():
    """layout.wrap makes a line of a Text without spans directly: the same as Rich's slice."""
    from rich.text import Text

    from cnblock import layout

    text = Text(
        "Wang\u00a0Xing, Zhu\u00a0Peijiang and 比亚迪 more\nwords", style="dim", justify="left"
    )
    lines = layout.wrap(text, 12)
    assert [line.plain for line in lines] == [
        "Wang Xing,",
        "Zhu Peijiang",
        "and 比亚迪",
        "more",
        "words",
    ]
    for line in lines:
        assert (line.style, line.justify, line.overflow, line.spans) == ("dim", "left", None, [])
        assert (line.end, line.no_wrap, line.tab_size) == ("\n", None, None)


def test_a_problem_message_quoting_a_huge_value_is_capped():
    from cnblock.errors import Location, Problem
    from cnblock.text import MAX_SHOWN

    problem = Problem(Location("f.yaml", 1, 1), "unsupported schema " + "k" * 100_000)
    shown = render.problem_entry(problem, lambda _: None).plain
    assert len(shown) < MAX_SHOWN + 100
    assert shown.rstrip().endswith("…")
