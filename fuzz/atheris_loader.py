"""Coverage-guided fuzzing of the loader with atheris, for long runs (not part of CI).

    pip install -e '.[fuzz]'            # atheris: Linux or macOS, CPython with clang
    python fuzz/atheris_loader.py -max_total_time=3600 fuzz/corpus

Starts from the test logs when the corpus folder is empty. Any input that makes the loader
raise anything but cnblock's own DataError, or report a position outside the file, stops the
run and is written out as crash-*; turn it into a file under tests/data/invalid/ with its
`# expect:` line, so that it stays fixed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from cnblock import loader, render
    from cnblock.errors import DataError

_FOLDER = Path(tempfile.mkdtemp(prefix="cnblock-fuzz-"))
_PATH = _FOLDER / "log.yaml"


def _inside(text: str, line: int, col: int) -> bool:
    lines = text.split("\n")
    return 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1


def one_input(data: bytes) -> None:
    _PATH.write_bytes(data)
    try:
        loader.load([str(_PATH)])
    except DataError as exc:
        try:
            text = loader.read_text(str(_PATH))
        except DataError:
            text = data.decode("utf-8", "replace")
        for problem in exc.problems:
            if not _inside(text, problem.location.line, problem.location.col):
                raise AssertionError(f"position outside the file: {problem}") from None
        render.problem_report(exc.problems, loader.source_lines)


def main() -> None:
    corpus = Path(sys.argv[-1]) if len(sys.argv) > 1 and not sys.argv[-1].startswith("-") else None
    if corpus is not None and corpus.is_dir() and not any(corpus.iterdir()):
        tests = Path(__file__).parent.parent / "tests" / "data"
        for n, seed in enumerate(sorted(tests.rglob("*.yaml"))):
            (corpus / f"seed-{n}.yaml").write_bytes(seed.read_bytes())
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
