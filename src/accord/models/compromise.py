"""The compromise model: the capability x salience weighted mean of positions.

Implements the compromise model of [vandenBos1991]_ and [Achen2006]_: the outcome on each issue is
``sum_i c_i s_i x_i / sum_i c_i s_i`` over the actors taking part. With ``weights="none"`` it is the
unweighted mean, the naive baseline of [Thomson2006]_.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from accord.models.base import Forecast
from accord.scenario.arrays import Batch

Weights = Literal["capability_salience", "capability", "none"]


def issue_weights(batch: Batch, weights: Weights) -> np.ndarray:
    """The (b, n, k) weight each actor carries on each issue; zero where it takes no part."""
    if weights == "capability_salience":
        return batch.weights()
    if weights == "capability":
        return batch.capability[:, :, None] * batch.mask[None]
    if weights == "none":
        return np.broadcast_to(batch.mask[None].astype(float), batch.position.shape)
    raise ValueError(f"unknown weights {weights!r}; accepted: capability_salience, capability, none")


def compromise(batch: Batch, *, weights: Weights = "capability_salience") -> Forecast:
    """Weighted mean position per issue.

    Parameters
    ----------
    batch
        Model input (see :class:`accord.scenario.arrays.Batch`).
    weights
        ``capability_salience`` (the compromise model), ``capability``, or ``none`` (plain mean).

    Returns
    -------
    Forecast
        Where all weights on an issue are zero, the plain mean of its participants; where nobody
        takes part, the status quo.
    """
    w = issue_weights(batch, weights)
    total = w.sum(axis=1)
    mean = _safe_divide((w * batch.position).sum(axis=1), total)
    plain = _safe_divide((batch.mask * batch.position).sum(axis=1), batch.mask.sum(axis=0) + 0.0)
    outcome = np.where(total > 0, mean, plain)
    outcome = np.where(batch.mask.any(axis=0), outcome, batch.status_quo)
    name = "mean" if weights == "none" else "compromise"
    return Forecast(name, {"weights": weights}, outcome)


def _safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
