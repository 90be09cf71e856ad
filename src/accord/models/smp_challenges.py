"""Challenges in KTAB's spatial model: who each actor challenges, and its estimate of winning.

Step 2 of a turn (shared/models/smp.md section 1.3; KTAB ``SMPState::probEduChlg``): for every
target j, actor i estimates the expected gain of challenging j. The two principals vote with
weight capability x total salience, each third party weighs in on the side it prefers after a
"little contest" (ThirdPartyCommit), and a low-salience target simply concedes (``(1 - S_j)``);
i targets the j with the largest gain above ``MIN_GAIN``. Arrays are (draws, ...);
``a[b, h, i, j]`` is h's estimate of i's utility for j's position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from accord.models.smp_voting import vote

if TYPE_CHECKING:
    from accord.models.smp import SmpParams

THIRD_PARTY = ("semi", "none", "full")
MIN_GAIN = 1e-5
CHUNK = 4_000_000


def challenge(a, c, s, p: SmpParams, h, k, i, j) -> tuple[np.ndarray, np.ndarray]:
    """h's estimate of P(i beats j) and of the expected change in k's utility if i challenges j,
    for index arrays h, k, i, j of one shape (b, m)."""
    n = c.shape[1]
    weight = c * s.sum(axis=2)
    d = np.arange(len(c))[:, None]
    dd, hh, ii, jj = d[..., None], h[..., None], i[..., None], j[..., None]
    everyone = np.arange(n)
    prob = contest(p, weight[d, i], weight[d, j], weight[:, None, :],
                   a[d, h, i, i], a[d, h, i, j], a[d, h, j, i], a[d, h, j, j],
                   a[dd, hh, everyone, ii], a[dd, hh, everyone, jj], a[dd, hh, everyone, everyone],
                   (everyone != ii) & (everyone != jj))
    return prob, expected_gain(prob, a[d, h, k, i], a[d, h, k, j], s.sum(axis=2)[d, j])


def contest(p: SmpParams, w_i, w_j, w_n, uii, uij, uji, ujj, uni, unj, unn, outside):
    """P(i beats j): the principals vote with weight capability x total salience, each third
    party weighs in after its "little contest" with them (``Actor::vProbLittle``,
    ``thirdPartyVoteSU``). Third parties run along the last axis; ``outside`` masks i and j."""
    own = vote(p.voting_rule, w_i, uii - uij)
    other = vote(p.voting_rule, w_j, uji - ujj)
    c_ij = 1e-10 + np.maximum(own, 0) + np.maximum(other, 0)
    c_ji = 1e-10 - np.minimum(own, 0) - np.minimum(other, 0)
    vn = vote(p.voting_rule, w_n, uni - unj)
    cni = c_ij[..., None] + np.maximum(vn, 0)
    cnj = c_ji[..., None] - np.minimum(vn, 0)
    pin = cni / (cni + cnj)
    with_i, with_j = _third_party_utilities(p.third_party, pin, uni, unj, unn)
    third = np.where(outside, vote(p.voting_rule, w_n, with_i - with_j), 0.0)
    c_ij = c_ij + np.maximum(third, 0).sum(axis=-1)
    c_ji = c_ji - np.minimum(third, 0).sum(axis=-1)
    return c_ij / (c_ij + c_ji)


def expected_gain(prob, uki, ukj, sj):
    """``EU_chlg - EU_SQ`` with ``EU_chlg = (1 - S_j) EU_vict + S_j EU_contest``: a target of
    low total salience simply concedes."""
    win = 2 * uki
    contest = prob * win + (1 - prob) * 2 * ukj
    return (1 - sj) * win + sj * contest - (uki + ukj)


def _third_party_utilities(commit: str, pin, uni, unj, unn):
    """Utilities to a third party of joining i and of joining j (``Actor::thirdPartyVoteSU``)."""
    pjn = 1.0 - pin
    if commit == "semi":
        return pin * (2 * uni + unn) + pjn * 3 * unj, pin * 3 * uni + pjn * (2 * unj + unn)
    if commit == "full":
        return pin * 3 * uni + pjn * 3 * unj, pin * 3 * uni + pjn * 3 * unj
    if commit == "none":
        return pin * (2 * uni + unn) + pjn * (2 * unj + unn), pin * (2 * uni + unn) + pjn * (2 * unj + unn)
    raise ValueError(f"unknown ThirdPartyCommit {commit!r}; one of {', '.join(THIRD_PARTY)}")


def best_targets(a: np.ndarray, c: np.ndarray, s: np.ndarray,
                 p: SmpParams) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's target (-1: none) and its estimate of winning, from its own perspective,
    for a batch: ``a`` (b, n, n, n), ``c`` (b, n), ``s`` (b, n, D) -> (b, n), (b, n).

    The same computation as :func:`challenge` with h = k = i for every pair, arranged so that
    each initiator's perspective matrix is used by broadcasting (no gathers): arrays are
    (draw and initiator, targets, third parties), in blocks that bound memory."""
    b, n = c.shape
    weight = c * s.sum(axis=2)
    sal = s.sum(axis=2)
    prob, gain = np.zeros((b, n, n)), np.zeros((b, n, n))
    draw, init = np.divmod(np.arange(b * n), n)
    everyone = np.arange(n)
    step = max(1, CHUNK // (n * n))
    for start in range(0, b * n, step):
        d, i = draw[start:start + step], init[start:start + step]
        rows = np.arange(len(i))
        u = a[d, i]  # (m, n, n): u[., x, y] = A[i, x, y] in draw d
        w, sj = weight[d], sal[d]  # (m, n)
        uii = u[rows, i, i][:, None]
        uij, uji = u[rows, i, :], u[rows, :, i]
        ujj = np.diagonal(u, axis1=1, axis2=2)
        outside = (everyone[None, None, :] != i[:, None, None]) & \
            (everyone[None, None, :] != everyone[None, :, None])
        pr = contest(p, w[rows, i][:, None], w, w[:, None, :], uii, uij, uji, ujj,
                     uji[:, None, :], np.swapaxes(u, 1, 2), ujj[:, None, :], outside)
        prob[d, i], gain[d, i] = pr, expected_gain(pr, uii, uij, sj)
    gain[:, everyone, everyone] = -np.inf
    gain = np.where(gain > MIN_GAIN, gain, -np.inf)
    target = np.where(np.isfinite(gain).any(axis=2), np.argmax(gain, axis=2), -1)
    chosen = np.take_along_axis(prob, np.maximum(target, 0)[:, :, None], axis=2)[:, :, 0]
    return target, chosen
