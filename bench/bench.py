"""Measure cnblock's start-up and its speed on large logs.

Run it with the Python of the environment where cnblock is installed:

    python bench/bench.py            # print the figures as a Markdown table
    python bench/bench.py --check    # also exit 1 if start-up is over 1.5x the bare import

1. Start-up: the median wall time of `cnblock timeline --company BYD` against
   `python -c "import typer, rich.table, yaml"` in the same environment, the two interleaved
   run by run so that a busy machine slows both alike.
2. Scale: the wall time and peak memory of `cnblock --no-shipped --data LOG timeline --year
   2018 --format json` on generated logs of 1,000 and 10,000 events, built from the shipped
   entities.

Standard library only.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.5
BARE = [sys.executable, "-c", "import typer, rich.table, yaml"]


def cnblock_command() -> list[str]:
    """The console script beside this Python, as a user runs it."""
    script = Path(sys.executable).with_name("cnblock")
    if script.exists():
        return [str(script)]
    found = shutil.which("cnblock")
    if not found:
        sys.exit("bench: no cnblock command beside this Python; install cnblock first")
    return [found]


def wall_time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def startup(runs: int) -> tuple[float, float]:
    """Median seconds of the bare import and of `cnblock timeline --company BYD`."""
    cnblock = [*cnblock_command(), "timeline", "--company", "BYD"]
    for command in (BARE, cnblock):  # warm the file cache and the bytecode
        wall_time(command)
    bare, ours = [], []
    for run in range(runs):
        pair = [(BARE, bare), (cnblock, ours)]
        for command, times in pair if run % 2 else reversed(pair):
            times.append(wall_time(command))
    return statistics.median(bare), statistics.median(ours)


def generated_log(events: int, folder: Path, seed: int = 2018) -> Path:
    """A valid log: the shipped sources, entities and technologies, and `events` made-up events."""
    from cnblock import loader  # the installed cnblock, whose shipped log this reuses

    shipped = loader.default_data_file().read_text("utf-8")
    head = shipped.split("\nevents:\n")[0]
    log = loader.load([str(loader.default_data_file())])
    entities, technologies = sorted(log.entities), sorted(log.technologies)
    rng = random.Random(seed)
    lines = [head, "", "events:"]
    for number in range(events):
        year = rng.randint(2010, 2020)
        date = rng.choice(
            [
                f"{year}",
                f"{year}-{rng.randint(1, 12):02d}",
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            ]
        )
        who = ", ".join(rng.sample(entities, rng.randint(1, 3)))
        tech = ", ".join(rng.sample(technologies, rng.randint(0, 2)))
        lines += [
            f"  - id: generated-{number}",
            f'    date: "{date}"',
            f"    title: Generated event number {number} for the benchmark",
            "    summary: >-",
            "      A made-up event with a summary of a realistic length, long enough to wrap in",
            "      the table and to cost what a real summary costs to read and to write out.",
            f"    entities: [{who}]",
            f"    technologies: [{tech}]",
            f"    sources: [{{source: coindesk-korea-2020, line: {rng.randint(1, 50)}}}]",
        ]
    path = folder / f"events-{events}.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


_PEAK = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
    "seconds = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(seconds, peak * (1 if sys.platform == 'darwin' else 1024))\n"
)


def scale(events: int, folder: Path, runs: int) -> tuple[float, float, int]:
    """Median seconds, peak bytes and file size of the JSON timeline of 2018 on a generated log."""
    path = generated_log(events, folder)
    command = [
        *cnblock_command(),
        "--no-shipped",
        "--data",
        str(path),
        "timeline",
        "--year",
        "2018",
        "--format",
        "json",
    ]
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _PEAK, *command], capture_output=True, text=True, check=True
        )
        seconds, peak = out.stdout.split()
        results.append((float(seconds), float(peak)))
    return statistics.median(s for s, _ in results), max(p for _, p in results), path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=21, help="runs of each start-up command (default 21)"
    )
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 if start-up is over {TARGET}x the bare import"
    )
    args = parser.parse_args()

    bare, ours = startup(args.runs)
    ratio = ours / bare
    print(
        f"Python {sys.version.split()[0]} on {os.uname().sysname} {os.uname().machine}, {os.cpu_count()} cores; median of {args.runs} interleaved runs\n"
    )
    print("| measurement | median wall time | peak memory |")
    print("| --- | --- | --- |")
    print(f'| `python -c "import typer, rich.table, yaml"` | {bare * 1000:.0f} ms | |')
    print(
        f"| `cnblock timeline --company BYD` | {ours * 1000:.0f} ms ({ratio:.2f}x the bare import; target {TARGET}x) | |"
    )
    with tempfile.TemporaryDirectory() as folder:
        for events in (1_000, 10_000):
            seconds, peak, size = scale(events, Path(folder), runs=5)
            print(
                f"| `timeline --year 2018 --format json`, {events:,} events ({size / 1e6:.1f} MB) | {seconds * 1000:.0f} ms | {peak / 2**20:.0f} MiB |"
            )
    if args.check and ratio > TARGET:
        print(
            f"\nstart-up is {ratio:.2f}x the bare import, over the target of {TARGET}x",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
