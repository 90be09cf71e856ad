"""Outcome metrics of a negotiation: welfare, the exact Pareto frontier, Nash and
Kalai-Smorodinsky points, and distances to them (mediation.md section 2.3).

For additive utilities the frontier is computed exactly by dynamic programming over issues
(mediation.md section 3.1): start from the single point 0, and for each issue take the Minkowski
sum of the points so far with that issue's per-level contributions, pruning to the Pareto set
after each issue. Pruning is exact because adding the same contribution to two points preserves
dominance between them. Each frontier point keeps the text (levels) that produces it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_FRONTIER = 50_000


@dataclass(frozen=True)
class Frontier:
    """The Pareto frontier of a domain: (P, n) utilities and the (P, k) texts giving them."""

    points: np.ndarray
    texts: np.ndarray


def pareto_mask(points: np.ndarray) -> np.ndarray:
    """Which rows of ``points`` (m, n) are not weakly dominated (duplicates keep one copy)."""
    if points.shape[1] == 2:
        return _pareto_mask_2d(points)
    _, first = np.unique(points, axis=0, return_index=True)
    keep = np.zeros(len(points), dtype=bool)
    keep[first] = True
    others = points[keep]
    for start in range(0, len(first), 1024):
        rows = np.sort(first)[start:start + 1024]
        ge = (others[None, :, :] >= points[rows, None, :]).all(axis=2)
        gt = (others[None, :, :] > points[rows, None, :]).any(axis=2)
        keep[rows] = ~(ge & gt).any(axis=1)
    return keep


def _pareto_mask_2d(points: np.ndarray) -> np.ndarray:
    order = np.lexsort((-points[:, 1], -points[:, 0]))
    second = points[order, 1]
    best_before = np.maximum.accumulate(np.concatenate(([-np.inf], second[:-1])))
    keep = np.zeros(len(points), dtype=bool)
    keep[order] = second > best_before
    return keep


def pareto_frontier(tables: np.ndarray, feasible: np.ndarray) -> Frontier | None:
    """The exact frontier of additive tables (n, k, L) over feasible levels (k, L).

    Returns None if it grows beyond ``MAX_FRONTIER`` points (many parties: almost every text is
    Pareto optimal, and the distance metrics say nothing).
    """
    n, k, _ = tables.shape
    points, texts = np.zeros((1, n)), np.zeros((1, 0), dtype=int)
    for issue in range(k):
        options = np.flatnonzero(feasible[issue])
        summed = (points[:, None, :] + tables[:, issue, options].T[None]).reshape(-1, n)
        parent = np.repeat(np.arange(len(points)), len(options))
        level = np.tile(options, len(points))
        keep = pareto_mask(summed)
        points = summed[keep]
        texts = np.column_stack([texts[parent[keep]], level[keep]])
        if len(points) > MAX_FRONTIER:
            return None
    return Frontier(points, texts)


def brute_force_frontier(tables: np.ndarray, feasible: np.ndarray) -> Frontier:
    """The frontier by enumerating every feasible text and comparing all pairs (small domains)."""
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
    best = frontier.points[rational].max(axis=0)
    ratio = gains / np.maximum(best - reservation, 1e-12)
    score = np.where(rational, ratio.min(axis=1), -np.inf)
    return frontier.points[np.argmax(score)]


@dataclass(frozen=True)
class OutcomeMetrics:
    """How good an agreement is (mediation.md section 2.3); distances are Euclidean in utility."""

    welfare: float
    max_welfare: float | None
    nash_product: float
    min_gain: float
    pareto_distance: float | None
    nash_distance: float | None
    ks_distance: float | None


def measure(utility: np.ndarray, reservation: np.ndarray, frontier: Frontier | None) -> OutcomeMetrics:
    """Metrics of the agreement with utilities ``utility`` (n,)."""
    gains = utility - reservation
    if frontier is None:
        return OutcomeMetrics(float(utility.sum()), None, float(np.prod(gains)),
                              float(gains.min()), None, None, None)
    distance = float(np.sqrt(((frontier.points - utility) ** 2).sum(axis=1)).min())
    nash, ks = nash_point(frontier, reservation), kalai_smorodinsky_point(frontier, reservation)
    return OutcomeMetrics(
        float(utility.sum()), float(frontier.points.sum(axis=1).max()), float(np.prod(gains)),
        float(gains.min()), distance,
        None if nash is None else float(np.linalg.norm(utility - nash)),
        None if ks is None else float(np.linalg.norm(utility - ks)))
