"""The self-contained report: one HTML file (inline SVG charts, no script, no network) or Markdown.

``build`` gathers everything a reader needs (the scenario at a glance, every model's forecast,
rounds, Monte Carlo intervals, leverage, and the coding's rationales and sources); ``render_html``
and ``render_markdown`` lay it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape

from accord import __version__
from accord.analysis.leverage import Lever, leverage, ranked
from accord.analysis.montecarlo import ChunkTask, DrawSpec, Summary, run_chunk, summarise
from accord.forecasting import ForecastReport, forecast, run_model
from accord.models import MODELS, get
from accord.report import charts
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.model import Scenario


@dataclass
class Report:
    """Everything the report shows, computed once."""

    scenario: Scenario
    forecast: ForecastReport
    arrays: ScenarioArrays
    rounds: dict[str, object] = field(default_factory=dict)
    draws: dict[str, np.ndarray] = field(default_factory=dict)
    summaries: dict[str, Summary] = field(default_factory=dict)
    levers: list[Lever] = field(default_factory=list)
    seed: int = 0
    simulation: object | None = None


def build(scenario: Scenario, models: list[str] | None = None, draws: int = 500,
          seed: int = 2021, top: int = 8, progress=None) -> Report:
    """Run the models, the Monte Carlo and the leverage analysis for a report.

    ``progress(step)``, if given, is called after each of the ``2 * len(models) + 1`` steps with
    a short description of the step done."""
    models = models or list(MODELS)
    tick = progress or (lambda step: None)
    report = Report(scenario, forecast(scenario, models), ScenarioArrays.from_scenario(scenario),
                    seed=seed)
    batch = report.arrays.batch()
    for name in models:
        if get(name).rounds:
            report.rounds[name] = run_model(get(name), batch, {})
    if draws:
        spec = DrawSpec.from_scenario(scenario)
        for name in models:
            values = run_chunk(ChunkTask(spec, name, {}, seed, 0, draws))
            report.draws[name] = report.arrays.to_scale(values)
            report.summaries[name] = summarise(scenario, values, [])
            tick(f"{draws} draws of {name}")
    for name in models:
        report.levers += ranked(leverage(report.arrays, name), top)
        tick(f"leverage of {name}")
    report.simulation = _simulation(scenario)
    tick("simulation")
    return report


def _simulation(scenario: Scenario):
    """A single-text run of the scenario's rounds, if it has two parties with stances."""
    from accord.scenario.errors import InputError
    from accord.sim.engine import SimParams
    from accord.simulation import check_options, document, run_scenario

    try:
        check_options(scenario, "single-text", [])
    except InputError:
        return None
    run, _, notes = run_scenario(scenario, SimParams())
    return document(scenario, run, {}, notes)


def _env(markdown: bool = False) -> Environment:
    env = Environment(loader=PackageLoader("accord.report", "templates"),
                      autoescape=False if markdown else select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = _markdown_cell
    env.filters["num"] = lambda v: "n/a" if v is None else f"{v:.1f}"
    env.filters["pct"] = lambda v: "n/a" if v is None else f"{v:.0%}"
    env.filters["is_url"] = lambda v: str(v).startswith(("https://", "http://"))
    return env


def _forecast_rows(report: Report):
    rows = []
    for issue in report.scenario.issues:
        values = {m.model: (m.issues[issue.id].forecast, None, None) for m in report.forecast.models}
        rows.append((issue.name, issue.scale.min, issue.scale.max, issue.status_quo, values))
    return rows


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
    models = [m.model for m in report.forecast.models]
    out = {
        "issues": {i.id: charts.issue_map(i, [s for s in scenario.stances if s.issue == i.id],
                                          actors) for i in scenario.issues},
        "forecasts": charts.dot_rows(_forecast_rows(report), models,
                                     "Every model's forecast per issue"),
        "trajectories": {}, "histograms": {}, "intervals": None, "levers": None, "simulation": None,
    }
    for name, result in report.rounds.items():
        path = arrays.to_scale(result.trajectory[0])
        outcome = arrays.to_scale(result.round_outcomes[0])
        out["trajectories"][name] = [
            charts.trajectory(path[:, arrays.mask[:, j], j],
                              [a for i, a in enumerate(arrays.actor_ids) if arrays.mask[i, j]],
                              outcome[:, j], arrays.low[j], arrays.high[j], issue.name)
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
        run = report.simulation.run
        parties = report.simulation.parties
        utility = np.array([[r.parties[p].utility for p in parties] for r in run.rounds])
        present = np.array([[r.parties[p].present for p in parties] for r in run.rounds])
        held = np.array([[r.parties[p].aspiration for p in parties] for r in run.rounds])
        out["simulation"] = charts.utility_paths(
            utility, np.array([run.reservation[p] for p in parties]), held, parties, present,
            "Each party's utility of the text on the table")
    if report.levers:
        items = [(f"{lv.model}: {lv.actor} {lv.lever} on {lv.issue}", lv.effect)
                 for lv in report.levers]
        out["levers"] = charts.bars(items, "Leverage: the largest moves, per model")
    return out


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
