"""Schema 2 on the terminal: kind and 'as of' in the timeline, kind, attribution, cited
phrases and curator-supplied names in `show` and the listings, how `years` counted."""

from __future__ import annotations

import io

from rich.console import Console

from cnblock import query, render
from cnblock.layout import ASCII, Screen
from cnblock.model import Citation, PartialDate
from cnblock.query import Activity
from cnblock.text import Phrase

from logs import event, make_log

AS_OF = PartialDate.parse("2018-03-28")
SPAN = Citation("press", 12, (3, 9), "0123456789ab")
LOG = make_log(
    event(
        "fund", "2013/..", "alliance", "zhu", kind="state", as_of=AS_OF, according_to="zhu"
    )._replace(sources=(SPAN, Citation("press", 13))),
    event("small", None, "alliance", kind="state", as_of=AS_OF, according_to="source"),
    event("craze", "2017/2018", "byd"),
    event("before", "../2018-03-28", "zhu", kind="statement"),
    event("poc", "2018-05", "byd"),
)


def rendered(renderable, width: int = 100) -> str:
    out = io.StringIO()
    Console(
        file=out, width=width, color_system=None, markup=False, emoji=False, highlight=False
    ).print(renderable, soft_wrap=True)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def by_id(event_id: str):
    return next(e for e in LOG.events if e.id == event_id)


def test_the_timeline_shows_kind_and_as_of_without_long():
    out = rendered(render.timeline(LOG, LOG.events, screen=Screen(120)))
    assert "2013/.. (as of 2018-03-28)  [state] Title of fund" in out
    assert "as of 2018-03-28            [state] Title of small" in out
    assert "../2018-03-28               [statement] Title of before" in out
    assert "2017/2018                   Title of craze" in out  # a plain event has no marker


def test_the_timeline_lists_a_record_under_the_year_of_its_known_start():
    lines = rendered(render.timeline(LOG, LOG.events, screen=Screen(120))).splitlines()
    years = [line for line in lines if line.strip().isdigit()]
    assert years == ["2013", "2017", "2018"]


def test_show_gives_kind_date_in_words_and_attribution():
    out = rendered(render.event_detail(LOG, by_id("fund")))
    assert "Kind          state" in out
    assert "Date          2013/.. (from 2013 with no known end); reported as of 2018-03-28" in out
    assert "According to  Zhu Peijiang" in out
    small = rendered(render.event_detail(LOG, by_id("small")))
    assert "Date          not known; reported true as of 2018-03-28" in small
    assert "According to  the source" in small
    before = rendered(render.event_detail(LOG, by_id("before")))
    assert "Date     ../2018-03-28 (from an unknown start to 2018-03-28)" in before
    assert "According to" not in rendered(render.event_detail(LOG, by_id("poc")))


def test_show_gives_the_cited_phrase_in_its_context_under_its_source():
    phrases = {("press", 12, 3, 9): Phrase("ab ", "phrase", " cd", more_after=True)}
    out = rendered(render.event_detail(LOG, by_id("fund"), phrases=phrases))
    assert (
        "Source        Test Press, 2020, line 12 <https://example.org/a>\nCited         ab “phrase” cd…\nSource        Test Press, 2020, line 13"
        in out
    )
    plain = rendered(render.event_detail(LOG, by_id("fund"), Screen(None, ASCII), phrases))
    assert 'Cited         ab "phrase" cd...' in plain
    why = {("press", 12, 3, 9): "its text is not at hand"}
    assert "Cited         (its text is not at hand)" in rendered(
        render.event_detail(LOG, by_id("fund"), phrases=why)
    )
    assert "Cited" not in rendered(render.event_detail(LOG, by_id("fund")))


def test_curator_supplied_names_are_marked_where_printed_names_are_recorded():
    out = rendered(render.event_detail(LOG, by_id("fund")))
    assert "Zhu Peijiang* (person, zhu): ko 주페이장" in out
    assert "ko 주페이장*" not in out
    assert out.endswith(render.CURATOR_NOTE)
    assert render.CURATOR_NOTE not in rendered(render.event_detail(LOG, by_id("poc")))
    people = [(LOG.entities["zhu"], Activity("zhu", 2, 2013, 2018))]
    listing = rendered(render.entities(people, LOG, True))
    assert "Zhu Peijiang*" in listing
    assert listing.endswith(render.CURATOR_NOTE)


def test_years_say_how_records_spanning_years_were_counted():
    assert query.spanning(LOG.events) == 2  # craze, and fund (2013 to its as_of)
    assert rendered(render.spanning_note(0)) == ""
    note = rendered(render.spanning_note(2, Screen(60)))
    assert note == (
        "\n2 records span several years: each is counted in every year\n"
        "from its known start to its known end."
    )
    assert rendered(render.spanning_note(1)).startswith("\n1 record spans several years")


def test_the_long_timeline_says_who_asserts_a_record():
    out = rendered(render.timeline(LOG, LOG.events, long=True, screen=Screen(120)))
    assert "According to Zhu Peijiang." in out
    assert "According to the source." in out
    assert out.count("According to") == 2
