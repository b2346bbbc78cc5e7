"""Property tests of the project's promises, over generated text and dates.

Locally each property tries Hypothesis's default number of examples; with CI set (as .ci/run
runs) the "ci" profile of conftest.py raises that to 1,000.
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import datetime
import io
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rich.console import Console

from cnblock import export, loader, render
from cnblock.errors import CnblockError
from cnblock.model import PartialDate, days_in_month
from cnblock.query import Filters
from cnblock.text import printable

from helpers import DATA, tables
from logs import event, make_log

_UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def shown(renderable: object, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def unsafe_characters(text: str) -> list[str]:
    return [c for c in text if c != "\n" and unicodedata.category(c) in _UNSAFE]


# Terminal text -----------------------------------------------------------------------------


@given(st.text())
def test_a_table_cell_never_carries_a_control_or_format_character(text):
    assert unsafe_characters(shown(render.cell(text))) == []


@given(title=st.text(min_size=1), summary=st.text(min_size=1))
def test_the_timeline_never_carries_a_control_or_format_character(title, summary):
    log = make_log(event("e", "2018-09", "byd", title=title, summary=summary))
    assert unsafe_characters(shown(render.timeline(log, log.events, long=True))) == []
    assert unsafe_characters(shown(render.event_detail(log, log.events[0]))) == []


# Markdown ----------------------------------------------------------------------------------


@given(st.text())
def test_a_markdown_cell_never_changes_the_shape_of_its_table(text):
    document = "\n".join(
        [
            export._md_row(["A", "B", "C"]),
            export._md_row(["---"] * 3),
            export._md_row(["left", export.md_text(text), "right"]),
        ]
    )
    (table,) = tables(document)
    assert [len(row) for row in table] == [3, 3]
    assert table[1][0] == "left"
    assert table[1][2] == "right"


def _md_text_in_full(text: str) -> str:
    """md_text without its shortcut for text it leaves as it is."""
    return " ".join(printable(text, keep_newlines=True).split()).translate(export._MD_ESCAPES)


@given(st.text(alphabet=st.sampled_from(" a\n\t|*&\x1b\u3000\u2028e")) | st.text())
def test_md_text_gives_what_the_full_escape_gives(text):
    assert export.md_text(text) == _md_text_in_full(text)


@given(st.lists(st.text(alphabet=st.sampled_from(" ab\n|&\x00\u3000")) | st.text(), max_size=5))
def test_md_titles_are_each_title_escaped(titles):
    group = [event(f"e{n}", "2018", title=t or "x") for n, t in enumerate(titles)]
    assert export._md_titles(group) == [_md_text_in_full(e.title) for e in group]


# CSV ---------------------------------------------------------------------------------------


def test_a_carriage_return_inside_a_field_keeps_the_row_whole():
    """Regression: with a bare '\\n' line ending, a lone CR was written unquoted and split the
    row; a spreadsheet then read the rest as a new row starting with a live formula."""
    text = export.to_csv([{"a": "Harmless\r=2*21", "b": "x"}])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["a", "b"], [export.csv_cell("Harmless\r=2*21"), "x"]]


def test_the_header_row_is_neutralised_too():
    """Regression: `years --by company --format csv` wrote organisation names into the
    header unprefixed, and a spreadsheet evaluated `=2+5` to 7."""
    text = export.to_csv([{"year": 2018, "=2+5": 1}], ["year", "=2+5"])
    assert next(csv.reader(io.StringIO(text, newline=""))) == ["year", "'=2+5"]


def test_a_formula_after_a_line_break_inside_a_cell_is_neutralised():
    """Regression: `Harmless\r=2*21` split by a spreadsheet left a live formula."""
    assert export.csv_cell("Harmless\r=2*21") == "Harmless\r'=2*21"
    assert export.csv_cell("a\n-1\r\n@SUM(A1)\u2028+1") == "a\n'-1\r\n'@SUM(A1)\u2028'+1"


@given(st.lists(st.text(), min_size=1, max_size=4), st.lists(st.text(), min_size=1, max_size=4))
def test_csv_reads_back_to_the_values_written(values, headers):
    columns = [f"c{i}" for i in range(len(values))]
    text = export.to_csv([dict(zip(columns, values, strict=True))], columns)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [columns, [export.csv_cell(v) for v in values]]
    text = export.to_csv([], headers)
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        [export.csv_cell(h) for h in headers]
    ]


_BREAKS = "[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"


@given(st.text(alphabet=st.sampled_from("=+-@\t\r\n\x0b\x85\u2028ab '")) | st.text())
def test_no_line_of_a_csv_cell_starts_like_a_formula(text):
    """Wherever a spreadsheet may split a cell (any line break), no piece starts a formula;
    only apostrophes were added."""
    cell = export.csv_cell(text)
    for piece in re.split(_BREAKS, cell):
        assert not piece.startswith(("=", "+", "-", "@", "\t")), repr(cell)
    plain = text.replace("\x00", "\ufffd")  # a NUL, which no YAML file holds, is replaced
    assert cell.replace("'", "") == plain.replace("'", "")


# YAML subset -------------------------------------------------------------------------------

# Text the loader accepts: YAML refuses most control characters in a file.
_LOADABLE = st.characters(
    blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"
)
_LINE = st.text(_LOADABLE, min_size=1).filter(lambda t: t.strip() != "")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    titles=st.lists(_LINE, min_size=1, max_size=3),
    summary=st.text(st.one_of(_LOADABLE, st.just("\n")), min_size=1).filter(str.strip),
    note=st.none() | _LINE,
    date=st.dates(datetime.date(1000, 1, 1)).map(str) | st.integers(1000, 9999).map(str),
)
def test_the_yaml_subset_loads_back_to_the_same_events(tmp_path, titles, summary, note, date):
    events = [
        event(f"e{i}", date, "wang-xing", title=t, summary=summary, date_note=note)
        for i, t in enumerate(titles)
    ]
    log = make_log(*events)
    path = tmp_path / "subset.yaml"
    path.write_text(export.to_yaml(log, log.events, Filters()), "utf-8")
    again = loader.load([str(path)])
    assert again.events == log.events
    assert again.entities == {k: log.entities[k] for k in again.entities}


# The loader --------------------------------------------------------------------------------

_VALID = (DATA / "valid.yaml").read_bytes()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(0, len(_VALID)), st.integers(0, 3), st.binary(max_size=4)),
        min_size=1,
        max_size=4,
    )
)
def test_the_loader_raises_only_its_own_error_on_any_mutation(tmp_path, edits):
    data = bytearray(_VALID)
    for at, cut, insert in edits:
        data[at : at + cut] = insert
    path = tmp_path / "mutated.yaml"
    path.write_bytes(bytes(data))
    with contextlib.suppress(CnblockError):
        loader.load([str(path)])


# Dates -------------------------------------------------------------------------------------


@given(st.dates())
def test_every_calendar_day_parses_to_itself(day):
    assume(day.year >= 1)
    parsed = PartialDate.parse(day.isoformat())
    assert parsed.first_day() == parsed.last_day() == (day.year, day.month, day.day)
    assert str(parsed) == day.isoformat()
    assert parsed.precision == "day"


@given(st.integers(1, 9999), st.integers(1, 12))
def test_months_have_the_calendars_length_and_no_day_past_it(year, month):
    length = calendar.monthrange(year, month)[1]
    assert days_in_month(year, month) == length
    assert PartialDate.parse(f"{year:04d}-{month:02d}").last_day() == (year, month, length)
    if length < 31:
        with pytest.raises(ValueError, match="is not a day of the calendar"):
            PartialDate.parse(f"{year:04d}-{month:02d}-{length + 1:02d}")


@given(st.dates(), st.dates())
def test_ordering_agrees_with_the_calendar(a, b):
    first, second = PartialDate.parse(a.isoformat()), PartialDate.parse(b.isoformat())
    assert (first < second) == (a < b)
    year = PartialDate(a.year)
    assert year.first_day() <= first.first_day() <= first.last_day() <= year.last_day()


# YAML round trip (issue 8, class 8) ------------------------------------------------------------

_ACCEPTED = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(map(chr, [*range(9), *range(11, 32), *range(127, 160)]))
        + "\u2028\u2029",
    ),
    min_size=1,
).filter(lambda t: t.strip())
"""Every text value the loader accepts: no control character but tab and newline, no LS/PS."""


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(title=_ACCEPTED.filter(lambda t: "\n" not in t), summary=_ACCEPTED)
def test_the_yaml_export_reads_back_every_string_the_loader_accepts(tmp_path, title, summary):
    """Regression: NEL inside single quotes read back as a line break (a url became two
    lines); NEL is now refused at load, and whatever the loader accepts comes back exactly."""
    log = make_log(event("e", "2018-09", "byd", title=title, summary=summary))
    path = tmp_path / "subset.yaml"
    path.write_text(export.to_yaml(log, log.events, Filters()), "utf-8")
    back = loader.load([str(path)])
    assert (back.events[0].title, back.events[0].summary) == (title, summary)
