"""The workspace in headless Chromium (Debian's, driven by Playwright), against a real server:
every request the page makes is recorded, and any to another host is refused and reported."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from browser import CHROMIUM_FLAGS, chromium
from test_web import HOSTILE_NAME

from accord.api import load
from accord.cli import main
from accord.models import MODELS
from conftest import shared

sync_api = pytest.importorskip("playwright.sync_api")

HOSTILE = """accord: 1
id: hostile
name: "Hostile <script>window.__pwned = 1; alert('name')</script> & \\"quotes\\""
actors:
  - {id: a, name: "<img src=x onerror=\\"window.__pwned=2\\">", capability: 3, role: party}
  - {id: b, name: "Ünïcødé 'single' 🕊️ مفاوضات 谈判", capability: 1, role: spoiler}
issues:
  - id: x
    name: "</svg><svg onload=\\"window.__pwned=4\\">"
    status_quo: 10
    off_table: [{label: "<b onmouseover=alert(6)>", low: 90, high: 100}]
stances:
  - {actor: a, issue: x, position: 20, salience: 0.5}
  - {actor: b, issue: x, position: 80, salience: 0.9}
"""
COMPLETE = ("v => { const f = document.querySelector('#forecast'); "
            "return f && f.dataset.complete === 'true' && f.dataset.version !== v; }")


class Server:
    """``accord serve --port 0`` in a subprocess, on a store of its own."""

    def __init__(self, store: Path):
        self.store, self.proc, self.base = store, None, ""

    def start(self, *args: str) -> str:
        log = self.store.with_suffix(f".{time.monotonic_ns()}.log")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "accord.cli", "serve", *args, "--port", "0", "--store",
             f"sqlite:///{self.store}"], stdout=log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = re.search(r"Accord workspace: (\S+)", log.read_text())
            if found:
                url = urlsplit(found.group(1))
                self.base = f"{url.scheme}://{url.netloc}"
                return found.group(1)
            assert self.proc.poll() is None, log.read_text()
            time.sleep(0.1)
        raise AssertionError("the server did not start: " + log.read_text())

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(20)


class Browser:
    """A fresh browser context on a launched Chromium; every request is recorded and any to
    another host refused."""

    def __init__(self, chrome, server: Server):
        self.server, self.seen, self.foreign, self.dialogs, self.errors = server, [], [], [], []
        self.context = chrome.new_context(viewport={"width": 1500, "height": 950})
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        self.seen.append(url)
        if url.startswith(self.server.base + "/"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def page(self):
        page = self.context.new_page()
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    chromium()
    s = Server(tmp_path_factory.mktemp("web") / "store.sqlite")
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def chrome():
    path = chromium()
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=["--headless", *CHROMIUM_FLAGS])
        yield launched
        launched.close()


@pytest.fixture
def browser(chrome, server):
    b = Browser(chrome, server)
    yield b
    b.close()
    assert b.foreign == [], "the page tried to reach another host"
    assert all(u.startswith(server.base + "/") for u in b.seen)
    assert b.errors == [] and b.dialogs == []


def forecast_shown(page) -> dict:
    return {(m, i): (v, t) for m, i, v, t in page.eval_on_selector_all(
        "#forecast td[data-value]",
        "els => els.map(e => [e.dataset.model, e.dataset.issue, e.dataset.value, e.textContent])")}


def test_edit_a_stance_and_the_forecast_shown_is_accord_forecast_s(browser, server, tmp_path,
                                                                   capsys):
    page = browser.page()
    page.goto(server.base + "/")
    page.locator("form:has(input[value='venezuela-2021']) button").click()
    page.wait_for_url(re.compile(r"/w/[0-9a-f]+$"))
    page.wait_for_function(COMPLETE, arg="")
    sent = page.evaluate("performance.getEntriesByType('navigation').concat(performance"
                         ".getEntriesByType('resource')).reduce((s, e) => s + e.transferSize, 0)")
    assert 0 < sent < 1_000_000, f"the first page transferred {sent:,} bytes"

    page.get_by_label("government position on political_prisoners").fill("60")
    page.wait_for_function(COMPLETE, arg="1")
    shown = forecast_shown(page)
    with page.expect_download() as download:
        page.get_by_text("Download the scenario (YAML)").click()
    edited = tmp_path / "edited.yaml"
    download.value.save_as(edited)
    assert main(["forecast", str(edited), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert len(shown) == sum(len(m["issues"]) for m in expected["models"]) + 12 == (
        len(MODELS) + 1) * 12  # every model and the deal mixture, on 12 issues
    for issue, d in expected["deal"]["issues"].items():
        assert float(shown[("deal or no deal", issue)][0]) == pytest.approx(d["median"], abs=1e-12)
    for model in expected["models"]:
        for issue, f in model["issues"].items():
            value, text = shown[(model["model"], issue)]
            assert float(value) == pytest.approx(f["forecast"], rel=1e-12, abs=1e-12)
            shown_text = f"{f['forecast']:.1f}".replace("-0.0", "0.0")
            assert text == shown_text + (" ✗" if f["off_table"] else "")

    # An invalid value: the message the command line gives for the same edit, next to the field.
    salience = page.get_by_label("government salience on political_prisoners")
    salience.fill("1.5")
    error = page.locator("#cell-government-political_prisoners .cell-error")
    error.wait_for(state="visible")
    data = yaml.safe_load(edited.read_text(encoding="utf-8"))
    stance = next(s for s in data["stances"]
                  if (s["actor"], s["issue"]) == ("government", "political_prisoners"))
    stance["salience"] = 1.5
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["show", str(bad)]) == 2
    cli = re.sub(r"^error: \S+:\d+: ", "", " ".join(capsys.readouterr().err.split()))
    assert error.inner_text() == "error: venezuela-2021: " + cli
    assert salience.input_value() == "1.5"  # what was typed stays
    assert page.get_by_label("government position on political_prisoners").input_value() == "60"
    saved = page.request.get(page.url + "/scenario.yaml").text()
    assert saved == edited.read_text(encoding="utf-8")  # nothing saved, nothing lost

    second = browser.page()  # another tab sees the saved state
    second.goto(page.url)
    assert second.get_by_label("government position on political_prisoners").input_value() == "60"
    assert second.get_by_label("government salience on political_prisoners").input_value() == "0.4"


@pytest.mark.parametrize("parts", [
    ("data", "ktab", "SOE-Pol-Comp.csv"), ("data", "decide", "cop21.csv"),
    ("data", "decide", "sample_data.txt"), ("data", "bdm", "example_actors.csv"),
    ("data", "deu3", "deu3.csv")], ids=lambda p: p[-1])
def test_upload_every_format(browser, server, parts, capsys):
    path = shared(*parts)
    page = browser.page()
    page.goto(server.base + "/")
    page.set_input_files("#upload input[type=file]", str(path))
    page.locator("#upload button").click()
    if path.name == "deu3.csv":  # not a scenario file: the command line's words
        message = page.locator("#upload-error .error")
        message.wait_for()
        assert main(["show", str(path)]) == 2
        cli = " ".join(capsys.readouterr().err.split()).replace(str(path), path.name)
        assert " ".join(message.inner_text().split()) == cli
        return
    page.wait_for_url(re.compile(r"/w/[0-9a-f]+$"))
    talks = load(str(path))
    assert page.locator("h1.title").inner_text() == talks.name
    assert page.locator("table.grid tbody tr").count() == len(talks.scenario.actors)


def test_hostile_names_stay_text(browser, server):
    page = browser.page()
    page.goto(server.base + "/")
    page.set_input_files("#upload input[type=file]", files=[
        {"name": "hostile.yaml", "mimeType": "application/yaml", "buffer": HOSTILE.encode()}])
    page.locator("#upload button").click()
    page.wait_for_url(re.compile(r"/w/[0-9a-f]+$"))
    page.wait_for_function(COMPLETE, arg="")
    name = page.get_by_label("name of b")
    name.fill(HOSTILE_NAME)
    page.wait_for_function(COMPLETE, arg="1")
    page.reload()
    page.wait_for_function(COMPLETE, arg="")
    text = page.inner_text("body")
    assert page.get_by_label("name of a").input_value() == '<img src=x onerror="window.__pwned=2">'
    assert page.get_by_label("name of b").input_value() == HOSTILE_NAME
    assert "<script>window.__pwned = 1; alert('name')</script>" in text
    assert "</svg><svg onload=" in page.locator("#positions-panel").inner_text()
    assert page.evaluate("window.__pwned") is None
    page.goto(server.base + "/")
    assert "<script>window.__pwned = 1" in page.inner_text("body")
    assert page.evaluate("window.__pwned") is None


def test_a_restart_keeps_the_edits(chrome, tmp_path):
    s = Server(tmp_path / "restart.sqlite")
    url = s.start("venezuela-2021")
    try:
        b = Browser(chrome, s)
        page = b.page()
        page.goto(url)
        page.get_by_label("capability of peru").fill("9")
        page.wait_for_function(COMPLETE, arg="1")
        path = urlsplit(page.url).path
        page.close()
        s.stop()
        again = s.start("venezuela-2021")  # the same file: the same workspace
        assert urlsplit(again).path == path
        page = b.page()
        page.goto(again)
        assert page.get_by_label("capability of peru").input_value() == "9"
        assert "peru: capability 2 → 9" in page.locator("#history").inner_text()
        b.close()
        assert b.foreign == [] and b.errors == []
    finally:
        if s.proc.poll() is None:
            s.stop()
