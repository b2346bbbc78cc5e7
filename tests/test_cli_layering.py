"""Layering: the shipped log, then the user's files on top; --no-shipped; ids unique across
files."""

from __future__ import annotations

import json

from cnblock import loader

MINE = (
    "schema: 1\n"
    "events:\n"
    "  - id: byd-my-event\n"
    "    date: '2021-03'\n"
    "    title: BYD does something in my notes\n"
    "    summary: Something.\n"
    "    date_note: From my own notes; the cited line only names BYD.\n"
    "    entities: [byd]\n"
    "    sources: [{source: coindesk-korea-2020, line: 14}]\n"
)


def ids(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [e["id"] for e in json.loads(result.stdout)]


def test_a_users_file_adds_to_the_shipped_log_from_any_folder(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.yaml").write_text(MINE, "utf-8")
    shipped = ids(run("timeline", "--company", "BYD", "--format", "json"))
    layered = ids(run("--data", "mine.yaml", "timeline", "--company", "BYD", "--format", "json"))
    assert layered == [*shipped, "byd-my-event"]
    from_env = run(
        "timeline", "--company", "BYD", "--format", "json", env={"CNBLOCK_DATA": "mine.yaml"}
    )
    assert ids(from_env) == layered


def test_cnblock_yaml_in_the_current_folder_is_loaded_unless_a_file_is_named(
    run, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cnblock.yaml").write_text(MINE, "utf-8")
    assert "byd-my-event" in ids(run("timeline", "--format", "json"))
    (tmp_path / "other.yaml").write_text("schema: 1\n", "utf-8")
    assert "byd-my-event" not in ids(run("--data", "other.yaml", "timeline", "--format", "json"))
    valid = run("validate")
    assert valid.stdout.startswith("ok: the shipped log, cnblock.yaml: 50 events,"), valid.output


def test_no_shipped_loads_only_the_named_files(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "alone.yaml").write_text(
        MINE.replace("[byd]", "[]").replace("coindesk-korea-2020", "notes")
        + "sources: [{id: notes, publisher: Me, published: '2021', language: en}]\n",
        "utf-8",
    )
    assert ids(run("--no-shipped", "--data", "alone.yaml", "timeline", "--format", "json")) == [
        "byd-my-event"
    ]
    refused = run("--no-shipped", "--data", "mine.yaml", "timeline")
    assert refused.exit_code == 1
    assert "mine.yaml:1:1: error: no such file" in refused.stderr


def test_no_shipped_with_nothing_else_is_a_usage_error(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--no-shipped", "timeline")
    assert result.exit_code == 2
    assert result.stderr == (
        "cnblock: --no-shipped leaves nothing to load: name a file with --data"
        " (or set CNBLOCK_DATA)\n"
    )


def test_a_users_file_may_not_redefine_a_shipped_record(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.yaml").write_text(
        MINE + "entities: [{id: byd, kind: company, name: Build Your Dreams}]\n", "utf-8"
    )
    result = run("--data", "mine.yaml", "timeline")
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(
        f"mine.yaml:10:17: error: duplicate entity id 'byd' (first at {loader.default_data_file()}:"
    ), result.stderr
    assert result.stdout == ""


def test_a_duplicate_between_two_users_files_names_both(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(MINE, "utf-8")
    (tmp_path / "b.yaml").write_text(MINE, "utf-8")
    result = run("--data", "a.yaml", "--data", "b.yaml", "--data", "./a.yaml", "validate")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "b.yaml:3:9: error: duplicate event id 'byd-my-event' (first at a.yaml:3:9)\n"
    ), result.output
    assert result.stdout.endswith("1 problem in the shipped log, a.yaml, b.yaml\n")
