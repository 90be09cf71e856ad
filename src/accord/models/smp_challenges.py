"""Challenges in KTAB's spatial model: who each actor challenges, and its estimate of winning.

Step 2 of a turn (shared/models/smp.md section 1.3; KTAB ``SMPState::probEduChlg``): for every
target j, actor i estimates the expected gain of challenging j. The two principals vote with
weight capability x total salience, each third party weighs in on the side it prefers after a
"little contest" (ThirdPartyCommit), and a low-salience target simply concedes (``(1 - S_j)``);
i targets the j with the largest gain above ``MIN_GAIN``. Arrays are (draws, ...); ``a`` holds
every actor's estimate of every actor's utility (:class:`accord.models.smp_voting.Perceived`).
The contests themselves are compiled loops (:func:`accord.models.smp_kernels.contests`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from accord.models.smp_voting import Perceived

if TYPE_CHECKING:
    from accord.models.smp import SmpParams

THIRD_PARTY = ("semi", "none", "full")
MIN_GAIN = 1e-5


def challenge(a: Perceived, c, s, p: SmpParams, h, k, i, j) -> tuple[np.ndarray, np.ndarray]:
    """h's estimate of P(i beats j) and of the expected change in k's utility if i challenges j,
    for index arrays h, k, i, j of one shape (b, m)."""
    draw = np.broadcast_to(np.arange(len(c))[:, None], h.shape)
    prob, gain = _contests(a, c, s, p, draw, h, k, i, j)
    return prob.reshape(h.shape), gain.reshape(h.shape)


def best_targets(a: Perceived, c: np.ndarray, s: np.ndarray,
                 p: SmpParams) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's target (-1: none) and its estimate of winning, from its own perspective,
    for a batch: ``c`` (b, n), ``s`` (b, n, D) -> (b, n), (b, n)."""
    b, n = c.shape
    draw, i, j = (x.ravel() for x in np.indices((b, n, n)))
    prob, gain = (x.reshape(b, n, n) for x in _contests(a, c, s, p, draw, i, i, i, j))
    everyone = np.arange(n)
    gain[:, everyone, everyone] = -np.inf
    gain = np.where(gain > MIN_GAIN, gain, -np.inf)
    target = np.where(np.isfinite(gain).any(axis=2), np.argmax(gain, axis=2), -1)
    chosen = np.take_along_axis(prob, np.maximum(target, 0)[:, :, None], axis=2)[:, :, 0]
    return target, chosen


def _contests(a, c, s, p: SmpParams, draw, h, k, i, j) -> tuple[np.ndarray, np.ndarray]:
    from accord.models.smp_kernels import COMMIT_CODES, RULE_CODES, contests

    if p.third_party not in COMMIT_CODES:
        raise ValueError(f"unknown ThirdPartyCommit {p.third_party!r}; one of "
                         f"{', '.join(THIRD_PARTY)}")
    total = s.sum(axis=2)
    return contests(np.ascontiguousarray(a.d), np.ascontiguousarray(a.seen), c * total, total,
                    RULE_CODES[p.voting_rule],
                    COMMIT_CODES[p.third_party], *(np.ascontiguousarray(x).ravel()
                                                   for x in (draw, h, k, i, j)))
