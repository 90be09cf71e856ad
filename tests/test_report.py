"""The HTML report opens offline in headless Chromium, draws every chart, and runs no script."""

from __future__ import annotations

from browser import visit

from accord.api.report import build
from accord.cli import main
from accord.models import MODELS
from accord.report.html import render_html, render_markdown
from accord.scenario.formats import yaml_format

HOSTILE = """accord: 1
id: hostile
name: "Hostile <script>window.__pwned = 1; alert('name')</script> & \\"quotes\\""
description: "<img src=x onerror=\\"window.__pwned=2\\"> ünïcødé 🕊️ مفاوضات 谈判"
actors:
  - {id: a, name: "<script>alert(1)</script>", capability: 3, role: party,
     sources: ["javascript:window.__pwned=3", "https://example.org/?q=<b>"]}
  - {id: b, name: "Ünïcødé \\"quoted\\" 'single' 🕊️ LONG LONG LONG LONG LONG LONG LONG LONG LONG LONG LONG LONG LONG LONG LONG LONG name", capability: 1, role: spoiler}
issues:
  - id: x
    name: "</svg><svg onload=\\"window.__pwned=4\\">"
    status_quo: 10
    scale: {anchors: {0: "<iframe src=javascript:alert(5)>", 100: "& < > \\" '"}}
    off_table: [{label: "<b onmouseover=alert(6)>", low: 90, high: 100, reason: "</table>"}]
stances:
  - {actor: a, issue: x, position: 20, salience: 0.5, rationale: "<script>window.__pwned=7</script>"}
  - {actor: b, issue: x, position: 80, salience: 0.9, rationale: "| pipe | and\\nnewline"}
"""


def test_venezuela_report_in_chromium(tmp_path, venezuela):
    html = tmp_path / "report.html"
    html.write_text(render_html(build(venezuela, draws=20)), encoding="utf-8")
    shot = tmp_path / "report.png"
    seen = visit(html, shot)
    assert seen.console_errors == [] and seen.page_errors == []
    assert seen.blocked == [], "the report tried to reach the network"
    # One map per issue, the forecasts, one trajectory per issue for each model that runs in
    # rounds, the intervals, one histogram per issue, the leverage bars, the simulated rounds.
    k = len(venezuela.issues)
    in_rounds = sum(spec.rounds for spec in MODELS.values())
    assert len(seen.svgs) == k + 1 + k * in_rounds + 1 + k + 1 + 1
    for svg in seen.svgs:
        assert svg["w"] > 100 and svg["h"] > 50 and svg["shapes"] > 3
    assert shot.stat().st_size > 20_000
    assert "How to read this" in seen.text and "Gerardo Blyde" in seen.text
    assert "Playing the rounds out" in seen.text and "Freddy Guevara" in seen.text


def test_hostile_scenario_runs_no_script(tmp_path):
    scenario = yaml_format.read(HOSTILE)
    html = tmp_path / "hostile.html"
    html.write_text(render_html(build(scenario, draws=50)), encoding="utf-8")
    seen = visit(html, tmp_path / "hostile.png")
    assert seen.dialogs == [] and seen.pwned is None
    assert seen.console_errors == [] and seen.page_errors == []
    assert "<script>alert(1)</script>" in seen.text
    assert "ünïcødé 🕊️ مفاوضات 谈判" in seen.text
    source = html.read_text(encoding="utf-8")
    assert "<script" not in source.replace("&lt;script", "")
    assert 'href="javascript:' not in source


def test_markdown_report_is_safe_tables(venezuela):
    text = render_markdown(build(yaml_format.read(HOSTILE), draws=20))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert "\\| pipe \\| and newline" in text
    md = render_markdown(build(venezuela, ["compromise", "nash"], draws=20))
    assert md.count("\n| ") > len(venezuela.stances)


def test_cli_report(tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", "-o", str(out), "-n", "20", "-m", "compromise", "-m", "nash"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "nash" in text and "http://" not in text.split(
        "<body>")[0]
    assert main(["report", "-o", str(tmp_path / "r.md"), "-f", "markdown", "-n", "0",
                 "-m", "median"]) == 0
    assert (tmp_path / "r.md").read_text().startswith("# Venezuela")


def test_the_report_shows_the_headline_and_calibrated_intervals(venezuela):
    """The ensemble with its interval, the deal, and beside every model's draws its calibrated
    90% interval, which is at least as wide as the draws' own 5-95% range (model error added)."""
    report = build(venezuela, ["ensemble", "compromise"], draws=60)
    for name, summary in report.summaries.items():
        for row, intervals in zip(summary.issues, report.calibrated[name]):
            (ninety,) = intervals
            assert ninety.level == 0.9 and ninety.high - ninety.low >= row.p95 - row.p5 - 1.0
    md = render_markdown(report)
    assert "| ensemble [80%] |" in md and "deal or no deal [80%]" in md
    assert "an agreement is signed in" in md and "; 90%: " in md
    page = render_html(report)
    assert "The headline." in page and "adding the model's own error" in page
    from accord.api.forecast import forecast

    assert report.forecast.deal == forecast(venezuela, ["median"]).deal  # defaults agree
