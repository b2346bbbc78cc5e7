"""The log against the article texts: fingerprints, cited lines, and years the lines state.

Needs the texts: set CNBLOCK_SEEDS to their folder (.ci/run does)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from cnblock import loader, provenance, texts
from cnblock.errors import CnblockError
from cnblock.model import PartialDate

REPO = Path(__file__).parent.parent


def test_the_shipped_log_passes_every_provenance_check(shipped, seeds):
    assert provenance.check(shipped, seeds) == []


def test_every_citation_is_a_non_blank_line_of_its_text(shipped, seeds):
    texts = {
        s.id: (seeds / s.seed).read_text("utf-8").split("\n") for s in shipped.sources.values()
    }
    for event in shipped.events:
        for citation in event.sources:
            lines = texts[citation.source]
            assert 1 <= citation.line <= len(lines), event.id
            assert lines[citation.line - 1].strip(), f"{event.id} cites blank line {citation.line}"


# Each event's date must be found in what it cites: the year (as digits) of each known side of
# an interval, and the month where the article writes it as "N월" on the same line. Events
# that resolve a relative date explain themselves in date_note, which is required for them.


def seed_texts(shipped, seeds) -> dict[str, list[str]]:
    return {s.id: (seeds / s.seed).read_text("utf-8").split("\n") for s in shipped.sources.values()}


def test_dated_events_rest_on_lines_that_state_the_date(shipped, seeds):
    texts = seed_texts(shipped, seeds)
    for event in shipped.events:
        cited = " ".join(texts[c.source][c.line - 1] for c in event.sources)
        if event.date_note or event.date is None:
            continue
        date = event.date
        sides = [date] if isinstance(date, PartialDate) else [d for d in date if d is not None]
        for side in sides:
            assert str(side.year) in cited, event.id
            if side.month:
                assert re.search(rf"{side.year}년 {side.month}월", cited), event.id


def test_every_citation_of_the_shipped_log_names_its_phrase(shipped):
    """A span and a digest on every citation (their match with the texts is checked below)."""
    bare = [(e.id, c.line) for e in shipped.events for c in e.sources if c.span is None]
    assert bare == []
    assert all(c.digest for e in shipped.events for c in e.sources)


def test_only_a_day_the_text_names_dates_an_event_to_the_day(shipped, seeds):
    """A situation reported on a publication day ("recently", "is", "has begun") is a state
    or an open interval, never an event of that day."""
    texts = seed_texts(shipped, seeds)
    for event in shipped.events:
        if isinstance(event.date, PartialDate) and event.date.day:
            cited = " ".join(texts[c.source][c.line - 1] for c in event.sources)
            d = event.date
            named = (f"{d.year}.{d.month:02}.{d.day:02}", f"{d.year}년 {d.month}월 {d.day}일")
            assert event.kind == "event", event.id
            assert any(form in cited for form in named), event.id


def test_no_sentence_of_the_articles_is_copied_into_the_project(seeds):
    """Any 30 characters of an article sentence found in a tracked file is a copy."""
    fragments = set()
    for text in (p.read_text("utf-8") for p in seeds.glob("*.txt")):
        for raw in re.split(r"(?<=[.?!다])\s+|\n", text):
            piece = raw.strip()
            if len(piece) >= 30 and piece[-1] in '.?!다”"':
                fragments.add(piece[:30])
    assert fragments
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True
    )
    files = (
        [REPO / f for f in listed.stdout.split("\n") if f]
        if listed.returncode == 0
        else list(REPO.rglob("*.*"))
    )
    for path in files:
        if path.is_file() and path.suffix in {".py", ".md", ".yaml", ".txt", ".toml", ".json", ""}:
            body = path.read_text("utf-8", "replace")
            assert not [f for f in fragments if f in body], path


@pytest.fixture
def texts_copy(seeds, tmp_path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(seeds, folder)
    return folder


def test_an_altered_text_fails_its_fingerprint(shipped, texts_copy):
    target = texts_copy / shipped.sources["money-today-2018"].seed
    target.write_text(target.read_text("utf-8") + " ", "utf-8")
    problems = provenance.check(shipped, texts_copy)
    assert len(problems) == 1
    assert problems[0].location == shipped.sources["money-today-2018"].where["sha256"]
    assert "has sha256" in problems[0].message


def test_a_missing_text_is_reported_at_the_seed(shipped, texts_copy):
    (texts_copy / shipped.sources["coindesk-korea-2020"].seed).unlink()
    (problem,) = provenance.check(shipped, texts_copy)
    assert problem.location == shipped.sources["coindesk-korea-2020"].where["seed"]
    assert problem.message.startswith("seed text '000_7d43030e67baad3b.txt' is not in ")


def _log_citing(tmp_path: Path, line: int, date: str = "2018", note: str = "") -> Path:
    path = tmp_path / "cite.yaml"
    path.write_text(
        # the shipped head without printed markers: those need the shipped events
        "".join(
            line
            for line in (REPO / "data" / "events.yaml")
            .read_text("utf-8")
            .split("\nevents:\n")[0]
            .splitlines(keepends=True)
            if not line.startswith("    printed:")
        )
        + "\nevents:\n"
        + f"  - id: probe\n    date: '{date}'\n    title: A probe\n    summary: Probe.\n"
        + (f"    date_note: {note}\n" if note else "")
        + f"    sources: [{{source: money-today-2018, line: {line}}}]\n",
        "utf-8",
    )
    return path


def test_a_line_past_the_end_is_reported(tmp_path, seeds):
    log = loader.load([str(_log_citing(tmp_path, 99))])
    (problem,) = provenance.check(log, seeds)
    assert problem.message == "line 99 is past the end of 002_d5b686126462e90b.txt (31 lines)"
    assert problem.location == log.events[0].sources[0].where["line"]


def test_a_blank_line_is_reported(tmp_path, seeds):
    log = loader.load([str(_log_citing(tmp_path, 2))])
    (problem,) = provenance.check(log, seeds)
    assert problem.message == "line 2 of 002_d5b686126462e90b.txt is blank"


def test_a_year_the_lines_never_state_needs_a_date_note(tmp_path, seeds):
    log = loader.load([str(_log_citing(tmp_path, 12, date="1987"))])
    (problem,) = provenance.check(log, seeds)
    assert problem.message.startswith("no cited line states the year 1987")
    assert problem.location == log.events[0].where["date"]
    explained = loader.load([str(_log_citing(tmp_path, 12, date="1987", note="Explained here."))])
    assert provenance.check(explained, seeds) == []
    stated = loader.load([str(_log_citing(tmp_path, 12, date="1986"))])
    assert provenance.check(stated, seeds) == []


def test_a_source_without_a_text_does_not_stop_the_other_citations_being_checked(tmp_path, seeds):
    path = _log_citing(tmp_path, 2)
    text = (
        path.read_text("utf-8")
        .replace(
            "    sources: [{source: money-today-2018, line: 2}]",
            "    sources: [{source: my-notes, line: 1}, {source: money-today-2018, line: 2}]",
        )
        .replace(
            "\nentities:",
            "\n  - {id: my-notes, publisher: Me, published: '2021', language: en}\nentities:",
            1,
        )
    )
    path.write_text(text, "utf-8")
    log = loader.load([str(path)])
    (problem,) = provenance.check(log, seeds)
    assert problem.message == "line 2 of 002_d5b686126462e90b.txt is blank"


PROVENANCE = sorted((Path(__file__).parent / "data" / "provenance").glob("*.yaml"))


@pytest.mark.parametrize("path", PROVENANCE, ids=[p.stem for p in PROVENANCE])
def test_each_provenance_check_has_a_file_that_trips_it(path, seeds):
    expected = [
        re.match(r"# expect: (\d+):(\d+): (.*)", line).groups()
        for line in path.read_text("utf-8").splitlines()
        if line.startswith("# expect: ")
    ]
    log = loader.load([str(path)])
    found = [(p.location.line, p.location.col, p.message) for p in provenance.check(log, seeds)]
    assert len(found) == len(expected), found
    for (line, col, message), (want_line, want_col, want) in zip(found, expected, strict=False):
        assert (line, col) == (int(want_line), int(want_col)), found
        assert want in message, found


# Seed texts are opened like data files: a regular file only, size-capped, hashed as read. ---


def _replace_text(shipped, folder: Path, make) -> Path:
    """Put `make(path)` where the Money Today text was."""
    target = folder / shipped.sources["money-today-2018"].seed
    target.unlink()
    make(target)
    return target


def _seed_problem(shipped, folder: Path) -> str:
    (problem,) = provenance.check(shipped, folder)
    assert problem.location == shipped.sources["money-today-2018"].where["seed"]
    return problem.message


def test_a_text_that_is_a_fifo_is_refused_without_waiting(shipped, texts_copy):
    target = _replace_text(shipped, texts_copy, os.mkfifo)
    assert _seed_problem(shipped, texts_copy) == f"{target}: is not a regular file"


def test_a_text_linked_to_an_endless_device_is_refused(shipped, texts_copy):
    target = _replace_text(shipped, texts_copy, lambda p: p.symlink_to("/dev/zero"))
    assert _seed_problem(shipped, texts_copy) == f"{target}: is not a regular file"


def test_a_huge_text_is_refused_by_its_size_before_it_is_read(shipped, texts_copy):
    def sparse(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(3 * 1024**3)  # 3 GiB that take no room on disk

    target = _replace_text(shipped, texts_copy, sparse)
    started = time.process_time()
    message = _seed_problem(shipped, texts_copy)
    assert time.process_time() - started < 1.0  # the cap is checked before reading anything
    assert (
        message
        == f"{target}: is 3,221,225,472 bytes; a text may have at most 8,388,608 bytes (8 MiB)"
    )


def test_a_text_is_hashed_as_it_is_read(shipped, seeds, monkeypatch):
    chunks: list[int] = []
    real = texts.read_bytes

    def spy(path, limit, what, each=None):
        def counting(chunk):
            chunks.append(len(chunk))
            each(chunk)

        return real(path, limit, what, counting)

    monkeypatch.setattr(texts, "read_bytes", spy)
    assert provenance.check(shipped, seeds) == []
    assert sum(chunks) == sum((seeds / s.seed).stat().st_size for s in shipped.sources.values())


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (lambda p: p, "no such file or directory"),
        (lambda p: (p.write_text("x"), p)[1], "is not a folder"),
        (lambda p: (p.symlink_to(p), p)[1], "too many levels of symbolic links"),
    ],
    ids=["missing", "a file", "a symlink loop"],
)
def test_a_bad_seeds_folder_is_one_message_naming_the_cause(shipped, tmp_path, make, cause):
    folder = make(tmp_path / "seeds")
    with pytest.raises(CnblockError) as caught:
        provenance.check(shipped, folder)
    assert str(caught.value) == f"CNBLOCK_SEEDS={folder}: {cause}"


def test_a_bad_seeds_folder_is_said_once_by_validate(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cnblock.cli import app

    monkeypatch.setenv("CNBLOCK_SEEDS", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(app, ["validate"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert (
        result.output
        == f"cnblock: CNBLOCK_SEEDS={tmp_path / 'nowhere'}: no such file or directory\n"
    )


def test_every_span_in_the_shipped_log_has_the_digest_of_its_phrase(shipped, seeds):
    texts = {
        s.id: (seeds / s.seed).read_text("utf-8").split("\n") for s in shipped.sources.values()
    }
    for event in shipped.events:
        for c in event.sources:
            if c.span is not None:
                phrase = texts[c.source][c.line - 1][c.span[0] : c.span[1]]
                assert provenance.phrase_digest(phrase) == c.digest, (event.id, c.line)


def _log_with_span(tmp_path: Path, span: tuple[int, int], digest: str, printed: str = "") -> Path:
    path = tmp_path / "span.yaml"
    head = (REPO / "tests" / "data" / "provenance" / "year-not-stated.yaml").read_text("utf-8")
    head = head.split("events:")[0].replace("schema: 1", "schema: 2")
    entity = (
        f"entities:\n  - {{id: someone, kind: person, name: 'X', names: {{ko: '{printed}'}},"
        " printed: {ko: mt}}\n"
        if printed
        else ""
    )
    path.write_text(
        head
        + entity
        + "events:\n  - id: probe\n    date: '1986'\n    title: T\n    summary: S\n"
        + ("    according_to: someone\n" if printed else "")
        + f"    sources: [{{source: mt, line: 12, span: [{span[0]}, {span[1]}],"
        f" digest: {digest}}}]\n",
        "utf-8",
    )
    return path


def test_a_span_whose_digest_matches_passes_and_one_character_off_does_not(tmp_path, seeds):
    line = (seeds / "002_d5b686126462e90b.txt").read_text("utf-8").split("\n")[11]
    digest = provenance.phrase_digest(line[5:20])
    log = loader.load([str(_log_with_span(tmp_path, (5, 20), digest))])
    assert provenance.check(log, seeds) == []
    shifted = loader.load([str(_log_with_span(tmp_path, (6, 21), digest))])
    (problem,) = provenance.check(shifted, seeds)
    assert problem.message.startswith(f"digest {digest} does not match the phrase at [6, 21]")
    assert problem.location == shifted.events[0].sources[0].where["digest"]


def test_a_span_ending_exactly_at_the_line_end_is_inside(tmp_path, seeds):
    line = (seeds / "002_d5b686126462e90b.txt").read_text("utf-8").split("\n")[11]
    end = len(line)
    digest = provenance.phrase_digest(line[end - 3 : end])
    assert (
        provenance.check(
            loader.load([str(_log_with_span(tmp_path, (end - 3, end), digest))]), seeds
        )
        == []
    )


def test_a_printed_name_is_found_in_a_text_its_events_cite(tmp_path, seeds):
    line = (seeds / "002_d5b686126462e90b.txt").read_text("utf-8").split("\n")[11]
    digest = provenance.phrase_digest(line[5:20])
    found = loader.load([str(_log_with_span(tmp_path, (5, 20), digest, printed=line[30:35]))])
    assert provenance.check(found, seeds) == []
    missing = loader.load([str(_log_with_span(tmp_path, (5, 20), digest, printed="없는이름"))])
    (problem,) = provenance.check(missing, seeds)
    assert problem.message.startswith("'없는이름' (ko) is said to be printed")


def test_without_the_texts_spans_and_printed_names_are_not_checked(tmp_path):
    log = loader.load([str(_log_with_span(tmp_path, (5, 20), "000000000000", printed="없는이름"))])
    assert provenance.check(log, None) == []


def test_find_span_gives_the_offsets_and_digest_a_citation_records():
    line = "ab 가나다 ab"
    assert provenance.find_span(line, "가나다") == (3, 6, provenance.phrase_digest("가나다"))
    assert provenance.find_span(line, "ab", occurrence=2)[:2] == (7, 9)
    for phrase, occurrence in (("zz", 1), ("ab", 3), ("", 1)):
        with pytest.raises(ValueError, match="does not appear"):
            provenance.find_span(line, phrase, occurrence)


def test_the_span_tool_prints_the_numbers_only(tmp_path, capsys):
    import runpy

    text = tmp_path / "t.txt"
    text.write_text("first\nab 가나다 ab\n", "utf-8")
    tool = runpy.run_path(str(REPO / "tools" / "span.py"))
    assert tool["main"]([str(text), "2", "가나다"]) == 0
    digest = provenance.phrase_digest("가나다")
    assert capsys.readouterr().out == f"span: [3, 6], digest: {digest}\n"


def small_log(*events, lines=None):
    """Three sources (`other` records `lines`), two entities that say a source prints them."""
    from cnblock.errors import Location
    from cnblock.model import Entity, EventLog, Source

    sources = {
        id: Source(id, "P", PartialDate(2020), "en", lines=lines if id == "other" else None)
        for id in ("press", "other", "third")
    }
    zhu = Entity(
        "zhu", "person", "Zhu", {"ko": "주"}, printed={"ko": "press"},
        where={"printed.ko": Location("f.yaml", 1, 2)},
    )  # fmt: skip
    byd = Entity(
        "byd", "company", "BYD", printed={"name": "other"},
        where={"printed": Location("f.yaml", 2, 3)},
    )  # fmt: skip
    return EventLog(sources, {"zhu": zhu, "byd": byd}, {}, tuple(events))


def cites(id, *sources, entities=(), according_to=None):
    from cnblock.model import Citation, Event

    cited = tuple(Citation(s, 1) for s in sources)
    return Event(id, PartialDate(2019), "T", "S", cited, entities, according_to=according_to)


def test_a_printed_name_must_be_cited_by_an_event_naming_the_entity_or_according_to_it():
    uncited = "other is said to print the name name of byd, but none of byd's events cites it"
    found = small_log(
        cites("a", "press", entities=("byd",)),  # byd named, but its claim is other's
        cites("b", "press", according_to="zhu"),  # zhu's claim, through according_to
        cites("c", "other", according_to="source"),
    )
    assert [(p.location.line, p.message) for p in provenance.check_printed(found, {})] == [
        (2, uncited)
    ]
    # every claim met before the last event: the rest of the log is not needed
    met = small_log(
        cites("a", "other", "press", entities=("zhu", "byd")),
        cites("b", "third", entities=("byd",)),
    )
    assert provenance.check_printed(met, {}) == []
    assert [p.message for p in provenance.check_printed(small_log(), {})] == [
        "press is said to print the ko name of zhu, but none of zhu's events cites it",
        uncited,
    ]


def test_only_events_citing_a_text_at_hand_or_a_recorded_length_are_checked():
    events = (
        cites("press", "press"),
        cites("other", "other"),
        cites("third", "third"),
        cites("both", "third", "other"),
    )
    log = small_log(*events, lines=3)
    assert [e.id for e in provenance.checkable(log, {"press": ["x"]})] == ["press", "other", "both"]
    assert [e.id for e in provenance.checkable(log, {})] == ["other", "both"]
    assert provenance.checkable(small_log(*events), {}) == ()
    every = {"press": ["x"], "third": ["y"]}
    assert provenance.checkable(log, every) is log.events
