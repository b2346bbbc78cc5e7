"""Bounded time and memory on hostile sizes (issue 8, class 6), and plain answers to a bad
environment (class 7). Scaling is asserted as a ratio between two sizes, never a wall time."""

from __future__ import annotations

import contextlib
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from cnblock import loader, render, suggest, yamlnodes
from cnblock.errors import MAX_PROBLEMS, DataError, Location, Problem

VALID = Path(__file__).parent / "data" / "valid.yaml"


def _seconds(function, *args) -> float:
    """The best of three runs in this process's CPU time: other work on a shared machine (CI
    runs three test suites at once) delays the wall clock, not this."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        function(*args)
        best = min(best, time.process_time() - started)
    return best


def _peak(function, *args) -> int:
    """The most memory Python held while `function` ran (tracemalloc: the interpreter's own
    allocations, libyaml's buffers not counted)."""
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_long_list_is_checked_for_duplicates_in_linear_time():
    """Regression: 100k aliases took 86 s (a list scanned for every entry)."""
    read = loader._list_of(loader._line)

    def check(n: int) -> None:
        root, _ = yamlnodes.parse("[" + ", ".join(f"a{i}" for i in range(n)) + "]", "f")
        read(root, "'aliases'")

    small, large = _seconds(check, 5_000), _seconds(check, 40_000)
    assert large / small < 8 * 4, (small, large)  # 8x the size: quadratic would be ~64x


DEEP = "[" * 30 + "x" + "]" * 30  # 30 lists deep, in an item of a list: 31 levels
SHALLOW = "[" * 27 + "x" + "]" * 27  # in an event's field: 31 levels too
NESTED = {
    "the top level": ("", "- {deep}\n", "the top level must be a mapping"),
    "each event": ("schema: 2\nevents:\n", "  - {deep}\n", "each event must be a mapping"),
    "an unknown key": ("schema: 2\nevents: []\nextra:\n", "  - {deep}\n", "unknown top-level"),
    "a field": (
        "schema: 2\nevents:\n",
        "  - {{id: e{n}, title: T, summary: S, entities: [{shallow}], sources: []}}\n",
        "each entry of 'entities' must be a single value, not a list",
    ),
}


@pytest.mark.parametrize("where", NESTED)
def test_deeply_nested_lists_take_linear_time_and_bounded_memory(tmp_path, where):
    """Regression (issue 8, class 6): 32 MiB of 31-deep nested lists took 3.9 GB and 72 s of
    CPU. The loader keeps only the shape it reads; a list where a value or a record belongs
    is named in a problem, its contents let go as they are read."""
    head, line, message = NESTED[where]
    paths = []
    for count in (500, 4_000):
        path = tmp_path / f"nested-{count}.yaml"
        path.write_text(
            head + "".join(line.format(deep=DEEP, shallow=SHALLOW, n=n) for n in range(count))
        )
        paths.append(str(path))

    def load(path: str) -> None:
        with pytest.raises(DataError) as caught:
            loader.load([path])
        assert any(message in p.message for p in caught.value.problems)

    small, large = _seconds(load, paths[0]), _seconds(load, paths[1])
    assert large / small < 8 * 4, (small, large)  # 8x the size: quadratic would be ~64x
    peak = _peak(load, paths[1])
    size = os.path.getsize(paths[1])
    assert peak < 10 * size, (peak, size)  # the text itself is 1x, libyaml's copy of it 1x


def test_a_hollow_list_or_mapping_keeps_its_position_and_still_reports_duplicate_keys():
    text = "a: [[1, 2], {k: 1, k: 2}]\nb: {c: [3]}\n"
    root, problems = yamlnodes.parse(text, "f", keep=lambda depth, key, is_list: depth < 2)
    kept = root.items["a"][1]
    assert [(type(n).__name__, n.hollow, n.loc[1:]) for n in kept.items] == [
        ("Seq", True, (1, 5)),
        ("Map", True, (1, 13)),
    ]
    assert kept.items[0].items == []
    assert [p.message for p in problems] == ["duplicate key 'k' (first at line 1)"]
    whole, _ = yamlnodes.parse(text, "f")
    assert whole.items["b"][1].items["c"][1].items[0].value == "3"


def test_only_the_first_unknown_references_get_a_suggestion(tmp_path, monkeypatch):
    """Regression: 4,000 unknown references to 4,000 entities took 125 s of "did you mean"."""
    calls = []
    real = suggest.did_you_mean

    def counting(name, candidates):
        calls.append(name)
        return real(name, candidates)

    monkeypatch.setattr(loader, "did_you_mean", counting)
    entities = "".join(f"  - {{id: e{i}, kind: company, name: E{i}}}\n" for i in range(200))
    refs = ", ".join(f"x{i}" for i in range(200))
    path = tmp_path / "log.yaml"
    path.write_text(
        "schema: 1\nsources: [{id: s, publisher: P, published: '2020', language: en}]\n"
        f"entities:\n{entities}events:\n  - {{id: a, date: '2018', title: T, summary: S,"
        f" entities: [{refs}], sources: [{{source: s, line: 1}}]}}\n",
        "utf-8",
    )
    try:
        loader.load([str(path)])
    except loader.DataError as exc:
        unknown = [p for p in exc.problems if p.message.startswith("unknown entity")]
    assert len(unknown) == 200  # every one reported ...
    assert len(calls) == loader.SUGGESTIONS  # ... the first few with a suggestion


def test_a_report_shows_a_thousand_problems_and_counts_the_rest_exactly():
    problems = [Problem(Location("f", n, 1), "bad") for n in range(1, 1501)]
    shown = render.problem_report(problems, lambda path: None).plain
    assert shown.count("error: bad") == 1000
    assert shown.endswith("... and 500 more problems\n")


def test_a_huge_line_is_shown_around_the_problem():
    line = "x" * 50_000 + "!" + "y" * 50_000
    shown = render.problem_report([Problem(Location("f", 1, 50_001), "here")], lambda p: [line])
    gutter, caret = shown.plain.splitlines()[1:3]
    assert len(gutter) < 200
    assert caret.index("^") - caret.index("|") == gutter.index("!") - gutter.index("|")


def test_display_text_is_capped_per_cell_with_an_ellipsis():
    """Regression: one 32 MB title took the table renderer past ten minutes."""
    shown = render.cell("t" * 1_000_000).plain
    assert shown == "t" * render.MAX_CELL + "…"


def test_a_data_setting_of_only_separators_is_an_error(run, monkeypatch):
    monkeypatch.setenv("CNBLOCK_DATA", ":")
    result = run("timeline")
    assert result.exit_code == 2, result.output
    assert result.output == (
        "cnblock: CNBLOCK_DATA=':' names no file: name files separated by ':', or unset it\n"
    )


def _duplicate_keys(path, size: int) -> None:
    """The issue's case in small: a file of `size` bytes that is all duplicate keys."""
    head = "schema: 1\nevents: []\n"
    path.write_text(head + "a: 1\n" * ((size - len(head)) // 5), "utf-8")


def test_a_load_keeps_the_first_problems_by_position_and_counts_them_all(tmp_path):
    """Without a sink a DataError holds only the first MAX_PROBLEMS, and the exact count."""
    path = tmp_path / "dup.yaml"
    _duplicate_keys(path, 21 + 5 * 2500)  # an unknown key 'a' and 2,499 duplicates of it
    try:
        loader.load([str(path)])
    except DataError as exc:
        error = exc
    assert error.count == 2500
    assert [p.location.line for p in error.problems] == list(range(3, 3 + MAX_PROBLEMS))
    assert str(error) == "2,500 problems in the data"


def test_validate_prints_problems_as_it_finds_them_and_counts_past_the_cap(
    tmp_path, monkeypatch, run
):
    """Regression: a 32 MiB file of duplicate keys drove validate to 23.7 GB (every problem
    kept, printed at the end). Now each is printed as the reader finds it."""
    from cnblock.commands import checking

    path = tmp_path / "dup.yaml"
    _duplicate_keys(path, 21 + 5 * 1500)  # 1,499 duplicates, then an unknown key 'a'
    written: list[str] = []
    at_finish: list[int] = []
    monkeypatch.setattr(checking, "write", written.append)
    finish = loader._Builder.finish
    monkeypatch.setattr(
        loader._Builder,
        "finish",
        lambda self, files: at_finish.append(len(written)) or finish(self, files),
    )
    result = run("--no-shipped", "validate", str(path))
    assert result.exit_code == 1
    assert at_finish == [MAX_PROBLEMS]  # all shown before the load ended
    shown = "".join(written)
    assert shown.count("error: duplicate key 'a'") == MAX_PROBLEMS, shown[-300:]
    assert shown.endswith(f"... and 500 more problems\n1500 problems in {path}\n"), shown[-300:]


def test_a_file_of_duplicate_keys_loads_in_linear_time_and_bounded_memory(tmp_path):
    """The issue's 32 MiB case at two sizes: time grows with the size, not faster, and the
    memory of the problems does not grow at all (a sink that counts keeps none)."""
    small, large = tmp_path / "small.yaml", tmp_path / "large.yaml"
    _duplicate_keys(small, 256 * 1024)
    _duplicate_keys(large, 1024 * 1024)

    def load(path) -> None:
        count = [0]
        with contextlib.suppress(DataError):
            loader.load([str(path)], on_problem=lambda p: count.__setitem__(0, count[0] + 1))
        assert count[0] == (path.stat().st_size - 21) // 5  # and the unknown key a

    ratio = _seconds(load, large) / _seconds(load, small)
    assert ratio < 4 * 2, ratio  # 4x the size; the old report's sort alone was n log n
    peak = _peak(load, large)
    assert peak < 10 * large.stat().st_size, peak


@pytest.mark.parametrize(
    ("setting", "note"),
    [
        ("ev.yaml:ev.yaml", "ev.yaml is named twice; it is read once"),
        ("./ev.yaml:{tmp}/ev.yaml", "{tmp}/ev.yaml is ./ev.yaml, named already; it is read once"),
        ("ev.yaml:link.yaml", "link.yaml is ev.yaml, named already; it is read once"),
    ],
)
def test_a_file_named_twice_is_read_once_and_said_so(run, monkeypatch, tmp_path, setting, note):
    """Regression: CNBLOCK_DATA=ev.yaml:ev.yaml reported 123 duplicates pointing at
    themselves; then it was read once, silently. Now one note says so."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ev.yaml").write_text(VALID.read_text("utf-8"), "utf-8")
    (tmp_path / "link.yaml").symlink_to("ev.yaml")
    monkeypatch.setenv("CNBLOCK_DATA", setting.format(tmp=tmp_path))
    result = run("--no-shipped", "validate")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: {note.format(tmp=tmp_path)}\n"
    assert result.stdout.startswith("ok: ")
    assert "1 event," in result.stdout


def test_the_shipped_log_named_again_is_read_once_and_said_so(run):
    shipped = str(loader.default_data_file())
    result = run("--data", shipped, "companies")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: {shipped} is the shipped log, loaded already; it is read once\n"


@pytest.mark.parametrize("command", ["timeline", "validate"])
def test_a_size_cap_that_is_not_a_number_stops_the_command(run, monkeypatch, command):
    monkeypatch.setenv("CNBLOCK_MAX_MIB", "1.5")
    monkeypatch.setenv("CNBLOCK_CACHE", "0")  # a cached log would not read the file at all
    result = run(command)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "cnblock: CNBLOCK_MAX_MIB='1.5' is not a size: give a whole number of MiB (1 or more),"
        " or unset it\n"
    )


def _long_aliases(path, count: int, extra: str = "") -> None:
    """The issue's case in small: one entity with `count` aliases, one a line."""
    names = "".join(f"      - alias-{n:07d}\n" for n in range(count))
    path.write_text(
        "schema: 1\nentities:\n  - id: big\n    kind: company\n    name: Big\n    aliases:\n"
        f"{names}{extra}events: []\n",
        "utf-8",
    )


def test_a_long_list_of_names_loads_in_linear_time_and_bounded_memory(tmp_path):
    """Regression (issue 8, class 6): 1.6M aliases in one list (34 MB) took 733 MB, 21x the
    file: each item was kept as a Scalar, and its position under a key 'aliases.N' of its own.
    Now a list of scalars is kept as its texts and one array of positions, and a record keeps
    that array as a run (errors.Where)."""
    small, large = tmp_path / "small.yaml", tmp_path / "large.yaml"
    _long_aliases(small, 20_000)
    _long_aliases(large, 160_000)

    def load(path) -> None:
        big = loader.load([str(path)]).entities["big"]
        count = len(big.aliases)
        assert big.aliases[-1] == f"alias-{count - 1:07d}"
        assert big.where[f"aliases.{count - 1}"][1:] == (6 + count, 9)

    ratio = _seconds(load, large) / _seconds(load, small)
    assert ratio < 8 * 4, ratio  # 8x the size: quadratic would be ~64x
    peak = _peak(load, large)
    assert peak < 10 * large.stat().st_size, (peak, large.stat().st_size)


def test_an_item_of_a_long_list_is_reported_where_it_stands(tmp_path):
    """A run keeps every item's position: a repeated alias and an unknown entity in long
    lists are shown at the item itself."""
    path = tmp_path / "log.yaml"
    ids = [f"e{n}" for n in range(loader.RUN + 10)]
    entities = "".join(f"    - {{id: {i}, kind: company, name: N{i}}}\n" for i in ids)
    cited = ", ".join([*ids[:70], "nobody", *ids[70:]])
    _long_aliases(
        path,
        loader.RUN + 5,
        extra=f"      - alias-0000003\n  {entities.strip()}\n".replace("\n    - ", "\n  - "),
    )
    text = path.read_text("utf-8").replace(
        "events: []\n",
        "sources: [{id: s, publisher: P, published: '2020', language: en}]\n"
        f"events:\n  - {{id: a, date: '2018', title: T, summary: S, entities: [{cited}],"
        " sources: [{source: s, line: 1}]}\n",
    )
    path.write_text(text, "utf-8")
    with pytest.raises(DataError) as caught:
        loader.load([str(path)])
    lines = text.split("\n")
    found = {p.message: (p.location.line, p.location.col) for p in caught.value.problems}
    repeated = found["'alias-0000003' is listed twice in 'aliases'"]
    assert lines[repeated[0] - 1][repeated[1] - 1 :] == "alias-0000003"
    unknown = next(at for message, at in found.items() if message.startswith("unknown entity"))
    assert lines[unknown[0] - 1][unknown[1] - 1 :].startswith("nobody, e70")


def test_a_run_reads_as_the_keys_it_stands_for():
    """errors.Where with a run: the same mapping, in the same order, as a key for each item."""
    from array import array

    from cnblock.errors import Where

    positions = [5 << 32 | 3, 6 << 32 | 9, 7 << 32 | 9, 8 << 32 | 9, 9 << 32 | 1]
    keys = ["id", "names", "names.0", "names.1", "names.2", "kind"]
    flat = Where(
        "f",
        {k: i for i, k in enumerate(keys)},
        array("Q", [positions[0], *positions[1:4], positions[3] + 1, positions[4]]),
    )
    run = Where(
        "f",
        {"id": 0, "names": 1, "kind": 2},
        array("Q", [positions[0], positions[1], positions[4]]),
        {"names": array("Q", [positions[2], positions[3], positions[3] + 1])},
    )
    assert list(run) == keys
    assert list(run.items()) == list(flat.items())
    assert len(run) == 6
    assert run == flat
    assert flat == run
    assert run["names.2"] == Location("f", 8, 10)
    assert "names.1" in run
    assert "id" in run
    for missing in ("names.3", "names.01", "names.-1", "names.x", "names." + "9" * 30, "kind.0"):
        assert missing not in run
        with pytest.raises(KeyError):
            run[missing]


def test_a_list_of_scalars_and_more_keeps_every_item_in_order():
    """A list starts compact (yamlnodes.Scalars) and becomes a plain list of nodes at its first
    list or mapping: nothing is lost or reordered, and each scalar keeps its position."""
    root, _ = yamlnodes.parse("k: [a, 'b', {c: d}, e, [f]]\n", "f")
    items = root.items["k"][1].items
    assert [type(n).__name__ for n in items] == ["Scalar", "Scalar", "Map", "Scalar", "Seq"]
    assert [(n.value, n.loc[1:], n.plain) for n in items if type(n).__name__ == "Scalar"] == [
        ("a", (1, 5), True),
        ("b", (1, 8), False),
        ("e", (1, 21), True),
    ]
    compact, _ = yamlnodes.parse("k: [a, 'b']\n", "f")
    assert isinstance(compact.items["k"][1].items, yamlnodes.Scalars)
    assert compact.items["k"][1].items[1] == yamlnodes.Scalar("b", Location("f", 1, 8), False)
    assert compact.items["k"][1].items[0:2] == list(compact.items["k"][1].items)
    aliased, problems = yamlnodes.parse("k: [a, *b]\n", "f")  # an alias, as a scalar, kept
    assert [(n.value, n.loc[1:]) for n in aliased.items["k"][1].items] == [
        ("a", (1, 5)),
        ("*b", (1, 8)),
    ]
    assert [p.message for p in problems] == ["aliases (*b) are not allowed; write the value out"]


def test_a_key_that_is_not_text_is_missing_like_in_a_dict():
    from array import array

    from cnblock.errors import Where

    where = Where("f", {"id": 0}, array("Q", [1 << 32 | 1]))
    for key in (0, None, ("id",)):
        assert where.get(key) is None
        assert key not in where
