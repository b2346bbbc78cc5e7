"""The code is MIT and the event log CC BY 4.0: said in the LICENSE files, the package metadata,
the README, and carried inside the wheel and the sdist that are built from the repository."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_licence_files_say_what_they_are():
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License\n")
    data = (ROOT / "data" / "LICENSE").read_text("utf-8")
    assert data.startswith("Attribution 4.0 International\n")
    assert "Creative Commons Attribution 4.0 International Public License" in data
    assert "Section 8 -- Interpretation." in data  # the whole legal code, not a summary


def test_the_metadata_and_the_readme_name_both_licences():
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'license = "MIT AND CC-BY-4.0"' in pyproject
    assert 'license-files = ["LICENSE", "data/LICENSE"]' in pyproject
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "## Licence" in readme
    section = readme.partition("## Licence")[2]
    assert "MIT" in section
    assert "CC BY 4.0" in section
    # the log says so itself, for whoever finds the file on its own
    assert "CC BY 4.0" in (ROOT / "data" / "events.yaml").read_text("utf-8").partition("schema:")[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A wheel and an sdist built from the working tree by the build backend itself."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_the_wheel_carries_both_licences(built):
    (wheel,) = built.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert "License-Expression: MIT AND CC-BY-4.0" in metadata.decode()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names
    assert any(n.endswith(".dist-info/licenses/data/LICENSE") for n in names), names
    # the data's licence travels beside the data file inside the package
    assert "cnblock/data/LICENSE" in names
    assert "cnblock/data/events.yaml" in names


def test_the_sdist_carries_both_licences(built):
    (sdist,) = built.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.partition("/")[2] for n in archive.getnames()}
        pkg_info = archive.extractfile(
            next(m for m in archive.getmembers() if m.name.endswith("/PKG-INFO"))
        )
        assert pkg_info is not None
        assert "License-Expression: MIT AND CC-BY-4.0" in pkg_info.read().decode()
    assert {"LICENSE", "data/LICENSE", "data/events.yaml"} <= names
