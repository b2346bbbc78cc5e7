"""Shared fixtures: the shipped log, the seed texts (when CNBLOCK_SEEDS names them), a runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from cnblock import loader
from cnblock.cli import app

from helpers import DATA  # noqa: F401 - fixtures of other modules use it

# The cache of loaded logs lives in a folder of the test run's own, never the user's; it is off
# unless a test asks for it, or the whole run does with CNBLOCK_TEST_CACHE=1 (the suite must
# pass both ways: the cache may change nothing but speed).
_CACHE_HOME = __import__("tempfile").mkdtemp(prefix="cnblock-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
os.environ["CNBLOCK_CACHE"] = "1" if os.environ.get("CNBLOCK_TEST_CACHE") == "1" else "0"


@pytest.fixture(scope="session")
def shipped():
    return loader.load([str(loader.default_data_file())])


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The folder with the article texts; the test is skipped, saying why, without it."""
    folder = os.environ.get("CNBLOCK_SEEDS")
    if not folder:
        pytest.skip("CNBLOCK_SEEDS is not set: the article texts are not part of the project")
    if not Path(folder).is_dir():
        pytest.fail(f"CNBLOCK_SEEDS names {folder}, which is not a folder")
    return Path(folder)


@pytest.fixture
def run(monkeypatch):
    """Run the CLI in-process with a clean environment; returns the Result."""
    monkeypatch.delenv("CNBLOCK_DATA", raising=False)
    for name in ("NO_COLOR", "FORCE_COLOR", "CNBLOCK_MAX_MIB"):  # what would change the output
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "160")  # wide enough that a title stays on one line
    runner = CliRunner()

    def invoke(*args: str, env: dict | None = None):
        return runner.invoke(app, list(args), env=env, catch_exceptions=False, prog_name="cnblock")

    return invoke


# Property tests try 1,000 examples each in CI (.ci/run sets HYPOTHESIS_PROFILE=ci, and most CI
# services set CI), fewer by default.
# tools/mutate.py asks for few examples: it runs the tests once a mutant.
settings.register_profile("ci", max_examples=1000, deadline=None)
settings.register_profile("mutation", max_examples=30, deadline=None)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif os.environ.get("CI"):
    settings.load_profile("ci")
