"""The weighted median, found two ways that must agree for linear (single-peaked) utilities.

``cumulative``: sort the positions, accumulate capability x salience, take the first position
where the running total reaches half [Black1948]_. ``condorcet``: tally every pair of actor
positions, each voter backing the nearer one with weight capability x salience, and take the lowest
position that no other beats (a weak Condorcet winner). By Black's median voter theorem the two
coincide; both take the lower median when the weight splits exactly in half.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from accord.models.base import Forecast
from accord.models.compromise import Weights, issue_weights
from accord.scenario.arrays import Batch

Method = Literal["cumulative", "condorcet"]
TOLERANCE = 1e-12
CHUNK_ELEMENTS = 20_000_000


def weighted_median(batch: Batch, *, method: Method = "cumulative",
                    weights: Weights = "capability_salience") -> Forecast:
    """Weighted median position per issue (see the module docstring for the two methods).

    Where all weights on an issue are zero the plain median of its participants is taken; where
    nobody takes part, the status quo.
    """
    w = issue_weights(batch, weights)
    w = np.where(w.sum(axis=1, keepdims=True) > 0, w, batch.mask[None] * 1.0)
    if method == "cumulative":
        outcome = cumulative_median(batch.position, w, batch.mask[None])
    elif method == "condorcet":
        outcome = _condorcet_chunked(batch.position, w, batch.mask)
    else:
        raise ValueError(f"unknown method {method!r}; accepted: cumulative, condorcet")
    outcome = np.where(batch.mask.any(axis=0), outcome, batch.status_quo)
    return Forecast("median", {"method": method, "weights": weights}, outcome)


def cumulative_median(x: np.ndarray, w: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Lower weighted median along axis 1 of (b, n, k) arrays; ``mask`` broadcasts to ``x``."""
    keyed = np.where(mask, x, np.inf)
    order = np.argsort(keyed, axis=1, kind="stable")
    xs = np.take_along_axis(keyed, order, axis=1)
    ws = np.take_along_axis(w, order, axis=1)
    cum = np.cumsum(ws, axis=1)
    total = cum[:, -1:, :]
    reached = cum >= total / 2 - TOLERANCE * total
    first = np.argmax(reached, axis=1)
    return np.take_along_axis(xs, first[:, None, :], axis=1)[:, 0, :]


def _condorcet_chunked(x: np.ndarray, w: np.ndarray, mask: np.ndarray) -> np.ndarray:
    b, n, k = x.shape
    step = max(1, CHUNK_ELEMENTS // max(1, n * n * n * k))
    return np.concatenate([_condorcet(x[i:i + step], w[i:i + step], mask)
                           for i in range(0, b, step)])


def _condorcet(x: np.ndarray, w: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Lowest weak Condorcet winner among participants' positions, by full pairwise tally."""
    xt = np.moveaxis(x, 2, 1)  # (b, k, n)
    wt = np.moveaxis(w, 2, 1)
    part = mask.T[None]  # (1, k, n)
    dist = np.abs(xt[:, :, :, None] - xt[:, :, None, :])  # voter v x candidate c: (b,k,v,c)
    closer = dist[:, :, :, :, None] < dist[:, :, :, None, :]  # v prefers c over d: (b,k,v,c,d)
    support = np.einsum("bkv,bkvcd->bkcd", wt, closer.astype(float))
    margin = support - np.swapaxes(support, -1, -2)  # c vs d
    pair_ok = part[:, :, None, :] & part[:, :, :, None]
    tol = TOLERANCE * wt.sum(axis=2)[:, :, None, None]
    beaten = ((margin < -tol) & pair_ok).any(axis=3)
    winner = part & ~beaten
    keyed = np.where(winner, xt, np.inf)
    return keyed.min(axis=2)
