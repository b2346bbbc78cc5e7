"""The README's examples are real: every `$ cnblock ...` line in a ```console block is run
and must print exactly what the README shows under it.

After changing the output on purpose, rewrite the README's examples with:

    python tests/test_readme.py --update
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_BLOCK = re.compile(r"```console\n(.*?)```", re.S)
_SESSION = re.compile(r"```console session\n(.*?)```", re.S)
"""A walk-through: its commands run in order in one scratch folder, each seeing what the
ones before it wrote (the others each run in a fresh folder)."""


def examples(text: str) -> list[tuple[str, str]]:
    """(command, expected output) for every `$ ` line in the console blocks, in order."""
    found = []
    for block in _BLOCK.findall(text):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output))
    return found


# The files the examples name, copied into a scratch folder: an example that writes (or, by
# mistake, overwrites) a file must never touch the repository.
_FIXTURES = ["data/events.yaml", "tests/data/invalid/unknown-entity.yaml"]
_SESSION_FILES = {"note.txt": "tests/data/example-note.txt"}
"""Files a walk-through starts with, by the name it uses."""


def run(command: str, folder: str | None = None) -> str:
    """What the command prints, standard output and error together, in a clean environment,
    80 columns wide, as a terminal often is, in a scratch folder holding copies of the files the examples name."""
    from cnblock.cli import app

    words = shlex.split(command)
    assert words[0] == "cnblock", command
    env = {"COLUMNS": "80", "NO_COLOR": "1", "CNBLOCK_SEEDS": None, "CNBLOCK_DATA": None}
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        for name in _FIXTURES:
            (Path(scratch) / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, Path(scratch) / name)
        os.chdir(folder or scratch)
        try:
            result = CliRunner().invoke(app, words[1:], env=env, prog_name="cnblock")
        finally:
            os.chdir(here)
    return "\n".join(line.rstrip() for line in result.output.splitlines()) + "\n"


def run_session(commands: list[str]) -> list[str]:
    """What each command of a walk-through prints, run in order in one scratch folder."""
    with tempfile.TemporaryDirectory() as folder:
        for name, source in _SESSION_FILES.items():
            shutil.copyfile(ROOT / source, Path(folder) / name)
        return [run(command, folder) for command in commands]


def sessions(text: str) -> list[list[tuple[str, str]]]:
    return [examples(f"```console\n{block}```") for block in _SESSION.findall(text)]


@pytest.mark.parametrize(
    ("command", "expected"),
    examples(README.read_text("utf-8")),
    ids=lambda v: v if v.startswith("cnblock") else "",
)
def test_readme_example(command, expected):
    assert run(command) == expected


@pytest.mark.parametrize("session", sessions(README.read_text("utf-8")))
def test_readme_walk_through(session):
    commands = [c for c, _ in session]
    assert run_session(commands) == [expected for _, expected in session]


def update() -> None:
    text = README.read_text("utf-8")

    def fill_session(match: re.Match) -> str:
        commands = [c for c, _ in examples(f"```console\n{match.group(1)}```")]
        outputs = run_session(commands)
        return (
            "```console session\n"
            + "".join(f"$ {c}\n{o}" for c, o in zip(commands, outputs, strict=True))
            + "```"
        )

    text = _SESSION.sub(fill_session, text)

    def fill(match: re.Match) -> str:
        commands = [c for c, _ in examples(match.group(0))]
        return "```console\n" + "".join(f"$ {c}\n{run(c)}" for c in commands) + "```"

    README.write_text(_BLOCK.sub(fill, text), "utf-8")


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    update()
