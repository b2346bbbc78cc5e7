"""`cnblock chart` and the terminal chart: lanes, spans at their precision, whole names."""

from __future__ import annotations

import re

import pytest

from cnblock.chart import ASCII_MARKS, UNICODE_MARKS, chart
from cnblock.layout import ASCII, UNICODE, Screen
from cnblock.model import PartialDate

from logs import LOG, event, make_log


def whole(output: str, names: list[str]) -> list[str]:
    """The names that do not appear with every word whole and in order in `output` (words
    may stand on consecutive lines, as a wrapped name does, with marks beside them; none may
    be cut)."""
    tokens = [t for t in output.split() if re.search(r"\w", t)]  # marks are not words
    missing = []
    for name in names:
        words = name.split()
        if not any(tokens[i : i + len(words)] == words for i in range(len(tokens))):
            missing.append(name)
    return missing


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_byd_and_meituan_fit_every_width_without_breaking_a_name(run, columns):
    result = run("chart", "--company", "BYD", "--company", "美团", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    out = result.stdout
    lanes = re.findall(r"^(\S.*?)(?:  |$)", out.split("\n\n#")[0], re.M)
    assert lanes[:2] == ["BYD", "Meituan Dianping"], out
    # a date cell may hold spaces ("as of 2020", "2018-05/.. (as of 2020)"); the id is last
    ids = re.findall(r"^  \S.*?\s{2,}([a-z0-9][a-z0-9-]*)$", out, re.M)
    drawing, _, listing = out.partition("Events by lane")
    assert whole(drawing, ["BYD", "Meituan Dianping", "AMO Labs", "Alibaba", "VeChain"]) == []
    assert whole(listing, [*lanes, *ids]) == []
    assert max(len(line) for line in out.splitlines()) <= columns, out
    assert "byd-first-developer-conference" in ids
    assert out.isascii(), out  # plain characters into a pipe
    timeline = run("timeline", "--company", "BYD", "--company", "美团", "--format", "json")
    assert set(ids) == {e["id"] for e in __import__("json").loads(timeline.stdout)}


def test_a_long_name_gets_lines_of_its_own_whole(run):
    out = run(
        "chart", "--company", "Zhongguancun Blockchain Industry Alliance", env={"COLUMNS": "60"}
    ).stdout
    lane = out.split("\n\n")[1].splitlines()
    assert [line[:20].rstrip() for line in lane[:3]] == [
        "Zhongguancun",
        "Blockchain Industry",
        "Alliance",
    ], out
    assert whole(out.partition("Events by")[0], ["Zhongguancun Blockchain Industry Alliance"]) == []


def test_filters_choose_the_events_and_the_years(run):
    out = run("chart", "--company", "AMO Labs", "--year", "2020", env={"COLUMNS": "80"}).stdout
    assert out.splitlines()[0].split() == ["2020"]
    assert "2019" not in out  # Carmomile's launch, 2019-11, is left out
    # a state known from May 2018 to 2020 is drawn over every year it is known to cover
    spans = run("chart", "--company", "BYD", "--year", "2020", env={"COLUMNS": "80"}).stdout
    assert spans.splitlines()[0].split() == ["2018", "2019", "2020"]
    assert "1995" not in spans
    nothing = run("chart", "--company", "BYD", "--year", "2016")
    assert (nothing.stdout, nothing.stderr) == ("", "no events match\n")
    assert run("chart", "--company", "BYDD").exit_code == 2


def test_lanes_by_technology(run):
    out = run("chart", "--by", "tech", "--top", "2", env={"COLUMNS": "80"}).stdout
    lanes = re.findall(r"^(\S.*?)(?:  |$)", out.split("\n\n#")[0], re.M)
    assert lanes == ["Blockchain", "Electric vehicles", "Others"], out


def test_a_year_is_twelve_times_a_month_and_fuzzy_open_and_day_marks_differ():
    log = make_log(
        event("year", "2018", "byd"),
        event("month", "2019-03", "meituan"),
        event("fuzzy", "2019~", "byd"),
    )
    # 2 years in 48 cells beside a 16-cell name column and a space: 24 cells a year, 2 a month
    text = chart(log, log.events, Screen(65, ASCII)).plain
    rows = {line.split()[0]: line for line in text.splitlines()[2:8] if line.strip()}
    assert rows["BYD"].count("#") == 24
    assert re.search(r"(?<!=)={24}(?!=)", text)  # the approximate year: as wide, shaded
    assert rows["Meituan"].count("#") == 2
    log = make_log(
        event("open", "2018-03/..", "byd"),
        event("day", "2018-03-04", "meituan"),
        event("held", None, "alliance", kind="state", as_of=PartialDate.parse("2019-06")),
    )
    text = chart(log, log.events, Screen(80, ASCII)).plain
    assert re.search(r"#+\.+", text)  # an open end fades out
    late = make_log(event("late", "2019/..", "byd"))  # an open end in the last year shown
    assert re.search(r"^BYD +#+\.{3,}$", chart(late, late.events, Screen(80, ASCII)).plain, re.M)
    assert re.search(r"\.+#", text)  # a state without a start fades in
    assert "*" in text
    unicode = chart(log, log.events, Screen(80, UNICODE)).plain
    assert UNICODE_MARKS.fade in unicode
    assert ASCII_MARKS.fade not in unicode.split("\n\n")[1]


def test_a_log_without_dates_to_draw_says_so():
    log = make_log(event("x", "2018", "byd"))
    assert chart(log, [], Screen(80)).plain == "No event has a known date to draw."
    assert "BYD" in chart(LOG, LOG.events, Screen(None)).plain


def test_only_the_name_is_bold_and_marks_keep_their_own_styles():
    text = chart(LOG, LOG.events, Screen(80, UNICODE))
    line = next(part for part in text.split("\n") if part.plain.startswith("Meituan Dianping"))
    assert not line.style
    bold = [line.plain[s.start : s.end] for s in line.spans if s.style == "bold"]
    assert bold == ["Meituan Dianping"]
