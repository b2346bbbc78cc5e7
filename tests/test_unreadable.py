"""An unreadable data file is a positioned problem, exit 1, however it is named (issue 8, 24).
Run as a user that cannot read it: root can read anything, so as root the commands run with
the privileges of nobody (setpriv), or the test is skipped and says why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

VALID = Path(__file__).parent / "data" / "valid.yaml"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def _prefix() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root, and setpriv is not here to drop privileges")
    probe = subprocess.run(  # from "/", as the commands run: not the checkout's ./cnblock
        [*NOBODY, sys.executable, "-c", "import cnblock"], cwd="/", check=False
    )
    if probe.returncode != 0:
        pytest.skip("running as root, and nobody cannot run this Python or import cnblock")
    return NOBODY


@pytest.fixture
def folder():
    """A folder anyone may enter (pytest's own are the owner's only), removed after."""
    path = Path(tempfile.mkdtemp(prefix="cnblock-unreadable-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def _cnblock(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "CNBLOCK_DATA"}
    environ |= {"CNBLOCK_CACHE": "0", "NO_COLOR": "1"} | (env or {})
    return subprocess.run(
        [*_prefix(), sys.executable, "-m", "cnblock", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd="/",
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("how", "args", "env", "tail"),
    [
        (
            "--data",
            ["--no-shipped", "--data", "{f}", "timeline"],
            {},
            "cnblock: 1 problem in the data\n",
        ),
        (
            "CNBLOCK_DATA",
            ["--no-shipped", "timeline"],
            {"CNBLOCK_DATA": "{f}"},
            "cnblock: 1 problem in the data\n",
        ),
        ("validate", ["--no-shipped", "validate", "{f}"], {}, "1 problem in {f}\n"),
        (
            "check",
            ["--no-shipped", "check", "schema"],
            {"CNBLOCK_DATA": "{f}"},
            "schema: 1 error, 0 warnings in {f}\n",
        ),
    ],
    ids=["--data", "CNBLOCK_DATA", "validate", "check"],
)
def test_an_unreadable_data_file_is_a_positioned_problem(folder, how, args, env, tail):
    """Regression: `--data FILE` of a file the user cannot read gave Typer's usage box, exit 2."""
    path = folder / "secret.yaml"
    path.write_text(VALID.read_text("utf-8"), "utf-8")
    path.chmod(0)
    result = _cnblock(
        *[a.format(f=path) for a in args], env={k: v.format(f=path) for k, v in env.items()}
    )
    shown = result.stdout + result.stderr
    assert result.returncode == 1, shown
    assert f"{path}:1:1: error: cannot read: Permission denied" in shown, shown
    assert shown.endswith(tail.format(f=path)), shown
    assert "Usage" not in shown, shown


@pytest.mark.parametrize("how", ["--data", "CNBLOCK_DATA", "validate"])
def test_a_data_path_that_is_a_folder_is_a_positioned_problem(folder, how):
    args = {
        "--data": ["--no-shipped", "--data", str(folder), "companies"],
        "CNBLOCK_DATA": ["--no-shipped", "companies"],
        "validate": ["--no-shipped", "validate", str(folder)],
    }[how]
    result = _cnblock(*args, env={"CNBLOCK_DATA": str(folder)} if how == "CNBLOCK_DATA" else {})
    shown = result.stdout + result.stderr
    assert result.returncode == 1, shown
    assert f"{folder}:1:1: error: is a directory, not a data file\n" in shown, shown
