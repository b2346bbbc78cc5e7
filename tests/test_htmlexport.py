"""The HTML page without a browser: what it holds, what it refuses to become, its geometry.
(tests/test_browser.py loads it in Chromium.)"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from cnblock import htmlexport
from cnblock.htmlexport import safe_url, search_text, to_html
from cnblock.model import PartialDate, Source
from cnblock.query import Filters

from logs import LOG, event, make_log

SVG = "{http://www.w3.org/2000/svg}"


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each element kind of interest."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)
        else:
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def svg(page: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg .*?</svg>", page, re.S).group(0))


def sha(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def test_the_policy_allows_only_the_pages_own_style_and_script():
    page = Page(to_html(LOG, LOG.events, Filters()))
    (meta,) = [m for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    policy = meta["content"]
    assert policy.startswith("default-src 'none'; ")
    assert page.scripts == [htmlexport.SCRIPT]
    assert page.styles == [htmlexport.STYLE]
    assert f"script-src {sha(page.scripts[0])}" in policy
    assert f"style-src {sha(page.styles[0])}" in policy
    # nothing that would fetch: no src, no stylesheet link, no inline style attribute
    assert not [a for _, a in page.tags if "src" in a or "style" in a]
    assert not page.all("link")
    assert not page.all("img")
    assert not page.all("iframe")


def test_every_event_is_an_article_with_its_date_at_its_precision():
    page_text = to_html(LOG, LOG.events, Filters(company=("BYD",)))
    page = Page(page_text)
    ids = [a["id"] for a in page.all("article")]
    assert ids == [f"ev-{e.id}" for e in LOG.events]
    times = [a["datetime"] for a in page.all("time")]
    assert times[:3] == ["1995", "2016", "2018"]  # year-only dates stay years
    assert "2018-05" in times
    assert "2020-07" in times
    headings = re.findall(r"<h3 id=\"y-(\d+)\">", page_text)
    assert headings == ["1995", "2016", "2018", "2020"]
    assert "<title>cnblock timeline: company BYD</title>" in page_text
    # a keyboard user need not tab through every mark of the chart
    assert page_text.index('<a href="#events-h">Skip the chart</a>') < page_text.index("<svg ")
    assert '<h2 id="events-h">Events</h2>' in page_text


def test_names_carry_their_language_and_citations_link_to_the_sources():
    page_text = to_html(LOG, LOG.events, Filters())
    assert 'BYD (<span lang="ko">비야디</span>, <span lang="zh">比亚迪</span>)' in page_text
    assert '<a href="#src-1" aria-label="source 1">[1]</a> line 47' in page_text
    assert '<li id="src-1">Test Press, published <time datetime="2020">2020</time>' in page_text
    assert '<a href="https://example.org/a" rel="noopener noreferrer">' in page_text
    # the filter finds an event by any of its names in any language
    assert (
        'data-text="founding title of founding summary of founding. byd byd 비야디 比亚迪"'
        in page_text
    )


def test_approximate_dates_say_so_in_words():
    page_text = to_html(make_log(event("x", "2018-05~", "byd")), [], Filters())
    assert "<article" not in page_text
    assert "No event has a known date" in page_text
    log = make_log(event("x", "2018-05~", "byd"))
    page_text = to_html(log, log.events, Filters())
    assert (
        '<time datetime="2018-05">2018-05~</time> <span class="dim">(approximate)</span>'
        in page_text
    )


HOSTILE = "<script>alert(1)</script>\u202e\x1b[31m\"'&<img src=x onerror=alert(2)>"


def test_hostile_text_is_only_ever_text():
    log = make_log(
        event("x", "2018", "byd", title=HOSTILE, summary=HOSTILE, date_note=HOSTILE, place=HOSTILE)
    )
    bad = Source(
        "press",
        HOSTILE,
        log.sources["press"].published,
        "en",
        title=HOSTILE,
        author=HOSTILE,
        url="javascript:alert(3)",
    )
    log = log._replace(sources={"press": bad})
    page_text = to_html(log, log.events, Filters(grep=(HOSTILE,)))
    page = Page(page_text)
    assert len(page.all("script")) == 1
    assert not page.all("img")
    assert not [a for _, a in page.tags for k in a if k.startswith("on")]
    assert "javascript:" not in "".join(str(a.get("href")) for _, a in page.tags)
    assert "address (not a web link): javascript:alert(3)" in page_text
    # the controls are shown as escapes, never passed on
    assert "\u202e" not in page_text
    assert "\x1b" not in page_text
    assert "\\u202e\\x1b[31m" in "".join(page.text)
    assert "<script>alert(1)</script>" in "".join(page.text)  # read as text


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("http://x.cn", True),
        ("javascript:x", False),
        ("HTTPS://x", False),
        ("https://x y", False),
        ('https://x"onmouseover=1', False),
        ("data:text/html,hi", False),
        ("//example.org", False),
        (None, False),
    ],
)
def test_only_plain_web_addresses_become_links(url, kept):
    assert (safe_url(url) is not None) is kept
    assert safe_url(url) in (None, url)


def test_the_filter_compares_folded_text():
    assert search_text("  BYD\u3000比亚迪  Ｃａｒｂｏｎ ") == "byd 比亚迪 carbon"


def test_a_year_band_is_twelve_month_bands_wide():
    log = make_log(
        event("year", "2018", "byd"),
        event("month", "2018-05", "byd"),
        event("day", "2018-05-04", "byd"),
        event("approx", "2019~", "byd"),
    )
    root = svg(to_html(log, log.events, Filters()))
    marks = {a.get("data-event"): a for a in root.iter(f"{SVG}a")}
    assert set(marks) == {"year", "month", "day", "approx"}

    def band(name):
        (rect,) = [r for r in marks[name].iter(f"{SVG}rect") if "band" in r.get("class", "")]
        return float(rect.get("width"))

    assert band("year") == pytest.approx(12 * band("month"), rel=1e-3)
    assert band("approx") == pytest.approx(band("year"), rel=1e-3)
    assert "fuzzy" in marks["approx"].find(f"{SVG}rect").get("class")
    assert marks["day"].find(f"{SVG}path").get("class") == "point"
    assert all(m.get("href") == f"#ev-{k}" and m.get("aria-label") for k, m in marks.items())
    assert marks["month"].get("aria-label") == "2018-05: Title of month (event; lane BYD)"


def test_long_lane_names_are_broken_between_words_only():
    assert htmlexport.label_lines("Zhongguancun Blockchain Industry Alliance") == [
        "Zhongguancun Blockchain",
        "Industry Alliance",
    ]
    assert htmlexport.label_lines("Supercalifragilisticexpialidocious-and-more", 50) == [
        "Supercalifragilisticexpialidocious-and-more"
    ]


def test_the_html_extension_chooses_the_format(run, tmp_path):
    target = tmp_path / "t.html"
    result = run("export", "--company", "BYD", "-o", str(target))
    assert result.exit_code == 0, result.output
    page = target.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>\n"), page[:200]
    byd = json.loads(run("timeline", "--company", "BYD", "--format", "json").stdout)
    assert page.count("<article ") == len(byd) > 1
    assert result.stderr == f"wrote {len(byd)} events (html) to {target}\n"
    # a --format that contradicts the extension is refused (issue 10), nothing written
    refused = run("export", "--company", "BYD", "-f", "csv", "-o", str(tmp_path / "t.htm"))
    assert refused.exit_code == 2
    assert "contradicts the file name" in refused.stderr
    assert not (tmp_path / "t.htm").exists()
    assert run("export", "-c", "BYD", "--year", "1995").stdout.startswith("# cnblock timeline")


def test_states_and_intervals_show_their_kind_as_of_date_and_open_ends():
    as_of = PartialDate.parse("2018-03-28")
    log = make_log(
        event("held", None, "alliance", kind="state", as_of=as_of, title="Held"),
        event("fund", "2013/..", "alliance", kind="state", as_of=as_of, title="Fund"),
        event("said", "2017/2018", "byd", kind="statement", according_to="wang-xing"),
    )
    page_text = to_html(log, log.events, Filters())
    assert (
        '<p class="meta">as of <time datetime="2018-03-28">2018-03-28</time>'
        ' · <span class="kind">state</span></p>'
    ) in page_text
    assert '<time datetime="2013">2013</time>/<span title="end unknown">..</span>' in page_text
    assert '<span class="kind">statement</span> · according to Wang Xing' in page_text
    marks = {a.get("data-event"): a for a in svg(page_text).iter(f"{SVG}a")}
    fills = {k: [r.get("fill") for r in m.iter(f"{SVG}rect")] for k, m in marks.items()}
    assert fills["held"] == ["url(#fade-in-state)", None]
    assert fills["fund"] == [None, "url(#fade-out-state)"]
    # a fade in the colour of its band: orange for a statement, a plan, a speculation
    claims = make_log(event("vow", "../2018", "byd", kind="plan", according_to="wang-xing"))
    (mark,) = svg(to_html(claims, claims.events, Filters())).iter(f"{SVG}a")
    assert [r.get("fill") for r in mark.iter(f"{SVG}rect")] == ["url(#fade-in-claim)", None]
    assert marks["held"].get("class") == "state"
    assert marks["said"].get("class") == "claim"
    assert (
        marks["held"].get("aria-label")
        == "as of 2018-03-28: Held (state; lane Zhongguancun Blockchain Industry Alliance)"
    )
    assert re.findall(r'<h3 id="y-(\d+)">', page_text) == ["2013", "2017", "2018"]


def test_the_readme_shows_a_real_picture_of_the_page():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text("utf-8")
    (image,) = re.findall(r"!\[[^\]]+\]\((docs/[^)]+\.png)\)", readme)
    assert (root / image).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "python tools/screenshot.py" in readme
