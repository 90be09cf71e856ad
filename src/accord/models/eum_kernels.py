"""Compiled loops of the expected utility model (see :mod:`accord.models.compiled`).

They work on one "cell" (a draw's one-dimensional issue) at a time, over the cell's m
participants only. Equations are [Scholz2011]_'s: the distances and the risk exponents (eqs
32-34), the bases of the powers in the utilities (eqs 15, 16, 24; the powers themselves are
numpy's), the expected utility of a challenge (eqs 5-7, 14-16, 22-25) and each receiver's choice
of offer (section 6, eqs 35-36). The probability of success (eqs 30-31) is in
:mod:`accord.models.eum_votes`.
"""

from __future__ import annotations

import numpy as np

from accord.models.compiled import jit

WEIGHTED_POSITION, LEAST_MOVE, HIGHEST_EU = range(3)
PICK_CODES = {"weighted_position": WEIGHTED_POSITION, "least_move": LEAST_MOVE,
              "highest_eu": HIGHEST_EU}


@jit
def distances(x, span):
    """``|x_i - x_j| / R`` (cells, i, j) on the unit range, 0 where not finite (R = 0)."""
    cells, m = x.shape
    out = np.empty((cells, m, m))
    for c in range(cells):
        for i in range(m):
            for j in range(m):
                v = abs(x[c, i] - x[c, j]) / span[c]
                out[c, i, j] = v if np.isfinite(v) else 0.0
    return out


@jit
def power_bases(dist, voters):
    """``0.5 - 0.5 d``, ``0.5 + 0.5 d`` and (if ``voters``) ``d``, stacked (2 or 3, cells, i, j):
    the bases of :func:`accord.models.eum_round.row_powers`, with 1 in place of a zero base
    (:func:`zero_powers` sets its power back to 0)."""
    cells, m, _ = dist.shape
    out = np.empty((3 if voters else 2, cells, m, m))
    for c in range(cells):
        for i in range(m):
            for j in range(m):
                d = dist[c, i, j]
                low = 0.5 - 0.5 * d
                out[0, c, i, j], out[1, c, i, j] = low if low != 0 else 1.0, 0.5 + 0.5 * d
                if voters:
                    out[2, c, i, j] = d if d != 0 else 1.0
    return out


@jit
def zero_powers(powers, dist):
    """Set back to 0 the powers whose base :func:`power_bases` wrote as 1 (``0^r = 0`` for the
    risk exponents, all in [0.5, 2])."""
    _, cells, m, _ = powers.shape
    for c in range(cells):
        for i in range(m):
            for j in range(m):
                d = dist[c, i, j]
                if 0.5 - 0.5 * d == 0:
                    powers[0, c, i, j] = 0.0
                if powers.shape[0] == 3 and d == 0:
                    powers[2, c, i, j] = 0.0


@jit
def challenge_utilities(p, dist, powers, s, q, senders, correction, linear):
    """E^i(U_ij) (cells, i, j), 0 on the diagonal:
    ``s_j (P u_success + (1 - P) u_failure) + (1 - s_j) u_success - Q u_sq``, less
    ``(1 - Q) correction`` where Q < 1. The utilities are ``2 - 4 powers`` (eqs 15, 16, 24) with
    i's risk exponent, or with ``senders``, j's: read transposed (``dist`` is symmetric) and
    with j's status quo; ``linear``: every r = 1, ``2 d``, ``-2 d`` and 0."""
    cells, m, _ = p.shape
    out = np.empty((cells, m, m))
    for c in range(cells):
        for i in range(m):
            for j in range(m):
                if i == j:
                    out[c, i, j] = 0.0
                    continue
                a, b = (j, i) if senders else (i, j)
                if linear:
                    su, fa, sq = 2 * dist[c, a, b], -2 * dist[c, a, b], 0.0
                else:
                    su, fa = 2 - 4 * powers[0, c, a, b], 2 - 4 * powers[1, c, a, b]
                    sq = 2 - 4 * powers[0, c, a, a]
                t, pij = s[c, j], p[c, i, j]
                eu = t * (pij * su + (1 - pij) * fa) + (1 - t) * su - q * sq
                if q < 1:
                    eu = eu - (1 - q) * correction[c, i, j]
                out[c, i, j] = eu
    return out


@jit
def risk_exponents(eu):
    """r_i = (1 - R_i/3) / (1 + R_i/3) with ``R_i = (2 Sec_i - max - min) / (max - min)`` (0 where
    not finite) and ``Sec_i = sum_j E^j(U_ji)``, column i summed in row order from +0.0 as numpy
    sums over an axis that is not the last (eqs 32-34); max and min propagate NaN as numpy's."""
    cells, m, _ = eu.shape
    out, security = np.empty((cells, m)), np.empty(m)
    for c in range(cells):
        security[:] = 0.0
        for i in range(m):
            for j in range(m):
                security[j] += eu[c, i, j]
        hi, lo = security[0], security[0]
        for j in range(1, m):
            v = security[j]
            hi = v if v > hi or np.isnan(v) else hi
            lo = v if v < lo or np.isnan(v) else lo
        for j in range(m):
            big_r = (2 * security[j] - hi - lo) / (hi - lo)
            big_r = big_r if np.isfinite(big_r) else 0.0
            out[c, j] = (1 - big_r / 3) / (1 + big_r / 3)
    return out


@jit
def moves(x, a, theirs, capitulation, pick, tie, codes):
    """Each receiver i's best offer: the kind accepted (``codes`` of capitulation, compromise
    and confrontation; 0 none), its sender (-1: none), the position it moves to and the
    ``a = E^i(U_ij)``, ``b = E^j(U_ji) = theirs[j, i]`` it weighed. Confrontations beat
    compromises, which beat capitulation (the first kind with an offer wins); within a kind the
    lowest key wins (ties within ``tie`` go to the first sender)."""
    cells, m = x.shape
    new_x, kind = x.copy(), np.zeros((cells, m), np.int8)
    sender, taken_a, taken_b = np.full((cells, m), -1), np.zeros((cells, m)), np.zeros((cells, m))
    keys, targets = np.empty((3, m)), np.empty((3, m))
    allowed = np.zeros((3, m), np.bool_)
    for c in range(cells):
        for i in range(m):
            xi = x[c, i]
            for j in range(m):
                xj, aij, bij = x[c, j], a[c, i, j], theirs[c, j, i]
                live = (i != j) & (xi != xj) & (bij > 0)  # & not and: no branch to mispredict
                move, ratio = abs(xj - xi), abs(aij / bij)
                allowed[0, j] = live & (aij < 0) & (bij < abs(aij)) & capitulation
                allowed[1, j] = live & (aij < 0) & (bij > abs(aij))
                allowed[2, j] = live & (bij > aij) & (aij > 0)
                keys[0, j], keys[2, j] = move, move
                if pick == WEIGHTED_POSITION:
                    keys[1, j] = (abs(aij) * xi + abs(bij) * xj) / (abs(aij) + abs(bij))
                elif pick == LEAST_MOVE:
                    keys[1, j] = move * ratio
                else:
                    keys[1, j] = -bij
                targets[0, j], targets[2, j] = xj + 0 * xi, xj + 0 * xi
                targets[1, j] = xi + (xj - xi) * ratio
            for g in range(2, -1, -1):  # confrontation, compromise, capitulation
                best = _first_minimum(keys, allowed, g, tie)
                if best >= 0:
                    new_x[c, i], kind[c, i], sender[c, i] = targets[g, best], codes[g], best
                    taken_a[c, i], taken_b[c, i] = a[c, i, best], theirs[c, best, i]
                    break
    return new_x, kind, sender, taken_a, taken_b


@jit
def _first_minimum(keys, allowed, g, tie):
    """Index of the first allowed key of row g within ``tie`` (relative, at least absolute) of
    the smallest; -1 if none is allowed. Positions are normalised inside models, so distances
    that are equal on the user's scale (|4 - 7| and |10 - 7|) can differ in the last bit; the
    replications break such ties by actor order. (The row is passed by number: a view would
    cost reference counting on every call.)"""
    low, any_allowed = np.inf, False
    for j in range(keys.shape[1]):
        key = keys[g, j] if allowed[g, j] else np.inf
        any_allowed = any_allowed or allowed[g, j]
        if np.isnan(key) or np.isnan(low):
            low = np.nan
        elif key < low:
            low = key
    if not any_allowed:
        return -1
    bound = low + tie * max(1.0, abs(low if np.isfinite(low) else 0.0))
    for j in range(keys.shape[1]):
        if (keys[g, j] if allowed[g, j] else np.inf) <= bound:
            return j
    return 0
