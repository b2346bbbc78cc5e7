"""`cnblock export` through the CLI against the shipped log."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from cnblock import loader

from helpers import tables


def byd_titles(run) -> list[str]:
    return [
        e["title"]
        for e in json.loads(run("timeline", "--company", "BYD", "--format", "json").stdout)
    ]


def test_byd_to_markdown_then_no_overwrite(run, tmp_path):
    target = tmp_path / "byd.md"
    result = run("export", "--company", "BYD", "--format", "markdown", "-o", str(target))
    assert result.exit_code == 0, result.output
    titles = byd_titles(run)
    assert result.stderr == f"wrote {len(titles)} events (markdown) to {target}\n"
    text = target.read_text("utf-8")
    for title in titles:
        assert text.count(title) == 1, title
    parsed = tables(text)
    assert parsed
    assert all(len(row) == 6 for table in parsed for row in table)
    assert sum(len(table) - 1 for table in parsed) == len(byd_titles(run))

    again = run("export", "--company", "BYD", "--format", "markdown", "-o", str(target))
    assert again.exit_code == 1
    assert again.stderr == f"cnblock: {target}: already exists; add --force to replace it\n"
    assert target.read_text("utf-8") == text
    assert run("export", "-c", "BYD", "-o", str(target), "--force").exit_code == 0


def test_markdown_is_the_default_and_goes_to_stdout(run):
    out = run("export", "--company", "BYD", "--year", "1995").stdout
    assert out.startswith("# cnblock timeline: company BYD, year 1995\n")
    assert (
        "| 1995 | event | Wang Chuanfu founds the battery maker from which BYD grew | BYD, Wang Chuanfu |  | CoinDesk Korea, line 14 |"
        in out
    )


def test_markdown_renders_on_a_commonmark_parser(run):
    # the interview's rows all fall under 2018 (its states are as of 2018-03-28)
    out = run("export", "--year", "2018", "--source", "money-today-2018", "--long").stdout
    rendered = MarkdownIt("commonmark").enable("table").render(out)
    assert rendered.count("<table>") == 1
    assert "<h2>2018</h2>" in rendered


@pytest.mark.parametrize(
    "filters",
    [
        ["--company", "BYD"],
        ["--year", "2018"],
        ["--person", "王兴"],
        ["--tech", "DCEP"],
        ["--company", "Meituan", "--since", "2019"],
        [],
    ],
)
def test_yaml_subset_round_trips(run, tmp_path, filters):
    target = tmp_path / "subset.yaml"
    assert run("export", "--format", "yaml", "-o", str(target), *filters).exit_code == 0
    valid = run("--no-shipped", "--data", str(target), "validate")
    assert valid.exit_code == 0, valid.output
    assert valid.stdout.startswith(f"ok: {target}:"), valid.output
    reloaded = json.loads(
        run("--no-shipped", "--data", str(target), "timeline", "--format", "json").stdout
    )
    shipped = json.loads(run("timeline", "--format", "json", *filters).stdout)
    # a subset keeps a printed marker only where its own events cite the printing source
    for got, want in zip(reloaded, shipped, strict=True):
        for entity, full in zip(got["entities"], want["entities"], strict=True):
            kept = entity.pop("printed")
            assert kept.items() <= full.pop("printed").items(), entity["id"]
    assert reloaded == shipped
    original = {e.id: e for e in loader.load([str(loader.default_data_file())]).events}
    for event in loader.load([str(target)]).events:
        assert event == original[event.id]


def test_yaml_subset_validates_against_the_texts(run, tmp_path, seeds, monkeypatch):
    target = tmp_path / "subset.yaml"
    run("export", "--format", "yaml", "-o", str(target), "--company", "Meituan")
    monkeypatch.setenv("CNBLOCK_SEEDS", str(seeds))
    result = run("--no-shipped", "validate", str(target))
    assert result.exit_code == 0, result.output
    assert "citations checked against every source's text" in result.stdout
    assert "not checked" not in result.output


def test_json_csv_and_timelinejs(run):
    byd = [e["id"] for e in json.loads(run("timeline", "-c", "BYD", "--format", "json").stdout)]
    as_json = json.loads(run("export", "--format", "json", "--company", "BYD").stdout)
    assert [e["id"] for e in as_json["events"]] == byd
    assert [s["id"] for s in as_json["sources"]] == ["coindesk-korea-2020"]
    as_csv = run("export", "--format", "csv", "--company", "BYD").stdout.splitlines()
    assert len(as_csv) == 1 + len(byd)
    tl = json.loads(run("export", "--format", "timelinejs", "--company", "BYD").stdout)
    assert [e["unique_id"] for e in tl["events"]] == byd
    assert tl["events"][0]["start_date"] == {"year": "1995", "display_date": "1995"}


def test_export_refuses_to_overwrite_its_input_even_with_force(run, tmp_path):
    data = tmp_path / "events.yaml"
    data.write_text(Path(loader.default_data_file()).read_text("utf-8"), "utf-8")
    before = data.read_bytes()
    result = run(
        "--no-shipped",
        "--data",
        str(data),
        "export",
        "--format",
        "yaml",
        "-o",
        str(data),
        "--force",
    )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"cnblock: {data}: is one of the data files being read; write the export elsewhere\n"
    )
    assert data.read_bytes() == before


def test_export_into_a_missing_folder(run, tmp_path):
    target = tmp_path / "no" / "such" / "out.md"
    result = run("export", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"cnblock: {target}: the folder {target.parent} does not exist\n"
    assert "Traceback" not in result.output


def test_export_with_an_unknown_filter_is_a_usage_error(run, tmp_path):
    result = run("export", "--company", "Tesla", "-o", str(tmp_path / "x.md"))
    assert result.exit_code == 2
    assert not (tmp_path / "x.md").exists()


def test_an_unknown_format_is_a_usage_error(run):
    result = run("export", "--format", "docx")
    assert result.exit_code == 2
    assert "docx" in result.stderr


def test_export_with_force_onto_a_fifo_is_refused(run, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("export", "-o", str(fifo), "--force", "--format", "csv")
    assert result.exit_code == 1, result.output
    assert "is not a regular file (a device, a pipe or a socket)" in result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_csv_is_utf8_without_a_byte_order_mark_in_a_file_and_on_standard_output(run, tmp_path):
    """What the README tells spreadsheet users to choose on import: UTF-8, comma-separated."""
    target = tmp_path / "byd.csv"
    assert run("export", "--company", "BYD", "-o", str(target)).exit_code == 0
    raw = target.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")  # raises if it is not UTF-8
    assert text.splitlines()[0].startswith("id,kind,date,date_precision,")
    assert "비야디" in text
    assert "比亚迪" in text
    piped = run("timeline", "--company", "BYD", "--format", "csv").stdout_bytes
    assert "比亚迪".encode() in piped
    assert not piped.startswith(b"\xef\xbb\xbf")
