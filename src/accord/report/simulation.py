"""Simulation results as terminal tables and Markdown: the round-by-round table, the run's
outcome, and the summary over seeds with counterfactuals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from accord.api.simulation import SimulationResult as SimulationDoc


SUMMARY_FIELDS = (("agreement_rate", "agree", "{:.2f}"), ("welfare", "welfare", "{:.3f}"),
                  ("pareto_distance", "d Pareto", "{:.3f}"), ("nash_distance", "d Nash", "{:.3f}"),
                  ("ks_distance", "d KS", "{:.3f}"), ("incentive_paid", "incentive paid", "{:.2f}"),
                  ("walkout_rate", "walk-outs", "{:.2f}"), ("steps", "steps", "{:.0f}"))


def _fmt(value, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def round_rows(doc: SimulationDoc, issues: int = 4) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the round table: date, venue, the text on the leading issues, each
    party's utility, acceptance, trust and presence, drafts, locks and events."""
    shown = doc.issues[:issues]
    header = ["round", "date", "venue", *shown, *doc.parties, "drafts (adopted)", "locked", "events"]
    rows = []
    for r in doc.run.rounds:
        party_cells = []
        for p in doc.parties:
            row = r.parties[p]
            mark = ("signs" if row.accepting else "holds out") if row.present else "away"
            party_cells.append(f"{row.utility:.2f} {mark}, trust {row.trust:.2f}")
        rows.append([str(r.round), r.date or "", r.venue, *(f"{r.text[i]:g}" for i in shown),
                     *party_cells, f"{r.drafts} ({r.adopted})", ", ".join(r.locked),
                     "; ".join(r.events)])
    return header, rows


def rounds_table(doc: SimulationDoc, issues: int = 4) -> Table:
    """The round-by-round table."""
    header, rows = round_rows(doc, issues)
    by = f", mediator {doc.mediator}" if doc.mediator and doc.protocol == "single-text" else ""
    table = Table(title=f"{doc.scenario}: {doc.protocol}{by} ({doc.run.outcome})", show_lines=True)
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def outcome_table(doc: SimulationDoc) -> Table:
    """Where every issue landed, and what each party got against its reservation value."""
    run = doc.run
    table = Table(title=f"Final text (seed {run.seed}): {run.outcome}")
    table.add_column("issue")
    table.add_column("text", justify="right")
    table.add_column("partial agreement")
    for issue, value in run.text.items():
        part = run.partial_agreements.get(issue)
        table.add_row(issue, f"{value:g}", f"round {part.round}" if part else "")
    for p in doc.parties:
        table.add_row(f"[bold]{p}[/bold] utility / reservation",
                      f"{run.utility[p]:.3f} / {run.reservation[p]:.3f}", "")
    return table


def summary_table(doc: SimulationDoc) -> Table:
    """The summary over seeds, one row per counterfactual."""
    table = Table(title=f"{doc.seeds} seeds with drawn inputs (means over agreements)")
    table.add_column("plan")
    for _, label, _ in SUMMARY_FIELDS:
        table.add_column(label, justify="right")
    for plan, s in doc.summary.items():
        table.add_row(plan, *(_fmt(s[key], pattern) for key, _, pattern in SUMMARY_FIELDS))
    return table


def markdown(doc: SimulationDoc, issues: int = 4) -> str:
    """The round table (and the summary, if any) as Markdown."""
    header, rows = round_rows(doc, issues)
    lines = [f"**{doc.scenario}, {doc.protocol}: {doc.run.outcome}**", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    if doc.summary:
        lines += ["", "| plan | " + " | ".join(label for _, label, _ in SUMMARY_FIELDS) + " |",
                  "|" + "---|" * (len(SUMMARY_FIELDS) + 1)]
        for plan, s in doc.summary.items():
            cells = [_fmt(s[key], pattern) for key, _, pattern in SUMMARY_FIELDS]
            lines.append(f"| {plan} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
