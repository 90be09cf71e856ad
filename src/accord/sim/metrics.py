"""Outcome metrics of a negotiation (mediation.md section 2.3), in time bounded for any number of
parties.

- **Welfare** ``sum_i U_i`` and the **best welfare** of any text are exact for any number of
  parties: utilities are additive, so the best text takes each issue's best level for the sum.
- **What is left on the table** (the *Pareto gap*): the most that every party could gain at
  once by another text, ``g = max_x min_i (U_i(x) - U_i(x*))``; 0 when the agreement ``x*`` is
  Pareto optimal. With two parties it is exact, from the exact frontier. With more it is
  bracketed: the Lagrangian dual ``min_lambda sum_k max_l sum_i lambda_i v_ikl - lambda . U(x*)``
  over weights on the simplex is an upper bound (each evaluation separates by issue), and the
  texts its inner maxima pick are real texts whose ``min_i`` gain is a lower bound; both are
  reported, and their difference is the error bound of the approximation.
- **Distances** (Euclidean, in utility) to the Pareto frontier, the Nash point and the
  Kalai-Smorodinsky point, with two parties: the frontier is computed exactly by dynamic
  programming over issues (mediation.md section 3.1): start from the single point 0, and for each
  issue take the Minkowski sum of the points so far with that issue's per-level contributions,
  pruning to the Pareto set after each issue. Pruning is exact because adding the same
  contribution to two points preserves dominance between them, and in two dimensions it is a
  sort. With three or more parties the frontier can hold most of the 11^k texts (the exact
  computation took minutes per domain with three parties and did not finish with five), so the
  distances are not computed there; the gap above says the same thing in bounded time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DUAL_STEPS = 100
CLOSED = 1e-9


@dataclass(frozen=True)
class Frontier:
    """The Pareto frontier of a two-party domain: (P, 2) utilities and the (P, k) texts."""

    points: np.ndarray
    texts: np.ndarray


def pareto_mask_2d(points: np.ndarray) -> np.ndarray:
    """Which rows of ``points`` (m, 2) are not weakly dominated (duplicates keep one copy)."""
    order = np.lexsort((-points[:, 1], -points[:, 0]))
    second = points[order, 1]
    best_before = np.maximum.accumulate(np.concatenate(([-np.inf], second[:-1])))
    keep = np.zeros(len(points), dtype=bool)
    keep[order] = second > best_before
    return keep


def pareto_frontier(tables: np.ndarray, feasible: np.ndarray) -> Frontier:
    """The exact frontier of two-party additive tables (2, k, L) over feasible levels (k, L)."""
    n, k, _ = tables.shape
    if n != 2:
        raise ValueError("the exact frontier is computed for two parties only")
    points, texts = np.zeros((1, n)), np.zeros((1, 0), dtype=int)
    for issue in range(k):
        options = np.flatnonzero(feasible[issue])
        summed = (points[:, None, :] + tables[:, issue, options].T[None]).reshape(-1, n)
        parent = np.repeat(np.arange(len(points)), len(options))
        level = np.tile(options, len(points))
        keep = pareto_mask_2d(summed)
        points = summed[keep]
        texts = np.column_stack([texts[parent[keep]], level[keep]])
    return Frontier(points, texts)


def brute_force_frontier(tables: np.ndarray, feasible: np.ndarray) -> Frontier:
    """The frontier by enumerating every feasible text and comparing all pairs (small domains,
    any number of parties; for tests)."""
    grids = np.meshgrid(*[np.flatnonzero(f) for f in feasible], indexing="ij")
    texts = np.stack([g.ravel() for g in grids], axis=1)
    points = tables[:, np.arange(tables.shape[1]), texts].sum(axis=2).T
    ge = (points[None, :, :] >= points[:, None, :]).all(axis=2)
    gt = (points[None, :, :] > points[:, None, :]).any(axis=2)
    dominated = (ge & gt).any(axis=1)
    return Frontier(points[~dominated], texts[~dominated])


def nash_point(frontier: Frontier, reservation: np.ndarray) -> np.ndarray | None:
    """The frontier point maximising the Nash product prod(u_i - r_i) over u >= r (None if none)."""
    gains = frontier.points - reservation
    rational = (gains >= 0).all(axis=1)
    if not rational.any():
        return None
    product = np.where(rational, np.prod(np.maximum(gains, 0), axis=1), -np.inf)
    return frontier.points[np.argmax(product)]


def kalai_smorodinsky_point(frontier: Frontier, reservation: np.ndarray) -> np.ndarray | None:
    """The frontier point maximising min_i (u_i - r_i) / (u_i^max - r_i) over u >= r."""
    gains = frontier.points - reservation
    rational = (gains >= 0).all(axis=1)
    if not rational.any():
        return None
    top = frontier.points[rational].max(axis=0)
    ratio = gains / np.maximum(top - reservation, 1e-12)
    score = np.where(rational, ratio.min(axis=1), -np.inf)
    return frontier.points[np.argmax(score)]


@dataclass(frozen=True)
class Metrics:
    """How good each agreement is, (B,) arrays; NaN where not computed (no agreement, or a
    distance with more than two parties)."""

    welfare: np.ndarray
    best_welfare: np.ndarray
    min_gain: np.ndarray
    gap_low: np.ndarray
    gap_high: np.ndarray
    pareto_distance: np.ndarray
    nash_distance: np.ndarray
    ks_distance: np.ndarray

    @property
    def exact(self) -> bool:
        """Whether the gap is exact (two parties) rather than bracketed."""
        return bool(np.all(np.isnan(self.gap_low) | (self.gap_low == self.gap_high)))


def measure(tables: np.ndarray, feasible: np.ndarray, utility: np.ndarray,
            reservation: np.ndarray, which: np.ndarray, distances: bool = True) -> Metrics:
    """Metrics of the texts with utilities ``utility`` (B, n) in the draws ``which`` (B,).

    With ``distances`` and two parties, the exact frontier gives the gap and the distances
    (about 10 ms a draw on 12 issues); otherwise the gap is bracketed for every draw at once.
    """
    b, n = utility.shape
    nan = np.full(b, np.nan)
    allowed = np.where(feasible[None, None], tables, -np.inf)
    top = allowed.max(axis=3)
    best_welfare = np.where(feasible[None], tables.sum(axis=1), -np.inf).max(axis=2).sum(axis=1)
    welfare = np.where(which, utility.sum(axis=1), np.nan)
    min_gain = np.where(which, (utility - reservation).min(axis=1), np.nan)
    out = dict(welfare=welfare, best_welfare=np.where(which, best_welfare, np.nan),
               min_gain=min_gain, gap_low=nan.copy(), gap_high=nan.copy(),
               pareto_distance=nan.copy(), nash_distance=nan.copy(), ks_distance=nan.copy())
    if n == 2 and distances:
        for d in np.flatnonzero(which):
            _exact_two(tables[d], feasible, utility[d], reservation[d], out, d)
    elif which.any():
        low, high = pareto_gap_bracket(allowed[which], utility[which], top[which])
        out["gap_low"][which], out["gap_high"][which] = low, high
    return Metrics(**out)


def _exact_two(tables, feasible, utility, reservation, out: dict, d: int) -> None:
    frontier = pareto_frontier(tables, feasible)
    gap = (frontier.points - utility).min(axis=1).max()
    out["gap_low"][d] = out["gap_high"][d] = max(0.0, float(gap))
    out["pareto_distance"][d] = float(np.sqrt(((frontier.points - utility) ** 2).sum(1)).min())
    for key, point in (("nash_distance", nash_point(frontier, reservation)),
                       ("ks_distance", kalai_smorodinsky_point(frontier, reservation))):
        if point is not None:
            out[key][d] = float(np.linalg.norm(utility - point))


def pareto_gap_bracket(allowed: np.ndarray, utility: np.ndarray, top: np.ndarray,
                       steps: int = DUAL_STEPS) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds (B,) on ``max_x min_i (U_i(x) - u_i)`` for tables ``allowed``
    (B, n, k, L; -inf on infeasible levels) and utilities ``u`` (B, n).

    Exponentiated-gradient descent on the Lagrangian dual over the simplex: the dual value
    ``sum_k max_l sum_i lambda_i v_ikl - lambda . u`` bounds the gap from above for every
    ``lambda``. The texts of the inner maxima are real texts; the best of them, improved issue by
    issue (coordinate ascent on the smallest gain), bounds it from below.
    """
    b, n = utility.shape
    finite = np.where(np.isfinite(allowed), allowed, 0.0)
    weight = np.full((b, n), 1.0 / n)
    scale = np.maximum(top.sum(axis=2).max(axis=1), 1e-9)
    high, low = np.full(b, np.inf), np.zeros(b)
    keep = np.zeros(allowed.shape[:1] + allowed.shape[2:3], dtype=int)
    for step in range(steps):
        mixed = np.where(np.isfinite(allowed[:, 0]), np.einsum("bn,bnkl->bkl", weight, finite),
                         -np.inf)
        choice = np.argmax(mixed, axis=2)  # (B, k)
        value = np.take_along_axis(mixed, choice[..., None], axis=2)[..., 0].sum(axis=1)
        high = np.minimum(high, value - (weight * utility).sum(axis=1))
        gain = _gains(allowed, choice, utility)
        better = gain.min(axis=1) > low
        low = np.where(better, gain.min(axis=1), low)
        keep = np.where(better[:, None], choice, keep)
        if np.all(high - low <= CLOSED):
            return low, np.maximum(high, low)
        rate = 2.0 / (scale * np.sqrt(step + 1.0))
        weight = weight * np.exp(-rate[:, None] * gain)
        weight /= weight.sum(axis=1, keepdims=True)
    open_ = high - low > CLOSED
    low[open_] = np.maximum(low[open_], _ascend(allowed[open_], keep[open_], utility[open_]))
    return low, np.maximum(high, low)


def _levels(allowed: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """(B, n, k) each party's value of each issue's level in ``texts`` (B, k)."""
    n = allowed.shape[1]
    return np.take_along_axis(allowed, texts[:, None, :, None].repeat(n, 1), axis=3)[..., 0]


def _gains(allowed: np.ndarray, texts: np.ndarray, utility: np.ndarray) -> np.ndarray:
    """(B, n) each party's utility of ``texts`` (B, k) minus ``utility``."""
    return _levels(allowed, texts).sum(axis=2) - utility


def _ascend(allowed: np.ndarray, text: np.ndarray, utility: np.ndarray, sweeps: int = 2,
            ) -> np.ndarray:
    """Coordinate ascent on ``min_i (U_i(x) - u_i)`` from ``text``: each pair of issues in turn
    set to its best pair of levels given the others (a log-roll). Returns the value reached
    (B,)."""
    text = text.copy()
    b, n, k, levels = allowed.shape
    for _ in range(sweeps):
        for first in range(k):
            for second in range(first + 1, k):
                others = np.ones(k, dtype=bool)
                others[[first, second]] = False  # summed without them: no inf - inf
                rest = _levels(allowed, text)[:, :, others].sum(axis=2) - utility
                value = (rest[:, :, None, None] + allowed[:, :, first, :, None]
                         + allowed[:, :, second, None, :]).min(axis=1).reshape(b, -1)
                pick = np.argmax(value, axis=1)
                text[:, first], text[:, second] = pick // levels, pick % levels
    return np.maximum(_gains(allowed, text, utility).min(axis=1), 0.0)
