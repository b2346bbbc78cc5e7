"""`cnblock add`: flags or prompts, names resolved like the filters, citations with computed
digests, the whole log checked before anything is written; and the whole loop from an empty
folder: source add, two add --cite, the timeline, validate."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

ARTICLE = (
    "BYD는 2021년 3월 블록체인 원장을 시험했다.\n\n비야디는 지난해 7월 탄소 거래를 발표했다.\n"
)
ADD = ("add", "--title", "BYD tests a ledger", "--summary", "BYD tested a ledger.")


@pytest.fixture
def here(run, tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CNBLOCK_SEEDS", raising=False)
    (tmp_path / "article.txt").write_text(ARTICLE, "utf-8")
    result = run(
        "source",
        "add",
        "article.txt",
        "--id",
        "my-art",
        "--publisher",
        "Me",
        "--published",
        "2021-03",
    )
    assert result.exit_code == 0, result.output
    return tmp_path


def test_end_to_end_from_an_empty_folder(run, here):
    first = run(
        *ADD,
        "--date",
        "2021-03",
        "--company",
        "비야디",
        "--tech",
        "blockchain",
        "--cite",
        "my-art:1:0-3",
    )
    assert first.stdout == "updated cnblock.yaml: event byd-tests-a-ledger\n", first.output
    second = run(
        "add",
        "--date",
        "2020-07",
        "--title",
        "BYD announces carbon trading",
        "--summary",
        "Carbon trading.",
        "--company",
        "比亚迪",
        "--cite",
        "my-art:3",
        "--note",
        "Last July, in a text of 2021.",
    )
    assert second.exit_code == 0, second.output
    text = (here / "cnblock.yaml").read_text("utf-8")
    digest = hashlib.sha256(b"BYD").hexdigest()[:12]
    assert f"sources: [{{source: my-art, line: 1, span: [0, 3], digest: {digest}}}]" in text
    assert "시험" not in text  # the article's words stay in the article
    timeline = run("timeline", "--company", "BYD", "--format", "json")
    ids = [e["id"] for e in json.loads(timeline.stdout)]
    assert ids[-2:] == ["byd-announces-carbon-trading", "byd-tests-a-ledger"]
    assert "byd-founded-as-battery-maker" in ids  # beside the shipped ones
    valid = run("validate")
    assert valid.exit_code == 0, valid.output
    assert "citations checked against 1 of 3 sources' texts" in valid.stdout
    (here / "article.txt").write_text(ARTICLE.replace("BYD", "XYZ"), "utf-8")
    altered = run("validate")
    assert altered.exit_code == 1
    assert "article.txt has sha256" in altered.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--date", "2021-13", "--cite", "my-art:1"), "'2021-13' has no month 13"),
        (
            ("--date", "2021", "--company", "BYDD", "--cite", "my-art:1"),
            "cnblock: unknown company 'BYDD'; did you mean 'BYD'?",
        ),
        (("--date", "2021", "--cite", "my-art:9"), "line 9 is outside the text (4 lines)"),
        (("--date", "2021", "--cite", "my-art:2"), "line 2 is blank"),
        (("--date", "2021", "--cite", "my-art:1:5-999"), "span 5-999 is outside line 1"),
        (("--date", "2021", "--cite", "my-ar:1"), "unknown source 'my-ar'; did you mean 'my-art'?"),
        (("--date", "2021", "--cite", "my-art"), "write SOURCE:LINE or SOURCE:LINE:START-END"),
        (("--date", "2019", "--cite", "my-art:1"), "no cited line states the year 2019"),
        (
            (
                "--date",
                "2021",
            ),
            "missing --cite",
        ),
        (("--date", "2021", "--kind", "rumour", "--cite", "my-art:1"), "unknown kind 'rumour'"),
    ],
)
def test_a_mistake_writes_nothing_exits_1_and_says_what(run, here, extra, message):
    before = (here / "cnblock.yaml").read_bytes()
    result = run(*ADD, *extra)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert (here / "cnblock.yaml").read_bytes() == before
    assert sorted(p.name for p in here.iterdir()) == ["article.txt", "cnblock.yaml"]


def test_the_id_comes_from_the_title_and_stays_unique(run, here):
    for _ in range(2):
        assert run(*ADD, "--date", "2021-03", "--cite", "my-art:1").exit_code == 0
    text = (here / "cnblock.yaml").read_text("utf-8")
    assert "  - id: byd-tests-a-ledger\n" in text
    assert "  - id: byd-tests-a-ledger-2\n" in text


def test_missing_values_are_asked_for(run, here):
    from typer.testing import CliRunner

    from cnblock.cli import app

    result = CliRunner().invoke(
        app,
        ["add", "-i", "--company", "BYD"],
        input="BYD tests a ledger\nBYD tested a ledger.\n2021-03\nmy-art:1:0-3\n",
        prog_name="cnblock",
    )
    assert result.exit_code == 0, result.output
    assert "Title: " in result.output
    assert "Cite (SOURCE:LINE or SOURCE:LINE:START-END): " in result.output
    assert "    entities: [byd]\n" in (here / "cnblock.yaml").read_text("utf-8")


def test_a_state_with_attribution(run, here):
    result = run(
        *ADD,
        "--kind",
        "state",
        "--as-of",
        "2021-03",
        "--according-to",
        "source",
        "--cite",
        "my-art:1",
    )
    assert result.exit_code == 0, result.output
    text = (here / "cnblock.yaml").read_text("utf-8")
    assert '    kind: state\n    as_of: "2021-03"\n    according_to: source\n' in text
    wrong = run(*ADD, "--date", "2021", "--according-to", "Nobody", "--cite", "my-art:1")
    assert (wrong.exit_code, "unknown entity 'Nobody'" in wrong.stderr) == (1, True)


def test_a_file_changed_meanwhile_is_not_overwritten(run, here, monkeypatch):
    from cnblock import additions

    real = additions.draft

    def draft_then_edit(*args, **kwargs):
        made = real(*args, **kwargs)
        with open(here / "cnblock.yaml", "a", encoding="utf-8") as f:
            f.write("# edited meanwhile\n")
        return made

    monkeypatch.setattr(additions, "draft", draft_then_edit)
    result = run(*ADD, "--date", "2021-03", "--cite", "my-art:1")
    assert result.exit_code == 1
    assert result.stderr == (
        "cnblock: cnblock.yaml changed while cnblock was adding to it; nothing was written:"
        " run the command again\n"
    )
    assert (here / "cnblock.yaml").read_text("utf-8").endswith("lines: 4\n# edited meanwhile\n")
