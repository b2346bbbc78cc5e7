"""Shell completion as a user meets it: a real interactive bash, zsh and fish under a
pseudo-terminal, keys typed, Tab pressed, and the words the shell then runs checked. A shell that
is not installed is skipped, saying so, unless CNBLOCK_SHELL_TESTS=required (as .ci/run sets it,
having installed zsh and fish): then its absence fails.

After Tab, the test moves to the start of the line and types `printf '<%s>\\n' `, so the
shell prints each word of the completed command line between <>: a name inserted unquoted
would show as two words."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from cnblock.commands import completion

ROOT = Path(__file__).resolve().parent.parent

MINE = """\
schema: 1
sources:
  - {id: my-notes, publisher: My Notes, published: "2021", language: en}
entities:
  - {id: zeta, kind: company, name: Zeta Widget Corp, names: {zh: 泽塔}}
events:
  - id: zeta-founded
    date: "2021"
    title: Zeta Widget Corp is founded
    summary: A company of my own, to test completion.
    entities: [zeta]
    sources: [{source: my-notes, line: 1}]
"""


def require(shell: str) -> None:
    """Skip where `shell` is missing, saying so; fail there when CI requires every shell."""
    if shutil.which(shell) is None:
        if os.environ.get("CNBLOCK_SHELL_TESTS") == "required":
            pytest.fail(f"CNBLOCK_SHELL_TESTS=required, but {shell} is not installed")
        pytest.skip(f"{shell} is not installed")


class Terminal:
    """A program on a pseudo-terminal: keys in, screen text out."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path):
        pid, self.fd = pty.fork()
        if pid == 0:  # the child: become the shell
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        # wide enough that no typed line wraps (a wrapped line is redrawn in pieces)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 400, 0, 0))
        self.pid = pid
        self.seen = ""

    def read(self, until: str, timeout: float = 30) -> str:
        """What the program printed until `until` appears (or the time runs out)."""
        end = time.monotonic() + timeout
        while until not in self.seen and time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        return self.seen

    def settle(self, quiet: float = 1.0, timeout: float = 30) -> None:
        """Read until nothing new comes for `quiet` seconds (completion has finished)."""
        end = time.monotonic() + timeout
        last = time.monotonic()
        while time.monotonic() < end and time.monotonic() - last < quiet:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:
                    return
                last = time.monotonic()

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode("utf-8"))

    def close(self) -> None:
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a `cnblock` command on PATH that runs this checkout, a data file of the
    user's own, and a file whose name a file-name fallback would offer."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "cnblock"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cnblock "$@"\n', "utf-8")
    launcher.chmod(0o755)
    (tmp_path / "mine.yaml").write_text(MINE, "utf-8")
    (tmp_path / "byd-notes.txt").write_text("not an event id\n", "utf-8")
    return tmp_path


def environment(folder: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": f"{folder / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(folder),
        "TERM": "xterm",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        "CNBLOCK_PAGER": "",
    }
    env.update(extra)
    return env


def completed(term: Terminal, typed: str, marker: str) -> list[str]:
    """Type `typed`, press Tab, and return the words the shell then runs."""
    term.type(typed + "\t")
    term.settle()
    term.type(f"\x01echo ST''ART{marker}; printf '<%s>\\n' \x05; echo E''ND{marker}\r")
    out = term.read(f"END{marker}\r\n")
    start = out.rfind(f"START{marker}\r\n")
    end = out.rfind(f"END{marker}\r\n")
    return [
        line[1:-1]
        for line in out[start:end].splitlines()
        if line.startswith("<") and line.endswith(">")
    ]


CASES = [
    # (what is typed, the words of the completed line after the command)
    ("cnblock timeline --company Penta", ["timeline", "--company", "Penta Security"]),
    ("cnblock timeline --company People", ["timeline", "--company", "People's Bank of China"]),
    ('cnblock timeline --company "Meituan D', ["timeline", "--company", "Meituan Dianping"]),
    ("cnblock timeline --company meituan\\ d", ["timeline", "--company", "Meituan Dianping"]),
    ("cnblock timeline --company 비야", ["timeline", "--company", "비야디"]),
    ("cnblock timeline --company 比亚", ["timeline", "--company", "比亚迪"]),
    ("cnblock timeline --person 王传", ["timeline", "--person", "王传福"]),
    ("cnblock timeline --tech dig", ["timeline", "--tech", "Digital yuan"]),
    ("cnblock timeline --company penta-s", ["timeline", "--company", "penta-security"]),
    ("cnblock show byd-foun", ["show", "byd-founded-as-battery-maker"]),
    ("cnblock show byd-notes", ["show", "byd-notes"]),  # no file names for an id
    ("cnblock timeline --source coin", ["timeline", "--source", "coindesk-korea-2020"]),
    ("cnblock timeline --kind specu", ["timeline", "--kind", "speculation"]),
    ("cnblock companies --kind univ", ["companies", "--kind", "university"]),
    ("cnblock years --by comp", ["years", "--by", "company"]),
    ("cnblock timeline --format cs", ["timeline", "--format", "csv"]),
    (
        "cnblock --data mine.yaml timeline --company Zeta",
        ["--data", "mine.yaml", "timeline", "--company", "Zeta Widget Corp"],
    ),
    (
        "cnblock --data mine.yaml timeline --company 泽",
        ["--data", "mine.yaml", "timeline", "--company", "泽塔"],
    ),
    ("cnblock timeline --company Zeta", ["timeline", "--company", "Zeta"]),  # not without --data
    ("cnblock validate mine.ya", ["validate", "mine.yaml"]),  # file names where a file goes
]


def assert_completes(term: Terminal, skip: str | None = None) -> None:
    """Every case of CASES (but those holding `skip`) completes to its words in `term`."""
    term.read("$ ")
    failures = []
    for n, (typed, expected) in enumerate(CASES):
        if skip is not None and skip in typed:
            continue
        words = completed(term, typed, str(n))
        if words[1:] != expected:
            failures.append(f"{typed!r}: ran {words[1:]}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_completion_in_an_interactive_bash(folder):
    require("bash")
    rc = folder / "bashrc"
    rc.write_text(
        "PS1='$ '\nbind 'set bell-style none'\neval \"$(_CNBLOCK_COMPLETE=source_bash cnblock)\"\n",
        "utf-8",
    )
    term = Terminal(["bash", "--rcfile", str(rc), "-i"], environment(folder), folder)
    try:
        assert_completes(term)
    finally:
        term.close()


def test_bash_completion_reads_cnblock_data(folder):
    require("bash")
    rc = folder / "bashrc"
    rc.write_text('PS1="$ "\neval "$(_CNBLOCK_COMPLETE=source_bash cnblock)"\n', "utf-8")
    env = environment(folder, CNBLOCK_DATA=str(folder / "mine.yaml"))
    term = Terminal(["bash", "--rcfile", str(rc), "-i"], env, folder)
    try:
        term.read("$ ")
        words = completed(term, "cnblock timeline --company Zeta", "z")
        assert words[1:] == ["timeline", "--company", "Zeta Widget Corp"], term.seen[-2000:]
    finally:
        term.close()


def test_completion_in_an_interactive_zsh(folder):
    require("zsh")
    (folder / ".zshrc").write_text(
        "PS1='$ '\nbindkey -e\nunsetopt beep\nautoload -Uz compinit && compinit -u\n"
        'eval "$(_CNBLOCK_COMPLETE=source_zsh cnblock)"\n',
        "utf-8",
    )
    env = environment(folder, ZDOTDIR=str(folder))
    term = Terminal(["zsh", "-i"], env, folder)
    try:
        # a backslash-escaped prefix is bash's habit, not zsh's
        assert_completes(term, skip="meituan\\ d")
    finally:
        term.close()


def test_completion_in_an_interactive_fish(folder):
    require("fish")
    config = folder / ".config" / "fish"
    config.mkdir(parents=True)
    (config / "config.fish").write_text(
        "set -g fish_greeting ''\n"
        "function fish_prompt; echo -n '$ '; end\n"
        "function fish_right_prompt; end\n"
        "set -g fish_autosuggestion_enabled 0\n"
        "_CNBLOCK_COMPLETE=source_fish cnblock | source\n",
        "utf-8",
    )
    env = environment(folder, XDG_CONFIG_HOME=str(folder / ".config"))
    term = Terminal(["fish", "-i"], env, folder)
    try:
        assert_completes(term)
    finally:
        term.close()


@pytest.mark.parametrize(
    ("line", "words", "incomplete"),
    [
        ("cnblock timeline --company Meit", ["cnblock", "timeline", "--company"], "Meit"),
        ("cnblock timeline --company ", ["cnblock", "timeline", "--company"], ""),
        ("cnblock -c 'Meituan D", ["cnblock", "-c"], "Meituan D"),
        ("cnblock -c \"People's B", ["cnblock", "-c"], "People's B"),
        ("cnblock -c People\\'s\\ B", ["cnblock", "-c"], "People's B"),
        ('cnblock -g "a \\"b\\" c" x', ["cnblock", "-g", 'a "b" c'], "x"),
        ("cnblock -c 비", ["cnblock", "-c"], "비"),
    ],
)
def test_the_bash_line_is_split_as_bash_splits_it(line, words, incomplete):
    assert completion.split_line(line) == (words, incomplete)


def test_zsh_and_fish_get_descriptions_and_bash_plain_values(monkeypatch):
    from typer.main import get_command

    from cnblock.cli import app

    monkeypatch.delenv("CNBLOCK_DATA", raising=False)
    completion.register()
    command = get_command(app)
    monkeypatch.setenv(completion.WORDS_ENV, "show")
    monkeypatch.setenv(completion.INCOMPLETE_ENV, "byd-founded")
    for shell in (completion.ZshComplete, completion.FishComplete):
        out = shell(command, {}, "cnblock", "_CNBLOCK_COMPLETE").complete()
        assert out == (
            "plain\nbyd-founded-as-battery-maker\t"
            "Wang Chuanfu founds the battery maker from which BYD grew"
        )
    monkeypatch.setenv(completion.LINE_ENV, "cnblock show byd-founded")
    out = completion.BashComplete(command, {}, "cnblock", "_CNBLOCK_COMPLETE").complete()
    assert out == "plain\nbyd-founded-as-battery-maker"
    monkeypatch.setenv(completion.LINE_ENV, "cnblock --no-shipped show ")
    out = completion.BashComplete(command, {}, "cnblock", "_CNBLOCK_COMPLETE").complete()
    assert out == "plain"  # nothing to load: nothing offered, no traceback
