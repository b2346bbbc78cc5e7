"""`cnblock check NAME...`: each named check alone, with one file that trips it; errors exit 1,
warnings exit 0 unless --strict."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cnblock import checks, loader, texts
from cnblock.errors import DataError, Location, Problem

ARTICLE = "BYD tested a ledger in March 2021.\n\nIt had said no in 2019.\nLast year, nothing.\n"
SHA = hashlib.sha256(ARTICLE.encode()).hexdigest()


def log_text(event: str = "", entity: str = "", source_extra: str = "") -> str:
    return (
        "schema: 2\n"
        "sources:\n"
        f"  - {{id: mine, publisher: Me, published: '2021', language: en, text: a.txt,"
        f" sha256: {SHA}{source_extra}}}\n"
        + (f"entities:\n{entity}" if entity else "")
        + "events:\n"
        + (
            event
            or "  - {id: ledger, date: '2021-03', title: T, summary: S, entities: [byd],"
            " sources: [{source: mine, line: 1}]}\n"
        )
    )


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CNBLOCK_SEEDS", raising=False)
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    return tmp_path


def check(run, here: Path, text: str, *args: str):
    (here / "cnblock.yaml").write_text(text, "utf-8")
    return run("check", *args)


def test_a_clean_file_passes_the_file_checks(run, here):
    result = check(run, here, log_text(), "schema", "references", "dates")
    assert (result.exit_code, result.stdout) == (
        0,
        "schema, references, dates: 0 errors, 0 warnings in the shipped log, cnblock.yaml\n",
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("schema", "title: T", "titel: T", "unknown key 'titel' in event"),
        ("references", "entities: [byd]", "entities: [bydd]", "unknown entity 'bydd'"),
        ("dates", "'2021-03'", "'2021-13'", "'2021-13' has no month 13"),
    ],
)
def test_each_file_check_reports_only_its_own_problems(run, here, name, old, new, message):
    text = log_text().replace(old, new)
    result = check(run, here, text, name)
    assert result.exit_code == 1, result.output
    assert f"error: {message}" in result.stdout
    assert f"[{name}]" in result.stdout
    others = [n for n in ("schema", "references", "dates") if n != name]
    quiet = check(run, here, text, *others)
    assert quiet.exit_code == 0, quiet.output
    assert message not in quiet.stdout


def test_checks_that_need_the_log_say_they_could_not_run(run, here):
    result = check(run, here, log_text().replace("title: T", "titel: T"), "provenance")
    assert result.exit_code == 1
    assert result.stdout.endswith(
        "provenance: 0 errors, 0 warnings in the shipped log, cnblock.yaml\n"
        "not run: provenance: the files do not load (see: cnblock check schema references dates)\n"
    )


def test_provenance_checks_lines_against_the_text(run, here):
    result = check(run, here, log_text().replace("line: 1}", "line: 9}"), "provenance")
    assert result.exit_code == 1
    assert "cnblock.yaml:5:105: error" in result.stdout
    assert "error: line 9 is past the end of a.txt (5 lines) [provenance]" in result.stdout
    assert "not checked: coindesk-korea-2020: CNBLOCK_SEEDS is not set\n" in result.stdout


def test_mentions_warns_of_a_cited_line_naming_none_of_the_entities(run, here):
    text = log_text().replace("line: 1}", "line: 3}").replace("'2021-03'", "'2019'")
    result = check(run, here, text, "mentions")
    assert result.exit_code == 0, result.output
    assert (
        "warning: the cited line names none of ledger's entities (BYD) [mentions]" in result.stdout
    )
    assert "0 errors, 1 warning in" in result.stdout
    assert check(run, here, text, "mentions", "--strict").exit_code == 1
    assert "warning:" not in check(run, here, log_text(), "mentions").stdout


def test_coverage_warns_of_dated_lines_no_event_cites(run, here):
    result = check(run, here, log_text(), "coverage")
    assert result.exit_code == 0, result.output
    assert (
        "a.txt:3:19: warning: mine states 2019 here, and no event cites this line [coverage]"
        in (result.stdout)
    )
    assert "a.txt:4:1: warning: mine states Last year here" in result.stdout
    assert "a.txt:1:" not in result.stdout  # cited


def test_names_checks_that_printed_names_are_in_the_texts(run, here):
    entity = "  - {id: ledger-co, kind: company, name: Ledgerco, printed: %s}\n"
    event = (
        "  - {id: ledger, date: '2021-03', title: T, summary: S, entities: [byd, ledger-co],"
        " sources: [{source: mine, line: 1}]}\n"
    )
    # the form `printed` takes in this version of the schema: a mapping to sources, or a list
    for printed in ("{name: mine}", "[name]"):
        try:
            text = log_text(event, entity % printed)
            (here / "cnblock.yaml").write_text(text, "utf-8")
            loader.load([str(loader.default_data_file()), "cnblock.yaml"])
            break
        except DataError:
            continue
    result = check(run, here, text, "names")
    assert result.exit_code == 1, result.output
    assert "[names]" in result.stdout
    assert "Ledgerco" in result.stdout
    assert check(run, here, text, "provenance").exit_code == 0


def test_every_check_by_default_and_an_unknown_name_suggested(run, here):
    result = check(run, here, log_text())
    assert result.stdout.splitlines()[-3].startswith(
        "schema, references, dates, provenance, names, mentions, coverage: 0 errors, 2 warnings"
    ), result.stdout
    result = run("check", "provenanse")
    assert (result.exit_code, result.stderr) == (
        2,
        "cnblock: unknown check 'provenanse'; did you mean 'provenance'?\n",
    )


def test_load_problems_are_sorted_into_checks_by_what_they_say():
    def kind(message: str) -> str:
        return checks.kind_of_load_problem(Problem(Location("f", 1, 1), message))

    assert kind("unknown technology 'x'") == "references"
    assert kind("unknown kind 'x'; did you mean 'company'?") == "schema"
    assert kind("'2019/2018' runs backwards: its end is before its start") == "dates"
    assert kind("event 'x' is a state but has no 'as_of' (the date...)") == "dates"
    assert kind("printed lists 'ja' but entity 'x' has no ja name") == "names"
    assert kind("duplicate event id 'x' (first at f:1:1)") == "schema"


def test_shipped_log_passes_every_error_check_with_its_texts(run, seeds, monkeypatch):
    monkeypatch.setenv("CNBLOCK_SEEDS", str(seeds))
    result = run("check", "schema", "references", "dates", "provenance", "names")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": 0 errors, 0 warnings in the shipped log\n"), result.stdout


def test_every_text_is_read_and_hashed_once_for_all_checks(here, monkeypatch):
    (here / "cnblock.yaml").write_text(log_text(), "utf-8")
    reads: list[str] = []
    real = texts.read_bytes

    def counting(path, *args, **kwargs):
        reads.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(texts, "read_bytes", counting)
    report = checks.run(loader.data_files(), checks.CHECKS, None)
    assert [f.check for f in report.findings] == ["coverage", "coverage"]  # lines 3 and 4
    assert reads.count("a.txt") == 1


def test_a_problem_two_checks_find_is_tagged_by_each(run, here, monkeypatch):
    same = Problem(Location(str(here / "a.txt"), 1, 1), "the same problem")
    findings = [checks.Finding("provenance", same), checks.Finding("mentions", same)]
    monkeypatch.setattr(checks, "run", lambda *_: checks.Report(findings, {}, {}, None))
    result = check(run, here, log_text())
    assert "the same problem [provenance]" in result.stdout
    assert "warning: the same problem [mentions]" in result.stdout


def test_check_keeps_the_first_problems_by_position_not_as_found(here, monkeypatch):
    from cnblock import errors

    # the unknown reference (line 5) is found after the file is read, the missing title
    # (line 6) while reading it: with room for one, the report keeps line 5's
    text = log_text(
        event="  - {id: a, date: '2021', title: T, summary: S, entities: [nobody],"
        " sources: [{source: mine, line: 1}]}\n"
        "  - {id: b, date: '2021', summary: S, sources: [{source: mine, line: 1}]}\n"
    )
    (here / "cnblock.yaml").write_text(text, "utf-8")
    monkeypatch.setattr(errors, "MAX_PROBLEMS", 1)
    report = checks.run([str(here / "cnblock.yaml")], checks.CHECKS, None)
    assert [(f.problem.location.line, f.check) for f in report.findings] == [(5, "references")]
    assert report.more == 1
