"""Where a line of an article states a date: a year, a month, or a date relative to when it
was written ("last July", "지난해", "올해", "去年"), in Korean, Chinese or English.

A curator's coverage check: a dated line that no event cites may hold an event not yet
recorded. The patterns lean towards finding too much (a reader dismisses a false hit at a
glance) but skip sums of money and counts ("2000억 원", "3000명"), which are not years.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_MONTHS_EN = (
    "January|February|March|April|June|July|August|September|October|November|December"
    "|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?"
)
_COUNTERS = "억|만|천|조|원|명|개|위안|달러|대|건|곳|배|%|元|人|家|个|亿|万|美元"

_PATTERNS: tuple[tuple[str, str], ...] = (
    ("year", rf"(?<![0-9])(?:1[89][0-9]{{2}}|20[0-9]{{2}})(?![0-9]|\s*(?:{_COUNTERS}))[년年]?"),
    ("year", r"(?<![0-9])'[0-9]{2}(?![0-9])"),  # '18
    ("month", r"(?<![0-9])(?:1[0-2]|0?[1-9])\s?[월月]"),
    ("month", r"[一二三四五六七八九十]{1,2}月"),
    ("month", rf"\b(?:{_MONTHS_EN})(?=[\s,]|$)|\bMay(?=\s+[0-9])"),
    (
        "relative",
        (
            "지난해|올해|작년|재작년|내년|금년|지난달|이번 ?달|다음 ?달|지난주|이번 ?주"
            "|다음 ?주|어제|오늘|내일|당시|연초|연말|상반기|하반기|지난 ?[0-9]+[년월]"
            "|[0-9]+년 ?전|[0-9]+년 ?만에"
        ),
    ),
    (
        "relative",
        (
            "去年|今年|明年|前年|上个?月|本月|下个?月|上周|本周|下周|昨天|今天|明天|当时|年初|年底"
            "|上半年|下半年|[0-9一二三四五六七八九十]+年前"
        ),
    ),
    (
        "relative",
        (
            r"(?i)\b(?:last|this|next|previous|earlier this|later this) (?:year|month|week"
            rf"|{_MONTHS_EN}|May)\b|\b(?:yesterday|today|tomorrow|at the time)\b"
            r"|\b[0-9]+ (?:years?|months?) (?:ago|earlier|later)\b"
        ),
    ),
)
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _PATTERNS)


class Mention(NamedTuple):
    """A date stated in a line: where (code-point offsets, end exclusive) and of what kind
    ('year', 'month' or 'relative')."""

    start: int
    end: int
    kind: str


def mentions(line: str) -> list[Mention]:
    """Every date the line states, in order, overlapping matches kept once (the longest)."""
    found = sorted(
        (Mention(m.start(), m.end(), kind) for kind, rx in _COMPILED for m in rx.finditer(line)),
        key=lambda m: (m.start, -m.end),
    )
    kept: list[Mention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept
