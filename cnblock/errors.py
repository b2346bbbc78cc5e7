"""The one error type of cnblock, its few subclasses, and validation problems as values."""

from __future__ import annotations

from typing import NamedTuple


class Location(NamedTuple):
    """A place in a text file: 1-based line and column. (A tuple: the YAML reader makes
    thousands, and a frozen dataclass is several times slower to create.)"""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Problem(NamedTuple):
    """One thing wrong with a data file, at the value it is about. (`render.problem_report`
    is the one place that formats it.)"""

    location: Location
    message: str


class CnblockError(Exception):
    """Base of every error cnblock reports to the user; exit status 1."""

    exit_code = 1


class DataError(CnblockError):
    """The data files have problems; carries all of them, sorted by position."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data")


class UsageError(CnblockError):
    """The command line asks for something that does not exist; exit status 2."""

    exit_code = 2


class OutputError(CnblockError):
    """An export could not be written where the user asked."""


class DraftError(DataError):
    """A file's new text, checked before it was written, has problems: nothing was written.
    `drafts` holds the new texts by path, to show the problems in their lines."""

    def __init__(self, problems: list[Problem], drafts: dict[str, str]):
        super().__init__(problems)
        self.drafts = drafts
        self.args = (f"{self.args[0]}; nothing was written",)


class Terminated(BaseException):
    """A signal asked the program to stop (SIGTERM, SIGHUP) while it wrote a file: raised in
    the signal handler so that the cleanup runs, as for Ctrl-C. Not an error to report."""

    def __init__(self, signal: int):
        super().__init__(signal)
        self.signal = signal
