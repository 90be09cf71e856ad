"""Round-by-round traces of models that run in rounds: who moved where, and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.models import MODELS, get
from accord.models.base import Forecast
from accord.models.eum import OFFER_KINDS
from accord.models.parameters import run_model
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.model import Scenario

if TYPE_CHECKING:
    import pandas as pd


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
    """The exchanges executed in one round (draw 0), in order, as decide-exchange-model lists
    them: for each side (``i`` gives ground on the later issue of the pair, ``j`` on the
    earlier) the actor, the issue it gives ground on and the one it demands, its start, move and
    new position, and its partner's position, on each issue's own scale; the gain on decide's
    0-100 utility scale; whether the move was stopped at a demander's position (decide's
    ``check`` false)."""
    names, issues = arrays.actor_ids, arrays.issue_ids
    low, span = arrays.low, arrays.high - arrays.low
    rows = []
    for e in result.diagnostics["exchanges"][0][round_no - 1]:
        sides = {}
        for side, actor, supply, demand, before, after, target in (
                ("i", e["supplier_q"], e["q"], e["p"], e["b_before"], e["b_after"], e["q_target"]),
                ("j", e["supplier_p"], e["p"], e["q"], e["a_before"], e["a_after"], e["p_target"])):
            sides[side] = {"actor": names[actor], "supplies": issues[supply],
                           "demands": issues[demand],
                           "start": float(low[supply] + before * span[supply]),
                           "move": float((after - before) * span[supply]),
                           "position": float(low[supply] + after * span[supply]),
                           "target": float(low[supply] + target * span[supply])}
        rows.append({**sides, "gain": float(e["gain"] * 100), "truncated": e["truncated"]})
    return rows


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


@dataclass
class Trace:
    """A model's rounds on one issue, ready to print or serialise."""

    scenario: Scenario
    arrays: ScenarioArrays
    result: Forecast
    issue: int
    round: int = 1

    def to_json(self, indent: int | None = 2) -> str:
        """The trace as JSON, as ``accord trace --format json`` prints it."""
        import json

        return json.dumps(self.to_dict(), indent=indent)

    def to_frame(self) -> pd.DataFrame:
        """One row per move (per exchange for the exchange model, per turn and actor for smp)."""
        from accord.api.results import frame

        data = self.to_dict()
        return frame(data.get("exchanges") or data.get("turns") or data.get("moves") or [])

    def _repr_html_(self) -> str:
        import html

        title = html.escape(f"{self.result.model} trace ({self.scenario.name})")
        return f"<div><p><strong>{title}</strong></p>{self.to_frame().to_html(border=0)}</div>"

    def to_dict(self) -> dict[str, Any]:
        """Rounds and moves as plain data."""
        if self.result.model == "exchange":
            vote = self.arrays.to_scale(self.result.round_outcomes[0])
            return {"model": "exchange", "parameters": self.result.parameters,
                    "round": self.round,
                    "exchanges": exchange_rows(self.arrays, self.result, self.round),
                    "voting_outcome": dict(zip(self.arrays.issue_ids,
                                               map(float, vote[self.round])))}
        if self.result.model == "smp":
            return {"model": "smp", "parameters": self.result.parameters,
                    "issue": self.scenario.issues[self.issue].id,
                    "turns": smp_rows(self.arrays, self.result, self.issue)}
        return {"model": self.result.model, "parameters": self.result.parameters,
                "issue": self.scenario.issues[self.issue].id,
                "rounds": round_summary(self.arrays, self.result, self.issue),
                "moves": [asdict(m) for m in eum_moves(self.arrays, self.result, self.issue)]}


def trace_model(scenario: Scenario, model: str, issue: str | None,
                params: dict[str, dict[str, Any]], round_no: int = 1) -> Trace:
    """Run a round-based model and keep its diagnostics for one issue."""
    traceable = [name for name, spec in MODELS.items() if spec.rounds]
    if model not in traceable:
        raise InputError("this model does not run in rounds", None, None, "--model", model,
                         "one of " + ", ".join(traceable))
    ids = [i.id for i in scenario.issues]
    if issue is not None and issue not in ids:
        raise InputError("unknown issue", None, None, "--issue", issue, "one of " + ", ".join(ids))
    arrays = ScenarioArrays.from_scenario(scenario)
    result = run_model(get(model), arrays.batch(), dict(params.get(model, {})))
    rounds = result.trajectory.shape[1] - 1
    if not 1 <= round_no <= max(rounds, 1):
        raise InputError("no such round", None, None, "--round", round_no,
                         f"a round from 1 to {rounds}")
    return Trace(scenario, arrays, result, ids.index(issue) if issue else 0, round_no)
