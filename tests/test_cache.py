"""The cache of loaded logs: the same answers with it as without, never a stale or foreign
copy, and never used by validate."""

from __future__ import annotations

import json
import marshal
import os
import time

import pytest

from cnblock import cache, loader
from cnblock.commands.common import FILTER_OPTIONS
from cnblock.model import event_keys

SHIPPED = str(loader.default_data_file())

MINE = (
    "schema: 2\n"
    "events:\n"
    "  - id: byd-my-event\n"
    "    date: '2021-03'\n"
    "    title: BYD does something in my notes\n"
    "    summary: Something.\n"
    "    date_note: From my own notes; the cited line only names BYD.\n"
    "    entities: [byd]\n"
    "    sources: [{source: coindesk-korea-2020, line: 14}]\n"
)


@pytest.fixture
def cached(monkeypatch, tmp_path):
    """The cache on, in a folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    monkeypatch.setenv("CNBLOCK_CACHE", "1")
    return tmp_path / "cache-home" / "cnblock"


def cache_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_cached_log_is_the_loaded_log_positions_and_all(cached):
    fresh = loader.load([SHIPPED])
    assert cache.write([SHIPPED], fresh)
    copy = cache.read([SHIPPED])
    assert copy == fresh
    assert copy.files == fresh.files
    for mine, theirs in zip(copy.events, fresh.events, strict=True):
        assert dict(mine.where) == dict(theirs.where)
        assert [dict(c.where) for c in mine.sources] == [dict(c.where) for c in theirs.sources]
    for kind in ("sources", "entities", "technologies"):
        got, want = getattr(copy, kind), getattr(fresh, kind)
        assert list(got) == list(want)
        assert [dict(r.where) for r in got.values()] == [dict(r.where) for r in want.values()]
    assert os.stat(cached).st_mode & 0o777 == 0o700
    (name,) = cache_files(cached)
    assert os.stat(cached / name).st_mode & 0o077 == 0


FILTER_VALUES = {
    "company": ["BYD"],
    "person": ["Wang Chuanfu"],
    "tech": ["blockchain"],
    "year": ["2016..2018"],
    "since": ["2018-06"],
    "until": ["2018"],
    "grep": ["chain"],
    "source": ["coindesk-korea-2020"],
    "kind": ["state"],
}


def test_every_filter_answers_the_same_with_and_without_the_cache(run, cached, tmp_path):
    assert set(FILTER_VALUES) == set(FILTER_OPTIONS)  # a new filter must be added here
    (tmp_path / "mine.yaml").write_text(MINE, "utf-8")
    for name, values in FILTER_VALUES.items():
        option = f"--{name}"
        args = [arg for value in values for arg in (option, value)]
        listings = [["timeline"], ["years"], ["tech"], ["export", "--format", "json"]]
        if name != "kind":  # companies has a --kind of its own
            listings.append(["companies"])
        for command in listings:
            full = ["--data", str(tmp_path / "mine.yaml"), *command, *args]
            if command[0] != "export":
                full += ["--format", "json"]
            without = run(*full, env={"CNBLOCK_CACHE": "0"})
            first = run(*full)  # builds the cache
            again = run(*full)  # reads it
            assert without.exit_code == 0, without.output
            assert json.loads(first.stdout) == json.loads(without.stdout), full
            assert again.stdout == without.stdout, full
    assert len(cache_files(cached)) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--company", "BYD", "--year", "2018..2019"],
        ["--company", "BYD", "--company", "Meituan", "--kind", "event", "--since", "2018-06"],
        ["--tech", "blockchain", "--grep", "chain", "--until", "2019"],
        ["--person", "Wang Chuanfu", "--source", "coindesk-korea-2020"],
    ],
)
def test_filters_together_answer_the_same_with_and_without_the_cache(run, cached, args):
    full = ["timeline", *args, "--format", "json"]
    without = run(*full, env={"CNBLOCK_CACHE": "0"})
    run(*full)  # builds the cache
    again = run(*full)  # picks its events from the cache's keys
    assert without.exit_code == 0, without.output
    assert again.stdout == without.stdout, full


def test_a_query_reads_only_the_events_its_keys_pick(cached):
    log = loader.load([SHIPPED])
    assert cache.write([SHIPPED], log)
    seen = []

    def pick(records, keys):
        seen.append(records)
        seen.append(keys)
        return [0, 2]

    part = cache.read([SHIPPED], pick)
    assert part is not None
    assert part.events == (log.events[0], log.events[2])
    records, keys = seen
    assert records == log._replace(events=())
    assert cache.read([SHIPPED], lambda records, keys: None) == log
    # The keys gathered as the rows were made are model.event_keys', order included (the
    # shipped log has intervals, states without a date and events citing several sources).
    want = event_keys(log.events)
    assert (keys.total, list(keys.first), list(keys.last)) == (want.total, want.first, want.last)
    for got, wanted in zip(keys[1:5], want[1:5], strict=True):
        assert [(k, list(v)) for k, v in got.items()] == list(wanted.items())


def test_a_damaged_event_is_found_when_it_is_read_and_the_cache_ignored(run, cached):
    args = ["timeline", "--company", "BYD", "--format", "json"]
    want = run(*args).stdout
    (name,) = cache_files(cached)
    data = bytearray((cached / name).read_bytes())
    start = 8 + int.from_bytes(data[:8], "little")  # the events, after the header
    data[start : start + 4000] = b"\xff" * 4000
    (cached / name).write_bytes(bytes(data))
    assert cache.read([SHIPPED], lambda records, keys: [0, 1]) is None
    assert run(*args).stdout == want
    assert cache.read([SHIPPED]) == loader.load([SHIPPED])  # rebuilt


def test_a_file_changed_in_the_same_second_with_the_same_size_is_seen_at_once(
    run, cached, tmp_path
):
    path = tmp_path / "mine.yaml"
    path.write_text(MINE, "utf-8")
    args = ["--data", str(path), "timeline", "--company", "BYD", "--format", "json"]
    assert "byd-my-event" in run(*args).stdout
    assert cache_files(cached)
    before = os.stat(path)
    path.write_text(MINE.replace("byd-my-event", "byd-my-evenx"), "utf-8")
    after = os.stat(path)
    assert after.st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # even the same mtime
    result = run(*args)
    assert "byd-my-evenx" in result.stdout, result.stdout
    assert "byd-my-event" not in result.stdout


def test_an_old_file_is_trusted_by_its_stat(cached, monkeypatch, tmp_path):
    """Past the racy window, a stat that matches is enough: the file is not read again."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    log = loader.load([SHIPPED])
    monkeypatch.setattr(cache, "_crc", lambda path: pytest.fail("read the file again"))
    assert cache.write([SHIPPED], log)  # nor when the cache is written
    assert cache.read([SHIPPED]) == log


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"not marshal at all",
        lambda data: __import__("marshal").dumps(("something", "else")),
        lambda data: __import__("marshal").dumps((1, 2, 3, 4, 5, (1, 2, 3, 4, 5))),
        lambda data: b"",
    ],
)
def test_a_damaged_cache_file_is_ignored_and_rebuilt(run, cached, damage):
    args = ["timeline", "--company", "BYD", "--format", "json"]
    want = run(*args).stdout
    (name,) = cache_files(cached)
    target = cached / name
    target.write_bytes(damage(target.read_bytes()))
    assert cache.read([SHIPPED]) is None
    assert run(*args).stdout == want
    assert cache.read([SHIPPED]) == loader.load([SHIPPED])  # rebuilt


def test_a_cache_folder_others_can_write_is_not_trusted(cached):
    log = loader.load([SHIPPED])
    assert cache.write([SHIPPED], log)
    os.chmod(cached, 0o777)
    assert cache.read([SHIPPED]) is None
    assert not cache.write([SHIPPED], log)
    os.chmod(cached, 0o700)
    assert cache.read([SHIPPED]) == log


def test_a_new_cnblock_misses_the_old_cache(cached, monkeypatch):
    log = loader.load([SHIPPED])
    assert cache.write([SHIPPED], log)
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    assert cache.read([SHIPPED]) is None


def test_no_cache_and_cnblock_cache_0_neither_read_nor_write(run, cached, monkeypatch):
    assert run("--no-cache", "years").exit_code == 0
    assert run("years", env={"CNBLOCK_CACHE": "0"}).exit_code == 0
    assert cache_files(cached) == []
    assert run("years").exit_code == 0
    assert len(cache_files(cached)) == 1
    monkeypatch.setattr(cache, "read", lambda paths: pytest.fail("read the cache"))
    assert "2018" in run("--no-cache", "years").stdout


def test_validate_never_uses_the_cache(run, cached, monkeypatch):
    run("years")
    monkeypatch.setattr(cache, "read", lambda paths: pytest.fail("validate read the cache"))
    monkeypatch.setattr(cache, "write", lambda paths, log: pytest.fail("validate wrote it"))
    result = run("validate", env={"CNBLOCK_SEEDS": None})
    assert result.stdout.startswith("ok: "), result.output


def test_the_tests_run_without_the_cache_unless_asked():
    """conftest keeps the cache out of the user's folder, and off unless CNBLOCK_TEST_CACHE=1."""
    assert "cnblock-test-cache-" in os.environ["XDG_CACHE_HOME"]
    expected = os.environ.get("CNBLOCK_TEST_CACHE") == "1"
    assert cache.enabled() is expected


def test_the_cache_is_written_atomically(cached, monkeypatch):
    """A failed write leaves the old cache whole and no temporary file behind."""
    log = loader.load([SHIPPED])
    assert cache.write([SHIPPED], log)
    (name,) = cache_files(cached)
    before = (cached / name).read_bytes()

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    time.sleep(0.01)
    assert not cache.write([SHIPPED], log)
    assert cache_files(cached) == [name]
    assert (cached / name).read_bytes() == before


def test_a_log_that_does_not_survive_the_round_trip_is_not_kept(cached, monkeypatch):
    from cnblock.model import PartialDate

    monkeypatch.setattr(cache, "parse_when", lambda text: PartialDate(1900))
    assert not cache.write([SHIPPED], loader.load([SHIPPED]))
    assert cache_files(cached) == []


def test_the_loaders_positions_are_stored_as_their_locations_are():
    """cache._Packer reads errors.Where packed (no Location made): the same rows as from the
    Locations themselves, empty positions included."""
    from cnblock.errors import Where

    log = loader.load([str(loader.default_data_file())])
    wheres = [e.where for e in log.events] + [c.where for e in log.events for c in e.sources]
    wheres.append(Where("f.yaml", {}, log.events[0].where._at[:0]))
    packed, plain = cache._Packer(), cache._Packer()
    assert all(isinstance(where, Where) for where in wheres)
    assert [packed.pack(w) for w in wheres] == [plain.pack(dict(w)) for w in wheres]
    assert packed.positions() == plain.positions()
    assert packed.file[-1] == -1  # no positions: no file
    store = cache._Store(tuple(packed.files), packed.positions())
    assert [dict(store.table(n)) for n in range(len(wheres))] == [dict(w) for w in wheres]


def test_an_event_is_stored_as_the_generic_packing_stores_it(tmp_path):
    """_Packer.event, written out for speed, gives plain()'s rows and positions, for events
    with and without every optional field."""
    text = (
        "schema: 2\nsources: [{id: s, publisher: P, published: '2020', language: en}]\n"
        "entities: [{id: e, kind: company, name: E}]\n"
        "events:\n"
        "  - {id: a, date: '2018', title: T, summary: S, sources: [{source: s, line: 1}]}\n"
        "  - {id: b, kind: state, as_of: 2019-05, date: 2017/.., title: T, summary: S,"
        " date_note: N, place: X, according_to: e, entities: [e],"
        " sources: [{source: s, line: 2, span: [0, 3], digest: 0123456789ab}]}\n"
    )
    path = tmp_path / "log.yaml"
    path.write_text(text, "utf-8")
    events = [*loader.load([str(loader.default_data_file())]).events]
    events += loader.load([str(path)]).events
    fast, generic = cache._Packer(), cache._Packer()
    assert [marshal.loads(r) for r in fast.rows(events)] == [generic.plain(e) for e in events]
    assert fast.positions() == generic.positions()


def test_a_cached_logs_positions_are_packed_as_the_loaders_are(cached):
    """A log read from the cache (its positions cache.Positions) packs to the same
    positions as the loaded log it was made from."""
    fresh = loader.load([SHIPPED])
    assert cache.write([SHIPPED], fresh)
    copy = cache.read([SHIPPED])
    assert copy is not None

    def wheres(log):
        return [e.where for e in log.events] + [s.where for s in log.sources.values()]

    assert all(isinstance(w, cache.Positions) for w in wheres(copy))
    mine, theirs = cache._Packer(), cache._Packer()
    assert [mine.pack(w) for w in wheres(copy)] == [theirs.pack(w) for w in wheres(fresh)]
    assert mine.positions() == theirs.positions()


def test_a_key_given_twice_is_stored_at_its_last_place():
    from array import array

    from cnblock.errors import Location, Where

    packer = cache._Packer()
    twice = Where(
        "f.yaml", {"id": 1, "title": 2}, array("Q", [1 << 32 | 3, 2 << 32 | 3, 3 << 32 | 5])
    )
    assert packer.pack(twice) == 0
    positions = packer.positions()  # the files are numbered as the positions are packed
    store = cache._Store(tuple(packer.files), positions)
    assert dict(store.table(0)) == {
        "id": Location("f.yaml", 2, 3),
        "title": Location("f.yaml", 3, 5),
    }


def test_positions_in_two_files_are_not_stored():
    from cnblock.errors import Location

    packer = cache._Packer()
    packer.pack({"id": Location("a.yaml", 1, 1), "title": Location("b.yaml", 2, 1)})
    with pytest.raises(ValueError, match="several files"):
        packer.positions()


def test_the_size_setting_is_checked_and_applied_with_a_warm_cache_too(cached, monkeypatch):
    from cnblock.errors import DataError, UsageError

    loader.load([SHIPPED], cached=True)
    assert cache_files(cached)  # warm
    monkeypatch.setenv("CNBLOCK_MAX_MIB", "abc")
    with pytest.raises(UsageError, match="CNBLOCK_MAX_MIB"):
        loader.load([SHIPPED], cached=True)
    monkeypatch.setattr(loader, "max_bytes", lambda: 10)  # a cap below the file's size
    with pytest.raises(DataError) as refused:
        loader.load([SHIPPED], cached=True)
    assert "may have at most 10 bytes" in refused.value.problems[0].message


def test_a_long_lists_positions_are_cached_as_one_run(cached, tmp_path):
    """A list of more than loader.RUN names keeps its items' positions as one array
    (errors.Where runs); the cache stores that array as it is, and reads it back the same."""
    names = "".join(f"      - alias-{n:07d}\n" for n in range(20_000))
    path = tmp_path / "long.yaml"
    path.write_text(
        "schema: 1\nentities:\n  - id: big\n    kind: company\n    name: Big\n    aliases:\n"
        f"{names}events: []\n",
        "utf-8",
    )
    fresh = loader.load([str(path)])
    assert set(fresh.entities["big"].where.runs) == {"aliases"}
    assert cache.write([str(path)], fresh)
    copy = cache.read([str(path)])
    assert copy == fresh
    mine, theirs = copy.entities["big"].where, fresh.entities["big"].where
    assert list(mine.items()) == list(theirs.items())
    assert mine["aliases.19999"] == theirs["aliases.19999"]
    (name,) = cache_files(cached)
    # a key and two numbers an item would make it twice the size of the file
    assert os.stat(cached / name).st_size < 1.2 * path.stat().st_size
