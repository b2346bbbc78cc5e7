"""Schema 2 through the CLI: --kind, its completion, and `show` with the reader's own texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnblock import provenance
from cnblock.commands import common

REPO = Path(__file__).parent.parent
MT = "002_d5b686126462e90b.txt"


def _head() -> str:
    """The sources of a small log citing the Money Today text (its fingerprint, no words)."""
    text = (REPO / "tests" / "data" / "provenance" / "year-not-stated.yaml").read_text("utf-8")
    return text.split("events:")[0].replace("schema: 1", "schema: 2")


def write_log(tmp_path: Path, digest: str = "000000000000", span=(5, 20)) -> Path:
    path = tmp_path / "log.yaml"
    path.write_text(
        _head() + "events:\n"
        "  - {id: fund, kind: state, date: 2013/.., as_of: 2018-03-28, title: A fund,"
        " summary: S, date_note: N,"
        f" sources: [{{source: mt, line: 12, span: [{span[0]}, {span[1]}], digest: {digest}}}]}}\n"
        "  - {id: said, kind: statement, date: ../2018-03-28, title: Said, summary: S,"
        " according_to: source, sources: [{source: mt, line: 12}]}\n"
        "  - {id: done, date: '1986', title: Done, summary: S, sources: [{source: mt, line: 12}]}\n",
        "utf-8",
    )
    return path


def ids(run, path: Path, *args: str) -> list[str]:
    result = run("--no-shipped", "--data", str(path), "timeline", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [e["id"] for e in json.loads(result.stdout)]


def test_kind_filters_the_timeline(run, tmp_path):
    path = write_log(tmp_path)
    assert ids(run, path, "--kind", "state") == ["fund"]
    assert ids(run, path, "-k", "statement", "-k", "event") == ["done", "said"]
    assert ids(run, path, "--year", "2016") == ["fund"]  # from 2013 as of 2018: covers 2016
    assert ids(run, path, "--year", "2017..", "--kind", "statement") == ["said"]


def test_an_unknown_kind_is_a_usage_error(run, tmp_path):
    result = run("--no-shipped", "--data", str(write_log(tmp_path)), "timeline", "--kind", "stat")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("cnblock: unknown kind 'stat'; did you mean 'state'")


def test_kind_completes_from_the_schema_s_kinds():
    assert common.complete_kind("st") == ["state", "statement"]
    assert common.complete_kind("") == ["event", "state", "statement", "plan", "speculation"]


def test_companies_keeps_kind_for_the_organisation_s_kind(run):
    result = run("companies", "--kind", "university", "--format", "json")
    assert result.exit_code == 0, result.output
    assert {r["kind"] for r in json.loads(result.stdout)} == {"university"}


def test_the_table_shows_kind_and_as_of(run, tmp_path):
    result = run("--no-shipped", "--data", str(write_log(tmp_path)), "timeline")
    assert "2013/.. (as of 2018-03-28)  [state] A fund" in result.stdout, result.output


def test_show_prints_the_cited_phrase_from_the_reader_s_text(run, tmp_path, seeds):
    line = (seeds / MT).read_text("utf-8").split("\n")[11]
    path = write_log(tmp_path, provenance.phrase_digest(line[5:20]))
    result = run(
        "--no-shipped", "--data", str(path), "show", "fund", env={"CNBLOCK_SEEDS": str(seeds)}
    )
    assert result.exit_code == 0, result.output
    assert f"\nCited      {line[:5]}“{line[5:20]}”{line[20:44]}…" in result.stdout, result.output
    assert "Kind       state" in result.stdout


def test_show_without_the_texts_says_how_to_see_the_phrase(run, tmp_path):
    path = write_log(tmp_path)
    result = run("--no-shipped", "--data", str(path), "show", "fund", env={"CNBLOCK_SEEDS": ""})
    assert "Cited      (set CNBLOCK_SEEDS to the folder of the article texts to see it)" in (
        result.stdout
    ), result.output


def test_show_does_not_print_a_phrase_whose_digest_does_not_match(run, tmp_path, seeds):
    result = run(
        "--no-shipped",
        "--data",
        str(write_log(tmp_path)),
        "show",
        "fund",
        env={"CNBLOCK_SEEDS": str(seeds)},
    )
    assert "Cited      (the text at hand does not match this citation)" in result.stdout


def test_show_with_a_bad_seeds_folder_still_shows_the_event(run, tmp_path):
    result = run(
        "--no-shipped",
        "--data",
        str(write_log(tmp_path)),
        "show",
        "fund",
        env={"CNBLOCK_SEEDS": str(tmp_path / "nowhere")},
    )
    assert result.exit_code == 0, result.output
    assert "Cited      (its text is not at hand (see: cnblock validate))" in result.stdout


@pytest.mark.parametrize("span", [(0, 5), (150, 168)])
def test_the_context_is_cut_with_an_ellipsis_only_where_the_line_goes_on(
    run, tmp_path, seeds, span
):
    line = (seeds / MT).read_text("utf-8").split("\n")[11]
    path = write_log(tmp_path, provenance.phrase_digest(line[span[0] : span[1]]), span)
    out = run(
        "--no-shipped", "--data", str(path), "show", "fund", env={"CNBLOCK_SEEDS": str(seeds)}
    ).stdout
    cited = out.split("\nCited", 1)[1].split("\n")[0].strip()
    assert cited.startswith("…") == (span[0] > provenance.CONTEXT), cited
    assert cited.endswith("…") == (span[1] + provenance.CONTEXT < len(line.rstrip()))
