"""Measure cnblock's start-up and its speed on large logs, against the targets of issue 13.

Run it with the Python of the environment where cnblock is installed:

    python bench/bench.py              # print the figures as Markdown tables
    python bench/bench.py --check      # also exit 1 when a target is missed by more than the noise
    python bench/bench.py --sizes 10000 --runs 9 --large-runs 2   # a quicker look

Everything is measured in one interleaved run: each round runs every command once, in an order
that rotates from round to round, so that a busy machine (this one has 2 cores shared with other
work) slows every command alike. Start-up is reported as the ratio of each command's wall time to
the floor, `python -c "import typer, rich.table, yaml"`, measured in the same round; the spread
is the interquartile range of those ratios across rounds. The CPU time ratio (user + system
time of the medians) is less sensitive to other work on the machine than wall time. For the generated logs each command is
run first with an empty cache folder (the first run) and then again (the repeated run), and its
peak memory is the child's own maximum resident set (os.wait4), not the whole process tree's.

The environment of every run is clean: its own XDG_CACHE_HOME, no CNBLOCK_DATA, CNBLOCK_SEEDS or
CNBLOCK_CACHE, no PYTHONDONTWRITEBYTECODE (bytecode is written and used, as in an
installed cnblock), a scratch working folder (no ./cnblock.yaml), output to /dev/null.

Standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

FLOOR = [sys.executable, "-c", "import typer, rich.table, yaml"]
SHOW_ID = "byd-first-developer-conference"

STARTUP = {
    "--version": ["--version"],
    "--help": ["--help"],
    "timeline --company BYD": ["timeline", "--company", "BYD"],
    "years": ["years"],
    f"show {SHOW_ID}": ["show", SHOW_ID],
    "companies": ["companies"],
    "export": ["export"],
    "timeline --format json": ["timeline", "--format", "json"],
}
"""The start-up commands, run on the shipped log, by the label the table shows."""

LARGE = {
    "timeline --company BYD": ["timeline", "--company", "BYD"],
    "timeline --company BYD --format json": ["timeline", "--company", "BYD", "--format", "json"],
    "years": ["years"],
    "export": ["export"],
    "validate": ["validate"],
}
"""The commands run on each generated log (`--no-shipped --data LOG` is put in front)."""

NO_CACHE = {"validate"}  # never uses the cache: only its first run is measured

MIB = 2**20


class Target(NamedTuple):
    what: str
    limit: float
    unit: str  # "x" (ratio to the floor), "s" or "MiB"


def startup_target(label: str) -> Target:
    if label == "--version":
        return Target(label, 0.5, "x")
    if label == "timeline --company BYD":
        return Target(label, 1.0, "x")
    return Target(label, 1.2, "x")


def large_targets(events: int, label: str, repeated: bool) -> list[Target]:
    """The issue's targets for one command on a generated log (none for other sizes)."""
    if events == 10_000 and repeated and label != "validate":
        return [Target("10k repeated", 0.25, "s"), Target("10k repeated", 60, "MiB")]
    if events == 100_000:
        if label == "validate":
            return [Target("100k validate", 5.0, "s"), Target("100k validate", 400, "MiB")]
        if not repeated:
            return [Target("100k first run", 5.0, "s"), Target("100k first run", 400, "MiB")]
        if label == "timeline --company BYD --format json":
            return [
                Target("100k repeated json", 0.4, "s"),
                Target("100k repeated json", 150, "MiB"),
            ]
    return []


def cnblock_command() -> list[str]:
    """The console script beside this Python, as a user runs it."""
    script = Path(sys.executable).with_name("cnblock")
    if script.exists():
        return [str(script)]
    found = shutil.which("cnblock")
    if not found:
        sys.exit("bench: no cnblock command beside this Python; install cnblock first")
    return [found]


class Run(NamedTuple):
    seconds: float  # wall time
    cpu: float  # user + system time of the child
    peak: int  # the child's maximum resident set, bytes
    status: int  # exit status


def measure(command: Sequence[str], env: dict[str, str], cwd: str) -> Run:
    """Run `command` once with output discarded; its wall time, CPU time, peak memory, status."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale, child.returncode)


def clean_env(cache: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "CNBLOCK_DATA",
            "CNBLOCK_SEEDS",
            "CNBLOCK_CACHE",
            "PAGER",
            "CNBLOCK_PAGER",
            # as installed, with bytecode: without it every run compiles cnblock's modules
            "PYTHONDONTWRITEBYTECODE",
        )
    }
    env["XDG_CACHE_HOME"] = str(cache)
    env["COLUMNS"] = "100"
    return env


def generated_log(events: int, folder: Path) -> Path:
    """A generated log of `events` events in `folder`, written by a child process: the bench's
    own memory must stay small, since a child's peak memory counts what it forked from."""
    path = folder / f"events-{events}.yaml"
    subprocess.run([sys.executable, __file__, "--generate", str(events), str(path)], check=True)
    return path


def generate(events: int, path: Path, seed: int = 2018) -> None:
    """A valid log: the shipped sources, entities and technologies, and `events` made-up events
    of the shipped events' shape."""
    from cnblock import loader  # the installed cnblock, whose shipped log this reuses

    shipped = loader.default_data_file().read_text("utf-8")
    head = shipped.split("\nevents:\n")[0]
    log = loader.load([str(loader.default_data_file())])
    entities, technologies = sorted(log.entities), sorted(log.technologies)
    sources = sorted(log.sources.values())
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
        # every source cited by some events of every entity, as validate asks of printed names
        source = rng.choice(sources)
        lines += [
            f"  - id: generated-{number}",
            f'    date: "{date}"',
            f"    title: Generated event number {number} for the benchmark",
            "    summary: >-",
            "      A made-up event with a summary of a realistic length, long enough to wrap in",
            "      the table and to cost what a real summary costs to read and to write out.",
            f"    entities: [{who}]",
            f"    technologies: [{tech}]",
            f"    sources: [{{source: {source.id}, line: {rng.randint(1, source.lines or 50)}}}]",
        ]
    path.write_text("\n".join(lines) + "\n", "utf-8")


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile); all three the value itself for one value."""
    if len(values) < 2:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.machine()},"
        f" Python {platform.python_version()}; load average at the start {load}"
    )


class Check:
    """Targets met or missed; a miss counts only beyond the measured noise."""

    def __init__(self) -> None:
        self.missed: list[str] = []

    def judge(self, target: Target, median: float, noise: float) -> str:
        if median <= target.limit:
            return "met"
        if median - noise <= target.limit:
            return "within noise"
        self.missed.append(
            f"{target.what}: {median:.2f}{target.unit} > {target.limit}{target.unit}"
        )
        return "**missed**"


def run_startup(runs: int, cache: Path, scratch: str, check: Check) -> list[str]:
    cnblock = cnblock_command()
    env = clean_env(cache)
    commands = {"floor": FLOOR} | {k: [*cnblock, *v] for k, v in STARTUP.items()}
    for command in commands.values():  # warm the file cache, the bytecode and cnblock's cache
        measure(command, env, scratch)
    times: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    failed: set[str] = set()
    ratios: dict[str, list[float]] = {k: [] for k in STARTUP}
    names = list(commands)
    for round_ in range(runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            done = measure(commands[name], env, scratch)
            times[name].append(done.seconds)
            cpu[name].append(done.cpu)
            if done.status != 0:
                failed.add(name)
        for name in STARTUP:
            ratios[name].append(times[name][-1] / times["floor"][-1])
    floor = statistics.median(times["floor"])
    floor_cpu = statistics.median(cpu["floor"])
    rows = [
        "| command | median wall time | ratio to the floor (IQR) | CPU time ratio | target | |",
        "| --- | --- | --- | --- | --- | --- |",
        (
            f'| floor: `python -c "import typer, rich.table, yaml"` | {floor * 1000:.0f} ms'
            f" | 1 | 1 ({floor_cpu * 1000:.0f} ms) | | |"
        ),
    ]
    for name in STARTUP:
        low, mid, high = quartiles(ratios[name])
        target = startup_target(name)
        verdict = check.judge(target, mid, (high - low) / 2)
        if name in failed:
            check.missed.append(f"{name}: a run failed")
            verdict = "**failed**"
        rows.append(
            f"| `cnblock {name}` | {statistics.median(times[name]) * 1000:.0f} ms"
            f" | {mid:.2f}x ({low:.2f}-{high:.2f})"
            f" | {statistics.median(cpu[name]) / floor_cpu:.2f}x | <= {target.limit}x | {verdict} |"
        )
    return rows


def run_large(
    sizes: Sequence[int], runs: int, cache: Path, scratch: str, folder: Path, *, check: Check
) -> list[str]:
    if not sizes:
        return []
    cnblock = cnblock_command()
    env = clean_env(cache)
    logs = {n: generated_log(n, folder) for n in sizes}
    jobs = [(n, label) for n in sizes for label in LARGE]
    results: dict[tuple[int, str, bool], list[Run]] = {}
    for round_ in range(runs):
        shift = round_ % len(jobs)
        for events, label in jobs[shift:] + jobs[:shift]:
            args = LARGE[label]
            if label == "validate":
                command = [*cnblock, "--no-shipped", "validate", str(logs[events])]
            else:
                command = [*cnblock, "--no-shipped", "--data", str(logs[events]), *args]
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir()
            results.setdefault((events, label, False), []).append(measure(command, env, scratch))
            if label not in NO_CACHE:
                results.setdefault((events, label, True), []).append(measure(command, env, scratch))
    rows = [
        "| log | command | run | median wall time (IQR) | CPU | peak memory | target | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for events in sizes:
        size = logs[events].stat().st_size / 1e6
        for label in LARGE:
            for repeated in (False, True):
                found = results.get((events, label, repeated))
                if not found:
                    continue
                failed = [r.status for r in found if r.status != 0]
                low, mid, high = quartiles([r.seconds for r in found])
                cpu = statistics.median(r.cpu for r in found)
                peak = statistics.median(r.peak for r in found) / MIB
                targets = large_targets(events, label, repeated)
                verdicts = []
                for target in targets:
                    if failed:
                        check.missed.append(f"{target.what}: exit status {failed[0]}")
                        verdicts.append("**failed**")
                    elif target.unit == "s":
                        verdicts.append(check.judge(target, mid, (high - low) / 2))
                    else:
                        verdicts.append(check.judge(target, peak, 1.0))
                shown_target = ", ".join(f"<= {t.limit} {t.unit}" for t in targets)
                shown = (
                    f"exit {failed[0]} after {mid:.2f} s"
                    if failed
                    else f"{mid:.2f} s ({low:.2f}-{high:.2f})"
                )
                rows.append(
                    f"| {events:,} events ({size:.1f} MB) | `{label}`"
                    f" | {'repeated' if repeated else 'first'} | {shown} | {cpu:.2f} s"
                    f" | {peak:.0f} MiB | {shown_target} | {', '.join(dict.fromkeys(verdicts))} |"
                )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="start-up rounds (default 21)")
    parser.add_argument(
        "--large-runs", type=int, default=3, help="rounds on the generated logs (default 3)"
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000],
        help="events in each generated log (default 10000 100000; none: start-up only)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a target is missed by more than the measured noise",
    )
    parser.add_argument("--generate", nargs=2, metavar=("EVENTS", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(int(args.generate[0]), Path(args.generate[1]))
        return 0
    check = Check()
    started = datetime.datetime.now(datetime.timezone.utc)
    print(f"{machine()}.")
    with tempfile.TemporaryDirectory(prefix="cnblock-bench-") as scratch:
        cache = Path(scratch) / "cache"
        work = Path(scratch) / "work"
        work.mkdir()
        startup = run_startup(args.runs, cache, str(work), check)
        large = run_large(args.sizes, args.large_runs, cache, str(work), Path(scratch), check=check)
    minutes = (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds() / 60
    print(
        f"{started:%Y-%m-%d %H:%M} UTC, {minutes:.1f} minutes; start-up: {args.runs} interleaved"
        f" rounds; generated logs: {args.large_runs} rounds, each a first run (empty cache"
        " folder) and a repeated run\n"
    )
    print("\n".join(startup))
    if args.sizes:
        print()
        print("\n".join(large))
    if args.check and check.missed:
        print("\ntargets missed by more than the noise:", file=sys.stderr)
        for miss in check.missed:
            print(f"  {miss}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
