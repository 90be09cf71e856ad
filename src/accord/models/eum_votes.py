"""The probability of success in the expected utility model, as compiled loops
([Scholz2011]_ eqs 30-31; see :mod:`accord.models.compiled`).

``P[i, j]``, the probability that i prevails over j, sums every voter's vote on the pair: O(m^3)
for a cell of m participants, the model's largest cost. Many small cells (a Monte Carlo run)
go through :func:`_tiled`, several cells side by side so that the sums vectorise (1.7 times as
fast on venezuela-2021's cells of 3 to 9 participants); few cells or large ones one at a time
(:func:`_by_cell`; a tile of 200 actors would not fit in cache). Both give the same numbers,
bit for bit: each cell's sums are taken in the same order.
"""

from __future__ import annotations

import numpy as np

from accord.models.compiled import jit, pairwise_sum, positive

GLOBAL_PAIRS, EQ31, NETTED = range(3)
FORMULA_CODES = {"global_pairs": GLOBAL_PAIRS, "eq31": EQ31, "netted": NETTED}
TILE = 32  # cells side by side in a tile (16: 1.25x slower on venezuela-2021, 64: the same)
TILE_ACTORS = 32  # participants at most for the tiled path: its (m, m, TILE) tile stays in cache


@jit
def probabilities(d, dist, weight, formula, index, n):
    """P[c, i, j] that i prevails over j (0 where i and j stand together).

    Votes ``v_k = w_k (d_kj - d_ki)``, ``d`` each voter's distances (raised to its exponent),
    summed in voter order: the support ``sum max(v_k, 0)`` over the all-pairs total
    (``GLOBAL_PAIRS``), over ``sum |v_k|`` (``EQ31``), or the netted support over it
    (``NETTED``); only the sums the formula needs are taken. Row j's vote on (j, i) is exactly
    ``-v_k`` (IEEE rounding is symmetric), so P[j, i] rounds as the support of j over i would.
    ``index[c]`` gives the participants' places among all n actors, so that the sums numpy took
    over n (with zeros for actors not taking part) round exactly as they did.
    """
    cells, m, _ = d.shape
    if cells < TILE or m > TILE_ACTORS:
        return _by_cell(d, dist, weight, formula, index, n)
    return _tiled(d, dist, weight, formula, index, n)


@jit
def _by_cell(d, dist, weight, formula, index, n):
    """:func:`probabilities` one cell at a time: row i summed for every j at once, voter by
    voter."""
    cells, m, _ = d.shape
    out = np.empty((cells, m, m))
    terms, per_voter = np.zeros(n), np.zeros(n)
    up, size, net = np.empty(m), np.empty(m), np.empty(m)
    for c in range(cells):
        total = 0.0
        if formula == GLOBAL_PAIRS:
            total = _all_pairs_total(c, d, weight, index, terms, per_voter)
        for i in range(m):
            up[:], size[:], net[:] = 0.0, 0.0, 0.0
            for k in range(m):
                w, dki = weight[c, k], d[c, k, i]
                if formula == GLOBAL_PAIRS:
                    for j in range(m):
                        up[j] += positive(w * (d[c, k, j] - dki))
                elif formula == EQ31:
                    for j in range(m):
                        v = w * (d[c, k, j] - dki)
                        up[j] += positive(v)
                        size[j] += abs(v)
                else:
                    for j in range(m):
                        v = w * (d[c, k, j] - dki)
                        size[j] += abs(v)
                        net[j] += v
            for j in range(m):
                if formula == GLOBAL_PAIRS:
                    p = up[j] / total
                elif formula == EQ31:
                    p = up[j] / size[j]
                else:
                    p = positive(net[j]) / size[j]
                out[c, i, j] = p if dist[c, i, j] != 0 and np.isfinite(p) else 0.0
    return out


@jit
def _all_pairs_total(c, d, weight, index, terms, per_voter):
    """``sum_k w_k sum_a sum_b |d_kb - d_ka|`` over cell c's participants: for sorted values
    u_(1) <= ... <= u_(m), ``sum_{a,b} |u_a - u_b| = 2 sum_i (2i - m - 1) u_(i)``. Each value
    goes straight to its place in the order, its rank counted by comparing it with the others
    (no branches to mispredict, unlike a sort; equal values are ranked by actor order and give
    equal terms). ``terms`` and ``per_voter`` are zeroed buffers of length n, so that the sums
    round as numpy's over all n actors did."""
    m = d.shape[1]
    for k in range(m):
        for a in range(m):
            u, rank = d[c, k, a], 0
            for b in range(m):
                rank += (d[c, k, b] < u) | ((d[c, k, b] == u) & (b < a))
            terms[rank] = (2 * (rank + 1) - m - 1) * u
        per_voter[index[c, k]] = weight[c, k] * (2 * pairwise_sum(terms, 0, len(terms)))
    total = pairwise_sum(per_voter, 0, len(per_voter))
    for k in range(m):
        per_voter[index[c, k]] = 0.0
    return total


@jit
def _tiled(d, dist, weight, formula, index, n):
    """:func:`probabilities` ``TILE`` cells at a time, through a tile with the cell as the last
    axis (``tile[k, j, cell]``): every sum runs along the cells, contiguous and independent,
    which the compiler vectorises; each cell's sums are taken in the same order as alone."""
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
