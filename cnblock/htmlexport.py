"""The events as one self-contained HTML page: a chart drawn as inline SVG, then every event
under its year with its citations, then the sources. Pure: model in, text out.

Nothing in the page is loaded from anywhere: the Content-Security-Policy forbids every request
(only the page's own inline style and script run, named by their hashes), fonts are the
system's. Every piece of text from the data passes through `text()`: control and formatting
characters become visible escapes, then HTML's special characters become entities, so nothing
from a data file is ever markup or script. Only http and https addresses become links.
Without JavaScript the page is complete; the script adds filtering as you type, lane toggles
and a permalink of the view in the URL fragment.
"""

from __future__ import annotations

import base64
import hashlib
import html
import unicodedata
from collections.abc import Iterable, Sequence

from cnblock import __version__
from cnblock.lanes import (
    FADE,
    Axis,
    Extent,
    Lane,
    extent,
    lanes,
    margins,
    pack,
    sides,
    years_shown,
)
from cnblock.model import Citation, Entity, Event, EventLog, PartialDate, Source
from cnblock.query import Filters
from cnblock.text import claimant, counted, date_label, printable

LANES = 8
"""Lanes of the chart: the busiest organisations, then one for the rest."""


def text(value: object) -> str:
    """Data as HTML text or attribute value: never markup, never an invisible control."""
    return html.escape(printable(str(value)), quote=True)


def safe_url(url: str | None) -> str | None:
    """The address if it is a plain http or https URL, else None (it is then shown as text)."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    if not url.isprintable() or any(c in url for c in " <>\"'`\\"):
        return None
    return url


def search_text(value: str) -> str:
    """The form the page's filter compares: NFKC, lower case, single spaces (the script does
    the same to what the reader types)."""
    return " ".join(unicodedata.normalize("NFKC", value).lower().split())


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


STYLE = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--dim:#595959;--line:#c8c8c8;
--band:#1f5fa8;--state:#2e7d32;--claim:#8a4b08;--link:#0b57d0;--mark-bg:#f3f6fa}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#ececec;--dim:#b0b0b0;
--line:#4a4a4a;--band:#7fb0f0;--state:#8fd694;--claim:#f0b070;--link:#9cc2ff;--mark-bg:#1e2430}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:70rem;padding:0 1rem 3rem;background:var(--bg);color:var(--fg);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",
"PingFang SC","Malgun Gothic",sans-serif}
a{color:var(--link)}
h1{font-size:1.6rem;margin:1rem 0 .25rem}
h2{font-size:1.3rem;margin-top:2rem}
h3{font-size:1.15rem;border-bottom:1px solid var(--line);margin-top:1.5rem}
h4{font-size:1rem;margin:0 0 .25rem}
.meta,.dim,.legend{color:var(--dim)}
article{margin:0 0 1.25rem;padding-left:.75rem;border-left:3px solid var(--line)}
article:target{border-left-color:var(--band);background:var(--mark-bg)}
article p{margin:.2rem 0}
.kind{font-size:.85rem;border:1px solid var(--line);border-radius:.25rem;padding:0 .3rem}
code{font-size:.9em;overflow-wrap:anywhere}
#controls{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:.5rem 0}
#controls[hidden]{display:none}
#controls fieldset{border:1px solid var(--line);margin:0;padding:.25rem .5rem}
#controls label{margin-right:.5rem;white-space:nowrap}
#q{font:inherit;padding:.2rem .4rem;min-width:14rem;max-width:100%}
.chart{overflow-x:auto;border:1px solid var(--line)}
.chart svg{display:block;min-width:44rem;width:100%;height:auto}
svg text{fill:var(--fg);font:12px system-ui,sans-serif}
svg .tick{stroke:var(--line)}
svg .lane-rule{stroke:var(--line)}
svg .band{fill:var(--band)}
svg .state .band{fill:var(--state)}
svg .claim .band{fill:var(--claim)}
svg .fuzzy{fill-opacity:.55}
svg .hatch line{stroke:var(--bg);stroke-width:2}
svg .fade stop{stop-color:var(--band)}
svg .fade-state stop{stop-color:var(--state)}
svg .fade-claim stop{stop-color:var(--claim)}
svg .point{fill:var(--band);stroke:var(--bg);stroke-width:1}
svg a:focus .band,svg a:focus .point,svg a:hover .band{stroke:var(--fg);stroke-width:2}
svg .off{display:none}
.legend svg{vertical-align:middle}
ol.sources li{margin-bottom:.4rem;overflow-wrap:anywhere}
[hidden]{display:none !important}
@media (max-width:40rem){body{padding:0 .5rem 2rem;font-size:15px}h1{font-size:1.3rem}}
@media print{#controls{display:none}.chart{overflow:visible;border:0}
.chart svg{min-width:0}body{max-width:none;color:#000;background:#fff}
a{color:#000}article{break-inside:avoid}h3{break-after:avoid}}
"""

SCRIPT = """
(function () {
  "use strict";
  var controls = document.getElementById("controls");
  var box = document.getElementById("q");
  var status = document.getElementById("shown");
  var link = document.getElementById("permalink");
  var articles = Array.prototype.slice.call(document.querySelectorAll("article[data-text]"));
  var years = Array.prototype.slice.call(document.querySelectorAll("section.year"));
  var marks = Array.prototype.slice.call(document.querySelectorAll("svg a[data-event]"));
  var toggles = Array.prototype.slice.call(document.querySelectorAll("input[data-lane]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("svg g[data-lane]"));
  function norm(s) { return s.normalize("NFKC").toLowerCase().replace(/\\s+/g, " ").trim(); }
  function view() {
    var off = toggles.filter(function (t) { return !t.checked; })
      .map(function (t) { return t.getAttribute("data-lane"); });
    var parts = [];
    if (box.value) { parts.push("q=" + encodeURIComponent(box.value)); }
    if (off.length) { parts.push("off=" + off.join(",")); }
    return { off: off, fragment: parts.join("&") };
  }
  function apply(write) {
    var state = view();
    var words = norm(box.value).split(" ").filter(Boolean);
    var shown = {}, count = 0;
    articles.forEach(function (a) {
      var lanes = a.getAttribute("data-lanes").split(" ");
      var inLane = lanes.some(function (l) { return state.off.indexOf(l) < 0; });
      var text = a.getAttribute("data-text");
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      a.hidden = !(inLane && hit);
      if (!a.hidden) { shown[a.id] = true; count += 1; }
    });
    years.forEach(function (y) { y.hidden = !y.querySelector("article:not([hidden])"); });
    marks.forEach(function (m) {
      m.classList.toggle("off", !shown["ev-" + m.getAttribute("data-event")]);
    });
    groups.forEach(function (g) {
      g.classList.toggle("off", state.off.indexOf(g.getAttribute("data-lane")) >= 0);
    });
    status.textContent = "Showing " + count + " of " + articles.length + " events.";
    link.href = "#" + state.fragment;
    if (write && history.replaceState) {
      history.replaceState(null, "", state.fragment ? "#" + state.fragment : location.pathname);
    }
  }
  function read() {
    var hash = location.hash.slice(1);
    if (!/^(q|off)=/.test(hash)) { return false; }
    var off = [];
    hash.split("&").forEach(function (part) {
      var i = part.indexOf("="), key = part.slice(0, i), value = part.slice(i + 1);
      try { value = decodeURIComponent(value); } catch (e) { value = ""; }
      if (key === "q") { box.value = value; }
      if (key === "off") { off = value.split(","); }
    });
    toggles.forEach(function (t) { t.checked = off.indexOf(t.getAttribute("data-lane")) < 0; });
    return true;
  }
  controls.hidden = false;
  box.addEventListener("input", function () { apply(true); });
  toggles.forEach(function (t) { t.addEventListener("change", function () { apply(true); }); });
  window.addEventListener("hashchange", function () { if (read()) { apply(false); } });
  read();
  apply(false);
}());
"""

CSP = "; ".join(
    [
        "default-src 'none'",
        f"style-src {_hash(STYLE)}",
        f"script-src {_hash(SCRIPT)}",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
"""Only the page's own style and script; no request of any kind (fonts, images, frames...)."""


# Dates ------------------------------------------------------------------------------------

_QUALIFIER = {"~": "approximate", "?": "uncertain", "~?": "approximate and uncertain"}


def time_element(date: PartialDate) -> str:
    """A <time> at the date's own precision (2018, 2018-09, 2018-09-28); its qualifier in
    words, since `datetime` cannot hold one."""
    bare = str(PartialDate(date.year, date.month, date.day))
    shown = f'<time datetime="{bare}">{text(date)}</time>'
    if date.qualifier:
        shown += f' <span class="dim">({_QUALIFIER.get(date.qualifier, "uncertain")})</span>'
    return shown


def when(event: Event) -> str:
    """The date as written, as <time> elements; an open side reads `..`."""
    first, last = sides(event)
    if first is None and last is None:
        return "date unknown"
    if first is last:
        assert first is not None
        return time_element(first)
    start = time_element(first) if first else '<span title="start unknown">..</span>'
    end = time_element(last) if last else '<span title="end unknown">..</span>'
    return f"{start}/{end}"


# The events -------------------------------------------------------------------------------


def _name(entity: Entity) -> str:
    """An entity's English name, then its names in other languages, each marked with its
    language."""
    others = [
        f'<span lang="{text(lang)}">{text(name)}</span>'
        for lang, name in entity.names.items()
        if name != entity.name
    ]
    shown = text(entity.name)
    return shown + (f" ({', '.join(others)})" if others else "")


def _citations(citations: Sequence[Citation], numbers: dict[str, int]) -> str:
    lines: dict[str, list[str]] = {}
    for c in citations:
        lines.setdefault(c.source, []).append(str(c.line))
    parts = []
    for source, found in lines.items():
        n = numbers[source]
        label = "line" if len(found) == 1 else "lines"
        parts.append(
            f'<a href="#src-{n}" aria-label="source {n}">[{n}]</a> {label} {", ".join(found)}'
        )
    return "; ".join(parts)


def article(log: EventLog, event: Event, lane_keys: Iterable[str], numbers: dict[str, int]) -> str:
    entities = log.event_entities(event)
    techs = log.event_technologies(event)
    haystack = [event.id, event.title, event.summary, event.date_note or "", event.place or ""]
    haystack += [n for e in entities for n in e.all_names()]
    haystack += [n for t in techs for n in t.all_names()]
    meta = [when(event)] if event.date is not None else []
    if event.as_of is not None:
        meta.append(f"as of {time_element(event.as_of)}")
    meta.append(f'<span class="kind">{text(event.kind)}</span>')
    who = claimant(log, event)
    if who:
        meta.append(f"according to {text(who)}")
    if event.place:
        meta.append(text(event.place))
    parts = [
        (
            f'<article id="ev-{text(event.id)}" data-lanes="{text(" ".join(lane_keys))}"'
            f' data-text="{text(search_text(" ".join(haystack)))}"'
            f' aria-labelledby="t-{text(event.id)}">'
        ),
        f'<h4 id="t-{text(event.id)}">{text(event.title)}</h4>',
        f'<p class="meta">{" · ".join(meta)}</p>',
    ]
    people = [e for e in entities if e.is_person]
    organisations = [e for e in entities if not e.is_person]
    if organisations:
        parts.append(f"<p>Organisations: {', '.join(_name(e) for e in organisations)}</p>")
    if people:
        parts.append(f"<p>People: {', '.join(_name(e) for e in people)}</p>")
    if techs:
        parts.append(f"<p>Technologies: {', '.join(text(t.name) for t in techs)}</p>")
    parts.append(f"<p>{text(event.summary)}</p>")
    if event.date_note:
        parts.append(f'<p class="dim">Date: {text(event.date_note)}</p>')
    parts.append(f"<p>Sources: {_citations(event.sources, numbers)}</p>")
    parts.append(f'<p class="dim">id: <code>{text(event.id)}</code></p>')
    parts.append("</article>")
    return "\n".join(parts)


def source_item(source: Source, n: int) -> str:
    parts = [text(source.publisher)]
    if source.author:
        parts.append(text(source.author))
    parts.append(f"published {time_element(source.published)}")
    if source.title:
        parts.append(f'<cite lang="{text(source.language)}">{text(source.title)}</cite>')
    url = safe_url(source.url)
    if url:
        parts.append(f'<a href="{text(url)}" rel="noopener noreferrer">{text(url)}</a>')
    elif source.url:
        parts.append(f"address (not a web link): {text(source.url)}")
    return f'<li id="src-{n}">{", ".join(parts)}.</li>'


# The chart --------------------------------------------------------------------------------

LABEL_WIDTH = 190.0
CHART_WIDTH = 960.0
ROW = 18.0
MARK = 12.0
TOP = 28.0
GAP = 26.0


def _fmt(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def label_lines(label: str, room: float = LABEL_WIDTH - 8) -> list[str]:
    """A lane's label in lines that fit `room` (about 7 px a Latin character, 13 a CJK one),
    broken only between words; a word too long for a line gets one to itself, whole."""
    lines: list[str] = []
    for word in label.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and _px(joined) <= room:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines or [""]


def _px(value: str) -> float:
    return sum(13.0 if unicodedata.east_asian_width(c) in "WF" else 7.0 for c in value)


def _mark(event: Event, ext: Extent, axis: Axis, y: float, lane: Lane) -> str:
    """One event's mark in one lane: a link to the event holding the drawn shapes."""
    x0, x1 = axis.x(ext.start), axis.x(ext.end)
    if not ext.point:
        x1 = max(x1, x0 + 2)  # a day's band with a fade (a state as of a day) stays visible
    kind = event.kind
    group = "state" if kind == "state" else "claim" if kind != "event" else "event"
    label = f"{date_label(event)}: {event.title} ({kind}; lane {lane.label})"
    shapes = []
    tint = "" if group == "event" else f"-{group}"  # a fade in the colour of its band
    if ext.open_start:
        lo = axis.x(ext.start - FADE)
        shapes.append(
            f'<rect class="fade-band" x="{_fmt(lo)}" y="{_fmt(y)}" width="{_fmt(x0 - lo)}"'
            f' height="{_fmt(MARK)}" fill="url(#fade-in{tint})"/>'
        )
    if ext.point:
        cx, cy, r = (x0 + x1) / 2, y + MARK / 2, MARK / 2
        shapes.append(
            f'<path class="point" d="M{_fmt(cx)} {_fmt(cy - r)}l{_fmt(r)} {_fmt(r)}'
            f'l{_fmt(-r)} {_fmt(r)}l{_fmt(-r)} {_fmt(-r)}z"/>'
        )
    else:
        fuzzy = " fuzzy" if ext.fuzzy else ""
        shapes.append(
            f'<rect class="band{fuzzy}" x="{_fmt(x0)}" y="{_fmt(y)}" width="{_fmt(x1 - x0)}"'
            f' height="{_fmt(MARK)}" data-start="{_fmt(ext.start)}" data-end="{_fmt(ext.end)}"/>'
        )
        if ext.fuzzy:
            shapes.append(
                f'<rect x="{_fmt(x0)}" y="{_fmt(y)}" width="{_fmt(x1 - x0)}"'
                f' height="{_fmt(MARK)}" fill="url(#hatch)"/>'
            )
    if ext.open_end:
        hi = axis.x(ext.end + FADE)
        shapes.append(
            f'<rect class="fade-band" x="{_fmt(x1)}" y="{_fmt(y)}" width="{_fmt(hi - x1)}"'
            f' height="{_fmt(MARK)}" fill="url(#fade-out{tint})"/>'
        )
    return (
        f'<a href="#ev-{text(event.id)}" data-event="{text(event.id)}" class="{group}"'
        f' aria-label="{text(label)}"><title>{text(label)}</title>{"".join(shapes)}</a>'
    )


def _tspans(lines: list[str]) -> str:
    return "".join(
        f'<tspan x="4" dy="{15 if n else 0}">{text(line)}</tspan>' for n, line in enumerate(lines)
    )


_DEFS = (
    "<defs>"
    '<pattern id="hatch" class="hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6"/></pattern>'
    '<linearGradient id="fade-out" class="fade"><stop offset="0" stop-opacity=".7"/>'
    '<stop offset="1" stop-opacity="0"/></linearGradient>'
    '<linearGradient id="fade-in" class="fade"><stop offset="0" stop-opacity="0"/>'
    '<stop offset="1" stop-opacity=".7"/></linearGradient>'
    '<linearGradient id="fade-out-state" class="fade-state"><stop offset="0" stop-opacity=".7"/>'
    '<stop offset="1" stop-opacity="0"/></linearGradient>'
    '<linearGradient id="fade-in-state" class="fade-state"><stop offset="0" stop-opacity="0"/>'
    '<stop offset="1" stop-opacity=".7"/></linearGradient>'
    '<linearGradient id="fade-out-claim" class="fade-claim"><stop offset="0" stop-opacity=".7"/>'
    '<stop offset="1" stop-opacity="0"/></linearGradient>'
    '<linearGradient id="fade-in-claim" class="fade-claim"><stop offset="0" stop-opacity="0"/>'
    '<stop offset="1" stop-opacity=".7"/></linearGradient>'
    "</defs>"
)


def chart(log: EventLog, events: Sequence[Event], shown: Sequence[Lane]) -> str:
    """The SVG: year ticks across, a lane a row group, a mark a link to its event."""
    extents = {e.id: extent(e) for e in events}
    known = [x for x in extents.values() if x is not None]
    runs = years_shown(known)
    if not runs:
        return '<p class="dim">No event has a known date to draw.</p>'
    lead, trail = margins(known, runs)
    years = sum(last - first + 1 for first, last in runs) + (lead + trail) / 12.0
    room = CHART_WIDTH - LABEL_WIDTH - 10 - GAP * (len(runs) - 1)
    axis = Axis(runs, max(36.0, room / years), GAP, LABEL_WIDTH, lead=lead, trail=trail)
    body, y = [], TOP
    for n, lane in enumerate(shown):
        placed = [(e, extents[e.id]) for e in lane.events if extents[e.id] is not None]
        spans = [
            (axis.x(x.drawn()[0]), max(axis.x(x.drawn()[1]), axis.x(x.start) + MARK))
            for _, x in placed
            if x is not None
        ]
        rows = pack(spans, gap=2.0)
        names = label_lines(lane.label)
        height = max((max(rows, default=0) + 1) * ROW, len(names) * 15.0) + 8
        marks = [
            _mark(e, x, axis, y + 4 + row * ROW, lane)
            for (e, x), row in zip(placed, rows, strict=True)
            if x is not None
        ]
        body.append(
            f'<g data-lane="l{n}"><line class="lane-rule" x1="0" x2="{_fmt(axis.right)}"'
            f' y1="{_fmt(y)}" y2="{_fmt(y)}"/>'
            f'<text x="4" y="{_fmt(y + 15)}">{_tspans(names)}</text>{"".join(marks)}</g>'
        )
        y += height
    ticks = []
    step = 1 if axis.year_width >= 36 else 5
    for year, x in axis.year_ticks():
        ticks.append(
            f'<line class="tick" x1="{_fmt(x)}" x2="{_fmt(x)}" y1="{_fmt(TOP - 6)}"'
            f' y2="{_fmt(y)}"/>'
        )
        if year % step == 0 or step == 1:
            ticks.append(f'<text x="{_fmt(x + 2)}" y="{_fmt(TOP - 10)}">{year}</text>')
    ticks += [f'<text x="{_fmt(x - 5)}" y="{_fmt(TOP - 10)}">≈</text>' for x in axis.breaks()]
    width = axis.right + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(width)} {_fmt(y + 4)}"'
        f' role="group" aria-labelledby="chart-title" data-year-width="{_fmt(axis.year_width)}">'
        f'<title id="chart-title">Events by organisation and year</title>{_DEFS}'
        f"{''.join(ticks)}{''.join(body)}</svg>"
    )


_LEGEND = (
    "Each mark covers the whole period its date may mean: a year-long band for a year, a"
    " month-long one for a month, a diamond for a day. Hatched and pale: approximate (~) or"
    " uncertain (?). Fading out: an open end; fading in: an unknown start. Green: a state,"
    " drawn up to the date it was reported; orange: a statement, plan or speculation."
    " ≈ marks years left out of the axis. Every mark links to its event below."
)


def _controls(shown: Sequence[Lane]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" data-lane="l{n}" checked> {text(lane.label)}</label>'
        for n, lane in enumerate(shown)
    )
    return (
        '<div id="controls" hidden>'
        '<p><label for="q">Filter events</label><br>'
        '<input id="q" type="search" autocomplete="off"'
        ' placeholder="BYD, 比亚迪, 비야디, carbon…"></p>'
        f"<fieldset><legend>Lanes</legend>{boxes}</fieldset>"
        '<p><span id="shown" role="status"></span> <a id="permalink" href="#">Link to this view</a>'
        "</p></div>"
    )


def to_html(log: EventLog, events: Sequence[Event], filters: Filters, long: bool = False) -> str:
    """The whole page for the events, in their order (date order), the chart at the top."""
    title = "cnblock timeline" if filters.empty else f"cnblock timeline: {filters.describe()}"
    cited = {c.source for e in events for c in e.sources}
    sources = [s for s in log.sources.values() if s.id in cited]
    numbers = {s.id: n for n, s in enumerate(sources, 1)}
    shown = lanes(log, events, LANES)
    lanes_of: dict[str, list[str]] = {}
    for n, lane in enumerate(shown):
        for e in lane.events:
            lanes_of.setdefault(e.id, []).append(f"l{n}")
    by_year: dict[int, list[Event]] = {}
    for event in events:
        by_year.setdefault(event.year, []).append(event)
    sections = []
    for year, group in by_year.items():
        heading, anchor = (str(year), f"y-{year}") if year else ("Date unknown", "y-unknown")
        items = "\n".join(article(log, e, lanes_of.get(e.id, []), numbers) for e in group)
        sections.append(
            f'<section class="year" aria-labelledby="{anchor}">'
            f'<h3 id="{anchor}">{heading}</h3>\n{items}\n</section>'
        )
    source_list = "\n".join(source_item(s, numbers[s.id]) for s in sources)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="cnblock {__version__}">
<title>{text(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{text(title)}</h1>
<p>Filters: {text(filters.describe())}. {counted(len(events), "event")}, \
{counted(len(sources), "source")}. Made with cnblock {__version__}; every event cites \
the lines of the articles it rests on (see <a href="#sources-h">Sources</a>).</p>
</header>
<main>
<section aria-labelledby="chart-h">
<h2 id="chart-h">Chart</h2>
<p><a href="#events-h">Skip the chart</a> (every mark in it is a link, one stop each for a
keyboard).</p>
{_controls(shown)}
<p class="legend">{_LEGEND}</p>
<div class="chart" tabindex="0" role="region" aria-label="Chart, scrolls sideways">
{chart(log, events, shown)}
</div>
</section>
<section aria-labelledby="events-h">
<h2 id="events-h">Events</h2>
{chr(10).join(sections)}
</section>
<section aria-labelledby="sources-h">
<h2 id="sources-h">Sources</h2>
<ol class="sources">
{source_list}
</ol>
</section>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""
