"""Each export format on small in-code logs, hostile text included; Markdown is read back."""

from __future__ import annotations

import csv
import io
import json

import pytest
from markdown_it import MarkdownIt

from cnblock import export, loader
from cnblock.model import Citation, PartialDate
from cnblock.query import Filters
from cnblock.text import citation_label, date_label

from helpers import tables
from logs import LOG, event, make_log

HOSTILE = make_log(
    event(
        "pipes", "2018-09", "byd", title="A | B || C", summary="line one\nline two | with a pipe"
    ),
    event(
        "markup",
        "2018",
        "meituan",
        title="**bold** _em_ `code` [link](http://x) <script>alert(1)</script> &amp;",
        summary="<img src=x onerror=alert(1)>",
    ),
    event(
        "formula", "2019", "byd", title='=HYPERLINK("http://evil")', summary="+1 and -1 and @cmd"
    ),
    event(
        "heading",
        "2020",
        "byd",
        title="# not a heading \\ backslash ~strike~ !image",
        summary="1. not a list",
    ),
)


def html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_markdown_has_a_title_the_filters_and_a_table_a_year():
    out = export.to_markdown(LOG, LOG.events[:3], Filters(company=("BYD",)), long=False)
    assert out.startswith(
        "# cnblock timeline: company BYD\n\nFilters: company BYD. 3 events.\n\n## 1995\n"
    )
    assert [t[0] for t in tables(out)] == [
        ["Date", "Kind", "Event", "Companies and people", "Technologies", "Source"]
    ] * 3
    assert out.rstrip().endswith("1. Test Press, 2020, *A title*. <https://example.org/a>")


def test_markdown_tables_read_back_with_every_cell_intact():
    out = export.to_markdown(HOSTILE, HOSTILE.events, Filters(), long=True)
    rows = [row for table in tables(out) for row in table[1:]]
    assert all(len(row) == 6 for row in rows), rows
    titles = {row[2] for row in rows}
    assert titles == {
        "A | B || C",
        "**bold** _em_ `code` [link](http://x) <script>alert(1)</script> &amp;",
        '=HYPERLINK("http://evil")',
        "# not a heading \\ backslash ~strike~ !image",
    }


def test_markdown_injects_no_html_emphasis_or_links():
    rendered = html(export.to_markdown(HOSTILE, HOSTILE.events, Filters(), long=True))
    for tag in (
        "<script",
        "<img",
        "<strong>bold",
        "<em>em",
        "<code>code",
        '<a href="http://x"',
        "<h1>not",
        "<ol>\n<li>not",
        "<del>",
    ):
        assert tag not in rendered, tag
    assert "&lt;script&gt;" in rendered


def test_markdown_long_keeps_summaries_on_one_line():
    pipes = [e for e in HOSTILE.events if e.id == "pipes"]
    out = export.to_markdown(HOSTILE, pipes, Filters(), long=True)
    assert "- **2018-09: A \\| B \\|\\| C** line one line two \\| with a pipe" in out


def test_csv_neutralises_formulas_and_joins_lists():
    out = export.to_csv_export(HOSTILE, HOSTILE.events, Filters())
    rows = list(csv.DictReader(io.StringIO(out)))
    formula = next(r for r in rows if r["id"] == "formula")
    assert formula["title"] == '\'=HYPERLINK("http://evil")'
    assert formula["summary"] == "'+1 and -1 and @cmd"
    pipes = next(r for r in rows if r["id"] == "pipes")
    assert pipes["summary"] == "line one\nline two | with a pipe"  # quoted by csv, kept whole
    both = export.to_csv_export(LOG, [e for e in LOG.events if e.id == "post"], Filters())
    (row,) = csv.DictReader(io.StringIO(both))
    assert (row["companies"], row["people"], row["sources"]) == (
        "Meituan Dianping",
        "Wang Xing",
        "Test Press, line 1",
    )


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_start_is_neutralised(cell):
    assert export.to_csv([{"a": cell}]).splitlines()[1].lstrip('"').startswith("'")


def test_json_is_the_timeline_objects_plus_the_sources():
    out = json.loads(export.to_json_export(LOG, LOG.events[:2], Filters(year=("1995",))))
    assert out["filters"] == "year 1995"
    assert [e["id"] for e in out["events"]] == [e.id for e in LOG.events[:2]]
    assert out["events"][0] == export.event_record(LOG, LOG.events[0])
    assert [s["id"] for s in out["sources"]] == ["press"]


def test_yaml_subset_holds_exactly_what_the_events_reference(tmp_path):
    chosen = [e for e in LOG.events if e.id == "post"]
    text = export.to_yaml(LOG, chosen, Filters(person=("Wang Xing",)))
    path = tmp_path / "subset.yaml"
    path.write_text(text, "utf-8")
    back = loader.load([str(path)])
    assert [e.id for e in back.events] == ["post"]
    assert set(back.entities) == {"meituan", "wang-xing"}
    assert set(back.technologies) == {"blockchain"}
    assert set(back.sources) == {"press"}
    assert back.events[0] == chosen[0]
    assert back.entities["meituan"] == LOG.entities["meituan"]


def test_yaml_subset_brings_a_persons_affiliations_along(tmp_path):
    log = make_log(event("only-wang", "2019", "wang-xing"))
    text = export.to_yaml(log, list(log.events), Filters())
    path = tmp_path / "subset.yaml"
    path.write_text(text, "utf-8")
    assert set(loader.load([str(path)]).entities) == {"wang-xing", "meituan"}


def test_yaml_subset_keeps_hostile_text_exactly(tmp_path):
    path = tmp_path / "subset.yaml"
    path.write_text(export.to_yaml(HOSTILE, HOSTILE.events, Filters()), "utf-8")
    back = loader.load([str(path)])
    assert [(e.title, e.summary) for e in back.events] == [
        (e.title, e.summary) for e in HOSTILE.events
    ]


def test_timelinejs_keeps_date_precision_and_escapes_html():
    out = json.loads(export.to_timelinejs(HOSTILE, HOSTILE.events, Filters()))
    by_id = {e["unique_id"]: e for e in out["events"]}
    assert by_id["pipes"]["start_date"] == {"year": "2018", "month": "9", "display_date": "2018-09"}
    assert by_id["markup"]["start_date"] == {"year": "2018", "display_date": "2018"}
    assert "<script>" not in by_id["markup"]["text"]["headline"]
    assert "&lt;script&gt;" in by_id["markup"]["text"]["headline"]
    assert (
        by_id["markup"]["text"]["text"]
        == "<p>&lt;img src=x onerror=alert(1)&gt;</p><p>Source: Test Press, line 1</p>"
    )
    assert by_id["markup"]["group"] == "Meituan Dianping"
    assert out["title"]["text"]["headline"] == "cnblock timeline"


def test_the_registry_names_every_format():
    assert list(export.EXPORTERS) == ["markdown", "csv", "json", "yaml", "timelinejs", "html"]


def test_json_keeps_korean_and_chinese_as_written():
    log = make_log(event("e", "2018", "byd", title="비야디 比亚迪"))
    out = export.to_json_export(log, log.events, Filters())
    assert '"title": "비야디 比亚迪"' in out
    assert '\n  "events": [' in out


def test_markdown_links_only_a_plain_web_address():
    hostile = LOG._replace(
        sources={"press": LOG.sources["press"]._replace(url="javascript:alert(1)")}
    )
    out = export.to_markdown(hostile, hostile.events[:1], Filters())
    assert "<javascript:" not in out
    assert "javascript:alert(1)" in out
    assert "<https://example.org/a>" in export.to_markdown(LOG, LOG.events[:1], Filters())


def test_markdown_long_lists_the_summaries_below_each_table_with_full_citations():
    out = export.to_markdown(LOG, LOG.events[:1], Filters(), long=True)
    rendered = html(out)
    assert "<ul>" in rendered
    assert "Test Press, line 1" in tables(out)[0][1][5]
    assert "Test Press l.1" not in out


def test_yaml_subset_is_readable_text_in_the_log_s_field_order(tmp_path):
    chosen = [e for e in LOG.events if e.id == "post"]
    text = export.to_yaml(LOG, chosen, Filters())
    assert "zh: 王兴" in text
    assert "\\u" not in text
    body = text.split("events:\n", 1)[1]
    assert body.index("id: post") < body.index("date:") < body.index("title:")


def test_json_is_made_in_pieces_that_join_to_the_whole():
    import json

    value = {"events": [{"id": f"e{i}", "title": "標題 \u2028 \x1b"} for i in range(500)]}
    chunks = list(export.json_chunks(value, size=1000))
    assert len(chunks) > 10
    assert all(len(c) < 1200 for c in chunks[:-1])
    assert "".join(chunks) == export.to_json(value)
    assert export.to_json(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_md_text_escapes_each_special_character_as_before():
    """The table-driven escape gives what escaping character by character gave."""
    special = set("\\`*_[]<>|#~!")
    for text in ["a*b_c", "&amp; & <x>", "[link](u) | #h ~s~ !i `c` \\", "普通 text", ""]:
        flat = " ".join(text.split())
        want = "".join("&amp;" if c == "&" else "\\" + c if c in special else c for c in flat)
        assert export.md_text(text) == want


def test_markdown_rows_are_each_event_escaped_cell_by_cell():
    """Rows made with cells reused from row to row read as if each cell were escaped anew:
    shared dates, names and citations, two citations of one source, a title needing escapes."""
    twice = event("twice", "2018-05", "byd", title="A | B")._replace(
        sources=(Citation("press", 2), Citation("press", 5))
    )
    log = make_log(*LOG.events, *HOSTILE.events, twice, event("again", "2018-05", "byd", line=2))
    out = export.to_markdown(log, log.events, Filters())
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    want = [
        export._md_row(
            [
                export.md_text(date_label(e)),
                e.kind,
                export.md_text(e.title),
                export.md_text(", ".join(x.name for x in log.event_entities(e))),
                export.md_text(", ".join(t.name for t in log.event_technologies(e))),
                export.md_text(citation_label(log, e.sources, short=False)),
            ]
        )
        for e in log.events
    ]
    assert [r for r in rows if not r.startswith("| Date |")] == want
    assert "Test Press, lines 2, 5" in out
    assert out.rstrip().endswith("1. Test Press, 2020, *A title*. <https://example.org/a>")


def test_csv_names_every_language_in_columns_that_line_up():
    """The n-th Korean or Chinese name is that of the n-th English one; a name a record lacks
    is an empty item, never skipped (Meituan has no Korean name here, BYD has one)."""
    both = event("both", "2018-09", "meituan", "byd", "wang-xing")
    (row,) = csv.DictReader(io.StringIO(export.to_csv_export(make_log(both), [both], Filters())))
    assert row["companies"] == "Meituan Dianping; BYD"
    assert row["companies_ko"] == "; 비야디"
    assert row["companies_zh"] == "美团点评; 比亚迪"
    assert (row["people"], row["people_ko"], row["people_zh"]) == ("Wang Xing", "", "王兴")
    assert row["date"] == "2018-09"
    assert row["date_precision"] == "month"


def test_csv_gives_the_precision_of_an_intervals_start_and_none_for_a_state_without_date():
    span = event("span", "2017/2018-05", "byd")
    state = event("state", None, "byd", kind="state", as_of=PartialDate.parse("2018-03-28"))
    text = export.to_csv_export(make_log(span, state), [span, state], Filters())
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["span"]["date_precision"] == "year"
    assert (rows["state"]["date"], rows["state"]["date_precision"]) == ("", "")
    assert rows["state"]["as_of"] == "2018-03-28"


def test_json_is_the_json_modules_text_whatever_the_value():
    """The fast indented writer gives json.dumps(indent=2, ensure_ascii=False)'s text exactly:
    plain values by itself, anything else (floats, other keys, subclasses) through json."""
    import enum
    import json

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    class Level(enum.IntEnum):
        HIGH = 3

    class Name(str):
        pass

    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(),
        st.just(Level.HIGH),
        st.text().map(Name),
    )
    keys = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats())
    values = st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.lists(inner, max_size=3).map(tuple),
            st.dictionaries(st.text(max_size=5), inner, max_size=4),
            st.dictionaries(keys, inner, max_size=3),
        ),
        max_leaves=30,
    )

    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(values, st.integers(1, 200))
    def same(value, size):
        want = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
        assert "".join(export.json_chunks(value, size=size)) == want

    same()
