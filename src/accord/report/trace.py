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
