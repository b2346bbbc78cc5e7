"""The HTML export in a real browser: Debian's Chromium, driven by Playwright, every request
but the page itself blocked and recorded.

Skipped, saying why, where Playwright or Chromium is missing; CI sets CNBLOCK_BROWSER_TESTS=
required (.ci/run), which turns that skip into a failure. Screenshots at phone and desktop
widths go to $CNBLOCK_ARTIFACTS, else build/test-artifacts/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, launch
from typer.testing import CliRunner

from cnblock.cli import app
from cnblock.htmlexport import to_html
from cnblock.query import Filters
from cnblock.text import printable

from helpers import DATA
from logs import event, make_log

ROOT = Path(__file__).resolve().parent.parent
AXE = DATA / "axe" / "axe.min.js"
AXE_SRI = "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="  # axe-core 4.14.1
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install '.[test]'"
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"no Chromium at {CHROMIUM}: apt-get install chromium"
            " (or set CNBLOCK_CHROMIUM to another Chromium)"
        )
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    why = unavailable()
    if why:
        if os.environ.get("CNBLOCK_BROWSER_TESTS") == "required":
            pytest.fail(f"CNBLOCK_BROWSER_TESTS=required, but {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def cnblock(*args: str) -> str:
    result = CliRunner().invoke(
        app, list(args), env={"CNBLOCK_DATA": None, "COLUMNS": "120"}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, tuple[Path, int]]:
    """The whole log, the BYD subset and the hostile log as HTML files, each with the number
    of events its JSON export holds."""
    folder = tmp_path_factory.mktemp("html")
    made = {}
    for name, base, filters in [
        ("whole", [], []),
        ("byd", [], ["--company", "BYD", "--company", "美团"]),
        ("hostile", ["--no-shipped", "--data", str(DATA / "hostile.yaml")], []),
    ]:
        target = folder / f"{name}.html"
        cnblock(*base, "export", *filters, "-o", str(target))
        count = len(json.loads(cnblock(*base, "export", *filters, "-f", "json"))["events"])
        made[name] = (target, count)
    # The loader refuses control characters, so a log built in code carries the rest: ESC
    # sequences, a bell, a carriage return, in every text field.
    raw = make_log(
        event("raw", "2021", "byd", title=RAW, summary=RAW, date_note=RAW, place=RAW),
        event("raw-2", "2021-05?", "meituan", title=RAW + "2"),
    )
    raw = raw._replace(
        sources={"press": raw.sources["press"]._replace(publisher=RAW, title=RAW, url=RAW)}
    )
    target = folder / "raw.html"
    target.write_text(to_html(raw, raw.events, Filters(grep=(RAW,))), "utf-8")
    made["raw"] = (target, 2)
    return made


RAW = "\x1b[2J\x1b]8;;javascript:window.pwned=1\x07<script>window.pwned='raw'</script>\r\u202e"
"""Text no data file can hold (the loader refuses control characters)."""


@contextmanager
def opened(
    browser: Any, path: Path, *, js: bool = True, viewport: dict[str, int] = DESKTOP, **options: Any
) -> Iterator[tuple[Any, list[str]]]:
    """The page loaded with every request but its own file blocked; the list collects every
    blocked request, console error, uncaught error and dialog."""
    context = browser.new_context(
        viewport=viewport, java_script_enabled=js, service_workers="block", **options
    )
    problems: list[str] = []
    own = path.as_uri()

    def route(handle: Any) -> None:
        if handle.request.url.partition("#")[0] == own:
            handle.continue_()
        else:
            problems.append(f"request blocked: {handle.request.url}")
            handle.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "request",
        lambda r: r.url.partition("#")[0] != own and problems.append(f"request: {r.url}"),
    )
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(own)
    try:
        yield page, problems
    finally:
        context.close()


VISIBLE = "() => [...document.querySelectorAll('article')].filter(a => a.offsetParent).length"
MARKS = """() => [...document.querySelectorAll('svg a[data-event]')].map(a => ({
  event: a.getAttribute('data-event'), href: a.getAttribute('href'),
  label: a.getAttribute('aria-label'), shown: !a.classList.contains('off'),
  target: !!document.getElementById(a.getAttribute('href').slice(1))}))"""


def test_the_whole_log_shows_every_event_its_chart_and_nothing_else(browser, pages):
    path, count = pages["whole"]
    with opened(browser, path) as (page, problems):
        assert page.evaluate(VISIBLE) == count
        assert page.locator("#shown").text_content() == f"Showing {count} of {count} events."
        marks = page.evaluate(MARKS)
        articles = page.evaluate("() => [...document.querySelectorAll('article')].map(a => a.id)")
        assert [m for m in marks if not m["target"] or not m["label"]] == []
        assert {f"ev-{m['event']}" for m in marks} == set(articles)  # every event is drawn
        assert problems == []


@pytest.mark.parametrize("typed", ["BYD", "비야디", "比亚迪", "carbon", "  ALIBABA  "])
def test_the_filter_filters_like_grep_and_keeps_the_view_in_the_address(browser, pages, typed):
    path, count = pages["whole"]
    expected = len(json.loads(cnblock("timeline", "--grep", typed.strip(), "-f", "json")))
    assert 0 < expected < count
    with opened(browser, path) as (page, problems):
        page.fill("#q", typed)
        assert page.evaluate(VISIBLE) == expected
        marks = page.evaluate(MARKS)
        shown = {m["event"] for m in marks if m["shown"]}
        visible = page.evaluate(
            "() => [...document.querySelectorAll('article')]"
            ".filter(a => a.offsetParent).map(a => a.id.slice(3))"
        )
        assert shown == set(visible)
        assert page.locator("#shown").text_content() == f"Showing {expected} of {count} events."
        link = page.evaluate("location.href")
        assert link.endswith("#q=" + page.evaluate("s => encodeURIComponent(s)", typed))
        page.goto("about:blank")
        page.goto(link)  # the permalink brings the same view back
        assert page.input_value("#q") == typed
        assert page.evaluate(VISIBLE) == expected
        assert problems == []


def test_a_lane_hidden_hides_its_marks_and_the_events_only_it_holds(browser, pages):
    path, count = pages["whole"]
    with opened(browser, path) as (page, problems):
        page.uncheck("input[data-lane=l0]")
        assert (
            page.evaluate(
                "() => document.querySelector('svg g[data-lane=l0]').getBoundingClientRect().height"
            )
            == 0
        )
        expected = page.evaluate(
            "() => [...document.querySelectorAll('article')]"
            ".filter(a => a.dataset.lanes.split(' ').some(l => l !== 'l0')).length"
        )
        assert 0 < expected < count
        assert page.evaluate(VISIBLE) == expected
        assert page.evaluate("location.hash") == "#off=l0"
        assert problems == []


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text("utf-8"))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target)}))"""
    )


@pytest.mark.parametrize(
    ("name", "viewport", "scheme"),
    [("whole", DESKTOP, "light"), ("whole", PHONE, "dark"), ("byd", DESKTOP, "dark")],
)
def test_axe_finds_no_violation(browser, pages, name, viewport, scheme):
    path, _ = pages[name]
    with opened(browser, path, viewport=viewport, color_scheme=scheme) as (page, problems):
        if name == "byd":
            page.fill("#q", "Meituan")  # once the script has changed the page, too
            page.uncheck("input[data-lane=l1]")
        assert axe_violations(page) == []
        assert problems == []


def test_without_javascript_every_event_is_listed_with_its_citations(browser, pages):
    path, count = pages["whole"]
    with opened(browser, path, js=False) as (page, problems):
        assert page.evaluate(VISIBLE) == count
        assert page.locator("#controls").is_hidden()
        cited = page.evaluate(
            """() => [...document.querySelectorAll('article')].map(a =>
            [...a.querySelectorAll('a[href^="#src-"]')]
            .filter(l => document.getElementById(l.getAttribute('href').slice(1))).length)"""
        )
        assert len(cited) == count
        assert min(cited) >= 1
        assert page.locator("svg a[data-event]").count() >= count
        assert problems == []


def test_print_shows_every_event_and_no_controls(browser, pages):
    path, count = pages["whole"]
    with opened(browser, path) as (page, problems):
        page.emulate_media(media="print")
        assert page.locator("#controls").is_hidden()
        assert page.evaluate(VISIBLE) == count
        assert (
            page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        )
        assert problems == []


@pytest.mark.parametrize("name", ["hostile", "raw"])
def test_a_hostile_log_runs_nothing_and_loads_nothing(browser, pages, name):
    from cnblock import loader

    log = loader.load([str(DATA / "hostile.yaml")])
    path, count = pages[name]
    titles_expected = (
        [printable(e.title) for e in log.events]
        if name == "hostile"
        else [printable(RAW), printable(RAW + "2")]
    )
    for js in (True, False):
        with opened(browser, path, js=js) as (page, problems):
            page.wait_for_timeout(200)  # time for anything that would run late
            assert page.evaluate("() => window.pwned === undefined") if js else True
            assert page.evaluate(VISIBLE) == count
            titles = page.evaluate(
                "() => [...document.querySelectorAll('article h4')].map(h => h.textContent)"
            )
            assert titles == titles_expected
            assert not [t for t in titles if not t.isprintable()]
            assert page.locator("script").count() == 1
            assert page.locator("img, iframe, object, embed, link, base, style").count() == 1
            hrefs = page.evaluate(
                "() => [...document.querySelectorAll('[href]')].map(e => e.getAttribute('href'))"
            )
            assert not [h for h in hrefs if not h.startswith(("#", "https://example.com/"))]
            assert problems == []
        with opened(browser, path) as (page, problems):
            page.fill("#q", "evil")
            assert page.evaluate("() => window.pwned === undefined")
            assert problems == []


def test_a_year_band_is_drawn_twelve_month_bands_wide(browser, tmp_path):
    data = tmp_path / "spans.yaml"
    data.write_text(
        (DATA / "hostile.yaml").read_text("utf-8").partition("events:")[0]
        + "events:\n"
        + "".join(
            f"  - {{id: {i}, date: '{d}', title: {i}, summary: s, entities: [evil-co],"
            " sources: [{source: evil-press, line: 1}]}\n"
            for i, d in [("year", "2019"), ("month", "2020-02"), ("open", "2019-06?")]
        ),
        "utf-8",
    )
    target = tmp_path / "spans.html"
    cnblock("--no-shipped", "--data", str(data), "export", "-o", str(target))
    with opened(browser, target) as (page, problems):
        widths = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('svg a[data-event]')]
            .map(a => [a.dataset.event, a.querySelector('.band').getBoundingClientRect().width]))"""
        )
        assert widths["year"] == pytest.approx(12 * widths["month"], rel=0.01)
        assert widths["open"] == pytest.approx(widths["month"], rel=0.01)
        assert widths["month"] > 4  # wide enough to see and to click
        assert problems == []


def artifacts() -> Path:
    folder = Path(os.environ.get("CNBLOCK_ARTIFACTS") or ROOT / "build" / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_at_phone_and_desktop_widths(browser, pages, width, viewport):
    path, _ = pages["whole"]
    with opened(browser, path, viewport=viewport) as (page, problems):
        shot = artifacts() / f"timeline-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        # nothing wider than the screen but the chart, which scrolls inside its own box
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert problems == []


def test_the_bundled_axe_is_the_published_one():
    digest = base64.b64encode(hashlib.sha256(AXE.read_bytes()).digest()).decode()
    assert f"sha256-{digest}" == AXE_SRI
    assert (DATA / "axe" / "LICENSE").read_text("utf-8").startswith("Mozilla Public License")
