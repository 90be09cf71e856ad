"""The asymmetric Nash bargaining solution, issue by issue.

On each issue the outcome maximises the weighted Nash product [Nash1950]_ [Kalai1977]_

    prod_i (u_i(x) - u_i(d))^(w_i),   w_i = c_i * s_i,

over the points every participant prefers to the disagreement point ``d``. With
``utility="linear"``, ``u_i(x) = -|x - x_i|``; with ``"quadratic"``, ``u_i(x) = -(x - x_i)^2``.
Salience and capability enter as bargaining power (the exponent), as in the bargaining models
compared by [Achen2006]_, who shows the compromise model is the quadratic-utility approximation of
this product when breaking down costs every actor much more than any compromise.

The disagreement point is a named choice:

- ``disagreement="status_quo"`` (default): ``d`` is the status quo, what happens if nobody agrees.
  An actor whose position *is* the status quo can gain nothing and vetoes any move: the solution
  is then the status quo, as the theory says for a table at which every party holds a veto.
  Where the status quo is unknown, each actor's disagreement point is the far end of the scale.
- ``disagreement="worst"``: each actor's disagreement point is the far end of the scale from its
  position (breaking down is as bad as the worst outcome), whether or not the status quo is
  known. Nobody can veto by sitting at the status quo, which fits decisions by qualified
  majority; registered as the model ``nash_breakdown``.

The maximisation is exact to 1e-12 on the unit scale: the log of the product is concave on the
feasible interval, so its derivative has one root, found by safeguarded Newton iteration
vectorised over draws and issues.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from accord.models.base import Forecast
from accord.models.compromise import Weights, issue_weights
from accord.scenario.arrays import Batch

Utility = Literal["linear", "quadratic"]
Disagreement = Literal["status_quo", "worst"]
MAX_STEPS = 200
TOLERANCE = 1e-12


def nash_bargaining(batch: Batch, *, utility: Utility = "linear",
                    weights: Weights = "capability_salience",
                    disagreement: Disagreement = "status_quo") -> Forecast:
    """Per-issue asymmetric Nash bargaining solution (see the module docstring)."""
    if utility not in ("linear", "quadratic"):
        raise ValueError(f"unknown utility {utility!r}; accepted: linear, quadratic")
    if disagreement not in ("status_quo", "worst"):
        raise ValueError(f"unknown disagreement {disagreement!r}; accepted: status_quo, worst")
    w = issue_weights(batch, weights)
    x = batch.position
    active = w > 0
    sq = np.broadcast_to(batch.status_quo, w[:, 0, :].shape)
    far = np.maximum(x, 1 - x)
    breakdown = np.isnan(sq)[:, None, :] | (disagreement == "worst")
    reach = np.where(breakdown, far, np.abs(sq[:, None, :] - x))
    low = np.max(np.where(active, x - reach, -np.inf), axis=1).clip(0, 1)
    high = np.min(np.where(active, x + reach, np.inf), axis=1).clip(0, 1)
    outcome = _maximise(x, reach, np.where(active, w, 0.0), low, high, utility)
    fallback = np.where(np.isnan(sq), np.nan, sq)
    outcome = np.where(high - low > 1e-12, outcome, fallback)
    outcome = np.where(active.any(axis=1), outcome, fallback)
    return Forecast("nash", {"utility": utility, "weights": weights,
                             "disagreement": disagreement}, outcome)


def _maximise(x, reach, w, low, high, utility):
    """Root of the log-product's derivative on (low, high) for every draw and issue.

    Safeguarded Newton: a Newton step when it stays inside the bracket, a bisection otherwise
    and every fourth step (so that kinks of linear utilities, where Newton oscillates, still
    converge). Cells (draw, issue) leave the working set once their bracket is narrower than
    ``TOLERANCE``, so the cost follows the total work, not the slowest cell.
    """
    b, n, k = x.shape
    cells = lambda a: np.moveaxis(a, 1, 2).reshape(b * k, n)  # noqa: E731
    x, reach, w = cells(x), cells(np.where(w > 0, reach, 2.0)), cells(w)
    lo, hi = low.reshape(-1).copy(), high.reshape(-1).copy()
    at = (lo + hi) / 2
    todo = np.flatnonzero(hi - lo >= TOLERANCE)
    for step in range(MAX_STEPS):
        if todo.size == 0:
            break
        slope, curvature = _derivatives(at[todo], x[todo], reach[todo], w[todo], utility)
        up = slope > 0
        lo[todo] = np.where(up, at[todo], lo[todo])
        hi[todo] = np.where(up, hi[todo], at[todo])
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = at[todo] - slope / curvature
        inside = (newton > lo[todo]) & (newton < hi[todo]) & (step % 4 != 3)
        at[todo] = np.where(inside, newton, (lo[todo] + hi[todo]) / 2)
        todo = todo[hi[todo] - lo[todo] >= TOLERANCE]
    return ((lo + hi) / 2).reshape(b, k)


def _derivatives(at, x, reach, w, utility):
    """First and second derivative of sum_i w_i log(gain_i) at ``at`` (cells,) over (cells, n)."""
    d = at[:, None] - x
    if utility == "linear":
        gain = reach - np.abs(d)
        dgain, ddgain = -np.sign(d), 0.0
    else:
        gain = reach**2 - d**2
        dgain, ddgain = -2 * d, -2.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = dgain / gain
        first = (w * ratio).sum(axis=1)
        second = (w * (ddgain / gain - ratio**2)).sum(axis=1)
    return first, second
