"""Sources whose texts live beside the user's data file (`text:`), found from any folder,
checked like the seeds, and named when they cannot be checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cnblock import loader, provenance, texts
from cnblock.errors import DataError

ARTICLE = "BYD said in 2021 that it would test a ledger.\n\nNothing else.\n"


def write_log(
    folder: Path,
    *,
    text: str = "texts/a.txt",
    sha: str | None = None,
    extra: str = "",
    line: int = 1,
    date: str = "2021",
) -> Path:
    sha = sha or hashlib.sha256(ARTICLE.encode()).hexdigest()
    path = folder / "mine.yaml"
    path.write_text(
        "schema: 1\n"
        "sources:\n"
        f"  - {{id: mine, publisher: Me, published: '2021', language: en, text: {text},"
        f" sha256: {sha}{extra}}}\n"
        "events:\n"
        f"  - {{id: e, date: '{date}', title: T, summary: S, entities: [byd],"
        f" sources: [{{source: mine, line: {line}}}]}}\n",
        "utf-8",
    )
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text(ARTICLE, "utf-8")
    return tmp_path


def examine(path: Path) -> provenance.Examination:
    return provenance.examine(loader.load([str(loader.default_data_file()), str(path)]), None)


def test_a_text_is_found_beside_its_data_file_from_any_folder(folder, monkeypatch, tmp_path):
    path = write_log(folder)
    monkeypatch.chdir("/")
    found = examine(path)
    assert found.problems == []
    assert "mine" not in found.unchecked
    assert found.unchecked["coindesk-korea-2020"] == "CNBLOCK_SEEDS is not set"


def test_citations_of_a_users_text_are_checked(folder):
    problems = examine(write_log(folder, line=9)).problems
    assert [p.message for p in problems] == ["line 9 is past the end of texts/a.txt (4 lines)"]
    problems = examine(write_log(folder, line=2)).problems
    assert [p.message for p in problems] == ["line 2 of texts/a.txt is blank"]
    (problem,) = examine(write_log(folder, date="2020")).problems
    assert problem.message.startswith("no cited line states the year 2020")


def test_a_missing_text_is_named_as_not_checked_not_as_an_error(folder):
    found = examine(write_log(folder, text="texts/gone.txt"))
    assert found.problems == []
    assert found.unchecked["mine"] == f"its text {folder / 'texts' / 'gone.txt'} is not there"


def test_an_absolute_path_is_taken_as_it_is(folder, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    path = write_log(elsewhere, text=str(folder / "texts" / "a.txt"))
    found = examine(path)
    assert found.problems == []
    assert "mine" not in found.unchecked
    assert "mine" in found.lines


def test_an_altered_text_a_wrong_line_count_and_a_folder_are_errors_at_the_field(folder):
    path = write_log(folder, sha="0" * 64)
    (problem,) = examine(path).problems
    line = path.read_text("utf-8").splitlines()[2]
    assert (problem.location.line, problem.location.col) == (3, line.index("0000") + 1)
    assert "has sha256" in problem.message
    (problem,) = examine(write_log(folder, extra=", lines: 3")).problems
    assert problem.message == f"{folder / 'texts' / 'a.txt'} has 4 lines, not 3"
    (problem,) = examine(write_log(folder, text="texts")).problems
    assert problem.message == f"{folder / 'texts'}: is a directory, not a text"
    line = (folder / "mine.yaml").read_text("utf-8").splitlines()[2]
    assert problem.location.col == line.index("text: ") + 7  # at the `text` value


def test_the_recorded_line_count_checks_citations_without_the_text(folder):
    path = write_log(folder, text="texts/gone.txt", extra=", lines: 4", line=7)
    (problem,) = examine(path).problems
    assert problem.message == "line 7 is past the end of texts/gone.txt (4 lines, as recorded)"
    assert problem.location.line == 5


def test_validate_says_which_sources_it_could_not_check(run, folder, monkeypatch):
    monkeypatch.delenv("CNBLOCK_SEEDS", raising=False)
    write_log(folder)
    result = run("--data", str(folder / "mine.yaml"), "validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "not checked: coindesk-korea-2020: CNBLOCK_SEEDS is not set",
        "not checked: money-today-2018: CNBLOCK_SEEDS is not set",
    ]
    assert result.stdout.splitlines()[0].endswith("citations checked against 1 of 3 sources' texts")


def test_reading_a_text_refuses_what_is_not_one(tmp_path):
    with pytest.raises(DataError) as caught:
        texts.read_bytes(str(tmp_path), 10, "a text")
    assert caught.value.problems[0].message == "is a directory, not a text"
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 11)
    with pytest.raises(DataError) as caught:
        texts.read_bytes(str(big), 10, "a text")
    assert caught.value.problems[0].message == "is 11 bytes; a text may have at most 10 bytes"
    with pytest.raises(DataError) as caught:
        texts.decode(b"ok\nab\xff", "x.txt")
    assert caught.value.problems[0][1:] == ("is not valid UTF-8 (byte 0xff)",)
    assert caught.value.problems[0].location[1:] == (2, 3)


def test_a_source_with_no_text_says_so():
    source = loader.load([str(loader.default_data_file())]).sources["money-today-2018"]
    assert texts.locate(source._replace(seed=None), None) == (
        "no text recorded (give the source 'text' and 'sha256')"
    )


def test_a_yaml_subset_written_elsewhere_still_finds_a_users_text(
    run, folder, tmp_path_factory, monkeypatch
):
    write_log(folder)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(folder)
    subset = elsewhere / "subset.yaml"
    result = run(
        "--data", "mine.yaml", "export", "--source", "mine", "-f", "yaml", "-o", str(subset)
    )
    assert result.exit_code == 0, result.output
    assert f"text: {folder / 'texts' / 'a.txt'}" in subset.read_text("utf-8")
    found = provenance.examine(loader.load([str(subset)]), None)
    assert (found.problems, found.unchecked) == ([], {})
    assert list(found.lines) == ["mine"]
