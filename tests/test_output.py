"""Safe writing: nothing half-written, nothing overwritten without --force, nothing left over."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from cnblock import output
from cnblock.errors import OutputError


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_a_new_file_with_ordinary_permissions(tmp_path):
    target = tmp_path / "out.md"
    output.write_file(str(target), "hello\n")
    assert target.read_text("utf-8") == "hello\n"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_kept_without_force(tmp_path):
    target = tmp_path / "out.md"
    target.write_text("old", "utf-8")
    with pytest.raises(OutputError, match="already exists; add --force to replace it"):
        output.write_file(str(target), "new")
    assert target.read_text("utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_force_replaces(tmp_path):
    target = tmp_path / "out.md"
    target.write_text("old", "utf-8")
    output.write_file(str(target), "new", force=True)
    assert target.read_text("utf-8") == "new"


def test_an_input_data_file_is_never_overwritten(tmp_path):
    data = tmp_path / "events.yaml"
    data.write_text("schema: 1\n", "utf-8")
    with pytest.raises(OutputError, match="is one of the data files being read"):
        output.write_file(str(tmp_path / "." / "events.yaml"), "x", force=True, inputs=(str(data),))
    assert data.read_text("utf-8") == "schema: 1\n"


def test_a_folder_or_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(OutputError, match=r"is a folder; name a file to write"):
        output.write_file(str(tmp_path), "x", force=True)
    missing = tmp_path / "nope" / "out.md"
    with pytest.raises(OutputError) as caught:
        output.write_file(str(missing), "x")
    assert str(caught.value) == f"{missing}: the folder {missing.parent} does not exist"


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "no space left on device"), (errno.EACCES, "permission denied")],
)
def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path, monkeypatch, code, words):
    target = tmp_path / "out.md"
    target.write_text("old", "utf-8")

    def failing_fsync(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OutputError) as caught:
        output.write_file(str(target), "new" * 1000, force=True)
    assert str(caught.value) == f"{target}: cannot write: {words}"
    assert target.read_text("utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_no_permission_to_create_in_the_folder(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="cannot write there: permission denied"):
        output.write_file(str(tmp_path / "out.md"), "x")
