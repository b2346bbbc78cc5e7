"""The console script's entry point: `cnblock --version` answered before anything is imported,
everything else handed to the Typer app in `cnblock.cli`."""

from __future__ import annotations

import os
import sys


def _version_only() -> bool:
    """Print the version, as the app's eager --version option does, without importing Typer;
    False when standard output could not take it (closed, full, a closed pipe), so that the app
    runs instead and reports that as it reports every output error."""
    from cnblock import __version__

    try:
        sys.stdout.flush()
        payload = f"cnblock {__version__}\n".encode("ascii")
        fd = sys.stdout.fileno()
        while payload:
            payload = payload[os.write(fd, payload) :]
    except (AttributeError, ValueError, OSError):  # io.UnsupportedOperation is both
        return False
    return True


def main() -> None:
    """The `cnblock` command (and `python -m cnblock`)."""
    if sys.argv[1:] in (["--version"], ["-V"]) and _version_only():
        return
    from cnblock.cli import main as run

    run()
