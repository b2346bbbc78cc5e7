"""Suggestions for names that almost match: "did you mean BYD?"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"\w+")


def closest(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates most like `name`, best first, compared without regard to case."""
    import difflib  # only needed when something was mistyped

    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    matches = difflib.get_close_matches(name.casefold(), list(by_folded), n=limit, cutoff=0.6)
    return [by_folded[m] for m in matches]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """'; did you mean X?' (or 'X or Y?'), or '' when nothing is close."""
    return _question(closest(name, candidates))


def _question(found: Sequence[str]) -> str:
    if not found:
        return ""
    return "; did you mean " + " or ".join(f"'{f}'" for f in found) + "?"


def likeness(typed: str, key: str, title: str) -> float:
    """How much `typed` looks like a record known by `key` (an id) and `title`, from 0 to 1:
    the best of its likeness to the whole key, to the key's start (a mistyped prefix:
    `byd-foundd` for `byd-founded-as-battery-maker`), and of its words to the title's words
    (`carbon bank byd` for "... carbon-bank ... BYD ...")."""
    from difflib import SequenceMatcher

    typed, key = typed.casefold(), key.casefold()
    best = SequenceMatcher(None, typed, key).ratio()
    if len(key) > len(typed):
        prefix = key[: len(typed) + 1]
        best = max(best, SequenceMatcher(None, typed, prefix).ratio())
    words = _WORD.findall(typed.replace("_", " "))
    # words of one or two letters say too little to be matched on their own
    title_words = [w for w in _WORD.findall(title.casefold()) if len(w) > 2]
    if words and title_words:
        per_word = [max(SequenceMatcher(None, w, t).ratio() for t in title_words) for w in words]
        best = max(best, sum(per_word) / len(per_word))
    return best


def did_you_mean_titled(typed: str, records: Iterable[tuple[str, str]], limit: int = 3) -> str:
    """'; did you mean X?' for (key, title) records, by closeness of key and of title; ''
    when nothing is close."""
    scored = sorted(
        ((likeness(typed, key, title), key) for key, title in records),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if not scored:
        return ""
    # only the clear favourites: a typo of one id should not bring three unrelated ones along
    floor = max(0.75, scored[0][0] - 0.15)
    return _question([key for score, key in scored[:limit] if score >= floor])
