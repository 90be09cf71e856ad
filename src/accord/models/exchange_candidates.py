"""The candidates of an exchange round and their arrays, compiled.

A candidate pairs two actors on opposite sides of the round-start outcome on both issues of an
issue pair (shared/models/exchange.md A.2 step 2, in decide's order); :func:`arrays` lays out what
:mod:`accord.models.exchange_kernel` needs about each (its columns ``F_*`` and ``I_*``).
"""

from __future__ import annotations

import numpy as np

from accord.models.compiled import jit


@jit
def candidates(left, part):
    """Every candidate of a round, in decide's order (A.2 step 2): per draw and issue pair
    ``(p, q)``, right/right actors with left/left ones, then left/right with right/left, each in
    actor order. ``left`` (b, n, k): at or left of the outcome; ``part`` (n, k): takes part.
    Returns a (candidates, 5) array of draw, p, q, first, second."""
    b, n, k = left.shape
    groups = np.empty((4, n), np.int64)  # right/right, left/left, left/right, right/left
    sizes = np.zeros(4, np.int64)
    out = np.empty((0, 5), np.int64)
    for fill in (False, True):
        count = 0
        for d in range(b):
            for p in range(k):
                for q in range(p + 1, k):
                    sizes[:] = 0
                    for a in range(n):
                        if part[a, p] and part[a, q]:
                            lp, lq = left[d, a, p], left[d, a, q]
                            g = (1 if lq else 0) if lp == lq else (2 if lp else 3)
                            groups[g, sizes[g]] = a
                            sizes[g] += 1
                    for first, second in ((0, 1), (2, 3)):
                        for f in groups[first, :sizes[first]]:
                            for g in groups[second, :sizes[second]]:
                                if fill:
                                    out[count, 0], out[count, 1], out[count, 2] = d, p, q
                                    out[count, 3], out[count, 4] = f, g
                                count += 1
        if not fill:
            out = np.empty((count, 5), np.int64)
    return out


@jit
def arrays(cands, lower, x, w, W, n0, s):
    """``F`` and ``I`` (module docstring) of candidates ``cands`` (see :func:`candidates`);
    ``lower`` (-1: decide by cross products here) says whether the first actor has the lower
    relative salience of p and supplies on it, or (2) that the ratios are equal (R3)."""
    size, (_, n, k) = len(cands), x.shape
    F, I = np.empty((size, 17)), np.empty((size, 10), np.int64)
    for c in range(size):
        d, p, q, f, g = cands[c]
        order = lower[c]
        if order < 0:
            cross_f, cross_g = s[d, f, p] * s[d, g, q], s[d, g, p] * s[d, f, q]
            order = 2 if abs(cross_f - cross_g) <= 1e-12 * max(cross_f, cross_g) else int(
                cross_f < cross_g)
        j, i = (f, g) if order == 1 else (g, f)
        sjp, sjq, sip, siq = s[d, j, p], s[d, j, q], s[d, i, p], s[d, i, q]
        F[c] = (x[d, i, p], x[d, j, q], x[d, j, p], x[d, i, q], w[d, j, p], w[d, i, q],
                1 / W[d, p], 1 / W[d, q], n0[d, p], n0[d, q], sjp, sjq, sip, siq,
                (sip + sjp) / (siq + sjq), w[d, j, p] / W[d, p], w[d, i, q] / W[d, q])
        demand_p, demand_q = (d * k + p) * n + i, (d * k + q) * n + j
        ok = order != 2 and min(sjp, sjq, sip, siq) > 0
        I[c] = ((d * n + j) * k + p, (d * n + i) * k + q, demand_p, demand_q, demand_p * n + j,
                demand_q * n + i, d, int(ok), d * k + p, d * k + q)
    return F, I


@jit
def group(keys, size, modulo):
    """Ids (``key position % modulo``) grouped by key with a stable counting sort: the CSR
    ``(ptr, ids)`` with the ids of key ``v`` at ``ids[ptr[v]:ptr[v + 1]]``."""
    ptr = np.zeros(size + 1, np.int64)
    for key in keys:
        ptr[key + 1] += 1
    for v in range(size):
        ptr[v + 1] += ptr[v]
    ids, at = np.empty(len(keys), np.int64), ptr[:-1].copy()
    for pos in range(len(keys)):
        ids[at[keys[pos]]] = pos % modulo
        at[keys[pos]] += 1
    return ptr, ids
