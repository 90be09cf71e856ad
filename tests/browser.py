"""Open a report in headless Chromium (Debian's, driven by Playwright) with the network blocked."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def chromium() -> str:
    """Path of the system Chromium, or skip (``make test`` installs it where it can)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Chromium is not installed (make test installs Debian's chromium as root)")
    return path


@dataclass
class Visit:
    """What happened while the page was open."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    svgs: list[dict] = field(default_factory=list)
    pwned: object = None
    text: str = ""


def visit(html: Path, screenshot: Path | None = None) -> Visit:
    """Load ``html`` offline, record errors, dialogs and network attempts, measure every SVG."""
    sync_api = pytest.importorskip("playwright.sync_api")
    seen = Visit()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900})

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                seen.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.page_errors.append(str(e)))
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.goto(html.resolve().as_uri())
        page.wait_for_load_state("load")
        seen.svgs = page.eval_on_selector_all(
            "svg", "els => els.map(e => ({w: e.getBoundingClientRect().width, "
                   "h: e.getBoundingClientRect().height, shapes: e.querySelectorAll("
                   "'circle, rect, line, polyline, path').length}))")
        seen.pwned = page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
        seen.text = page.inner_text("body")
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=False)
        browser.close()
    return seen
