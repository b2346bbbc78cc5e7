"""A structured mutator of valid logs (issue 8): line, byte and value operators applied to
the test logs; whatever comes out, cnblock answers with its own error, at positions inside
the file, in bounded time. Runs in CI with a bounded number of examples; longer runs:
fuzz/atheris_loader.py (see SECURITY.md). A failure found becomes a file in tests/data/."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnblock import loader, render, yamlnodes
from cnblock.errors import DataError

from helpers import DATA, mutate

CORPUS = [DATA / "valid.yaml", *sorted((DATA / "invalid").glob("*.yaml"))]
TEXTS = [p.read_text("utf-8") for p in CORPUS]


@st.composite
def mutated(draw) -> str:
    return mutate(draw, draw(st.sampled_from(TEXTS)))


def _inside(text: str, line: int, col: int) -> bool:
    lines = text.split("\n")
    return 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1


@settings(
    max_examples=int(os.environ.get("CNBLOCK_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated())
def test_a_mutated_log_gets_cnblocks_own_answer_inside_the_file_in_bounded_time(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.yaml"
        path.write_text(text, "utf-8", newline="")
        shown = loader.read_text(str(path))  # as the loader sees it: a byte-order mark dropped
        for parser in PARSERS:  # libyaml's and PyYAML's own
            started = time.process_time()
            try:
                with patched(parser):
                    loader.load([str(path)])
            except DataError as exc:
                for p in exc.problems:
                    assert p.location.path == str(path), p
                    assert _inside(shown, p.location.line, p.location.col), (p, parser)
                render.problem_report(exc.problems, loader.source_lines)
            assert time.process_time() - started < 5, "a small file took seconds"


PARSERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@contextlib.contextmanager
def patched(parser: type) -> Iterator[None]:
    saved = yamlnodes._Loader
    yamlnodes._Loader = parser
    try:
        yield
    finally:
        yamlnodes._Loader = saved
