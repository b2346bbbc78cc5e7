"""Every position printed is a real line and column of the file as an editor shows it:
columns count characters (not bytes), lines break at LF (CRLF counts as one break), and the
line breaks that editors and YAML count differently (a lone CR, NEL, LS, PS) are refused
where they stand. Both parsers, libyaml's and PyYAML's own, are held to it."""

from __future__ import annotations

import pytest
import yaml

from cnblock import yamlnodes
from cnblock.errors import DataError

PARSERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture(params=PARSERS, ids=lambda p: p.__name__)
def parser(request, monkeypatch):
    monkeypatch.setattr(yamlnodes, "_Loader", request.param)


def problem(text: str) -> tuple[int, int, str]:
    with pytest.raises(DataError) as caught:
        yamlnodes.parse(text, "f.yaml")
    (found,) = caught.value.problems
    return found.location.line, found.location.col, found.message


def test_a_control_character_after_wide_characters_is_placed_by_characters(parser):
    """Regression: libyaml's byte offset was used as a character offset."""
    line, col, message = problem("schema: 1\ntitle: 比亚迪 비야디\x07\n")
    assert (line, col) == (2, 15)
    assert message == "YAML syntax: character U+0007 is not allowed in a YAML file"


@pytest.mark.parametrize(
    ("char", "name"),
    [("\r", "a carriage return (CR)"), ("\x85", "NEL"), ("\u2028", "LS"), ("\u2029", "PS")],
)
def test_line_breaks_editors_count_differently_are_refused_where_they_stand(parser, char, name):
    """Regression: a CR-only line break, NEL, LS or PS shifted every later position."""
    line, col, message = problem(f"schema: 1\nevents:{char}  - x\n  - 'a{char}b'\n")
    assert (line, col) == (2, 8)
    assert message.startswith(f"a line break other than LF or CRLF ({name}, U+{ord(char):04X})")


def test_crlf_is_one_line_break(parser):
    _root, problems = yamlnodes.parse("a: 1\r\nb: 2\r\nb: 3\r\n", "f.yaml")
    assert problems[0].location[1:] == (3, 1)


@pytest.mark.parametrize("text", ["a: [b", "a: {b: c", "a:\n  - [b, c", "a: b\n- c"])
def test_an_error_at_the_end_of_a_file_without_a_final_newline_is_on_its_last_line(parser, text):
    """Regression: libyaml placed it on the line after the last."""
    line, col, _ = problem(text)
    lines = text.split("\n")
    assert 1 <= line <= len(lines)
    assert 1 <= col <= len(lines[line - 1]) + 1


def _plain(node):
    """A node tree as plain values, positions included, to compare two readings."""
    if isinstance(node, yamlnodes.Scalar):
        return (node.value, node.loc, node.plain)
    if isinstance(node, yamlnodes.Seq):
        return (node.loc, [_plain(item) for item in node.items])
    return (node.loc, {k: (key.loc, _plain(value)) for k, (key, value) in node.items.items()})


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="libyaml is not installed")
def test_libyaml_events_are_taken_as_made_and_its_binding_is_left_as_found(monkeypatch):
    """The reader has libyaml make its events as yamlnodes._Event (their arguments kept as
    given, not set one by one); the binding's names are put back after, and where the binding
    does not agree, events are copied instead, with the same tree and problems."""
    import yaml._yaml as binding

    before = {name: getattr(binding, name) for name in yamlnodes._EVENTS}
    text = "a: [b, 'c', {d: 1}]\nd: &e !t {f: g}\nh: *e\nh: 2\n"
    fast_root, fast_problems = yamlnodes.parse(text, "f.yaml")
    assert {name: getattr(binding, name) for name in yamlnodes._EVENTS} == before
    assert yamlnodes._binding() is binding
    monkeypatch.setattr(yamlnodes, "_binding", lambda: None)
    copied_root, copied_problems = yamlnodes.parse(text, "f.yaml")
    assert _plain(copied_root) == _plain(fast_root)
    assert copied_problems == fast_problems
    assert [p.message for p in fast_problems] == [
        "anchors (&e) are not allowed",
        "tags (!t) are not allowed",
        "aliases (*e) are not allowed; write the value out",
        "duplicate key 'h' (first at line 3)",
    ]


def test_a_syntax_error_read_from_utf_8_is_placed_by_characters(parser):
    """libyaml reads the text as UTF-8; its error is still placed on the text's characters."""
    line, col, _ = problem("name: 比亚迪\nb: [c\nd: e\n")
    assert line in (2, 3)
    assert 1 <= col <= 6
