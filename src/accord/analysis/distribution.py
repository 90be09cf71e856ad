"""Predictive distributions of issue outcomes, as probability masses on a grid of the unit scale.

Real outcomes pile up at the ends of a scale, at its middle and at the status quo, so a
predictive distribution here is any distribution on [0, 1] (point masses included), stored as the
mass on ``GRID``: 201 points, 0.005 apart (half a point on a 0-100 scale). Samples are put on the
grid by linear binning (a sample between two grid points is shared between them in proportion to
its distance, which keeps the mean exact); values outside [0, 1] are clipped to the scale first,
so the mass beyond an end becomes a point mass at that end.

The continuous ranked probability score [Gneiting2007]_ ``CRPS(F, y) = int (F(x) - 1{x >= y})^2 dx``
is computed exactly for the grid's step CDF (the CDF is constant between grid points), for any
``y`` in [0, 1]. A point forecast's CRPS is its absolute error, so CRPS and MAE share a unit.

.. [Gneiting2007] T. Gneiting, A. E. Raftery, "Strictly proper scoring rules, prediction, and
   estimation", J. American Statistical Association 102(477), 2007, eq. (20).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

GRID = np.linspace(0.0, 1.0, 201)
STEP = GRID[1] - GRID[0]


@dataclass(frozen=True)
class Predictive:
    """One predictive distribution per issue: ``pmf`` (n, len(GRID)) rows summing to 1."""

    pmf: np.ndarray

    @classmethod
    def from_samples(cls, samples: np.ndarray, weights: np.ndarray | None = None) -> Predictive:
        """(n, s) samples on the unit scale (optionally weighted), clipped to [0, 1] and binned."""
        return cls(bin_mass(np.clip(np.atleast_2d(samples), 0.0, 1.0) / STEP, len(GRID), weights))

    def __len__(self) -> int:
        return self.pmf.shape[0]

    def take(self, rows: np.ndarray) -> Predictive:
        """The distributions of the selected issues (a boolean mask or indices)."""
        return Predictive(self.pmf[rows])

    def cdf(self) -> np.ndarray:
        """(n, G): P(outcome <= GRID[j]) (computed once; do not modify it)."""
        return self._cdf

    @cached_property
    def _cdf(self) -> np.ndarray:
        return np.minimum(np.cumsum(self.pmf, axis=1), 1.0)

    def quantile(self, p: float) -> np.ndarray:
        """The lower ``p``-quantile per issue: the smallest grid point whose CDF reaches ``p``."""
        below = (self.cdf() < p - 1e-12).sum(axis=1)
        return GRID[np.minimum(below, len(GRID) - 1)]

    def median(self) -> np.ndarray:
        """The median per issue: the point forecast that minimises the expected absolute error."""
        return self.quantile(0.5)

    def mean(self) -> np.ndarray:
        """The mean per issue."""
        return self.pmf @ GRID

    def interval(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        """The ``level`` interval per issue: central, or anchored at a scale end that holds a tail.

        The central interval runs from the ``(1 - level) / 2`` to the ``(1 + level) / 2``
        quantile. Where the point mass at the bottom of the scale alone exceeds the lower tail
        ``(1 - level) / 2``, the central interval cannot leave the bottom and would hold more than
        ``level``; it then runs from the bottom to the ``level`` quantile instead (and likewise
        down from the top; with both ends that heavy it stays central). It depends only on the
        distribution, never on the outcome.
        """
        tail = (1.0 - level) / 2
        cdf = self.cdf()
        bottom = (cdf[:, 0] > tail + 1e-12) & ~(1.0 - cdf[:, -2] > tail + 1e-12)
        top = (1.0 - cdf[:, -2] > tail + 1e-12) & ~(cdf[:, 0] > tail + 1e-12)
        low = np.where(top, self.quantile(1.0 - level), self.quantile(tail))
        high = np.where(bottom, self.quantile(level), self.quantile(1.0 - tail))
        return low, high

    def crps(self, actual: np.ndarray) -> np.ndarray:
        """Exact CRPS per issue on the unit scale against outcomes ``actual`` in [0, 1]."""
        step_cdf = self.cdf()[:, :-1]  # the CDF's value on [GRID[j], GRID[j + 1])
        left = np.clip(np.asarray(actual, dtype=float)[:, None] - GRID[None, :-1], 0.0, STEP)
        return (left * step_cdf**2 + (STEP - left) * (1.0 - step_cdf) ** 2).sum(axis=1)

    def covers(self, actual: np.ndarray, level: float) -> np.ndarray:
        """Whether each outcome lies inside its central ``level`` interval (ends included)."""
        low, high = self.interval(level)
        return (low - 1e-9 <= actual) & (actual <= high + 1e-9)


def bin_mass(at: np.ndarray, points: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Linear binning: (n, s) positions in grid steps (0 .. points - 1) to (n, points) masses.

    A sample between grid points i and i + 1 gives ``1 - t`` of its weight to i and ``t`` to
    i + 1, ``t`` its distance from i; each row's weights are normalised to sum to 1.
    """
    at = np.asarray(at, dtype=float)
    n, s = at.shape
    w = np.ones((n, s)) if weights is None else np.broadcast_to(weights, (n, s)).astype(float)
    w = w / w.sum(axis=1, keepdims=True)
    lower = np.clip(np.floor(at).astype(int), 0, points - 2)
    share = at - lower
    base = (np.arange(n) * points)[:, None]
    size = n * points
    mass = (np.bincount((base + lower).ravel(), (w * (1 - share)).ravel(), size)
            + np.bincount((base + lower + 1).ravel(), (w * share).ravel(), size))
    return mass.reshape(n, points)
