"""The README's format section names every field the loader reads, and shows every schema 2
field in an example."""

from __future__ import annotations

import re
from pathlib import Path

from cnblock import loader

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
SECTION = README.split("## The data format", 1)[1].split("\n## ", 1)[0]


def test_every_field_is_named_in_the_format_section():
    fields = {name for spec in loader._FIELDS.values() for name in spec}
    missing = sorted(f for f in fields if f"`{f}`" not in SECTION and f" {f}: " not in SECTION)
    assert missing == []


def test_every_schema_2_field_has_an_example():
    examples = "\n".join(re.findall(r"```yaml\n(.*?)```", SECTION, re.S))
    new = {name for names in loader._SCHEMA2_KEYS.values() for name in names}
    assert sorted(f for f in new if f"{f}:" not in examples) == []
    assert re.search(r"date: \S+/\S+", examples)  # an interval


def test_the_filter_semantics_of_open_ends_are_documented():
    flat = " ".join(SECTION.split())
    assert "`../2018-03-28` matches `--until 2018` and `--year 2018` but not `--year 2016`" in flat
