"""Suggestions for names that almost match: "did you mean BYD?"."""

from __future__ import annotations

from collections.abc import Iterable


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
    found = closest(name, candidates)
    if not found:
        return ""
    return "; did you mean " + " or ".join(f"'{f}'" for f in found) + "?"
