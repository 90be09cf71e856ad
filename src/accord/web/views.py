"""What the templates show, arranged from the API's documents: table rows and inline SVG charts
(:mod:`accord.report.charts`, the report's own). Nothing here computes a forecast; it picks the
numbers out of the documents and lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from accord.api import ForecastReport, LeverageResult, SimulationResult, WhatIfResult
from accord.api.forecast import interval_at
from accord.report import charts, html, text
from accord.scenario.model import Scenario

SHOWN_LEVEL = 0.8  # the interval the table shows beside each calibrated forecast
DEAL = "deal or no deal"
WITH_INTERVALS = ("ensemble",)  # the headline's; every model's are in the JSON and the report


def interval(intervals, level: float = SHOWN_LEVEL) -> tuple[float, float] | None:
    """The (low, high) of the interval at ``level`` among a forecast's ``intervals``, or None."""
    chosen = interval_at(intervals, level)
    return None if chosen is None else (chosen.low, chosen.high)


@dataclass
class Cell:
    """One model's forecast on one issue, as the table shows it."""

    model: str
    value: float | None = None
    off_table: str | None = None
    interval: tuple[float, float] | None = None
    pending: bool = False


@dataclass
class Row:
    """One issue: its status quo, every model's cell and the spread."""

    id: str
    name: str
    status_quo: float | None
    spread: float | None
    cells: list[Cell] = field(default_factory=list)


@dataclass
class ForecastTable:
    """The forecast as shown: columns in the document's order, then the models still running."""

    models: list[str]
    intervals: set[str]
    rows: list[Row]
    complete: bool
    chart: Markup
    deal: str | None = None
    record: str | None = None


def forecast_table(report: ForecastReport, models: list[str], complete: bool) -> ForecastTable:
    """The table and chart of ``report``; models of ``models`` it lacks are shown as pending; the
    deal or no deal mixture, when the report has it, right after the headline ensemble."""
    done = {m.model: m for m in report.models}
    order = [m.model for m in report.models] + [m for m in models if m not in done]
    if report.deal:
        order.insert(order.index("ensemble") + 1 if "ensemble" in order else 0, DEAL)
    rows, chart_rows = [], []
    for issue in report.issues:
        cells = []
        for name in order:
            result = done.get(name)
            if name == DEAL:
                d = report.deal.issues[issue.id]
                cells.append(Cell(DEAL, d.median, None, interval(d.intervals)))
            elif result is None:
                cells.append(Cell(name, pending=True))
            else:
                f = result.issues[issue.id]
                shown = interval(f.intervals) if name in WITH_INTERVALS else None
                cells.append(Cell(name, f.forecast, f.off_table, shown))
        rows.append(Row(issue.id, issue.name, issue.status_quo,
                        issue.spread if complete else None, cells))
        chart_rows.append((issue.name, issue.scale_min, issue.scale_max, issue.status_quo,
                           {c.model: (c.value, *(c.interval or (None, None)))
                            for c in cells if not c.pending}))
    intervals = {c.model for r in rows for c in r.cells if c.interval is not None}
    shown = [m for m in order if m in done or m == DEAL]
    title = "Every model's forecast per issue" + ("" if complete else " (models in rounds to come)")
    return ForecastTable(order, intervals, rows, complete, charts.dot_rows(chart_rows, shown, title),
                         text.deal_line(report), text.track_record_line(report))


def positions(scenario: Scenario, issue_id: str) -> Markup:
    """The actors on one issue: position across, salience up, size by capability."""
    issue = scenario.issue(issue_id)
    return charts.issue_map(issue, [s for s in scenario.stances if s.issue == issue_id],
                            {a.id: a for a in scenario.actors})


def leverage_chart(result: LeverageResult) -> Markup:
    """The levers as signed bars, largest first per model."""
    return charts.bars([(f"{r.model}: {r.actor} {r.lever} on {r.issue}", r.effect)
                        for r in result.root], "Leverage: how far each change moves the forecast")


def whatif_views(result: WhatIfResult, scenario: Scenario) -> list[dict]:
    """Per model: the columns (baseline, shocks), the rows (median and 5-95% per column) and
    the intervals chart."""
    issues = {i.id: i for i in scenario.issues}
    out = []
    for model, columns in result.root.items():
        labels = [c.label for c in columns]
        rows, chart_rows = [], []
        for j, dist in enumerate(columns[0].issues):
            issue = issues[dist.issue]
            values = {c.label: (c.issues[j].median, c.issues[j].p5, c.issues[j].p95)
                      for c in columns}
            rows.append((issue.name, [values[label] for label in labels]))
            chart_rows.append((issue.name, issue.scale.min, issue.scale.max, issue.status_quo,
                               values))
        out.append({"model": model, "labels": labels, "rows": rows,
                    "agreement": [c.agreement for c in columns],
                    "chart": charts.dot_rows(chart_rows, labels,
                                             f"{model}: median and 5-95% interval per column")})
    return out


def simulation_chart(doc: SimulationResult) -> Markup | None:
    """Each party's utility of the text on the table, round by round (None without rounds)."""
    return html.utility_chart(doc) if doc.run.rounds and doc.parties else None
