"""The self-contained report: one HTML file (inline SVG charts, no script, no network) or Markdown.

:func:`accord.api.report.build` gathers everything a reader needs (the scenario at a glance,
every model's forecast, rounds, Monte Carlo intervals, leverage, and the coding's rationales and
sources); ``render_html`` and ``render_markdown`` lay it out.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from accord import __version__
from accord.api.forecast import DealIssue, interval_at
from accord.api.report import Report
from accord.report import charts, text


def _env(markdown: bool = False) -> Environment:
    env = Environment(loader=PackageLoader("accord.report", "templates"),
                      autoescape=False if markdown else select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = _markdown_cell
    env.filters["num"] = lambda v: "n/a" if v is None else f"{v:.1f}"
    env.filters["pct"] = lambda v: "n/a" if v is None else f"{v:.0%}"
    env.filters["is_url"] = lambda v: str(v).startswith(("https://", "http://"))
    env.filters["interval"] = _interval_cell
    env.globals.update(track_record_line=text.track_record_line, deal_line=text.deal_line,
                       shown_level=text.shown_level)
    return env


def _interval_cell(f, level: float) -> str:
    """A model's forecast (or the deal mixture's median) with its interval at ``level``."""
    return text.with_interval(f.median if isinstance(f, DealIssue) else f.forecast, f.intervals,
                              level)


DEAL = "deal or no deal"


def _shown(value, intervals, level: float) -> tuple:
    """(value, low, high) with the interval at ``level`` where there is one."""
    chosen = interval_at(intervals, level)
    return (value, chosen.low, chosen.high) if chosen else (value, None, None)


def _forecast_rows(report: Report):
    level, deal = text.shown_level(report.forecast), report.forecast.deal
    rows = []
    for issue in report.scenario.issues:
        values = {m.model: _shown(m.issues[issue.id].forecast,
                                  m.issues[issue.id].intervals if m.model == "ensemble" else None,
                                  level)
                  for m in report.forecast.models}
        if deal:
            d = deal.issues[issue.id]
            values[DEAL] = _shown(d.median, d.intervals, level)
        rows.append((issue.name, issue.scale.min, issue.scale.max, issue.status_quo, values))
    return rows


def _models(report: Report) -> list[str]:
    """The chart's series: every model, then the deal mixture when there is one."""
    return [m.model for m in report.forecast.models] + ([DEAL] if report.forecast.deal else [])


def _interval_rows(report: Report):
    rows = []
    for j, issue in enumerate(report.scenario.issues):
        values = {m: (s.issues[j].median, s.issues[j].p5, s.issues[j].p95)
                  for m, s in report.summaries.items()}
        rows.append((issue.name, issue.scale.min, issue.scale.max, issue.status_quo, values))
    return rows


def figures(report: Report) -> dict:
    """Every chart of the report, as inline SVG."""
    scenario, arrays = report.scenario, report.arrays
    actors = {a.id: a for a in scenario.actors}
    models = _models(report)
    out = {
        "issues": {i.id: charts.issue_map(i, [s for s in scenario.stances if s.issue == i.id],
                                          actors) for i in scenario.issues},
        "forecasts": charts.dot_rows(_forecast_rows(report), models,
                                     "Every model's forecast per issue (lines: "
                                     f"{text.shown_level(report.forecast):.0%} intervals)"),
        "trajectories": {}, "histograms": {}, "intervals": None, "levers": None, "simulation": None,
    }
    for name, rounds in report.rounds.items():
        path = arrays.to_scale(rounds.result.trajectory[0])
        outcome = arrays.to_scale(rounds.forecasts)
        out["trajectories"][name] = [
            charts.trajectory(path[:, arrays.mask[:, j], j],
                              [a for i, a in enumerate(arrays.actor_ids) if arrays.mask[i, j]],
                              outcome[:, j], arrays.low[j], arrays.high[j], issue.name,
                              rounds.label)
            for j, issue in enumerate(scenario.issues)]
    if report.summaries:
        out["intervals"] = charts.dot_rows(_interval_rows(report), list(report.summaries),
                                           "Median and 5-95% interval over the draws")
        first = next(iter(report.draws))
        summary = report.summaries[first]
        out["histograms"] = {first: [
            charts.histogram(report.draws[first][:, j], arrays.low[j], arrays.high[j], issue.name,
                             summary.issues[j].p5, summary.issues[j].p95)
            for j, issue in enumerate(scenario.issues)]}
    if report.simulation is not None:
        out["simulation"] = utility_chart(report.simulation)
    if report.levers:
        items = [(f"{lv.model}: {lv.actor} {lv.lever} on {lv.issue}", lv.effect)
                 for lv in report.levers]
        out["levers"] = charts.bars(items, "Leverage: the largest moves, per model")
    return out


def utility_chart(simulation) -> Markup:
    """A simulation document's chart: each party's utility of the text on the table per round."""
    run, parties = simulation.run, simulation.parties
    utility = np.array([[r.parties[p].utility for p in parties] for r in run.rounds])
    present = np.array([[r.parties[p].present for p in parties] for r in run.rounds])
    held = np.array([[r.parties[p].aspiration for p in parties] for r in run.rounds])
    return charts.utility_paths(utility, np.array([run.reservation[p] for p in parties]), held,
                                parties, present, "Each party's utility of the text on the table")


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    return _env().get_template("report.html.j2").render(
        r=report, s=report.scenario, fig=figures(report), roles=charts.ROLE_COLOURS,
        version=__version__, generated=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        actors={a.id: a for a in report.scenario.actors})


def render_markdown(report: Report) -> str:
    """The report's tables in Markdown, for pasting into a memo."""
    return _env(markdown=True).get_template("report.md.j2").render(
        r=report, s=report.scenario, version=__version__,
        actors={a.id: a for a in report.scenario.actors})


def _markdown_cell(value) -> str:
    """Text safe inside a Markdown table cell: no pipes, no newlines, no live HTML."""
    text = " ".join(str(value).split())
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|"))
