"""Where outcomes land: often on a position that someone at the table stated.

On 223 of DEU III's 351 issues (64%) the outcome equals a position an actor took or the status
quo (issues have 3.5 distinct positions on average): a negotiated text adopts one side's wording
more often than it splits the difference. A predictive distribution spread smoothly over the
scale gives such an outcome no more probability than its neighbours. The ensemble's distribution
is therefore a linear pool [Gneiting2013]_ of two distributions of the same issue:

- the calibrated distribution ``F`` (the combination's forecast and its learned error), weight
  ``1 - s``;
- its projection onto the stated positions: each position takes the mass ``F`` puts on the
  stretch of scale nearer to it than to any other stated position (its Voronoi cell), weight
  ``s``.

``s`` (:func:`fit_share`) is fitted on training issues only, on distributions cross-fitted over
inner folds: the share on a grid with the lowest mean CRPS among those whose 50/80/90%
intervals hold at most ``COVERAGE_SLACK`` more than their level (a point mass at an interval's
end puts all of its mass inside, so a large share makes intervals hold more than they say;
where intervals already held more without a share, pooling may not make that worse).
Positions are put on the distributions' grid (half a point apart on a 0-100 scale).

.. [Gneiting2013] T. Gneiting, R. Ranjan, "Combining predictive distributions", Electronic Journal
   of Statistics 7, 2013, section 3 (the linear pool).
"""

from __future__ import annotations

import numpy as np

from accord.analysis.distribution import GRID, STEP, Predictive

SHARES = np.round(np.arange(0.0, 0.91, 0.05), 2)
COVERAGE_SLACK = 0.03  # about one standard error of a 50% coverage over 300 training issues
LEVELS = (0.5, 0.8, 0.9)


def on_grid(positions: np.ndarray) -> np.ndarray:
    """(k, len(GRID)) bool: the grid points nearest the stated positions of each issue.

    ``positions`` (a, k): unit-scale positions of a actors (rows) on k issues, NaN where an
    actor states none (the status quo may be one more row)."""
    marks = np.zeros((positions.shape[1], len(GRID)), dtype=bool)
    issue, actor = np.nonzero(np.isfinite(positions.T))
    at = np.rint(np.clip(positions.T[issue, actor], 0.0, 1.0) / STEP).astype(int)
    marks[issue, at] = True
    return marks


def project(pmf: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """Each row's mass moved onto its nearest marked grid point (ties: the lower one); rows
    without marks are left as they are."""
    n, g = pmf.shape
    index = np.broadcast_to(np.arange(g), (n, g))
    below = np.maximum.accumulate(np.where(marks, index, -g), axis=1)
    above = np.minimum.accumulate(np.where(marks, index, 2 * g)[:, ::-1], axis=1)[:, ::-1]
    nearest = np.where(index - below <= above - index, below, above)
    rows = marks.any(axis=1)
    nearest = np.where(rows[:, None], nearest, index) + (np.arange(n) * g)[:, None]
    return np.bincount(nearest.ravel(), pmf.ravel(), n * g).reshape(n, g)


def pool(predictive: Predictive, marks: np.ndarray, share: float,
         projected: np.ndarray | None = None) -> Predictive:
    """``(1 - share) F + share * (F projected onto the marks)``, issue by issue (``projected``:
    the projection, if already computed)."""
    if share <= 0.0:
        return predictive
    pmf = predictive.pmf
    projected = project(pmf, marks) if projected is None else projected
    return Predictive((1.0 - share) * pmf + share * projected)


def fit_share(predictive: Predictive, marks: np.ndarray, actual: np.ndarray) -> float:
    """The share (of ``SHARES``) with the lowest mean CRPS on training issues among those whose
    intervals hold at most ``COVERAGE_SLACK`` more than their level (or no more than without a
    share, where that is already above)."""
    limit = [max(level + COVERAGE_SLACK, predictive.covers(actual, level).mean())
             for level in LEVELS]
    best, chosen = predictive.crps(actual).mean(), 0.0
    projected = project(predictive.pmf, marks)
    for share in SHARES[1:]:
        pooled = pool(predictive, marks, float(share), projected)
        if any(pooled.covers(actual, level).mean() > most
               for level, most in zip(LEVELS, limit)):
            continue
        crps = pooled.crps(actual).mean()
        if crps < best - 1e-12:
            best, chosen = crps, float(share)
    return chosen
