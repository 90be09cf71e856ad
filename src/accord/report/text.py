"""Forecasts and scenarios as terminal tables (rich), Markdown and CSV."""

from __future__ import annotations

import csv
import io

from rich.table import Table

from accord.forecasting import ForecastReport
from accord.scenario.model import Scenario


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _forecast_rows(report: ForecastReport) -> list[list[str]]:
    rows = []
    for issue in report.issues:
        row = [issue.id, _cell(issue.status_quo)]
        for result in report.models:
            f = result.issues[issue.id]
            row.append(_cell(f.forecast) + (" ✗" if f.off_table else ""))
        rows.append([*row, _cell(issue.spread)])
    return rows


def forecast_table(report: ForecastReport) -> Table:
    """A rich table: issues down, status quo and one column per model across, then the spread."""
    title = f"{report.scenario_name}" + (f" (as of {report.as_of})" if report.as_of else "")
    table = Table(title=title, caption="✗ = forecast falls in a region declared off the table",
                  header_style="bold")
    table.add_column("issue")
    table.add_column("status quo", justify="right")
    for result in report.models:
        table.add_column(result.model, justify="right")
    table.add_column("spread", justify="right", style="dim")
    for row in _forecast_rows(report):
        table.add_row(*row)
    return table


def forecast_markdown(report: ForecastReport) -> str:
    """The forecast as a Markdown table for pasting into a memo."""
    header = ["issue", "status quo", *[r.model for r in report.models], "spread"]
    lines = [f"**{report.scenario_name}**" + (f" (as of {report.as_of})" if report.as_of else ""),
             "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in _forecast_rows(report)]
    if any(f.off_table for r in report.models for f in r.issues.values()):
        lines += ["", "✗ = forecast falls in a region declared off the table."]
    return "\n".join(lines) + "\n"


def forecast_csv(report: ForecastReport) -> str:
    """The forecast as CSV: one row per issue, one column per model."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["issue", "status_quo", *[r.model for r in report.models], "spread"])
    for issue in report.issues:
        values = [r.issues[issue.id].forecast for r in report.models]
        writer.writerow([issue.id, issue.status_quo, *values, issue.spread])
    return out.getvalue()


def actors_table(scenario: Scenario) -> Table:
    """Who is at the table."""
    table = Table(title=f"{scenario.name}: actors", header_style="bold")
    for col in ("id", "name", "role", "capability"):
        table.add_column(col, justify="right" if col == "capability" else "left")
    for a in scenario.actors:
        table.add_row(a.id, a.name, a.role.value, f"{a.capability:g}")
    return table


def stances_table(scenario: Scenario) -> Table:
    """Position (salience) of every actor on every issue; blank where it takes no part."""
    table = Table(title="stances: position (salience); blank = takes no part", header_style="bold")
    table.add_column("actor")
    for issue in scenario.issues:
        table.add_column(issue.id, justify="right")
    lookup = {(s.actor, s.issue): s for s in scenario.stances}
    for a in scenario.actors:
        cells = []
        for issue in scenario.issues:
            s = lookup.get((a.id, issue.id))
            cells.append("" if s is None else f"{s.position:g} ({s.salience:.2g})")
        table.add_row(a.id, *cells)
    return table
