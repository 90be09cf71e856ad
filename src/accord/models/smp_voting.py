"""Voting, victory probabilities and the probabilistic Condorcet election of KTAB 1.4.

The building blocks of KTAB's spatial model of politics (shared/models/smp.md section 1.2;
Wise et al., KAPSARC, "KTAB: the Spatial Model of Politics"), vectorised: every function takes
arrays and works elementwise or over a trailing axis.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

VOTING_RULES = ("binary", "prop_bin", "prop", "prop_cbc", "cubic", "asym_prosp")
VICTORY_MODELS = ("linear", "square", "quartic", "octic", "binary")
PCE_MODELS = ("conditional", "markov_uniform", "markov_incentive")
BIG_R_RANGES = ("mid", "min", "max")
BIG_R_ADJUSTS = ("one_third", "none", "half", "two_thirds", "full")


def victory(model: str, c: np.ndarray) -> np.ndarray:
    """Pairwise P(i > j) from coalition strengths (``Model::vProb``); the diagonal is 1/2."""
    ct = np.swapaxes(c, -1, -2)
    if model == "binary":
        ratio = c / (c + ct)
        p = np.clip((ratio * 2.1 - 1.0) / 0.1, 0.0, 1.0)
        p = np.where(c >= 1.1 * ct, 1.0 / (1.0 + 1e-6), np.where(ct >= 1.1 * c, 1e-6 / (1e-6 + 1.0), p))
    else:
        power = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}[model]
        x, xt = c ** power, ct ** power
        p = x / (x + xt)
    n = c.shape[-1]
    p[..., np.arange(n), np.arange(n)] = 0.5
    return p


def election(pce: str, victory_model: str, c: np.ndarray) -> np.ndarray:
    """The PCE distribution over options (``Model::probCE2``); ``c`` is (..., m, m)."""
    pv = victory(victory_model, c)
    if pce == "conditional":
        p = np.prod(pv, axis=-1)
        return p / p.sum(axis=-1, keepdims=True)
    if pce == "markov_uniform":
        return _markov_uniform(pv)
    if pce == "markov_incentive":
        return _markov_incentive(c, pv)
    raise ValueError(f"unknown PCE model {pce!r}; one of {', '.join(PCE_MODELS)}")


def _markov_uniform(pv: np.ndarray) -> np.ndarray:
    """Fixed point of q_i = (1/m) sum_j P(i>j)(p_i + p_j), damped (``markovUniformPCE``)."""
    m = pv.shape[-1]
    p = np.full(pv.shape[:-1], 1.0 / m)
    for _ in range(1000):
        q = (pv * (p[..., :, None] + p[..., None, :])).sum(axis=-1) / m
        change = np.abs(q - p).max()
        p = (p + q) / 2.0
        if change <= 1e-6:
            break
    return p


def _markov_incentive(c: np.ndarray, pv: np.ndarray) -> np.ndarray:
    """Markov voting with incentives (``markovIncentivePCE``): i challenges the favourite j with
    probability proportional to C(i:j) P(i>j)."""
    m = c.shape[-1]
    incentive = c * pv + np.eye(m) * 1e-10
    challenge = incentive / incentive.sum(axis=-2, keepdims=True)  # P[i -> j]
    p = np.full(c.shape[:-1], 1.0 / m)
    for _ in range(1000):
        ct = p[..., :, None] * np.swapaxes(challenge, -1, -2)
        q = (pv * (ct + np.swapaxes(ct, -1, -2))).sum(axis=-1)
        change = np.abs(q - p).max()
        p = (p + q) / 2.0
        if change <= 1e-8:
            break
    return p


def scalar_pce(weights: np.ndarray, utility: np.ndarray, rule: str, victory_model: str,
               pce: str) -> np.ndarray:
    """The election over options with voters' ``weights`` (..., n) and ``utility`` (..., n, m)
    of each option to each voter (``Model::scalarPCE``), for every leading index at once:
    (..., m). Coalition strengths (``Model::coalitions``: ``C(a:z) = 1e-8 + sum of positive
    votes``, the diagonal 1e-8) come from a compiled loop; a Markov PCE iterates each election
    to its own convergence."""
    from accord.models.smp_kernels import RULE_CODES, coalitions

    if rule not in RULE_CODES:
        raise ValueError(f"unknown voting rule {rule!r}; one of {', '.join(VOTING_RULES)}")
    *lead, n, m = utility.shape
    c = coalitions(np.ascontiguousarray(utility, dtype=float).reshape(-1, n, m),
                   np.ascontiguousarray(weights, dtype=float).reshape(-1, n), RULE_CODES[rule])
    if pce == "conditional":
        return election(pce, victory_model, c).reshape(*lead, m)
    return np.stack([election(pce, victory_model, one) for one in c]).reshape(*lead, m)


def big_r(p: np.ndarray, span: str) -> np.ndarray:
    """Risk attitudes from win probabilities (``Model::bigRfromProb``): the most likely position's
    owner is the most risk averse. Equal probabilities give risk neutrality."""
    low, high = p.min(axis=-1, keepdims=True), p.max(axis=-1, keepdims=True)
    gap = np.where(high - low > 0, high - low, np.inf)
    if span == "mid":
        return (3 * p - (high + 2 * low)) / (2 * gap)
    if span == "min":
        return (p - low) / gap
    if span == "max":
        return (2 * p - (high + low)) / gap
    raise ValueError(f"unknown BigRRange {span!r}; one of {', '.join(BIG_R_RANGES)}")


def perceived_r(r_h: np.ndarray, r_i: np.ndarray, adjust: str) -> np.ndarray:
    """h's estimate of i's risk attitude (``Model::estNRA``), e.g. one_third: (2 r_h + r_i) / 3."""
    if adjust == "full":
        return r_i + 0.0 * r_h
    if adjust == "two_thirds":
        return (r_h + 2.0 * r_i) / 3.0
    if adjust == "half":
        return (r_h + r_i) / 2
    if adjust == "one_third":
        return (2.0 * r_h + r_i) / 3.0
    if adjust == "none":
        return r_h + 0.0 * r_i
    raise ValueError(f"unknown BigRAdjust {adjust!r}; one of {', '.join(BIG_R_ADJUSTS)}")


def risk_utility(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """``u(d, R) = (1 - d)(1 + d R)`` for d <= 1, ``(1 - d)(1 + R)`` beyond (``bsUtil``)."""
    inside = (1.0 - d) * (1.0 + d * r)
    if np.all(d <= 1.0):  # the usual case: skip the second branch
        return inside
    return np.where(d <= 1.0, inside, (1.0 - d) * (1.0 + r))


class Perceived(NamedTuple):
    """Every actor's estimate of every actor's utility for every position, kept as its factors:
    ``A[b, h, i, j] = u(d[b, i, j], seen[b, h, i])``, i's salience-weighted distance from its
    ideal to j's position and h's estimate of i's risk attitude (``risk_utility``)."""

    d: np.ndarray
    seen: np.ndarray

    def own(self) -> np.ndarray:
        """``A[b, v, v, m]``: each actor's utility for each position, with its own attitude."""
        n = self.d.shape[1]
        return risk_utility(self.d, self.seen[:, np.arange(n), np.arange(n)][:, :, None])
