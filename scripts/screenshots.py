"""Regenerate the README's report screenshots: python scripts/screenshots.py docs"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from accord.api.report import build
from accord.report.html import render_html
from accord.scenario.catalog import load

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SECTIONS = {"report-glance.png": "#glance", "report-forecasts.png": "#forecasts",
            "report-uncertainty.png": "#uncertainty", "report-leverage.png": "#leverage",
            "report-simulation.png": "#simulation"}


def main(folder: str) -> None:
    out = Path(folder)
    html = Path(tempfile.mkdtemp()) / "report.html"
    html.write_text(render_html(build(load().scenario, draws=500)), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 820})
        page.goto(html.as_uri())
        for name, anchor in SECTIONS.items():
            page.locator(anchor).scroll_into_view_if_needed()
            page.evaluate(f"document.querySelector('{anchor}').scrollIntoView()")
            page.screenshot(path=str(out / name))
            print(f"wrote {out / name}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
