"""`cnblock source add`: a text registered in the user's file, its words never copied;
anything wrong writes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cnblock import loader

ARTICLE = "BYD tested a ledger in March 2021.\n\nLast year it had said no.\n"
ADD = (
    "source",
    "add",
    "article.txt",
    "--id",
    "mine",
    "--publisher",
    "Me",
    "--published",
    "2021-03",
)


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CNBLOCK_SEEDS", raising=False)
    (tmp_path / "article.txt").write_text(ARTICLE, "utf-8")
    return tmp_path


def test_source_add_makes_a_valid_file_that_records_the_text_but_not_its_words(run, here):
    result = run(*ADD, "--title", "A: test", "--url", "https://example.org/a")
    assert result.exit_code == 0, result.output
    sha = hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert result.stdout == (
        f"created cnblock.yaml: source mine, article.txt, 4 lines, sha256 {sha[:12]}...,"
        " language en (guessed from the text; --language sets it)\n"
        "Cite it with: cnblock add --cite mine:LINE ...\n"
    )
    written = (here / "cnblock.yaml").read_text("utf-8")
    assert written == (
        "schema: 2\n\nsources:\n"
        '  - id: mine\n    publisher: Me\n    title: "A: test"\n    published: "2021-03"\n'
        '    language: en\n    url: "https://example.org/a"\n    text: article.txt\n'
        f"    sha256: {sha}\n    lines: 4\n"
    )
    assert "ledger" not in written
    source = loader.load([str(loader.default_data_file()), "cnblock.yaml"]).sources["mine"]
    assert (source.text, source.lines, source.sha256) == ("article.txt", 4, sha)
    valid = run("validate")
    assert "citations checked against 1 of 3 sources' texts" in valid.stdout, valid.output


def test_source_add_appends_to_an_existing_file_keeping_its_comments(run, here):
    (here / "mine.yaml").write_text(
        "# my notes\nschema: 1  # the version\n\nsources: []\n", "utf-8"
    )
    result = run("--data", "mine.yaml", *ADD, "--language", "ko")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("updated mine.yaml: source mine,")
    assert "(guessed" not in result.stdout
    text = (here / "mine.yaml").read_text("utf-8")
    assert text.startswith(
        "# my notes\nschema: 1  # the version\n\nsources: [{id: mine, publisher: Me,"
    )
    assert result.stderr == ""


def test_the_text_is_recorded_relative_to_the_file_written(run, here):
    (here / "log").mkdir()
    result = run(*ADD, "--to", "log/mine.yaml")
    assert result.exit_code == 0, result.output
    assert '    text: "../article.txt"\n' in (here / "log" / "mine.yaml").read_text("utf-8")
    assert result.stderr == (
        "note: log/mine.yaml is not among the files cnblock loads; name it with"
        " --data log/mine.yaml or in CNBLOCK_DATA\n"
    )
    assert run("--data", "log/mine.yaml", "validate").exit_code == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--id", "Mine"), "cnblock.yaml:4:9: error: 'Mine' is not a valid id"),
        (("--published", "2021-02-30"), "error: '2021-02-30' is not a day of the calendar"),
        (("--id", "coindesk-korea-2020"), "error: duplicate source id 'coindesk-korea-2020'"),
    ],
)
def test_a_mistake_writes_nothing_and_says_where(run, here, change, message):
    args = list(ADD)
    flag = args.index(change[0])
    args[flag + 1] = change[1]
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr, result.stderr
    assert result.stderr.endswith("; nothing was written\n")
    assert not (here / "cnblock.yaml").exists()
    assert [p.name for p in here.iterdir()] == ["article.txt"]  # no temporary file either


def test_a_second_source_with_the_same_id_is_refused_and_the_file_kept(run, here):
    assert run(*ADD).exit_code == 0
    before = (here / "cnblock.yaml").read_bytes()
    result = run(*ADD)
    assert result.exit_code == 1
    assert "duplicate source id 'mine' (first at cnblock.yaml:4:9)" in result.stderr
    assert (here / "cnblock.yaml").read_bytes() == before


def test_a_broken_target_file_is_reported_where_it_is_broken(run, here):
    (here / "cnblock.yaml").write_text("schema: 1\nsources: [\n", "utf-8")
    result = run(*ADD)
    assert result.exit_code == 1
    assert result.stderr.startswith("cnblock.yaml:2:11: error: YAML syntax"), result.stderr
    assert (here / "cnblock.yaml").read_text("utf-8") == "schema: 1\nsources: [\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "cnblock: hostile: is a directory, not a text\n"),
        (
            lambda p: p.write_bytes(b"ok\nbad \xff\n"),
            "cnblock: hostile:2:5: is not valid UTF-8 (byte 0xff)\n",
        ),
        (
            lambda p: p.write_bytes(b" \n\n"),
            "cnblock: hostile: is empty; a source needs a text to cite\n",
        ),
        (
            lambda p: p.write_bytes(b"x" * (50 * 1024 * 1024)),
            "cnblock: hostile: is 52,428,800 bytes; a text may have at most 8,388,608 bytes (8 MiB)\n",
        ),
        (lambda p: None, "cnblock: hostile: no such file\n"),
    ],
    ids=["directory", "invalid-utf8", "empty", "50MB", "missing"],
)
def test_a_hostile_text_gets_one_clear_line_and_nothing_is_written(run, here, make, message):
    make(here / "hostile")
    args = list(ADD)
    args[2] = "hostile"
    result = run(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (1, message, "")
    assert not (here / "cnblock.yaml").exists()


def test_a_text_with_escapes_and_overrides_is_registered(run, here):
    (here / "odd\u202e.txt").write_text("BYD \x1b]0;owned\x07 \u202egnp.exe 2021\n", "utf-8")
    args = list(ADD)
    args[2] = "odd\u202e.txt"
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout
    assert "odd\\u202e.txt" in result.stdout


def test_a_file_name_with_escape_sequences_is_refused_escaped_and_nothing_written(run, here):
    name = "evil\x1b[31m.txt"
    (here / name).write_text("BYD 2021\n", "utf-8")
    args = list(ADD)
    args[2] = name
    result = run(*args)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert "'text' holds the control character U+001B" in result.stderr
    assert result.stderr.endswith("nothing was written\n")
    assert not (here / "cnblock.yaml").exists()
    missing = run(*[a if a != name else name + "-gone" for a in args])
    assert "\x1b" not in missing.stderr
    assert "evil\\x1b" in missing.stderr


def test_the_language_is_guessed_from_the_script():
    from cnblock.additions import guess_language

    assert guess_language("비야디는 2021년 BYD 블록체인") == "ko"
    assert guess_language("比亚迪在2021年测试了区块链 BYD") == "zh"
    assert guess_language("ビーワイディーはブロックチェーンを試した") == "ja"
    assert guess_language("BYD tested 比亚迪 a ledger in March") == "en"
    assert guess_language("2021 — 12") == "und"


# source show -------------------------------------------------------------------------------

SHOWN = (
    "schema: 2\n"
    "sources:\n"
    "  - {{id: mine, publisher: Me, published: '2021', language: en, text: {text},"
    " sha256: {sha}}}\n"
    "events:\n"
    "  - {{id: ledger-test, date: '2021-03', title: T, summary: S, entities: [byd],"
    " sources: [{{source: mine, line: 1, span: [0, 10], digest: {digest}}}]}}\n"
)


def shown_log(here: Path, text: bytes, name: str = "article.txt") -> None:
    (here / name).write_bytes(text)
    phrase = text.split(b"\n")[0].decode("utf-8", "replace")[:10]
    (here / "cnblock.yaml").write_text(
        SHOWN.format(
            text=name,
            sha=hashlib.sha256(text).hexdigest(),
            digest=hashlib.sha256(phrase.encode()).hexdigest()[:12],
        ),
        "utf-8",
    )


def test_source_show_numbers_the_lines_and_names_the_citing_events(run, here):
    shown_log(here, ARTICLE.encode())
    result = run("source", "show", "mine")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "1 | BYD tested a ledger in March 2021.\n"
        "  | cited by ledger-test [0:10]\n"
        "2 | \n"
        "3 | Last year it had said no.\n"
        "4 | \n"
    )


def test_source_show_highlights_the_cited_span(run, here):
    shown_log(here, ARTICLE.encode())
    result = run("source", "show", "mine", env={"FORCE_COLOR": "1", "NO_COLOR": None})
    assert "\x1b[1;33mBYD tested\x1b[0m a ledger" in result.stdout, repr(result.stdout)


def test_uncited_lists_the_dated_lines_no_event_cites(run, here):
    shown_log(here, ARTICLE.encode())
    result = run("source", "show", "mine", "--uncited")
    assert result.stdout == "3 | Last year it had said no.\n  | states Last year\n"
    (here / "cnblock.yaml").write_text(
        (here / "cnblock.yaml").read_text("utf-8").replace("line: 1,", "line: 3,"), "utf-8"
    )
    result = run("source", "show", "mine", "--uncited")
    assert result.stdout.startswith(
        "1 | BYD tested a ledger in March 2021.\n  | states March, 2021"
    )


def test_a_hostile_text_is_shown_escaped(run, here):
    shown_log(
        here, "BYD \x1b[2J\x1b]0;owned\x07 \u202eevil 2021\nok \xff\n".encode() + b"bad \xff\n"
    )
    result = run("source", "show", "mine")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "1 | BYD \\x1b[2J\\x1b]0;owned\\x07 \\u202eevil 2021\n" in result.stdout
    assert "3 | bad \\xff\n" in result.stdout
    assert "note: article.txt is not valid UTF-8; its bad bytes are shown as \\xNN" in result.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.mkdir(),
            "cnblock: cannot show mine: article.txt: is a directory, not a text\n",
        ),
        (
            lambda p: p.write_bytes(b"x" * (50 * 1024 * 1024)),
            "cnblock: cannot show mine: article.txt: is 52,428,800 bytes; a text may have at most 8,388,608 bytes (8 MiB)\n",
        ),
    ],
    ids=["directory", "50MB"],
)
def test_a_text_that_cannot_be_shown_gets_one_line(run, here, make, message):
    shown_log(here, ARTICLE.encode())
    (here / "article.txt").unlink()
    make(here / "article.txt")
    result = run("source", "show", "mine")
    assert (result.exit_code, result.stderr, result.stdout) == (1, message, "")


def test_an_altered_or_missing_text_is_said_so(run, here):
    shown_log(here, ARTICLE.encode())
    (here / "article.txt").write_text(ARTICLE + "more\n", "utf-8")
    result = run("source", "show", "mine")
    assert result.exit_code == 0
    assert result.stderr.startswith("note: article.txt is not the text recorded for mine")
    (here / "article.txt").unlink()
    result = run("source", "show", "mine")
    assert (result.exit_code, result.stderr) == (
        1,
        "cnblock: cannot show mine: article.txt: no such file\n",
    )
    result = run("source", "show", "coindesk-korea-2020")
    assert result.stderr == "cnblock: cannot show coindesk-korea-2020: CNBLOCK_SEEDS is not set\n"
    result = run("source", "show", "mien")
    assert (result.exit_code, result.stderr) == (
        2,
        "cnblock: unknown source 'mien'; did you mean 'mine'?\n",
    )


def test_the_shipped_sources_dated_lines_are_all_cited_but_a_biography(run, seeds, monkeypatch):
    monkeypatch.setenv("CNBLOCK_SEEDS", str(seeds))
    result = run("source", "show", "money-today-2018", "--uncited")
    assert (result.stdout, result.stderr) == (
        "",
        "every dated line of money-today-2018 is cited by an event\n",
    )
    result = run("source", "show", "coindesk-korea-2020", "--uncited")
    numbers = [
        line.split(" |")[0] for line in result.stdout.splitlines() if not line.startswith(" ")
    ]
    assert numbers == ["53"], result.stdout  # the reporter's biography, not an event
