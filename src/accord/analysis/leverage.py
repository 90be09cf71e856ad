"""Leverage: how far each model's forecast moves when one actor's input changes.

Batched finite differences: one model call on a batch whose draw 0 is the scenario and every other
draw changes one thing: an actor's position on an issue by +-``step`` (on the issue's scale, as a
share of its range), its salience by +``salience_step``, or its capability by ``capability_factor``.
A step of 10% of the scale is deliberate: median-type models are flat almost everywhere and jump at
a few points, so an infinitesimal derivative would say nothing useful.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.models import get
from accord.models.parameters import run_model
from accord.scenario.arrays import Batch, ScenarioArrays


@dataclass
class Lever:
    """One change to one actor, and how far it moves one issue's forecast (scale units)."""

    model: str
    actor: str
    issue: str
    lever: str
    before: float
    after: float

    @property
    def effect(self) -> float:
        """The forecast's move, after minus before."""
        return self.after - self.before


def leverage(arrays: ScenarioArrays, model: str, params: dict | None = None, step: float = 0.1,
             salience_step: float = 0.1, capability_factor: float = 1.1) -> list[Lever]:
    """Every lever of every actor on every issue it takes part in (and capability on all)."""
    base = arrays.batch()
    n, k = arrays.mask.shape
    cells = np.argwhere(arrays.mask)
    c, x, s = (np.repeat(a, 1 + 3 * len(cells) + n, axis=0)
               for a in (base.capability, base.position, base.salience))
    labels = []
    d = 1
    for i, j in cells:
        for delta in (+step, -step):
            x[d, i, j] = np.clip(x[d, i, j] + delta, 0, 1)
            labels.append((d, i, j, f"position {'+' if delta > 0 else '-'}{step:.0%}"))
            d += 1
        s[d, i, j] = min(1.0, s[d, i, j] + salience_step)
        labels.append((d, i, j, f"salience +{salience_step:g}"))
        d += 1
    for i in range(n):
        c[d, i] *= capability_factor
        labels.append((d, i, None, f"capability x{capability_factor:g}"))
        d += 1
    result = run_model(get(model), Batch(c, x, s, base.mask, base.status_quo), dict(params or {}))
    out = arrays.to_scale(result.outcome)
    levers = []
    for d, i, j, label in labels:
        for jj in ([j] if j is not None else np.flatnonzero(arrays.mask[i])):
            levers.append(Lever(model, arrays.actor_ids[i], arrays.issue_ids[jj], label,
                                float(out[0, jj]), float(out[d, jj])))
    return levers


def ranked(levers: list[Lever], top: int | None = None) -> list[Lever]:
    """Levers that move a forecast, largest move first (ties: actor, issue order)."""
    moving = [lv for lv in levers if abs(lv.effect) > 1e-9]
    moving.sort(key=lambda lv: -abs(lv.effect))
    return moving[:top] if top else moving
