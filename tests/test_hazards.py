"""A scan for classes of hostile input: a log holding a hazard in every field, read through
every command and format as if on a terminal; a file name, an argument and a suggestion
holding escape sequences. Nothing may reach the terminal raw (ANSI colour that cnblock itself
draws excepted); every CSV cell and header stays text to a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pytest

from cnblock.commands import common, streams

# Hazards that may be in a data file (control characters are refused at load; see
# test_control_characters_in_a_data_file_are_refused_where_they_stand): bidi overrides and
# isolates, zero-width and invisible characters, markup of Rich, Markdown and HTML, formula
# starts, and CJK that must come through whole.
HAZARD = "[bold]b[/] \u202eevil\u202c \u2066iso\u2069 zw\u200b\u200d\ufeff <i>&amp; =1+2 비야디"
FORMULA = "=2+5"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hazard_log() -> str:
    h = _quoted(HAZARD)
    url = _quoted("https://example.org/\u202e" + HAZARD)
    formula = _quoted(FORMULA)
    return f"""schema: 1
sources:
  - {{id: src, publisher: {h}, published: "2020", language: en, title: {h}, author: {h},
     url: {url}, note: {h}}}
entities:
  - {{id: org, kind: company, name: {formula}, names: {{zh: {h}}}, aliases: [{h}],
     note: {h}}}
  - {{id: who, kind: person, name: {h}, affiliations: [org]}}
technologies:
  - {{id: tech, name: {h}, aliases: [{h}], description: {h}}}
events:
  - id: one
    date: "2018"
    title: {h}
    summary: {h}
    date_note: {h}
    place: {h}
    entities: [org, who]
    technologies: [tech]
    sources: [{{source: src, line: 1}}]
"""


ESCAPE_IN_NAME = "log\x1b]2;retitled\x07.yaml"

COMMANDS = [
    ["timeline", "--long"],
    ["years"],
    ["years", "--by", "company"],
    ["show", "one"],
    ["companies"],
    ["people"],
    ["tech"],
    ["sources"],
]
FORMATS = ["table", "json", "csv"]
EXPORTS = ["markdown", "csv", "json", "yaml", "timelinejs", "html"]

_SGR = re.compile("\x1b\\[[0-9;]*m")
_UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def raw_controls(output: str) -> list[str]:
    """What in `output` a terminal would act on or hide, besides cnblock's own colours."""
    text = _SGR.sub("", output)
    return sorted({c for c in text if c not in "\n\t" and unicodedata.category(c) in _UNSAFE})


@pytest.fixture
def on_a_terminal(monkeypatch, tmp_path, run):
    """Run cnblock on the hazard log as if standard output were a terminal."""
    monkeypatch.setattr(streams, "is_terminal", lambda stream: True)
    monkeypatch.setattr(common, "is_terminal", lambda stream: True)
    monkeypatch.setenv("CNBLOCK_PAGER", "cat")
    path = tmp_path / ESCAPE_IN_NAME
    path.write_text(hazard_log(), "utf-8")

    def invoke(*args: str):
        return run("--no-shipped", "--data", str(path), *args)

    return invoke


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_listing_lets_a_hazard_reach_the_terminal(on_a_terminal, command, fmt):
    result = on_a_terminal(*command, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == [], result.output
    assert "비야디" in result.output or "\\ube44" in result.output or command[0] == "years"


@pytest.mark.parametrize("fmt", EXPORTS)
def test_no_export_lets_a_hazard_reach_the_terminal(on_a_terminal, fmt):
    result = on_a_terminal("export", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == [], result.output


def test_validate_escapes_the_file_name(on_a_terminal):
    result = on_a_terminal("validate")
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == [], result.output
    assert "log\\x1b]2;retitled\\x07.yaml" in result.output


def test_a_problem_report_escapes_the_file_name(run, tmp_path):
    path = tmp_path / ESCAPE_IN_NAME
    path.write_text("schema: 1\nevents: [\n", "utf-8")
    result = run("--no-shipped", "--data", str(path), "timeline")
    assert result.exit_code == 1
    assert raw_controls(result.output) == [], result.output
    assert "log\\x1b]2;retitled\\x07.yaml:2:10: error: YAML syntax" in result.output


def test_an_export_written_to_a_file_says_where_escaped(run, tmp_path):
    target = tmp_path / "out\x1b[?1049h.md"
    result = run("export", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == [], result.output
    assert "out\\x1b[?1049h.md" in result.output


def test_suggestions_and_arguments_are_escaped(on_a_terminal):
    """Regression: "did you mean" printed a data file's names raw (an alias could set the
    terminal's title or write its clipboard)."""
    result = on_a_terminal("timeline", "--company", HAZARD[:40] + "\x1b]52;c;aGk=\x07")
    assert result.exit_code == 2, result.output
    assert raw_controls(result.output) == [], result.output
    assert "did you mean" in result.output
    assert "\\u202eevil" in result.output


def test_completion_leaves_out_names_a_shell_cannot_show(monkeypatch, tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text(hazard_log(), "utf-8")
    from typer.main import get_command

    from cnblock.cli import app
    from cnblock.commands import completion

    monkeypatch.setenv("CNBLOCK_DATA", str(path))
    monkeypatch.setenv(completion.WORDS_ENV, "timeline\n--tech")
    monkeypatch.setenv(completion.INCOMPLETE_ENV, "")
    out = completion.ZshComplete(get_command(app), {}, "cnblock", "_CNBLOCK_COMPLETE").complete()
    names = [line.split("\t")[0] for line in out.splitlines()[1:]]
    assert "tech" in names  # its id, since its name cannot be shown
    assert raw_controls(out) == []


def test_every_csv_cell_and_header_stays_text(on_a_terminal, monkeypatch):
    """Regression: `years --by company --format csv` wrote `=2+5` into the header unprefixed."""
    monkeypatch.setattr(streams, "is_terminal", lambda stream: False)
    outputs = [
        on_a_terminal("years", "--by", "company", "--format", "csv").output,
        on_a_terminal("export", "--format", "csv").output,
        on_a_terminal("companies", "--format", "csv").output,
    ]
    for output in outputs:
        for row in csv.reader(io.StringIO(output, newline="")):
            for cell in row:
                for line in re.split("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", cell):
                    assert not line.startswith(("=", "+", "-", "@", "\t")), row
    assert "'=2+5" in outputs[0].splitlines()[0]


# Display text is capped (issue 8, 27e): a value of megabytes took the table renderer minutes.
LONG = "ꙮ" * 100_000


def long_log() -> str:
    """Every free text of the log, and every name, LONG; three entities of an event."""
    return (
        hazard_log()
        .replace(_quoted(HAZARD), LONG)
        .replace(_quoted(FORMULA), LONG)
        .replace("entities: [org, who]", "entities: [org, who, more]")
        .replace(
            "technologies:\n", f"  - {{id: more, kind: company, name: {LONG}}}\ntechnologies:\n"
        )
    )


@pytest.mark.parametrize(
    "command", [*COMMANDS, ["timeline"], ["chart"], ["chart", "--by", "tech"]], ids=" ".join
)
def test_no_view_shows_a_value_whole_past_the_cap(run, tmp_path, monkeypatch, command):
    """Scan: every terminal view of a log whose every text and name is 100,000 characters
    shows each capped with an ellipsis (names in lists, chart labels and show included);
    less than half of one such value in all would come through."""
    monkeypatch.setattr(streams, "is_terminal", lambda stream: True)
    monkeypatch.setattr(common, "is_terminal", lambda stream: True)
    monkeypatch.setenv("CNBLOCK_PAGER", "cat")
    path = tmp_path / "long.yaml"
    path.write_text(long_log(), "utf-8")
    result = run("--no-shipped", "--data", str(path), *command)
    assert result.exit_code == 0, result.output[:2000]
    assert 0 < result.output.count("ꙮ") < len(LONG) // 2, command
    assert "…" in result.output or "..." in result.output


def test_a_text_line_of_megabytes_is_shown_capped():
    from cnblock import sourceview

    shown = sourceview.view(["x" * 1_000_000, "short"], {}).plain
    assert shown.splitlines()[0] == "1 | " + "x" * 4000 + "…"
    assert shown.splitlines()[1] == "2 | short"


def test_names_in_a_list_are_capped_each_and_all():
    from cnblock import render

    assert render.name_list(["a" * 5000]).plain == "a" * render.MAX_CELL + "…"
    many = render.name_list([f"n{i}" for i in range(10_000)]).plain
    assert len(many) == render.MAX_CELL + 1
    assert many.endswith("…")
    assert render.name_list(["x" * 10] * 5, limit=2).plain.endswith(" and 3 more")
