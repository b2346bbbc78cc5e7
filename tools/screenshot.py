"""Regenerate the README's picture of the HTML timeline: docs/timeline.png.

    python tools/screenshot.py [OUT.png]

Exports the shipped log with `cnblock export --format html`, opens it in Debian's Chromium
(apt-get install chromium; fonts-noto-cjk for the Korean and Chinese names) through
Playwright, with every request but the page blocked, and saves the top of the page at a
desktop width. Set CNBLOCK_CHROMIUM to use another Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the browser tests' Chromium: one place for its flags

from chromium import launch  # noqa: E402


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from cnblock import export, loader, query

    log = loader.load([str(loader.default_data_file())])  # the shipped log alone
    filters = query.Filters()
    page_text = export.EXPORTERS["html"](log, query.select(log, filters), filters, False)
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "timeline.html"
        page_file.write_text(page_text, "utf-8")
        own = page_file.as_uri()
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1100, "height": 1000}, color_scheme="light")
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith(own) else r.abort()
            )
            page.goto(own)
            page.screenshot(path=str(out))
            browser.close()
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "timeline.png")
