"""Round-by-round traces as rich tables (the rows come from :mod:`accord.api.trace`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table

from accord.api.trace import Trace, eum_moves, exchange_rows, smp_rows

if TYPE_CHECKING:
    from accord.models.base import Forecast
    from accord.scenario.arrays import ScenarioArrays


def trace_table(trace: Trace):
    """The table of a trace: exchanges for the exchange model, moves per round otherwise."""
    if trace.result.model == "exchange":
        return exchange_table(trace.arrays, trace.result, trace.round, trace.scenario.name)
    issue = trace.scenario.issues[trace.issue]
    title = f"{trace.result.model} on '{issue.name}' ({trace.scenario.name})"
    if trace.result.model == "smp":
        return smp_table(trace.arrays, trace.result, trace.issue, title)
    return eum_table(trace.arrays, trace.result, trace.issue, title)


def eum_table(arrays: ScenarioArrays, result: Forecast, issue: int, title: str) -> Table:
    """A rich table of :func:`eum_moves`, with the median and mean after each round."""
    table = Table(title=title, header_style="bold",
                  caption="own EU = E^i(U_ij) of the actor that moved; sender EU = E^j(U_ji) of "
                          "the actor whose offer it took; r = its risk exponent this round")
    for col in ("round", "actor", "from", "to", "offer", "from whom", "own EU", "sender EU", "r"):
        table.add_column(col, justify="right" if col not in ("actor", "offer", "from whom")
                         else "left")
    medians = arrays.to_scale(result.diagnostics["median"][0])[:, issue]
    means = arrays.to_scale(result.diagnostics["mean"][0])[:, issue]
    moves = eum_moves(arrays, result, issue)
    for t in range(1, len(medians)):
        for m in (m for m in moves if m.round == t):
            table.add_row(str(t), m.actor, f"{m.before:.3f}", f"{m.after:.3f}", m.offer,
                          m.sender or "", f"{m.own_eu:+.4f}", f"{m.sender_eu:+.4f}",
                          f"{m.risk_exponent:.3f}")
        table.add_row(str(t), "[dim]median / mean[/dim]", "", "", "", "",
                      f"[bold]{medians[t]:.3f}[/bold]", f"{means[t]:.3f}", "",
                      end_section=True)
    return table


def exchange_table(arrays: ScenarioArrays, result: Forecast, round_no: int, title: str) -> Table:
    """The round's exchanges in order of execution, as decide's files list them, then the
    outcomes per issue."""
    rows = exchange_rows(arrays, result, round_no)
    table = Table(title=f"{title}: round {round_no}, {len(rows)} exchanges (in order of execution)",
                  header_style="bold", caption="each actor gives ground on the issue it supplies "
                  "(its voting position moves) so that the other gives ground on the issue it "
                  "cares about more; gain = utility each side gains (decide's 0-100 scale); "
                  "* = stopped at the demander's position")
    table.add_column("#", justify="right")
    for side in ("", " "):
        for col in ("actor", "supplies", "start", "move", "new position"):
            text = col in ("actor", "supplies")
            table.add_column(col + side, justify="left" if text else "right")
    table.add_column("gain", justify="right")
    for n, r in enumerate(rows, start=1):
        cells = [f"{n}{'*' if r['truncated'] else ''}"]
        for side in ("i", "j"):
            s = r[side]
            cells += [s["actor"], s["supplies"], _number(s["start"]), _number(s["move"], "+"),
                      _number(s["position"])]
        table.add_row(*cells, f"{r['gain']:.4f}")
    pref = arrays.to_scale(result.diagnostics["preference_outcome"][0])
    vote = arrays.to_scale(result.round_outcomes[0])
    summary = Table(title="outcome per issue", header_style="bold")
    for col in ("issue", "preference outcome (start of round)", "voting outcome (after exchanges)",
                "preference outcome (next round)"):
        summary.add_column(col, justify="left" if col == "issue" else "right")
    for j, issue in enumerate(arrays.issue_ids):
        summary.add_row(issue, f"{pref[round_no - 1, j]:.2f}", f"{vote[round_no, j]:.2f}",
                        f"{pref[round_no, j]:.2f}")
    return Group(table, summary)


def _number(value: float, sign: str = "") -> str:
    """Two decimals; a rounding error below them is no sign (never -0.00)."""
    return f"{value:{sign}.2f}".replace("-0.00", "0.00").replace("+0.00", "0.00")


def smp_table(arrays: ScenarioArrays, result: Forecast, issue: int, title: str) -> Table:
    """A rich table of :func:`smp_rows`, one section per turn."""
    table = Table(title=title, header_style="bold",
                  caption="risk = R_i from the risk-neutral election (1: most risk averse); "
                          "P(win) = chance its position wins that election; bargain = index of "
                          "the bargain its queue chose (0-based, KTAB's order)")
    for col in ("turn", "actor", "from", "to", "risk", "P(win)", "challenges", "bargain"):
        table.add_column(col, justify="left" if col in ("actor", "challenges") else "right")
    rows = smp_rows(arrays, result, issue)
    for k, row in enumerate(rows):
        last = k + 1 == len(rows) or rows[k + 1]["turn"] != row["turn"]
        table.add_row(str(row["turn"]), row["actor"], f"{row['before']:.1f}", f"{row['after']:.1f}",
                      f"{row['risk']:+.3f}", f"{row['win_probability']:.3f}", row["target"] or "",
                      str(row["bargain"]), end_section=last)
        if last:
            table.add_row("", "[dim]fractional change[/dim]", "", "", "", "",
                          f"{row['fractional_change']:.4f}", "", end_section=True)
    return table
