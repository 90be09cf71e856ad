"""Regenerate the README's screenshots of the report and of the workspace:
python scripts/screenshots.py docs [report|workspace]"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
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
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "venezuela-talks-mexico-2021.txt"


def report_shots(out: Path) -> None:
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


def workspace_shots(out: Path) -> None:
    """The workspace on venezuela-2021, served on a store of its own, as a user drives it."""
    folder = Path(tempfile.mkdtemp())
    log = folder / "serve.log"
    server = subprocess.Popen([sys.executable, "-m", "accord.cli", "serve", "venezuela-2021",
                               "--port", "0", "--store", f"sqlite:///{folder / 'ws.sqlite'}"],
                              stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        url = _started(log, server)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--headless", *FLAGS])
            page = browser.new_page(viewport={"width": 1600, "height": 900})
            _drive(page, url, out)
            browser.close()
    finally:
        server.terminate()
        server.wait(20)


def _started(log: Path, server: subprocess.Popen) -> str:
    for _ in range(600):
        found = re.search(r"Accord workspace: (\S+)", log.read_text())
        if found:
            return found.group(1)
        if server.poll() is not None:
            raise SystemExit(log.read_text())
        time.sleep(0.1)
    raise SystemExit("the workspace did not start: " + log.read_text())


def _complete(page, version: str = "") -> None:
    page.wait_for_function("v => { const f = document.querySelector('#forecast'); "
                           "return f && f.dataset.complete === 'true' && f.dataset.version !== v; }",
                           arg=version, timeout=60_000)


def _shot(page, out: Path, name: str, selector: str | None = None) -> None:
    if selector:
        page.locator(selector).scroll_into_view_if_needed()
        page.evaluate(f"document.querySelector('{selector}').scrollIntoView()")
    page.screenshot(path=str(out / name))
    print(f"wrote {out / name}")


def _drive(page, url: str, out: Path) -> None:
    page.goto(url)
    _complete(page)
    page.get_by_label("government position on political_prisoners").fill("60")
    _complete(page, "1")
    page.get_by_label("government salience on covid_vaccines").fill("1.5")
    page.locator("#cell-government-covid_vaccines .cell-error").wait_for()
    _shot(page, out, "workspace-edit.png")
    page.get_by_label("government salience on covid_vaccines").fill("0.6")
    page.wait_for_selector("#cell-government-covid_vaccines .cell-error:empty", state="attached")
    page.locator("#whatif button[type=submit]").click()
    page.locator("#whatif-result h3").first.wait_for(timeout=120_000)
    _shot(page, out, "workspace-whatif.png", "#whatif")
    page.locator("#simulation button[type=submit]").click()
    page.locator("#sim-round").wait_for()
    page.get_by_text("Next ▶").click()
    page.get_by_text("Round 2 of").wait_for()
    _shot(page, out, "workspace-simulation.png", "#simulation")
    if ARTICLE.exists():
        page.locator("#news input[name=name]").fill("seed article")
        page.locator("#news input[name=date]").fill("2021-08-27")
        page.locator("#news textarea").fill(ARTICLE.read_text(encoding="utf-8"))
        page.locator("#news button[type=submit]").click()
        page.locator("#news-list table").wait_for(timeout=120_000)
        page.locator("#news-list button", has_text="Accept").first.click()
        page.locator("#news-list tr.accepted").wait_for()
        page.locator("#news-list button", has_text="Reject").first.click()
        page.locator("#news-list tr.rejected").wait_for()
        _shot(page, out, "workspace-news.png", "#news")
    workspace = url.rsplit("/", 1)[-1]
    page.locator("#export form.inline button", has_text="Duplicate").click()
    page.wait_for_url(re.compile(r"/w/(?!" + workspace + r")[0-9a-f]+$"))
    _complete(page)
    copy = page.url.rsplit("/", 1)[-1]
    page.get_by_label("government position on sanctions_relief").fill("50")
    _complete(page, page.locator("#forecast").get_attribute("data-version"))
    base = url.split("/w/")[0]
    page.goto(f"{base}/compare?w={workspace}&w={copy}")
    _shot(page, out, "workspace-side-by-side.png")


def main(folder: str, which: str = "all") -> None:
    out = Path(folder)
    if which in ("all", "report"):
        report_shots(out)
    if which in ("all", "workspace"):
        workspace_shots(out)


if __name__ == "__main__":
    main(*sys.argv[1:3] if len(sys.argv) > 1 else ["docs"])
