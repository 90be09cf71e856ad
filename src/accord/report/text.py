"""Forecasts and scenarios as terminal tables (rich), Markdown and CSV."""

from __future__ import annotations

import csv
import io

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from accord.api.forecast import ForecastReport, interval_at
from accord.report.console import SafeConsole, clean, plain  # noqa: F401 - the renderers' helpers
from accord.scenario.model import Scenario


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


SHOWN_LEVEL = 0.8  # the interval the tables show beside the headline forecast, when computed


def shown_level(report: ForecastReport) -> float:
    """The interval level the tables show: 80% when the report has it, else its first."""
    return SHOWN_LEVEL if SHOWN_LEVEL in report.levels else report.levels[0]


def _lead(report: ForecastReport):
    """The headline model (the ensemble when present) and the others, in report order."""
    lead = next((r for r in report.models if r.model == "ensemble"), None)
    return lead, [r for r in report.models if r is not lead]


def with_interval(value: float | None, intervals, level: float, mark: str = "") -> str:
    """'56.0 [20–84]': a forecast with its interval at ``level`` (the forecast alone without
    one)."""
    shown = interval_at(intervals, level)
    return _cell(value) + mark + (f" [{shown.low:.0f}–{shown.high:.0f}]" if shown else "")


def _forecast_rows(report: ForecastReport) -> list[list[str]]:
    lead, others = _lead(report)
    level = shown_level(report)
    rows = []
    for issue in report.issues:
        row = [issue.id]
        if lead:
            f = lead.issues[issue.id]
            row.append(with_interval(f.forecast, f.intervals, level, " ✗" if f.off_table else ""))
        if report.deal:
            d = report.deal.issues[issue.id]
            row.append(with_interval(d.median, d.intervals, level))
        row.append(_cell(issue.status_quo))
        for result in others:
            f = result.issues[issue.id]
            row.append(_cell(f.forecast) + (" ✗" if f.off_table else ""))
        rows.append([*row, _cell(issue.spread)])
    return rows


def _header(report: ForecastReport) -> list[str]:
    lead, others = _lead(report)
    level = shown_level(report)
    first = [f"{lead.model} [{level:.0%}]"] if lead else []
    deal = [f"deal or no deal [{level:.0%}]"] if report.deal else []
    return ["issue", *first, *deal, "status quo", *[r.model for r in others], "spread"]


def deal_line(report: ForecastReport) -> str | None:
    """One line on the chance of a deal, or why there is none (None when not asked for)."""
    d = report.deal
    if d is None:
        return report.deal_note
    return (f"Deal or no deal: an agreement is signed in {d.agreement:.0%} of {d.draws} simulated "
            f"draws [{d.agreement_low:.0%}–{d.agreement_high:.0%}], and signed and implemented "
            f"in {d.holds:.0%} [{d.holds_low:.0%}–{d.holds_high:.0%}] (Wilson 95%); otherwise "
            f"the issues stay at the status quo. The deal column is that mixture's median "
            f"(nothing fitted)")


def track_record_line(report: ForecastReport) -> str | None:
    """One line on how the headline model has done out of sample, or None without a record."""
    lead, _ = _lead(report)
    record = lead.track_record if lead else None
    if record is None:
        return None
    cover = " / ".join(f"{record.coverage[k]:.0%}" for k in ("0.5", "0.8", "0.9")
                       if k in record.coverage)
    return (f"{lead.model}, how it has done on {record.n} real EU decisions ({record.how}): "
            f"MAE {record.mae:.1f}, CRPS {record.crps:.1f} points; its 50/80/90% intervals held "
            f"{cover} of outcomes")


def forecast_table(report: ForecastReport) -> Table:
    """A rich table: issues down; the ensemble with its interval, the status quo and one column
    per model across, then the spread; the ensemble's track record in the caption."""
    title = f"{report.scenario_name}" + (f" (as of {report.as_of})" if report.as_of else "")
    caption = "✗ = forecast falls in a region declared off the table"
    record, level = track_record_line(report), shown_level(report)
    if record:
        caption += escape(f"\n[{level:.0%}]: the interval holding the outcome with "
                          f"{level:.0%} probability (model error, inputs as coded)\n{record}")
    if deal_line(report):
        caption += escape("\n" + deal_line(report))
    table = Table(title=plain(title), caption=caption, header_style="bold")
    for i, col in enumerate(_header(report)):
        table.add_column(plain(col), justify="left" if i == 0 else "right",
                         style="dim" if col == "spread" else None)
    for row in _forecast_rows(report):
        table.add_row(plain(row[0]), *row[1:])
    return table


def forecast_markdown(report: ForecastReport) -> str:
    """The forecast as a Markdown table for pasting into a memo."""
    header = _header(report)
    lines = [f"**{report.scenario_name}**" + (f" (as of {report.as_of})" if report.as_of else ""),
             "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in _forecast_rows(report)]
    if any(f.off_table for r in report.models for f in r.issues.values()):
        lines += ["", "✗ = forecast falls in a region declared off the table."]
    record, level = track_record_line(report), shown_level(report)
    if record:
        lines += ["", f"[{level:.0%}]: the interval holding the outcome with "
                      f"{level:.0%} probability (model error, inputs as coded). {record}."]
    if deal_line(report):
        lines += ["", deal_line(report) + "."]
    return "\n".join(lines) + "\n"


def forecast_csv(report: ForecastReport) -> str:
    """The forecast as CSV: one row per issue, one column per model."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    deal = ["deal_mixture"] if report.deal else []
    writer.writerow(["issue", "status_quo", *[r.model for r in report.models], *deal, "spread"])
    for issue in report.issues:
        values = [r.issues[issue.id].forecast for r in report.models]
        mixed = [report.deal.issues[issue.id].median] if report.deal else []
        writer.writerow([issue.id, issue.status_quo, *values, *mixed, issue.spread])
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


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _versus(record) -> str:
    v = record.versus
    return "–" if v is None else f"{v.difference:+.2f} [{v.low:+.2f}, {v.high:+.2f}]"


def backtest_table(doc) -> Table:
    """Out-of-sample accuracy per case set and model: errors, CRPS, interval coverage, and the
    MAE difference to the compromise model with its bootstrap interval."""
    how = "; ".join(f"{name}: {text}" for name, text in doc.evaluation.items())
    table = Table(title="Backtest: out-of-sample error against the real outcome (scale points)",
                  header_style="bold",
                  caption=f"{how}. Coverage: share of outcomes inside the 50/80/90% intervals "
                          "(calibrated when close to the level). ΔMAE: minus the compromise "
                          "model's, 95% bootstrap interval over cases.")
    for col in ("case set", "model", "n", "MAE", "median", "≤10", "CRPS", "50%", "80%", "90%",
                "ΔMAE vs compromise"):
        table.add_column(col, justify="left" if col in ("case set", "model") else "right")
    for r in doc.records:
        if not r.n:
            table.add_row(r.case_set, r.model, "0", *["–"] * 8)
            continue
        table.add_row(r.case_set, r.model, str(r.n), f"{r.mae:.2f}", f"{r.median_error:.2f}",
                      _share(r.within_10), "–" if r.crps is None else f"{r.crps:.2f}",
                      *[_share(r.coverage.get(level)) for level in ("0.5", "0.8", "0.9")],
                      _versus(r))
    return table


def backtest_cases_table(rows: list[dict], models: list[str]) -> Table:
    """One row per scored issue: the actual outcome and each model's out-of-sample forecast."""
    table = Table(title="Backtest, issue by issue", header_style="bold")
    for col in ("case set", "case", "issue", "actual", *models):
        table.add_column(col, justify="left" if col in ("case set", "case", "issue") else "right")
    for row in rows:
        table.add_row(plain(row["case_set"]), plain(row["case"]), plain(row["issue"]),
                      f"{row['actual']:g}", *[_cell(row["forecasts"].get(m)) for m in models])
    return table


def backtest_markdown(doc, command: str) -> str:
    """Model x case set comparison tables in Markdown, with the command that produced them."""
    case_sets = list(dict.fromkeys(r.case_set for r in doc.records))
    models = list(dict.fromkeys(r.model for r in doc.records))
    by = {(r.case_set, r.model): r for r in doc.records}
    how = "; ".join(f"{name}: {text}" for name, text in doc.evaluation.items())

    def block(heading: str, cell) -> list[str]:
        lines = ["", heading, "", "| model | " + " | ".join(case_sets) + " |",
                 "|---|" + "---|" * len(case_sets)]
        for m in models:
            cells = [cell(by[c, m]) if (c, m) in by and by[c, m].n else "–" for c in case_sets]
            lines.append(f"| {m} | " + " | ".join(cells) + " |")
        return lines

    lines = [f"Produced by `{command}` (Accord {doc.accord_version}, capabilities: "
             f"{doc.capability}). Out of sample: {how}."]
    lines += block("Mean absolute error (n scored issues); lower is better:",
                   lambda r: f"{r.mae:.2f} ({r.n})")
    lines += block("Median absolute error / share within 10 points:",
                   lambda r: f"{r.median_error:.2f} / {r.within_10:.0%}")
    lines += block("CRPS of the predictive distribution (scale points; a point forecast's CRPS "
                   "is its absolute error); lower is better:",
                   lambda r: "–" if r.crps is None else f"{r.crps:.2f}")
    lines += block("Coverage of the 50% / 80% / 90% intervals (share of real outcomes inside; "
                   "calibrated when close to the level):",
                   lambda r: " / ".join(_share(r.coverage.get(k)) for k in ("0.5", "0.8", "0.9")))
    lines += block("MAE minus the compromise model's on the same issues, with a 95% bootstrap "
                   "interval over whole cases (an interval that excludes 0 is more than luck):",
                   _versus)
    if any(r.input_coverage_90 is not None for r in doc.records):
        lines += block("Coverage of the 5-95% interval of the input draws alone (no model "
                       "error):", lambda r: _share(r.input_coverage_90))
    if doc.ensemble_choices:
        chosen = ", ".join(f"{k} {v}" for k, v in doc.ensemble_choices.items())
        lines += ["", f"The ensemble's combination, chosen on each fold's training proposals: "
                      f"{chosen} (folds)."]
    return "\n".join(lines) + "\n"


def _interval(s) -> str:
    return f"{s.median:.1f} [{s.p5:.1f}–{s.p95:.1f}]"


def montecarlo_table(summary, title: str) -> Table:
    """Per issue: mean, median, 5-95% interval and threshold probabilities of a run."""
    thresholds = list(dict.fromkeys(t for s in summary.issues for t in s.thresholds))
    caption = f"{summary.draws:,} draws; 5%, 95%: the draws alone"
    if summary.agreement is not None:
        caption += f"; probability of agreement (as the scenario defines it): {summary.agreement:.0%}"
    include = getattr(summary, "intervals_include", None)
    calibrated = [s.intervals for s in summary.issues] if include else []
    levels = sorted({i.level for row in calibrated for i in row or []})
    if levels:
        caption += f"\n[{', '.join(f'{v:.0%}' for v in levels)}]: intervals with {include}"
    table = Table(title=plain(title), caption=escape(caption), header_style="bold")
    for col in ("issue", "mean", "median", "5%", "95%", *[f"[{v:.0%}]" for v in levels],
                *[f"P({t})" for t in thresholds]):
        table.add_column(plain(col), justify="left" if col == "issue" else "right")
    for j, s in enumerate(summary.issues):
        probs = [f"{s.thresholds[t]:.0%}" if t in s.thresholds else "" for t in thresholds]
        bands = [_band(calibrated[j], v) for v in levels]
        table.add_row(plain(s.issue), f"{s.mean:.1f}", f"{s.median:.1f}", f"{s.p5:.1f}",
                      f"{s.p95:.1f}", *bands, *probs)
    return table


def _band(intervals, level: float) -> str:
    chosen = interval_at(intervals, level)
    return "–" if chosen is None else f"{chosen.low:.0f}–{chosen.high:.0f}"


def whatif_table(model: str, columns: list[tuple[str, object]]) -> Table:
    """Baseline and each shock side by side: median [5%-95%] per issue, and agreement."""
    include = getattr(columns[0][1], "intervals_include", None)
    caption = (f"With {include}, the 90% intervals are wider: see --format json"
               if include else None)
    table = Table(title=f"What if? ({model}; median [5%–95%] over the draws)", header_style="bold",
                  caption=escape(caption) if caption else None)
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
    for col in ("source", "event", "PLOVER (coder, p)", "CAMEO", "target", "flags", "dates"):
        table.add_column(col)
    for e in result.events:
        flags = ", ".join(f for f in ("negated", "hedged", "conditional", "gesture") if e[f])
        coded = (f"{e['category']} ({e['confidence']:.2f})" if e.get("category")
                 else e["plover"])
        table.add_row(plain(e["source"] or e["source_text"] or "?"), e["label"], coded,
                      e["cameo"], plain(e["target"] or e["target_text"] or ""), flags,
                      ", ".join(d["value"] for d in e["dates"]))
    return table
