"""Deal or no deal: each issue's forecast as a mixture of the agreed outcome and the status quo.

With probability ``p`` the talks end in an agreement, and an issue lands where the agreements
land (the distribution of the agreed outcome over the simulation's draws); otherwise nothing
changes and it stays at the status quo:

    F(x) = p * F_agreed(x) + (1 - p) * 1{x >= status quo}.

The point forecast is the mixture's median (the value that minimises the expected absolute
error: the status quo whenever ``p < 1/2``); the mean is reported too. The distribution is scored
like any other (:mod:`accord.analysis.distribution`): CRPS and the coverage of its intervals. The
intervals include what the draws include (the simulation's uncertain inputs) and the chance of
no deal; no model error is added.

The interface is plain arrays, so that any source of ``p`` and of agreed outcomes can be scored:
``agreed`` is (draws, issues) on each issue's scale, NaN where a draw reached no agreement,
optionally weighted per draw. An issue without any agreed draw has no agreement component: its
forecast is the status quo. An issue whose status quo is unknown has no no-deal component: its
forecast is the agreement's.

:func:`deal_mixture` fills it from the simulation (:mod:`accord.sim.deal`): ``p`` is the
probability of an agreement that is *implemented* (signed, and honoured with the probability
the parties' own confidence in each other gives), and the agreed texts are weighted by that
probability of being honoured. An agreement that is signed and not implemented leaves the
status quo in place. Nothing here is fitted, so scoring on the Venezuela phases stays out of
sample. (That the implementation factor belongs in ``p`` was decided after the agreement-only
mixture had been scored on the Venezuela phases (MAE 24.2): the choice follows the simulation's
own model of trust, but the phases were seen.)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from accord.analysis.casesets import Case
from accord.analysis.distribution import GRID, Predictive
from accord.analysis.scoring import LEVELS
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.model import Scenario
from accord.sim.deal import Deal, deal_probability


@dataclass
class MixtureForecast:
    """Per issue (scale units): median and mean of the mixture, and the distribution (unit)."""

    median: np.ndarray
    mean: np.ndarray
    predictive: Predictive
    low: np.ndarray
    high: np.ndarray

    def interval(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        """The ``level`` interval of each issue, on its scale."""
        lo, hi = self.predictive.interval(level)
        return self._scale(lo), self._scale(hi)

    def _scale(self, unit: np.ndarray) -> np.ndarray:
        return self.low + unit * (self.high - self.low)


@dataclass
class MixtureScore:
    """How a mixture forecast did (errors and CRPS in scale points)."""

    n: int
    mae: float
    median_error: float
    within_10: float
    mae_of_mean: float
    crps: float
    coverage: dict[str, float] = field(default_factory=dict)


def mixture(p: float, agreed: np.ndarray, status_quo: np.ndarray, low: np.ndarray | float = 0.0,
            high: np.ndarray | float = 100.0,
            weights: np.ndarray | None = None) -> MixtureForecast:
    """The mixture forecast of each issue (see the module docstring); ``weights`` (draws,)
    weigh the agreed draws (default: equally)."""
    agreed = np.atleast_2d(np.asarray(agreed, dtype=float))
    w = np.ones(agreed.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    status_quo = np.asarray(status_quo, dtype=float)
    k = status_quo.shape[0]
    low, high = np.broadcast_to(low, (k,)).astype(float), np.broadcast_to(high, (k,)).astype(float)
    _check(p, agreed, status_quo, low, high, w)
    unit_agreed = (agreed - low) / (high - low)
    unit_sq = (status_quo - low) / (high - low)
    counted = np.isfinite(unit_agreed) * w[:, None]
    has_deal = counted.sum(axis=0) > 0
    has_sq = np.isfinite(unit_sq)
    weight = np.where(has_deal, np.where(has_sq, p, 1.0), 0.0)  # P(agreement component)
    pmf = np.zeros((k, len(GRID)))
    for j in np.flatnonzero(has_deal):
        rows = counted[:, j] > 0
        pmf[j] += weight[j] * Predictive.from_samples(unit_agreed[rows, j][None, :],
                                                      w[rows][None, :]).pmf[0]
    for j in np.flatnonzero(has_sq):
        pmf[j] += (1.0 - weight[j]) * Predictive.from_samples(unit_sq[[j]][:, None]).pmf[0]
    predictive = Predictive(pmf)
    with warnings.catch_warnings():  # an issue without any agreed draw: no agreement component
        warnings.simplefilter("ignore", RuntimeWarning)
        deal_mean = np.where(has_deal, (np.nan_to_num(agreed) * counted).sum(axis=0)
                             / counted.sum(axis=0), 0.0)
    mean = weight * deal_mean + (1.0 - weight) * np.nan_to_num(status_quo)
    median = low + predictive.median() * (high - low)
    return MixtureForecast(median, mean, predictive, low, high)


def _check(p, agreed, status_quo, low, high, weights) -> None:
    if not (np.isscalar(p) and 0.0 <= float(p) <= 1.0):
        raise InputError("the probability of agreement must be a number from 0 to 1", None, None,
                         "p", str(p), "0 <= p <= 1")
    if weights.shape != (agreed.shape[0],) or not np.all(np.isfinite(weights) & (weights >= 0)):
        raise InputError("bad weights of the agreed draws", None, None, "weights",
                         str(weights.shape), f"{agreed.shape[0]} finite weights >= 0")
    if agreed.shape[1] != status_quo.shape[0]:
        raise InputError("agreed outcomes and status quo cover different issues", None, None,
                         "agreed", f"{agreed.shape[1]} issues", f"{status_quo.shape[0]} issues")
    if np.any(high <= low):
        raise InputError("a scale's top must lie above its bottom", None, None, "high",
                         str(high.tolist()), "high > low")
    finite = agreed[np.isfinite(agreed)]
    if finite.size and (np.any(finite < low.min()) or np.any(finite > high.max())):
        raise InputError("an agreed outcome lies outside its scale", None, None, "agreed",
                         f"{finite.min():g}..{finite.max():g}", "values on each issue's scale")


def score_mixture(forecast: MixtureForecast, actual: np.ndarray,
                  levels: tuple[float, ...] = LEVELS) -> MixtureScore:
    """Score a mixture forecast against what happened (scale units; NaN outcomes left out)."""
    actual = np.asarray(actual, dtype=float)
    rows = np.isfinite(actual) & np.isfinite(forecast.median)
    span = (forecast.high - forecast.low)[rows]
    unit = (actual[rows] - forecast.low[rows]) / span
    part = forecast.predictive.take(rows)
    errors = np.abs(forecast.median - actual)[rows]
    return MixtureScore(int(rows.sum()), float(np.mean(errors)), float(np.median(errors)),
                        float(np.mean(errors <= 0.1 * span + 1e-9)),
                        float(np.mean(np.abs(forecast.mean - actual)[rows])),
                        float(np.mean(part.crps(unit) * span)),
                        {f"{level:g}": float(part.covers(unit, level).mean()) for level in levels})


def deal_mixture(scenario: Scenario, draws: int = 200,
                 seed: int = 0) -> tuple[Deal, MixtureForecast]:
    """The simulation's deal (``draws`` draws of ``seed``) and each issue's mixture forecast:
    the implemented agreement with its probability, the status quo otherwise."""
    deal = deal_probability(scenario, draws, seed)
    arrays = ScenarioArrays.from_scenario(scenario)
    return deal, mixture(deal.holds.value, deal.agreed, arrays.status_quo, arrays.low,
                         arrays.high, deal.honoured)


DealSource = Callable[[Case], MixtureForecast]


def simulated(draws: int = 200, seed: int = 0) -> DealSource:
    """The deal source of :func:`deal_mixture` for :func:`backtest_mixture`."""
    return lambda case: deal_mixture(case.scenario, draws, seed)[1]


def backtest_mixture(cases: list[Case], source: DealSource) -> MixtureScore:
    """Score the mixture on every case, pooled: ``source(case)`` gives the case scenario's
    mixture forecast (e.g. :func:`simulated`, or :func:`mixture` of a stand-in deal)."""
    medians, means, pmfs, lows, highs, actual = [], [], [], [], [], []
    for case in cases:
        arrays = ScenarioArrays.from_scenario(case.scenario)
        forecast = source(case)
        scored = np.array([issue in case.outcomes for issue in arrays.issue_ids])
        medians.append(forecast.median[scored])
        means.append(forecast.mean[scored])
        pmfs.append(forecast.predictive.pmf[scored])
        lows.append(arrays.low[scored])
        highs.append(arrays.high[scored])
        actual.append([case.outcomes[i] for i in np.array(arrays.issue_ids)[scored]])
    pooled = MixtureForecast(np.concatenate(medians), np.concatenate(means),
                             Predictive(np.concatenate(pmfs)), np.concatenate(lows),
                             np.concatenate(highs))
    return score_mixture(pooled, np.concatenate(actual))
