"""Writing an export to a file without ever leaving half a file or losing an old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cnblock.errors import OutputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _message(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


def write_file(path: str, text: str, force: bool = False, inputs: tuple[str, ...] = ()) -> None:
    """Write `text` to `path` atomically: a temporary file in the same folder, renamed into
    place. An existing file is kept unless `force`; the data files in `inputs` are never
    overwritten. Any failure raises OutputError naming `path` as the user wrote it, and leaves
    the old file as it was and no temporary file behind."""
    target = Path(path)
    if any(_same_file(target, Path(i)) for i in inputs):
        raise OutputError(
            f"{path}: is one of the data files being read; write the export elsewhere"
        )
    if target.is_dir():
        raise OutputError(f"{path}: is a folder; name a file to write")
    if not target.parent.is_dir():
        raise OutputError(f"{path}: the folder {target.parent} does not exist")
    if target.exists() and not force:
        raise OutputError(f"{path}: already exists; add --force to replace it")
    data = text.encode("utf-8")
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise OutputError(f"{path}: cannot write there: {_message(exc)}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it 0600; a new file is 0644
        if force:
            os.replace(temporary, target)
        else:
            _link_without_replacing(temporary, target, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_message(exc)}") from None
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def _link_without_replacing(temporary: str, target: Path, path: str) -> None:
    """Put the file in place only if nothing is there by now (another process may have been
    quicker since the check); fall back to a rename where links are not supported."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise OutputError(f"{path}: already exists; add --force to replace it") from None
    except OSError:
        if target.exists():
            raise OutputError(f"{path}: already exists; add --force to replace it") from None
        os.replace(temporary, target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
