"""Compiled loops of the expected utility model (see :mod:`accord.models.compiled`).

They work on one "cell" (a draw's one-dimensional issue) at a time, over the cell's m
participants only; ``index[c]`` gives their places among all n actors, so that the sums numpy
took over n (with zeros for actors not taking part) round exactly as they did. Equations are
[Scholz2011]_'s: the probability of success (eqs 30-31), the expected utility of a challenge
(eqs 5-7, 14-16, 22-25) and each receiver's choice of offer (section 6, eqs 35-36).
"""

from __future__ import annotations

import numpy as np

from accord.models.compiled import jit, pairwise_sum, positive

GLOBAL_PAIRS, EQ31, NETTED = range(3)
FORMULA_CODES = {"global_pairs": GLOBAL_PAIRS, "eq31": EQ31, "netted": NETTED}
WEIGHTED_POSITION, LEAST_MOVE, HIGHEST_EU = range(3)
PICK_CODES = {"weighted_position": WEIGHTED_POSITION, "least_move": LEAST_MOVE,
              "highest_eu": HIGHEST_EU}
TILE = 32  # cells computed side by side in :func:`probabilities` (16: 1.25x slower, 64: same)


@jit
def probabilities(d, dist, weight, formula, index, n):
    """P[c, i, j] that i prevails over j (0 where i and j stand together).

    Votes ``v_k = w_k (d_kj - d_ki)``, ``d`` each voter's distances (raised to its exponent),
    summed in voter order: the support ``sum max(v_k, 0)`` over the all-pairs total
    (``GLOBAL_PAIRS``), over ``sum |v_k|`` (``EQ31``), or the netted support over it
    (``NETTED``); only the sums the formula needs are taken. Row j's vote on (j, i) is exactly
    ``-v_k`` (IEEE rounding is symmetric), so P[j, i] rounds as the support of j over i would.

    Cells go ``TILE`` at a time through a tile with the cell as the last axis (``tile[k, j,
    cell]``), so that every sum runs along the cells, contiguous and independent, which the
    compiler vectorises (1.7 times as fast as one cell at a time); each cell's sums are taken
    in the same order as alone.
    """
    cells, m, _ = d.shape
    out = np.empty((cells, m, m))
    tile, w = np.empty((m, m, TILE)), np.empty((m, TILE))
    up, size, net = np.empty((m, TILE)), np.empty((m, TILE)), np.empty((m, TILE))
    total, rank, sums = np.ones(TILE), np.empty(TILE, np.int64), np.empty(TILE)
    terms, per_voter = np.zeros((n, TILE)), np.zeros((n, TILE))
    for start in range(0, cells, TILE):
        lanes = min(TILE, cells - start)
        for t in range(lanes):
            for k in range(m):
                w[k, t] = weight[start + t, k]
                for j in range(m):
                    tile[k, j, t] = d[start + t, k, j]
        if formula == GLOBAL_PAIRS:
            _all_pairs_totals(tile, w, index, start, lanes, rank, sums, terms, per_voter, total)
        for i in range(m):
            _support(tile, w, i, lanes, formula, up, size, net)
            for t in range(lanes):
                c = start + t
                for j in range(m):
                    if formula == GLOBAL_PAIRS:
                        p = up[j, t] / total[t]
                    elif formula == EQ31:
                        p = up[j, t] / size[j, t]
                    else:
                        p = positive(net[j, t]) / size[j, t]
                    out[c, i, j] = p if dist[c, i, j] != 0 and np.isfinite(p) else 0.0
    return out


@jit
def _support(tile, w, i, lanes, formula, up, size, net):
    """Row i's sums over the voters, for every j and cell of the tile: ``up`` = support
    ``sum max(v_k, 0)``, ``size`` = ``sum |v_k|``, ``net`` = ``sum v_k``, as the formula needs."""
    m = tile.shape[0]
    for j in range(m):
        up[j, :lanes], size[j, :lanes], net[j, :lanes] = 0.0, 0.0, 0.0
    for k in range(m):
        wk, ti = w[k], tile[k, i]
        for j in range(m):
            tj = tile[k, j]
            if formula == GLOBAL_PAIRS:
                uj = up[j]
                for t in range(lanes):
                    uj[t] += positive(wk[t] * (tj[t] - ti[t]))
            elif formula == EQ31:
                uj, sj = up[j], size[j]
                for t in range(lanes):
                    v = wk[t] * (tj[t] - ti[t])
                    uj[t] += positive(v)
                    sj[t] += abs(v)
            else:
                sj, nj = size[j], net[j]
                for t in range(lanes):
                    v = wk[t] * (tj[t] - ti[t])
                    sj[t] += abs(v)
                    nj[t] += v


@jit
def _all_pairs_totals(tile, w, index, start, lanes, rank, sums, terms, per_voter, total):
    """Per cell of the tile, ``sum_k w_k sum_a sum_b |d_kb - d_ka|`` over its participants: for
    sorted values u_(1) <= ... <= u_(m), ``sum_{a,b} |u_a - u_b| = 2 sum_i (2i - m - 1) u_(i)``.
    Each value goes straight to its place in the order, its rank counted by comparing it with
    the others (no sort, no branches; equal values are ranked by actor order and give equal
    terms). ``terms`` and ``per_voter`` are zeroed (n, TILE) buffers, so that the sums round as
    numpy's over all n actors did (:func:`_column_sums`)."""
    m = tile.shape[0]
    for k in range(m):
        for a in range(m):
            ta = tile[k, a]
            rank[:lanes] = 0
            for b in range(m):
                tb = tile[k, b]
                if b < a:
                    for t in range(lanes):
                        rank[t] += tb[t] <= ta[t]
                else:
                    for t in range(lanes):
                        rank[t] += tb[t] < ta[t]
            for t in range(lanes):
                terms[rank[t], t] = (2 * (rank[t] + 1) - m - 1) * ta[t]
        _column_sums(terms, lanes, sums)
        wk = w[k]
        for t in range(lanes):
            per_voter[index[start + t, k], t] = wk[t] * (2 * sums[t])
    _column_sums(per_voter, lanes, total)
    for t in range(lanes):
        for k in range(m):
            per_voter[index[start + t, k], t] = 0.0


@jit
def _column_sums(a, lanes, out):
    """``out[t] = pairwise_sum(a[:, t])`` for the first ``lanes`` columns of an (n, TILE) array,
    the columns side by side: the same additions in the same order as :func:`pairwise_sum`."""
    n = a.shape[0]
    if n > 128:
        for t in range(lanes):
            out[t] = pairwise_sum(np.ascontiguousarray(a[:, t]), 0, n)
        return
    if n < 8:
        out[:lanes] = -0.0
        for i in range(n):
            ai = a[i]
            for t in range(lanes):
                out[t] += ai[t]
    else:
        acc = a[:8].copy()
        i = 8
        while i < n - (n % 8):
            for q in range(8):
                aq, more = acc[q], a[i + q]
                for t in range(lanes):
                    aq[t] += more[t]
            i += 8
        a0, a1, a2, a3, a4, a5, a6, a7 = acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], \
            acc[7]
        for t in range(lanes):
            out[t] = ((a0[t] + a1[t]) + (a2[t] + a3[t])) + ((a4[t] + a5[t]) + (a6[t] + a7[t]))
        while i < n:
            ai = a[i]
            for t in range(lanes):
                out[t] += ai[t]
            i += 1
    for t in range(lanes):
        out[t] = 0.0 + out[t]


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
