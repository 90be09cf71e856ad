"""Compiled loops of KTAB's spatial model (see :mod:`accord.models.compiled`).

:func:`contests` is KTAB's ``SMPState::probEduChlg``: h's estimate of P(i beats j) and of the
expected change in k's utility if i challenges j (shared/models/smp.md section 1.3, step 2).
"""

from __future__ import annotations

import numpy as np

from accord.models.compiled import jit, negative, pairwise_sum, positive

PROP, BINARY, PROP_BIN, PROP_CBC, CUBIC, ASYM_PROSP = range(6)
RULE_CODES = {"prop": PROP, "binary": BINARY, "prop_bin": PROP_BIN, "prop_cbc": PROP_CBC,
              "cubic": CUBIC, "asym_prosp": ASYM_PROSP}
SEMI, NONE, FULL = range(3)
COMMIT_CODES = {"semi": SEMI, "none": NONE, "full": FULL}


@jit
def weighted_distances(ideal, points, salience):
    """``d[q, i, p]``: actor i's salience-weighted distance from ``ideal[q, i]`` to
    ``points[q, p]``, ``sqrt(sum_k (s_ik d_k)^2 / sum_k s_ik^2)`` (``SMPModel::bvDiff``)."""
    q, n, dims = ideal.shape
    out = np.empty((q, n, points.shape[1]))
    terms = np.empty(dims)
    for t in range(q):
        for i in range(n):
            for k in range(dims):
                terms[k] = salience[t, i, k] * salience[t, i, k]
            total = pairwise_sum(terms, 0, dims)
            total = total if total > 0 else 1.0
            for p in range(points.shape[1]):
                for k in range(dims):
                    y = (ideal[t, i, k] - points[t, p, k]) * salience[t, i, k]
                    terms[k] = y * y
                out[t, i, p] = np.sqrt(pairwise_sum(terms, 0, dims) / total)
    return out


@jit
def coalitions(utility, weight, rule):
    """Coalition strengths ``C[q, a, z] = 1e-8 + sum_v max(vote_v(a, z), 0)`` for voters with
    ``weight[q, v]`` and ``utility[q, v, a]`` of each option; the diagonal is 1e-8
    (``Model::coalitions``)."""
    q, voters, m = utility.shape
    out = np.empty((q, m, m))
    for t in range(q):
        for a in range(m):
            for z in range(m):
                total = 0.0
                for v in range(voters):
                    total += positive(vote(rule, weight[t, v], utility[t, v, a] - utility[t, v, z]))
                out[t, a, z] = 1e-8 + total if a != z else 1e-8
    return out


@jit
def contests(dist, seen, weight, total_salience, rule, commit, draw, h, k, i, j):
    """P(i beats j) and k's expected gain, from h's perspective, for challenges given as index
    arrays of length m.

    h's estimate of x's utility for y's position is ``u(dist[b, x, y], seen[b, h, x])``
    (``bsUtil``); ``weight`` (b, n) is capability x total salience. The principals vote with
    their weights; each third party x weighs in after its "little contest" with them
    (``Actor::vProbLittle``, ``thirdPartyVoteSU``); the challenge's value to k is
    ``(1 - S_j) EU_vict + S_j EU_contest`` less its value now (a target of low total salience
    simply concedes)."""
    m, n = len(draw), weight.shape[1]
    prob, gain = np.empty(m), np.empty(m)
    up, down = np.empty(n), np.empty(n)
    columns = np.empty((n, n))  # h's utilities by position: columns[y, x] = u_h(x, y)
    last = (-1, -1)
    for t in range(m):
        d, hh, ii, jj = draw[t], h[t], i[t], j[t]
        if (d, hh) != last:  # challenges come grouped by perspective
            for x in range(n):
                for y in range(n):
                    columns[y, x] = _risk_utility(dist[d, x, y], seen[d, hh, x])
            last = (d, hh)
        u = columns.T
        own = vote(rule, weight[d, ii], u[ii, ii] - u[ii, jj])
        other = vote(rule, weight[d, jj], u[jj, ii] - u[jj, jj])
        c_ij = 1e-10 + positive(own) + positive(other)
        c_ji = 1e-10 - negative(own) - negative(other)
        for x in range(n):
            third = 0.0
            if x != ii and x != jj:
                third = _third_party(rule, commit, weight[d, x], columns[ii, x], columns[jj, x],
                                     columns[x, x], c_ij, c_ji)
            up[x], down[x] = positive(third), negative(third)
        c_ij = c_ij + pairwise_sum(up, 0, n)
        c_ji = c_ji - pairwise_sum(down, 0, n)
        p = c_ij / (c_ij + c_ji)
        uki, ukj, sj = u[k[t], ii], u[k[t], jj], total_salience[d, jj]
        win = 2 * uki
        contest = p * win + (1 - p) * 2 * ukj
        prob[t], gain[t] = p, (1 - sj) * win + sj * contest - (uki + ukj)
    return prob, gain


@jit
def _risk_utility(d, r):
    """``u(d, R) = (1 - d)(1 + d R)`` for d <= 1, ``(1 - d)(1 + R)`` beyond (``bsUtil``)."""
    if d <= 1.0:
        return (1.0 - d) * (1.0 + d * r)
    return (1.0 - d) * (1.0 + r)


@jit
def _third_party(rule, commit, w, uni, unj, unn, c_ij, c_ji):
    """Third party n's vote for i over j after its little contest (ThirdPartyCommit)."""
    vn = vote(rule, w, uni - unj)
    cni = c_ij + positive(vn)
    cnj = c_ji - negative(vn)
    pin = cni / (cni + cnj)
    pjn = 1.0 - pin
    if commit == SEMI:
        with_i = pin * (2 * uni + unn) + pjn * 3 * unj
        with_j = pin * 3 * uni + pjn * (2 * unj + unn)
    elif commit == FULL:
        with_i = pin * 3 * uni + pjn * 3 * unj
        with_j = pin * 3 * uni + pjn * 3 * unj
    else:
        with_i = pin * (2 * uni + unn) + pjn * (2 * unj + unn)
        with_j = pin * (2 * uni + unn) + pjn * (2 * unj + unn)
    return vote(rule, w, with_i - with_j)


@jit
def vote(rule: int, weight: float, du: float) -> float:
    """KTAB's ``Model::vote`` for one voter, as :func:`accord.models.smp_voting.vote` computes
    it (rule codes: ``RULE_CODES``)."""
    if rule == PROP:
        return weight * du
    binary = min(max(du / 1e-8, -1.0), 1.0)
    if rule == BINARY:
        return weight * binary
    if rule == PROP_BIN:
        return weight * (0.8 * du + 0.2 * binary)
    if rule == PROP_CBC:
        return weight * (0.5 * du + 0.5 * (du * du * du))
    if rule == CUBIC:
        return weight * (du * du * du)
    if du < 0:
        return weight * du
    return 2.0 * weight * du / 3.0
