"""The plain-text forms shared by tables and exports."""

from __future__ import annotations

from cnblock.model import Citation
from cnblock.text import citation_label, counted, printable

from logs import LOG


def test_printable_escapes_a_line_break_unless_told_to_keep_it():
    assert printable("a\nb") == "a\\x0ab"
    assert printable("a\nb", keep_newlines=True) == "a\nb"


def test_printable_escapes_by_code_point_size():
    assert printable("\x07\x85\u202e\U000e0001") == "\\x07\\x85\\u202e\\U000e0001"


def test_citation_labels_short_by_default_and_long_on_request():
    one = (Citation("press", 5),)
    two = (Citation("press", 5), Citation("press", 7))
    assert citation_label(LOG, two) == "Test Press l.5,7"
    assert citation_label(LOG, one, short=False) == "Test Press, line 5"
    assert citation_label(LOG, two, short=False) == "Test Press, lines 5, 7"


def test_counted():
    assert [counted(n, "event") for n in (0, 1, 2)] == ["0 events", "1 event", "2 events"]
