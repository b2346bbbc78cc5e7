"""Safe writing: nothing half-written, nothing overwritten without --force, nothing left over."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from cnblock import output
from cnblock.errors import OutputError


@pytest.fixture(autouse=True, params=["unnamed", "named"])
def temporary_kind(request, monkeypatch):
    """Every test runs twice: with Linux's unnamed temporary (O_TMPFILE) where there is one,
    and with the named temporary of other systems."""
    if request.param == "named":
        monkeypatch.setattr(output, "_unnamed", lambda folder: None)
    elif output._unnamed(Path(tempfile.gettempdir())) is None:
        pytest.skip("no O_TMPFILE here: the named temporary is the only one")
    return request.param


@pytest.mark.parametrize("force", [False, True])
def test_a_sigkill_during_a_write_leaves_nothing_behind(tmp_path, temporary_kind, force):
    """Regression: SIGKILL during a write left `.NAME.*.tmp` behind (swept only 10 minutes
    later). The unnamed temporary has no name to leave until it is whole."""
    if temporary_kind == "named":
        pytest.skip("a named temporary can be left by SIGKILL: the sweep is its remedy")
    target, ready = tmp_path / "out.md", tmp_path.parent / f"{tmp_path.name}.ready"
    if force:
        target.write_text("old", "utf-8")
    script = textwrap.dedent(
        f"""
        import os, time
        from cnblock import output
        def slow(fd):  # a long write: the parent kills us in the middle of it
            open({str(ready)!r}, "w").close()
            time.sleep(60)
        os.fsync = slow
        output.write_file({str(target)!r}, "new" * 100_000, force={force})
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), "the child never reached its write"
    finally:
        child.kill()
        child.wait()
    ready.unlink()
    assert child.returncode == -signal.SIGKILL
    assert sorted(p.name for p in tmp_path.iterdir()) == (["out.md"] if force else [])
    if force:
        assert target.read_text("utf-8") == "old"


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

    real_open = os.open

    def refuse_unnamed(path, flags, *args):  # root may write anywhere: refuse it here
        if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
            refuse()
        return real_open(path, flags, *args)

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    monkeypatch.setattr(output.os, "open", refuse_unnamed)
    with pytest.raises(OutputError, match="cannot write there: permission denied"):
        output.write_file(str(tmp_path / "out.md"), "x")


# Hardening (issue 8, class 5) ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
def test_force_never_renames_over_anything_but_a_regular_file(tmp_path, kind):
    """Regression: with --force, -o renamed over a device, a FIFO or a socket (as root it
    replaced them with regular files)."""
    import socket

    target = tmp_path / "special"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    elif os.geteuid() == 0:
        os.mknod(target, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # a second /dev/null
    else:
        pytest.skip("making a device needs root")
    before = os.lstat(target)
    with pytest.raises(OutputError) as caught:
        output.write_file(str(target), "x", force=True)
    assert str(caught.value) == (
        f"{target}: is not a regular file (a device, a pipe or a socket); name a file,"
        " or leave out -o to write to standard output"
    )
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("points_to", ["/proc/self/fd/1", "regular.md"])
def test_force_never_replaces_a_symbolic_link(tmp_path, points_to):
    """Regression: `-o /dev/stdout --force` with standard output in a file replaced the link
    /dev/stdout itself with a regular file. (A link of our own stands in for /dev/stdout.)"""
    (tmp_path / "regular.md").write_text("old", "utf-8")
    link = tmp_path / "stdout"
    link.symlink_to(points_to)
    with pytest.raises(OutputError) as caught:
        output.write_file(str(link), "x", force=True)
    assert "is a symbolic link; name the file it points to" in str(caught.value)
    assert link.is_symlink()
    assert (tmp_path / "regular.md").read_text("utf-8") == "old"


def test_force_keeps_the_replaced_files_mode(tmp_path):
    """Regression: --force reset a replaced 0600 file to 0644."""
    target = tmp_path / "private.md"
    target.write_text("old", "utf-8")
    target.chmod(0o600)
    output.write_file(str(target), "new", force=True)
    assert target.read_text("utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_path_through_a_file_names_the_file(tmp_path):
    """Regression: `-o data.yaml/x.md` said a folder was missing."""
    data = tmp_path / "data.yaml"
    data.write_text("schema: 1\n", "utf-8")
    with pytest.raises(OutputError) as caught:
        output.write_file(str(data / "x.md"), "x")
    assert str(caught.value) == f"{data / 'x.md'}: {data} is not a folder"


def test_stale_temporaries_of_ours_are_swept_and_nothing_else(tmp_path):
    """What a SIGKILL left behind goes at the next write of the same file; fresh ones (a
    write in progress), other names and other targets' temporaries stay."""
    old = time.time() - output.STALE_SECONDS - 60
    stale = tmp_path / ".out.md.ab_cd123.tmp"
    fresh = tmp_path / ".out.md.zz_zz999.tmp"
    other = tmp_path / ".other.md.ab_cd123.tmp"
    unlike = tmp_path / ".out.md.not-ours.tmp"
    for path in (stale, fresh, other, unlike):
        path.write_text("partial", "utf-8")
    for path in (stale, other, unlike):
        os.utime(path, (old, old))
    output.write_file(str(tmp_path / "out.md"), "x")
    assert leftovers(tmp_path) == sorted(p.name for p in (fresh, other, unlike))


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_a_signal_during_a_write_leaves_no_temporary(tmp_path, signame):
    """Regression: SIGTERM during a write left `.NAME.*.tmp` behind (SIGINT did not)."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from cnblock import output
        real = os.fsync
        def slow(fd):
            os.kill(os.getpid(), signal.{signame})
            real(fd)
        os.fsync = slow
        from cnblock.cli import app, main
        import sys
        sys.argv = ["cnblock", "export", "-o", {str(tmp_path / "out.md")!r}]
        main()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode != 0, done.stderr
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "out.md").exists()
    if signame == "SIGTERM":
        assert done.returncode == 128 + signal.SIGTERM
        assert done.stderr == ""


@pytest.mark.parametrize("force", [False, True])
def test_an_unnamed_file_that_cannot_be_named_falls_back_to_a_named_one(
    tmp_path, monkeypatch, temporary_kind, force
):
    """Some sandboxes let O_TMPFILE be opened but refuse to link it through /proc: the export
    is then written through a named temporary, as on other systems, not refused."""
    if temporary_kind == "named":
        pytest.skip("the unnamed file is what this is about")
    real_link = os.link
    refused = []

    def link(source, *args, **kwargs):
        if str(source).startswith(output._FDS):
            refused.append(source)
            raise PermissionError(errno.EPERM, "Operation not permitted")
        return real_link(source, *args, **kwargs)

    monkeypatch.setattr(output.os, "link", link)
    target = tmp_path / "out.md"
    if force:
        target.write_text("old", "utf-8")
    output.write_file(str(target), "new\n", force=force)
    assert refused
    assert target.read_text("utf-8") == "new\n"
    assert leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_opened_to_name_the_file_falls_back_too(
    tmp_path, monkeypatch, temporary_kind
):
    """Naming the unnamed file opens its folder (O_PATH: write and search permission do);
    where even that is refused, the named temporary is used, as when linking is refused."""
    if temporary_kind == "named":
        pytest.skip("the unnamed file is what this is about")
    real_open = os.open
    unnamed = getattr(os, "O_TMPFILE", 0)

    def refusing(path, flags, *args, **kwargs):
        if Path(path) == tmp_path and flags & unnamed != unnamed:  # the folder, to name in
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(output.os, "open", refusing)
    target = tmp_path / "out.md"
    output.write_file(str(target), "new\n")
    assert target.read_text("utf-8") == "new\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("force", [False, True])
def test_a_failure_as_the_file_is_closed_leaves_nothing(tmp_path, monkeypatch, force):
    """Regression (review): with --force the unnamed file had its temporary name before it
    was closed; a failure or a signal while closing lost the name, and the file stayed."""
    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, stream):
            self.stream = stream

        def __getattr__(self, name):
            return getattr(self.stream, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(output.os, "fdopen", lambda fd, mode: Failing(real_fdopen(fd, mode)))
    target = tmp_path / "out.md"
    if force:
        target.write_text("old", "utf-8")
    with pytest.raises(OutputError, match="cannot write: input/output error"):
        output.write_file(str(target), "new\n", force=force)
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == (["out.md"] if force else [])
