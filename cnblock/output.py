"""Writing an export to a file without ever leaving half a file or losing an old one."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cnblock.errors import OutputError, Terminated


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _message(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


def _exists(path: str) -> OutputError:
    """The refusal to replace a file without --force."""
    return OutputError(f"{path}: already exists; add --force to replace it")


def write_file(path: str, text: str, force: bool = False, inputs: tuple[str, ...] = ()) -> None:
    """Write `text` to `path` atomically: a temporary file in the same folder, renamed into
    place. An existing file is kept unless `force`, and then keeps its permissions; anything
    but a regular file (a device, a FIFO, a socket, /dev/stdout) is never replaced; the data
    files in `inputs` are never overwritten. Any failure, and SIGTERM or SIGHUP during the
    write, leaves the old file as it was and no temporary file behind. On Linux the file has
    no name until it is whole (O_TMPFILE), so a SIGKILL leaves nothing either; elsewhere, the
    temporaries that an earlier run killed outright left behind are swept. OutputError names
    `path` as the user wrote it."""
    target = Path(path)
    if any(_same_file(target, Path(i)) for i in inputs):
        raise OutputError(
            f"{path}: is one of the data files being read; write the export elsewhere"
        )
    if target.is_dir():
        raise OutputError(f"{path}: is a folder; name a file to write")
    _check_folder(target.parent, path)
    mode = _existing_mode(target, path)
    if mode is not None and not force:
        raise _exists(path)
    _sweep(target)
    data = text.encode("utf-8")
    # made 0600; a new file is 0644 (less the umask), a replaced one keeps its mode
    made = 0o666 & ~_umask() if mode is None else mode
    with _terminations_as_exit():
        temporary: str | None = None
        try:
            placed, temporary = _write_unnamed(target, path, force, data, made)
            if not placed:
                temporary = _write_named(target, path, data, made)
            if temporary is not None:
                if force:
                    _existing_mode(target, path)  # once more: it may have been swapped meanwhile
                    os.replace(temporary, target)
                else:
                    _link_without_replacing(temporary, target, path)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write: {_message(exc)}") from None
        finally:
            if temporary is not None and os.path.lexists(temporary):
                os.unlink(temporary)


def _write_unnamed(
    target: Path, path: str, force: bool, data: bytes, mode: int
) -> tuple[bool, str | None]:
    """Write `data` into an unnamed file beside `target` and name it (see _name): whether it
    was, and the temporary name still to rename over the target (with `force`). (False, None)
    where there is no unnamed file, or it cannot be named: nothing was left."""
    try:
        unnamed = _unnamed(target.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write there: {_message(exc)}") from None
    if unnamed is None:
        return False, None
    name = None
    try:
        with os.fdopen(unnamed, "wb") as stream:
            _fill(stream, data, mode)
            try:
                name = _name(stream.fileno(), target, path, force)  # once it is whole
            except _UnnameableError:
                return False, None  # linking refused (a sandbox): a named temporary instead
    except BaseException:  # closing failed, or a signal came, once it had its name
        if name is not None and os.path.lexists(name):
            os.unlink(name)  # the temporary, or the target this write made: as before
        raise
    return True, name if force else None


def _write_named(target: Path, path: str, data: bytes, mode: int) -> str:
    """Write `data` into a named temporary beside `target`: its name (removed on failure)."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise OutputError(f"{path}: cannot write there: {_message(exc)}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            _fill(stream, data, mode)
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _fill(stream: BinaryIO, data: bytes, mode: int) -> None:
    """Write `data`, make sure it is on the disk, and give the file its `mode`."""
    stream.write(data)
    stream.flush()
    os.fsync(stream.fileno())
    os.fchmod(stream.fileno(), mode)


class _UnnameableError(Exception):
    """The unnamed file could not be given a name (linkat through /proc refused)."""


def _unnamed(folder: Path) -> int | None:
    """A file in `folder` that has no name yet (Linux's O_TMPFILE): if the process is killed
    outright (SIGKILL) before it is named, nothing is left behind. None where the system or
    the file system cannot make one, or it could not be named later (no /proc)."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir(_FDS):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # not supported here: the named temporary instead
        raise


_FDS = "/proc/self/fd"
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _name(fd: int, target: Path, path: str, force: bool) -> str:
    """Give the unnamed file `fd` its name, and return it. Without `force`, the target's own,
    only if nothing is there; with it, a temporary name beside it, to rename over the old file
    (the only moment a SIGKILL could leave a temporary)."""
    source = f"{_FDS}/{fd}"
    # linkat(AT_SYMLINK_FOLLOW) through /proc; os.link calls plain link() (which links the
    # /proc entry itself: EXDEV) unless a dir_fd is given
    try:  # O_PATH: a folder one may write in but not list will do
        folder = os.open(target.parent, getattr(os, "O_PATH", os.O_RDONLY) | _DIRECTORY)
    except OSError as exc:
        raise _UnnameableError from exc
    try:
        if not force:
            try:
                os.link(source, target.name, src_dir_fd=folder, dst_dir_fd=folder)
            except FileExistsError:
                raise _exists(path) from None
            except OSError as exc:
                raise _UnnameableError from exc
            return str(target)
        import secrets

        for _ in range(100):
            name = f".{target.name}.{secrets.token_hex(4)}.tmp"
            try:
                os.link(source, name, src_dir_fd=folder, dst_dir_fd=folder)
            except FileExistsError:
                continue
            except OSError as exc:
                raise _UnnameableError from exc
            return str(target.parent / name)
        raise FileExistsError(errno.EEXIST, "no free temporary name")
    finally:
        os.close(folder)


def _check_folder(folder: Path, path: str) -> None:
    """OutputError naming the real cause when `folder` cannot hold the file."""
    if folder.is_dir():
        return
    for parent in (folder, *folder.parents):
        if os.path.lexists(parent) and not parent.is_dir():  # data.yaml/x.md
            raise OutputError(f"{path}: {parent} is not a folder")
    raise OutputError(f"{path}: the folder {folder} does not exist")


def _existing_mode(target: Path, path: str) -> int | None:
    """The permissions of the regular file at `target`, None when there is none; OutputError
    when something else is there. Renaming over a device, a FIFO or a socket would replace
    it (as root) with a file; renaming over a symbolic link replaces the link, not what it
    points to (/dev/stdout is one: when standard output is a file, the link would go)."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_message(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(
            f"{path}: is a symbolic link; name the file it points to,"
            " or leave out -o to write to standard output"
        )
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(
            f"{path}: is not a regular file (a device, a pipe or a socket); name a file,"
            " or leave out -o to write to standard output"
        )
    return stat.S_IMODE(info.st_mode)


STALE_SECONDS = 600
"""A temporary of ours this old is left over from a run that was killed outright (SIGKILL,
a power cut): a live write takes well under a second."""

_OURS = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")


def _sweep(target: Path) -> None:
    """Remove what killed runs left behind for this target: `.NAME.XXXXXXXX.tmp` regular files
    of ours, not touched for STALE_SECONDS. Anything else is left alone."""
    import time

    now = time.time()
    try:
        candidates = list(target.parent.glob(f".{glob.escape(target.name)}.*.tmp"))
    except OSError:
        return
    for candidate in candidates:
        match = _OURS.fullmatch(candidate.name)
        if not match or match["name"] != target.name:
            continue
        try:
            info = candidate.lstat()
            if (
                stat.S_ISREG(info.st_mode)
                and info.st_uid == os.geteuid()
                and now - info.st_mtime > STALE_SECONDS
            ):
                candidate.unlink()
        except OSError:
            continue


@contextlib.contextmanager
def _terminations_as_exit() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP end the program as Ctrl-C does, through the cleanup
    (cli.main then exits with 128 + the signal, as shells report). Only the main thread can
    set handlers; elsewhere they stay as they are."""

    def stop(number: int, frame: object) -> None:
        raise Terminated(number)

    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for number in wanted:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _link_without_replacing(temporary: str, target: Path, path: str) -> None:
    """Put the file in place only if nothing is there by now (another process may have been
    quicker since the check); fall back to a rename where links are not supported."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise _exists(path) from None
    except OSError:
        if target.exists():
            raise _exists(path) from None
        os.replace(temporary, target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
