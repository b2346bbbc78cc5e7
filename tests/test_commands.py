"""The command layer's own machinery, on a small log: the shared filter options, the output
dispatch, the global options and the error translation point."""

from __future__ import annotations

import inspect
import json
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from cnblock import query
from cnblock.commands import common

from helpers import DATA

VALID = str(DATA / "valid.yaml")


def test_with_filters_adds_every_filter_option_and_hands_over_one_filters_value():
    seen: list[query.Filters] = []

    @common.with_filters
    def listing(
        filters: query.Filters,
        wide: Annotated[bool, typer.Option("--wide")] = False,
    ) -> None:
        seen.append(filters)
        typer.echo(f"wide={wide}")

    parameters = list(inspect.signature(listing).parameters)
    assert parameters == ["wide", *common.FILTER_OPTIONS], parameters
    app = typer.Typer()
    app.command()(listing)
    result = CliRunner().invoke(
        app, ["--wide", "-c", "BYD", "--company", "比亚迪", "--year", "2018", "--since", "2018-09"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "wide=True\n"
    assert seen == [query.Filters(company=("BYD", "比亚迪"), year=("2018",), since="2018-09")]


def test_with_filters_refuses_a_command_without_a_filters_parameter():
    def plain() -> None: ...

    with pytest.raises(TypeError, match="plain takes no 'filters' parameter"):
        common.with_filters(plain)


def test_filters_from_drops_options_not_given():
    assert common.filters_from({"company": ["a"], "year": None, "grep": []}) == query.Filters(
        company=("a",)
    )


def test_tech_and_sources_tables(run):
    tech = run("--no-shipped", "--data", VALID, "tech").stdout
    assert "blockchain" in tech
    assert "Blockchain" in tech
    sources = run("--no-shipped", "--data", VALID, "sources").stdout
    assert "test-press" in sources
    assert "Test Press" in sources
    assert "2020-05" in sources


def test_listing_csv_is_derived_from_the_json_records(run):
    records = json.loads(run("--no-shipped", "--data", VALID, "tech", "--format", "json").stdout)
    csv_lines = run("--no-shipped", "--data", VALID, "tech", "--format", "csv").stdout.splitlines()
    assert csv_lines[0].split(",") == list(records[0])
    assert csv_lines[1].startswith("blockchain,Blockchain,")


def test_version(run):
    from cnblock import __version__

    assert run("--version").stdout == f"cnblock {__version__}\n"


def test_completion_offers_nothing_when_the_log_cannot_be_loaded(monkeypatch, tmp_path):
    monkeypatch.setenv("CNBLOCK_DATA", str(tmp_path / "missing.yaml"))
    assert common.complete("company")("b") == []


def test_a_data_error_is_reported_once_with_its_position(run, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema: 1\nevents: [oops]\n", "utf-8")
    result = run("--data", str(broken), "timeline")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{broken}:2:10: error: each event must be a mapping")
    assert result.stderr.endswith("cnblock: 1 problem in the data\n")
