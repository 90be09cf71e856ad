"""Many drawn runs of a simulation, summarised; and what each kind of event changed.

Over the draws of one plan: the agreement rate and the walk-out rate as measured frequencies
with Wilson 95% intervals, P(agreement by round r), how good the agreements are (the share of
the best joint utility they reach, and what they leave on the table), how often an incentive on
offer was paid, where each issue landed, and why the talks failed where they did. Counterfactuals
are paired: the same draws with an event taken out, so their difference is measured draw by draw
(mediation.md section 4, "Outputs").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from accord.sim.engine import Outcome
from accord.sim.metrics import Metrics

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Rate:
    """A measured frequency: ``count`` of ``draws``, with its Wilson 95% interval."""

    value: float
    low: float
    high: float
    count: int
    draws: int


def wilson(count: int, draws: int, z: float = Z95) -> Rate:
    """The Wilson score interval of a binomial proportion (Wilson 1927, J. Am. Stat. Assoc.
    22(158): 209-212): ``(p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``."""
    if draws == 0:
        return Rate(math.nan, 0.0, 1.0, 0, 0)
    return wilson_at(count / draws, draws, z, count)


def wilson_at(p: float, draws: int, z: float = Z95, count: int | None = None) -> Rate:
    """The Wilson interval around a proportion ``p`` of ``draws`` (see :func:`wilson`)."""
    centre = p + z * z / (2 * draws)
    half = z * math.sqrt(p * (1 - p) / draws + z * z / (4 * draws * draws))
    scale = 1 + z * z / draws
    return Rate(p, max(0.0, (centre - half) / scale), min(1.0, (centre + half) / scale),
                round(p * draws) if count is None else count, draws)


@dataclass(frozen=True)
class Effect:
    """How a variant's agreement rate differs from the plan's, paired by draw.

    ``change`` = P(agree | variant) - P(agree | as planned), with a 95% interval from the normal
    approximation to the mean of the paired differences; ``gained`` draws agree only in the
    variant, ``lost`` only as planned.
    """

    change: float
    low: float
    high: float
    gained: int
    lost: int


def effect(variant: np.ndarray, planned: np.ndarray) -> Effect:
    """Paired difference of two agreement vectors (B,) over the same draws."""
    diff = variant.astype(float) - planned.astype(float)
    mean = float(diff.mean())
    half = Z95 * float(diff.std(ddof=1)) / math.sqrt(len(diff)) if len(diff) > 1 else math.nan
    return Effect(mean, mean - half, mean + half, int((diff > 0).sum()), int((diff < 0).sum()))


@dataclass(frozen=True)
class Summary:
    """What the draws of one plan did. Means are over the agreements."""

    draws: int
    agreement: Rate
    walkout: Rate
    agreed_by_round: tuple[float, ...]
    welfare_share: float | None
    gap_low: float | None
    gap_high: float | None
    incentive_paid: float | None
    issues: dict[str, tuple[float, float, float]]
    breakdowns: dict[str, int]


def summarise(outcome: Outcome, metrics: Metrics | None) -> Summary:
    """Summarise the draws of one plan."""
    agreed = outcome.agreement
    b, rounds = len(agreed), outcome.rounds["played"].shape[1]
    by_round = tuple(float(np.mean(agreed & (outcome.agreed_round <= t))) for t in range(rounds))
    offered = agreed & (outcome.events.offer_round >= 0).any(axis=1)
    issues = {}
    if agreed.any():
        levels = np.take_along_axis(outcome.domain.levels[None], outcome.text[:, :, None],
                                    axis=2)[:, :, 0]
        for k, issue in enumerate(outcome.domain.issue_ids):
            landed = levels[agreed, k]
            issues[issue] = (float(landed.mean()), float(np.percentile(landed, 5)),
                             float(np.percentile(landed, 95)))
    share = gap_low = gap_high = None
    if metrics is not None and agreed.any():
        share = float(np.nanmean(metrics.welfare / metrics.best_welfare))
        gap_low, gap_high = float(np.nanmean(metrics.gap_low)), float(np.nanmean(metrics.gap_high))
    return Summary(
        b, wilson(int(agreed.sum()), b), wilson(int(outcome.walked_out.sum()), b), by_round,
        share, gap_low, gap_high,
        float(outcome.paid[offered].any(axis=1).mean()) if offered.any() else None,
        issues, breakdowns(outcome))


def breakdowns(outcome: Outcome, which: np.ndarray | None = None) -> dict[str, int]:
    """Why the draws without agreement (among ``which``, if given) failed: a party still away
    from the table at the end ("PARTY walked out"), or the final vote ("PARTY would not
    sign"), counted per party."""
    out: dict[str, int] = {}
    last = outcome.rounds["present"][:, -1]
    holding = ~outcome.rounds["accepting"][:, -1] & last
    failed = ~outcome.agreement if which is None else ~outcome.agreement & which
    for d in np.flatnonzero(failed):
        away = [p for p, here in zip(outcome.domain.party_ids, last[d]) if not here]
        refuse = [p for p, no in zip(outcome.domain.party_ids, holding[d]) if no]
        for reason in ([f"{p} walked out" for p in away] or
                       [f"{p} would not sign" for p in refuse] or ["no text agreed"]):
            out[reason] = out.get(reason, 0) + 1
    return dict(sorted(out.items(), key=lambda item: -item[1]))
