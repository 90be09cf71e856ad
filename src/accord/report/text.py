"""Forecasts and scenarios as terminal tables (rich), Markdown and CSV."""

from __future__ import annotations

import csv
import io
import re

from rich.console import Console
from rich.errors import MarkupError
from rich.table import Table
from rich.text import Text

from accord.api.forecast import ForecastReport
from accord.scenario.model import Scenario


# Terminal controls (C0 but tab and newline, DEL, C1) and bidirectional overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def clean(value: object, one_line: bool = False) -> str:
    """``value`` as printable text: every control character (and, with ``one_line``, every line
    break and tab) shown as its escape (``\\x1b``, ``\\u202e``), so no user string can drive the
    terminal or reorder what is shown."""
    pattern = _UNSAFE_LINE if one_line else _UNSAFE
    return pattern.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))


def plain(value: object, style: str = "") -> Text:
    """A user string for a rich table or console: shown as written, never read as markup."""
    return Text(clean(value), style=style)


class SafeConsole(Console):
    """A console that prints every string as text: control characters escaped, no emoji codes,
    and markup that does not parse shown as written instead of raising."""

    def __init__(self, **options):
        super().__init__(emoji=False, **options)

    def on_broken_pipe(self) -> None:
        """A reader that stops early (``| head``) is no error: raise what the CLI treats as
        a quiet exit 0 (rich's own choice is exit 1)."""
        raise BrokenPipeError

    def render_str(self, text: str, **options) -> Text:
        """Escape control characters; fall back to plain text if the markup is broken."""
        text = clean(text)
        try:
            return super().render_str(text, **options)
        except MarkupError:
            return super().render_str(text, **{**options, "markup": False})


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
    table = Table(title=plain(title),
                  caption="✗ = forecast falls in a region declared off the table",
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
    table = Table(title=plain(f"{scenario.name}: actors"), header_style="bold")
    for col in ("id", "name", "role", "capability"):
        table.add_column(col, justify="right" if col == "capability" else "left")
    for a in scenario.actors:
        table.add_row(plain(a.id), plain(a.name), a.role.value, f"{a.capability:g}")
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
        table.add_row(plain(a.id), *cells)
    return table


def backtest_table(scores) -> Table:
    """Accuracy per case set and model: n, MAE, median error, share within 10 points."""
    table = Table(title="Backtest: error against the real outcome (scale units)",
                  header_style="bold",
                  caption="status_quo and mean are naive baselines; lower error is better")
    for col in ("case set", "model", "n", "MAE", "median error", "within 10", "90% coverage"):
        table.add_column(col, justify="left" if col in ("case set", "model") else "right")
    for s in scores:
        coverage = "–" if s.coverage is None else f"{s.coverage:.0%}"
        if s.n:
            table.add_row(s.case_set, s.model, str(s.n), f"{s.mae:.2f}", f"{s.median_error:.2f}",
                          f"{s.within_10:.0%}", coverage)
        else:
            table.add_row(s.case_set, s.model, "0", "–", "–", "–", "–")
    return table


def backtest_cases_table(predictions, models) -> Table:
    """One row per scored issue: the actual outcome and each model's forecast."""
    table = Table(title="Backtest, issue by issue", header_style="bold")
    for col in ("case set", "case", "issue", "actual", *models):
        table.add_column(col, justify="left" if col in ("case set", "case", "issue") else "right")
    rows: dict[tuple, dict] = {}
    for p in predictions:
        rows.setdefault((p.case_set, p.case, p.issue, p.actual), {})[p.model] = p.forecast
    for (case_set, case, issue, actual), values in rows.items():
        table.add_row(plain(case_set), plain(case), plain(issue), f"{actual:g}",
                      *[_cell(values.get(m)) for m in models])
    return table


def backtest_markdown(scores, command: str) -> str:
    """Model x case set comparison tables in Markdown, with the command that produced them."""
    case_sets = list(dict.fromkeys(s.case_set for s in scores))
    models = list(dict.fromkeys(s.model for s in scores))
    by = {(s.case_set, s.model): s for s in scores}
    lines = [f"Produced by `{command}`.", "",
             "Mean absolute error (n scored issues); lower is better:", "",
             "| model | " + " | ".join(case_sets) + " |", "|---|" + "---|" * len(case_sets)]
    for m in models:
        cells = [f"{by[c, m].mae:.2f} ({by[c, m].n})" if (c, m) in by and by[c, m].n else "–"
                 for c in case_sets]
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    lines += ["", "Median absolute error / share within 10 points:", "",
              "| model | " + " | ".join(case_sets) + " |", "|---|" + "---|" * len(case_sets)]
    for m in models:
        cells = [f"{by[c, m].median_error:.2f} / {by[c, m].within_10:.0%}"
                 if (c, m) in by and by[c, m].n else "–" for c in case_sets]
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    if any(s.coverage is not None for s in scores):
        lines += ["", "Coverage of the 90% Monte Carlo interval (share of real outcomes inside the "
                  "5-95% interval; 90% is calibrated):", "",
                  "| model | " + " | ".join(case_sets) + " |", "|---|" + "---|" * len(case_sets)]
        for m in models:
            cells = [f"{by[c, m].coverage:.0%}" if (c, m) in by and by[c, m].coverage is not None
                     else "–" for c in case_sets]
            lines.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _interval(s) -> str:
    return f"{s.median:.1f} [{s.p5:.1f}–{s.p95:.1f}]"


def montecarlo_table(summary, title: str) -> Table:
    """Per issue: mean, median, 5-95% interval and threshold probabilities of a run."""
    thresholds = list(dict.fromkeys(t for s in summary.issues for t in s.thresholds))
    caption = f"{summary.draws:,} draws"
    if summary.agreement is not None:
        caption += f"; probability of agreement (as the scenario defines it): {summary.agreement:.0%}"
    table = Table(title=plain(title), caption=caption, header_style="bold")
    for col in ("issue", "mean", "median", "5%", "95%", *[f"P({t})" for t in thresholds]):
        table.add_column(plain(col), justify="left" if col == "issue" else "right")
    for s in summary.issues:
        probs = [f"{s.thresholds[t]:.0%}" if t in s.thresholds else "" for t in thresholds]
        table.add_row(plain(s.issue), f"{s.mean:.1f}", f"{s.median:.1f}", f"{s.p5:.1f}", f"{s.p95:.1f}",
                      *probs)
    return table


def whatif_table(model: str, columns: list[tuple[str, object]]) -> Table:
    """Baseline and each shock side by side: median [5%-95%] per issue, and agreement."""
    table = Table(title=f"What if? ({model}; median [5%–95%] over the draws)", header_style="bold")
    table.add_column("issue")
    for label, _ in columns:
        table.add_column(plain(label), justify="right")
    issues = [s.issue for s in columns[0][1].issues]
    for j, issue in enumerate(issues):
        table.add_row(plain(issue), *[_interval(summary.issues[j]) for _, summary in columns])
    if columns[0][1].agreement is not None:
        table.add_row(Text("P(agreement)", style="bold"),
                      *[f"{summary.agreement:.0%}" for _, summary in columns], end_section=True)
    return table


def leverage_table(levers, title: str) -> Table:
    """Who to persuade, on what, and how far the forecast would move."""
    table = Table(title=plain(title), header_style="bold",
                  caption="position moves are shares of the issue's scale; effect in scale units")
    for col in ("#", "model", "actor", "lever", "issue", "forecast", "moves to", "effect"):
        table.add_column(col, justify="right" if col in ("#", "forecast", "moves to", "effect")
                         else "left")
    for rank, lv in enumerate(levers, start=1):
        table.add_row(str(rank), lv.model, plain(lv.actor), lv.lever, plain(lv.issue),
                      f"{lv.before:.1f}",
                      f"{lv.after:.1f}", f"{lv.effect:+.1f}")
    return table


def runs_table(records) -> Table:
    """The stored runs."""
    table = Table(title="Stored runs (newest first)", header_style="bold")
    for col in ("id", "created (UTC)", "kind", "scenario", "status", "draws", "chunks"):
        table.add_column(col)
    for r in records:
        total = -(-r["draws"] // r["chunk_size"])
        table.add_row(plain(r["id"]), f"{r['created']:%Y-%m-%d %H:%M:%S}", plain(r["kind"]),
                      plain(r["scenario_id"]), plain(r["status"]), f"{r['draws']:,}",
                      f"{r['chunks_done']}/{total}")
    return table


def ingest_table(result) -> Table:
    """Coded events of one article."""
    table = Table(title=plain(f"{result.headline} ({result.article}, {result.date})"),
                  header_style="bold", caption=plain(f"dateline {result.dateline}; {len(result.dropped)} captions/boilerplate "
                          f"dropped; repairs: {', '.join(r['damaged'] + '→' + str(r['repaired']) for r in result.repairs) or 'none'}; "
                          f"quotes: {'; '.join(q['speaker'] for q in result.quotes) or 'none'}"))
    for col in ("source", "event", "PLOVER", "CAMEO", "target", "flags", "dates"):
        table.add_column(col)
    for e in result.events:
        flags = ", ".join(f for f in ("negated", "hedged", "conditional", "gesture") if e[f])
        table.add_row(plain(e["source"] or e["source_text"] or "?"), e["label"], e["plover"],
                      e["cameo"], plain(e["target"] or e["target_text"] or ""), flags,
                      ", ".join(d["value"] for d in e["dates"]))
    return table
