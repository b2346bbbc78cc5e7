"""The one error type of cnblock, its few subclasses, and validation problems as values."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping
from operator import attrgetter
from typing import NamedTuple


class Location(NamedTuple):
    """A place in a text file: 1-based line and column. (A tuple: the YAML reader makes
    thousands, and a frozen dataclass is several times slower to create.)"""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


_COL_BITS = 32
_COL_MASK = (1 << _COL_BITS) - 1


def pack(line: int, col: int) -> int:
    """A position as one int, as `Where` keeps it."""
    return line << _COL_BITS | col


class Where(Mapping[str, Location]):
    """Where each value of one record stands: a mapping of its keys to Locations, kept packed.
    The keys' index is shared by every record of the same shape and the positions are one
    array of ints, so that the positions of a large log cost a few bytes each; a Location is
    made only when one is asked for (a listing never asks).

    `runs`: the items of a long list, by the list's key: the positions of `KEY.0`, `KEY.1`, ...
    as one array (the reader's own), not one key each, so that a list of a million names costs
    8 bytes a name here. They read as if they were keys: iteration yields each right after
    KEY, in order."""

    __slots__ = ("_at", "_index", "_path", "_runs")

    def __init__(
        self,
        path: str,
        index: Mapping[str, int],
        at: array[int],
        runs: Mapping[str, array[int]] | None = None,
    ):
        self._path, self._index, self._at, self._runs = path, index, at, runs

    def __getitem__(self, key: str) -> Location:
        i = self._index.get(key)
        at = self._at[i] if i is not None else self._in_run(key)
        return Location(self._path, at >> _COL_BITS, at & _COL_MASK)

    def _in_run(self, key: object) -> int:
        """The packed position of the run item `key` (`KEY.N`); KeyError if there is none."""
        if not self._runs or not isinstance(key, str):
            raise KeyError(key)
        head, _, number = key.rpartition(".")
        run = self._runs.get(head)
        if run is None or not (number.isascii() and number.isdigit() and len(number) <= 18):
            raise KeyError(key)
        at = int(number)
        if at >= len(run) or str(at) != number:  # 'KEY.01' was never a key
            raise KeyError(key)
        return run[at]

    def __contains__(self, key: object) -> bool:
        if key in self._index:
            return True
        try:
            self._in_run(key)
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        runs = self._runs
        if not runs:
            return iter(self._index)
        return (
            name
            for key in self._index
            for name in (
                (key, *(f"{key}.{n}" for n in range(len(runs[key])))) if key in runs else (key,)
            )
        )

    def __len__(self) -> int:
        runs = self._runs
        return len(self._index) + (sum(map(len, runs.values())) if runs else 0)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Where) and (
            self._path == other._path
            and list(self._index.items()) == list(other._index.items())
            and self._at == other._at
            and dict(self._runs or {}) == dict(other._runs or {})
        ):
            return True  # the same layout: compared without a Location made
        return Mapping.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]  # a mapping: unhashable, like a dict

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    @property
    def path(self) -> str:
        """The file every position of the record is in."""
        return self._path

    @property
    def runs(self) -> Mapping[str, array[int]]:
        """The long lists' item positions by the list's key (see the class); often empty."""
        return self._runs or {}

    def rows(self) -> list[tuple[str, int, int]]:
        """Each key but the runs' items with its line and column, in order, without making a
        Location (the runs' items: `runs`)."""
        at = self._at
        return [(key, at[i] >> _COL_BITS, at[i] & _COL_MASK) for key, i in self._index.items()]


packed_of: Callable[
    [Where], tuple[str, Mapping[str, int], array[int], Mapping[str, array[int]] | None]
] = attrgetter("_path", "_index", "_at", "_runs")
"""A Where's path and packed form, as made: each key's place in the array of positions, that
array (line << 32 | col), and the runs (see the class; None when there are none). At a C call's
cost: for a store that keeps a large log's positions as they are (cache._Packer)."""


class Problem(NamedTuple):
    """One thing wrong with a data file, at the value it is about. (`render.problem_report`
    is the one place that formats it.)"""

    location: Location
    message: str


ProblemSink = Callable[[Problem], None]
"""Takes each problem as the loader finds it (`cnblock validate` prints it there and then)."""

MAX_PROBLEMS = 1000
"""Problems shown in a report, and kept by a load that has no sink; the rest are counted
("and N more"), the total stays exact."""


class Problems:
    """The problems of a load as they are found, in bounded memory: each goes to `sink` when
    there is one; without one, the MAX_PROBLEMS first by position are kept. Either way
    `count` is exact."""

    def __init__(self, sink: ProblemSink | None = None):
        self.sink, self.count = sink, 0
        self._kept: list[Problem] = []

    def __call__(self, problem: Problem) -> None:
        self.count += 1
        if self.sink is not None:
            self.sink(problem)
            return
        self._kept.append(problem)
        if len(self._kept) >= 2 * MAX_PROBLEMS:  # amortised: n log MAX_PROBLEMS in all
            self._kept.sort()
            del self._kept[MAX_PROBLEMS:]

    def kept(self) -> list[Problem]:
        """The first MAX_PROBLEMS problems by position (none when a sink took them)."""
        self._kept.sort()
        del self._kept[MAX_PROBLEMS:]
        return self._kept


class CnblockError(Exception):
    """Base of every error cnblock reports to the user; exit status 1."""

    exit_code = 1


class DataError(CnblockError):
    """The data files have problems; carries them sorted by position, and how many there are
    in all (`count`: more than `problems` holds when a load kept only the first or handed
    them to a sink)."""

    def __init__(self, problems: list[Problem], count: int | None = None):
        self.problems = sorted(problems)
        self.count = max(count or 0, len(self.problems))
        plural = "s" if self.count != 1 else ""
        super().__init__(f"{self.count:,} problem{plural} in the data")


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
