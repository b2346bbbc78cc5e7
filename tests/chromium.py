"""The Chromium the browser tests and tools/screenshot.py start: Debian's (or CNBLOCK_CHROMIUM),
headless, with the background connections a closed network refuses turned off."""

from __future__ import annotations

import os
from typing import Any

CHROMIUM = os.environ.get("CNBLOCK_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def launch(playwright: Any) -> Any:
    """Start it under Playwright (never a browser Playwright downloaded)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
