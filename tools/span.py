"""Print the `span` and `digest` a citation records for a phrase of a text's line.

    python tools/span.py TEXT LINE PHRASE [--occurrence N]

TEXT is the article's text file (e.g. "$CNBLOCK_SEEDS/002_d5b686126462e90b.txt"), LINE the
1-based line number, PHRASE the exact words as they stand in that line. Prints, for the
citation in data/events.yaml:

    span: [10, 42], digest: 0123456789ab

Nothing of the phrase is written anywhere: paste only the numbers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnblock import texts
from cnblock.provenance import find_span


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("text", type=Path)
    parser.add_argument("line", type=int)
    parser.add_argument("phrase")
    parser.add_argument("--occurrence", type=int, default=1)
    args = parser.parse_args(argv)
    lines = texts.read(args.text).lines
    if not 1 <= args.line <= len(lines):
        parser.error(f"{args.text} has {len(lines)} lines")
    try:
        start, end, digest = find_span(lines[args.line - 1], args.phrase, args.occurrence)
    except ValueError as exc:
        parser.error(str(exc))
    sys.stdout.write(f"span: [{start}, {end}], digest: {digest}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
