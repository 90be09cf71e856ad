"""Round-by-round traces of models that run in rounds: who moved where, and why."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.table import Table

from accord.models.base import Forecast
from accord.models.eum import OFFER_KINDS
from accord.scenario.arrays import ScenarioArrays


@dataclass
class Move:
    """One actor's move in one round of the expected utility model."""

    round: int
    actor: str
    before: float
    after: float
    risk_exponent: float
    offer: str
    sender: str | None
    own_eu: float
    sender_eu: float


def eum_moves(arrays: ScenarioArrays, result: Forecast, issue: int) -> list[Move]:
    """Every accepted offer in every round on one issue (draw 0), in actor order."""
    d = result.diagnostics
    path = arrays.to_scale(result.trajectory[0])[:, :, issue]  # (t, n)
    moves = []
    for t in range(1, path.shape[0]):
        for i, actor in enumerate(arrays.actor_ids):
            kind = int(d["kind"][0, t, i, issue])
            if not arrays.mask[i, issue] or kind == 0:
                continue
            sender = int(d["sender"][0, t, i, issue])
            moves.append(Move(t, actor, float(path[t - 1, i]), float(path[t, i]),
                              float(d["r"][0, t, i, issue]), OFFER_KINDS[kind],
                              arrays.actor_ids[sender] if sender >= 0 else None,
                              float(d["a"][0, t, i, issue]), float(d["b"][0, t, i, issue])))
    return moves


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


def round_summary(arrays: ScenarioArrays, result: Forecast, issue: int) -> list[dict]:
    """Per round: median, mean and every actor's position (JSON-ready)."""
    path = arrays.to_scale(result.trajectory[0])[:, :, issue]
    medians = arrays.to_scale(result.diagnostics["median"][0])[:, issue]
    means = arrays.to_scale(result.diagnostics["mean"][0])[:, issue]
    return [{"round": t, "median": float(medians[t]), "mean": float(means[t]),
             "positions": {a: float(path[t, i]) for i, a in enumerate(arrays.actor_ids)
                           if arrays.mask[i, issue]}}
            for t in range(path.shape[0]) if np.isfinite(medians[t])]


def exchange_rows(arrays: ScenarioArrays, result: Forecast, round_no: int) -> list[dict]:
    """The exchanges realised in one round (draw 0), on each issue's own scale."""
    rows = []
    for e in result.diagnostics["exchanges"][0][round_no - 1]:
        p, q = e["p"], e["q"]
        scale = lambda value, j: float(arrays.low[j] + value * (arrays.high[j] - arrays.low[j]))  # noqa: E731
        rows.append({
            "supplier_p": arrays.actor_ids[e["supplier_p"]], "issue_p": arrays.issue_ids[p],
            "p_from": scale(e["a_before"], p), "p_to": scale(e["a_after"], p),
            "supplier_q": arrays.actor_ids[e["supplier_q"]], "issue_q": arrays.issue_ids[q],
            "q_from": scale(e["b_before"], q), "q_to": scale(e["b_after"], q),
            "gain": min(e["gain_a"], e["gain_b"]),
        })
    return rows


def exchange_table(arrays: ScenarioArrays, result: Forecast, round_no: int, title: str) -> Table:
    """Who gave ground on which issue to whom in one round, then the outcomes per issue."""
    rows = exchange_rows(arrays, result, round_no)
    table = Table(title=f"{title}: round {round_no}, {len(rows)} exchanges (in order of execution)",
                  header_style="bold", caption="each actor gives ground on one issue so that the "
                  "other gives ground on the issue it cares about more; gain = utility each gains")
    for col in ("#", "actor", "gives ground on", "from", "to", "in exchange with", "who gives on",
                "from ", "to ", "gain"):
        table.add_column(col, justify="right" if col.strip() in ("#", "from", "to", "gain")
                         else "left")
    for n, r in enumerate(rows, start=1):
        table.add_row(str(n), r["supplier_p"], r["issue_p"], f"{r['p_from']:.1f}", f"{r['p_to']:.1f}",
                      r["supplier_q"], r["issue_q"], f"{r['q_from']:.1f}", f"{r['q_to']:.1f}",
                      f"{r['gain'] * 100:.3f}")
    pref = arrays.to_scale(result.diagnostics["preference_outcome"][0])
    vote = arrays.to_scale(result.round_outcomes[0])
    summary = Table(title="outcome per issue", header_style="bold")
    for col in ("issue", "preference outcome (start of round)", "voting outcome (after exchanges)",
                "preference outcome (next round)"):
        summary.add_column(col, justify="left" if col == "issue" else "right")
    for j, issue in enumerate(arrays.issue_ids):
        summary.add_row(issue, f"{pref[round_no - 1, j]:.1f}", f"{vote[round_no, j]:.1f}",
                        f"{pref[round_no, j]:.1f}")
    from rich.console import Group

    return Group(table, summary)


def smp_rows(arrays: ScenarioArrays, result: Forecast, issue: int) -> list[dict]:
    """Per turn and actor (draw 0): position before and after on one issue, risk attitude,
    chance of winning, the actor it challenged and the bargain its queue chose."""
    names = arrays.actor_ids
    path = arrays.to_scale(result.trajectory[0])[:, :, issue]
    rows = []
    for t, turn in enumerate(result.diagnostics["runs"][0], start=1):
        for i, actor in enumerate(names):
            target = int(turn.target[i])
            rows.append({"turn": t, "actor": actor, "before": float(path[t - 1, i]),
                         "after": float(path[t, i]), "risk": float(turn.risk[i]),
                         "win_probability": float(turn.win_probability[i]),
                         "target": names[target] if target >= 0 else None,
                         "bargain": int(turn.chosen[i]), "fractional_change": turn.change})
    return rows


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
