"""Fitting the ensemble's combination on training issues only, and choosing it by nested CV.

Each kind of :class:`accord.models.ensemble.Combination` is fitted on the training issues:
``select`` takes the member with the lowest mean absolute error, ``stack`` fits weights on the
simplex by least absolute deviations (a linear programme, [Koenker1978]_), ``median`` has nothing
to fit. Which kind the ensemble uses is itself chosen on the training issues: an inner
cross-validation, grouped by proposal, gives every kind's out-of-fold forecasts of the training
issues (the inner cross-validation is repeated with other folds), and of the kinds whose mean
absolute error is within one standard error of the lowest (clustered by proposal, as the folds
are grouped), the simplest wins (the order of ``METHODS``: select, median, stack), so that a
combination must earn its extra fitting. (The ensemble's point forecast is its combination, so
the kind is chosen by the point's score; an earlier version chose by the CRPS of the kinds'
distributions, which differ little, and picked a worse point more often.) The winner's inner
out-of-fold forecasts are kept, so that the ensemble's own error model is fitted on errors it
made out of sample, and their cross-fitted distributions give the share of mass the ensemble
moves onto stated positions (:mod:`accord.analysis.positions`).

.. [Koenker1978] R. Koenker, G. Bassett, "Regression quantiles", Econometrica 46(1), 1978.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import linprog

from accord.analysis.calibration import ErrorModel, IssueFeatures
from accord.analysis.crossval import grouped_folds
from accord.analysis.distribution import GRID, Predictive
from accord.analysis.positions import fit_share
from accord.models.ensemble import MEMBERS, METHODS, Combination

MIN_ISSUES = 30  # fewer training issues with (or without) a status quo: one set of weights for all
INNER_FOLDS = 5
INNER_REPEATS = 3


def lad_simplex(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weights ``w >= 0``, ``sum w = 1``, minimising ``sum |y - x w|`` (x: (n, q), y: (n,)).

    Solved as the dual linear programme, which has one constraint per weight instead of one per
    issue: maximise ``y'u + t`` subject to ``x'u + t <= 0`` and ``-1 <= u <= 1``; the weights are
    the constraints' multipliers (strong duality; the primal is feasible and bounded).
    """
    n, q = x.shape
    bounds = np.array([(-1.0, 1.0)] * n + [(-np.inf, np.inf)])
    result = linprog(-np.append(y, 1.0), A_ub=np.column_stack([x.T, np.ones(q)]),
                     b_ub=np.zeros(q), bounds=bounds, method="highs-ds")
    if not result.success:  # cannot happen for this feasible, bounded problem; keep it explicit
        raise RuntimeError(f"stacking weights: {result.message}")
    w = np.clip(-result.ineqlin.marginals, 0.0, None)
    return w / w.sum()


def fit_combination(method: str, forecasts: np.ndarray, status_quo: np.ndarray,
                    actual: np.ndarray, members: tuple[str, ...] = MEMBERS) -> Combination:
    """Fit one kind of combination on training issues (unit scale; forecasts (n, m))."""
    if method == "median":
        return Combination("median", members)
    if method == "select":
        errors = np.nanmean(np.abs(forecasts - actual[:, None]), axis=0)
        return Combination("select", members, chosen=members[int(np.nanargmin(errors))])
    if method != "stack":
        raise ValueError(f"unknown combination {method!r}; accepted: {', '.join(METHODS)}")
    ok = np.isfinite(forecasts).all(axis=1)
    known = ok & np.isfinite(status_quo)
    unknown = ok & ~np.isfinite(status_quo)
    everywhere = None
    if min(known.sum(), unknown.sum()) < MIN_ISSUES:
        everywhere = lad_simplex(forecasts[ok], actual[ok])
    with_sq = np.append(everywhere, 0.0) if known.sum() < MIN_ISSUES else lad_simplex(
        np.column_stack([forecasts[known], status_quo[known]]), actual[known])
    without_sq = everywhere if unknown.sum() < MIN_ISSUES else lad_simplex(
        forecasts[unknown], actual[unknown])
    return Combination("stack", members, with_sq, without_sq)


@dataclass(frozen=True)
class Choice:
    """The combination chosen on a training set, with what the inner CV measured."""

    combination: Combination
    inner_mae: dict[str, float]
    inner_forecast: np.ndarray  # the chosen kind's inner out-of-fold forecasts of the training set
    position_share: float = 0.0  # fitted on the chosen kind's inner distributions

    def error_model(self, actual: np.ndarray, features: IssueFeatures) -> ErrorModel:
        """The ensemble's error model, fitted on the errors its inner forecasts made out of
        sample, with the share of mass it moves onto stated positions."""
        ok = np.isfinite(self.inner_forecast)
        fitted = ErrorModel.fit(self.inner_forecast[ok], actual[ok], features.take(ok))
        return replace(fitted, position_share=self.position_share)


def choose(forecasts: np.ndarray, status_quo: np.ndarray, actual: np.ndarray,
           groups: np.ndarray, features: IssueFeatures, seed: int,
           members: tuple[str, ...] = MEMBERS, methods: tuple[str, ...] = METHODS) -> Choice:
    """Choose and fit the combination on training issues by inner grouped cross-validation,
    repeated ``INNER_REPEATS`` times with other folds (each issue's absolute error averaged over
    the repeats, so the choice depends less on one split); then the share of the chosen kind's
    distribution that goes onto stated positions, from its cross-fitted inner distributions."""
    repeats = [grouped_folds(groups, INNER_FOLDS, seed + r) for r in range(INNER_REPEATS)]
    oofs = {method: [_out_of_fold(method, forecasts, status_quo, actual, members, folds)
                     for folds in repeats] for method in methods}
    mae = {method: np.mean([np.abs(o - actual) for o in oofs[method]], axis=0)
           for method in methods}
    chosen = one_standard_error(mae, methods, groups)
    combination = fit_combination(chosen, forecasts, status_quo, actual, members)
    distributions = [_cross_fitted(oof, actual, features, folds)
                     for oof, folds in zip(oofs[chosen], repeats)]
    share = fit_share(Predictive(np.concatenate([d.pmf for d in distributions])),
                      np.tile(features.positions, (INNER_REPEATS, 1)),
                      np.tile(actual, INNER_REPEATS))
    return Choice(combination, {m: float(v.mean()) for m, v in mae.items()}, oofs[chosen][0],
                  share)


def _out_of_fold(method, forecasts, status_quo, actual, members, folds) -> np.ndarray:
    """One kind of combination's forecasts of each training issue, fitted on the other folds."""
    oof = np.full(len(actual), np.nan)
    for test in folds:
        fitted = fit_combination(method, forecasts[~test], status_quo[~test], actual[~test],
                                 members)
        oof[test] = fitted.apply(forecasts[test], status_quo[test])
    return oof


def one_standard_error(scores: dict[str, np.ndarray], order: tuple[str, ...],
                       groups: np.ndarray | None = None) -> str:
    """The first of ``order`` (simplest first) whose mean score is within one standard error of
    the best mean [Breiman1984]_: the error of the mean paired difference to the best over
    issues, clustered by ``groups`` where given (issues of one proposal err together, so they
    count as one observation, not several: the cluster-robust standard error of a mean,
    [Cameron2015]_ eq. 11 with its G / (G - 1) correction).

    .. [Breiman1984] L. Breiman, J. H. Friedman, R. A. Olshen, C. J. Stone, *Classification and
       Regression Trees*, Wadsworth, 1984, section 3.4.3.
    .. [Cameron2015] A. C. Cameron, D. L. Miller, "A practitioner's guide to cluster-robust
       inference", Journal of Human Resources 50(2), 2015.
    """
    best = min(order, key=lambda m: scores[m].mean())
    for method in order:
        difference = scores[method] - scores[best]
        if difference.mean() <= _standard_error(difference, groups) + 1e-12:
            return method
    return best


def _standard_error(values: np.ndarray, groups: np.ndarray | None) -> float:
    """Standard error of the mean of ``values``, clustered by ``groups`` (None: one per value)."""
    n = len(values)
    if groups is None:
        return float(values.std(ddof=1) / np.sqrt(n))
    _, cluster = np.unique(groups, return_inverse=True)
    sums = np.bincount(cluster, values - values.mean())
    g = len(sums)
    return float(np.sqrt((sums**2).sum() * g / (g - 1)) / n)


def _cross_fitted(forecast, actual, features: IssueFeatures, folds) -> Predictive:
    """Each issue's distribution, its error model fitted on the other folds."""
    pmf = np.empty((len(actual), len(GRID)))
    for test in folds:
        model = ErrorModel.fit(forecast[~test], actual[~test], features.take(~test))
        pmf[test] = model.predictive(forecast[test], features.take(test)).pmf
    return Predictive(pmf)
