"""Backtests, step two: out-of-sample forecasts and predictive distributions for every model.

Two ways to stay out of sample:

- :func:`cross_validate` (DEU III): folds grouped by proposal; on each fold every model's error
  model, and the ensemble's choice, combination and error model, are fitted on the other folds
  only and applied to the held-out proposals.
- :func:`apply_shipped` (Venezuela, BDM): the calibration fitted on all of DEU III and shipped
  with Accord, which has never seen these outcomes.

Either way each model gets a point forecast (the model's own; for the ensemble, its combination)
and a predictive distribution per scored issue, on the unit scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.analysis.backtest import ENSEMBLE, STATUS_QUO, ForecastTable
from accord.analysis.calibration import ErrorModel
from accord.analysis.crossval import grouped_folds
from accord.analysis.distribution import GRID, Predictive
from accord.analysis.stacking import Choice, choose


@dataclass
class Evaluated:
    """Out-of-sample forecasts of every model on a table's issues (NaN: not scored)."""

    table: ForecastTable
    point: dict[str, np.ndarray]
    pmf: dict[str, np.ndarray]
    how: str
    chosen: list[str] = field(default_factory=list)

    @property
    def models(self) -> list[str]:
        """The evaluated models, in order."""
        return list(self.point)

    def scored(self, model: str) -> np.ndarray:
        """Rows where ``model`` has a forecast."""
        return np.isfinite(self.point[model])

    def predictive(self, model: str) -> Predictive | None:
        """The model's distributions of its scored rows (None if it has none)."""
        pmf = self.pmf.get(model)
        return None if pmf is None else Predictive(pmf[self.scored(model)])

    def take(self, rows: np.ndarray) -> Evaluated:
        """The selected rows."""
        return Evaluated(self.table.take(rows), {m: p[rows] for m, p in self.point.items()},
                         {m: p[rows] for m, p in self.pmf.items()}, self.how, self.chosen)


def cross_validate(table: ForecastTable, models: list[str], folds: int | None,
                   seed: int) -> Evaluated:
    """Out-of-fold forecasts and distributions for ``models`` (``status_quo`` and ``ensemble``
    included when named), ``folds`` grouped by case (``None``: leave one case out)."""
    tests = grouped_folds(table.case, folds, seed)
    point = {m: np.full(len(table), np.nan) for m in models}
    pmf = {m: np.zeros((len(table), len(GRID))) for m in models}
    chosen = []
    for i, test in enumerate(tests):
        train, held = table.take(~test), table.take(test)
        for model in models:
            if model == ENSEMBLE:
                inner_seed = int(np.random.SeedSequence([seed, i]).generate_state(1)[0])
                choice = choose(train.members(), train.status_quo, train.actual, train.case,
                                train.features, inner_seed)
                chosen.append(choice.combination.method)
                forecast, predictive = _ensemble(choice, train, held)
            else:
                forecast, predictive = _single(model, train, held)
            point[model][test] = forecast
            if predictive is not None:
                pmf[model][np.flatnonzero(test)[np.isfinite(forecast)]] = predictive.pmf
    every = folds is None or folds >= len(tests) and len(tests) == len(set(table.case))
    label = "leave one proposal out" if every else f"{folds}-fold, seed {seed}"
    return Evaluated(table, point, pmf, f"cross-validation grouped by proposal ({label})", chosen)


def _single(model: str, train: ForecastTable, held: ForecastTable):
    f, g = train.column(model), held.column(model)
    ok, go = np.isfinite(f), np.isfinite(g)
    if ok.sum() < 2 or not go.any():
        return g, None
    error = ErrorModel.fit(f[ok], train.actual[ok], train.features.take(ok))
    return g, _distribution(error, model, held, go)


def _ensemble(choice: Choice, train: ForecastTable, held: ForecastTable):
    error = choice.error_model(train.actual, train.features)
    forecast = choice.combination.apply(held.members(), held.status_quo)
    go = np.isfinite(forecast)
    return forecast, _ensemble_distribution(error, choice.combination, held, forecast, go)


def _distribution(error: ErrorModel, model: str, held: ForecastTable, rows) -> Predictive:
    forecast = held.column(model)[rows]
    draws = None
    if held.draws is not None and model in held.draws:
        draws = held.draws[model][rows]
    return error.predictive(forecast, held.features.take(rows), draws)


def _ensemble_distribution(error, combination, held: ForecastTable, forecast, rows):
    draws = None
    if held.draws is not None and all(m in held.draws for m in combination.members):
        stacked = np.stack([held.draws[m][rows] for m in combination.members], axis=-1)
        draws = combination.apply(stacked, held.status_quo[rows][:, None])
    return error.predictive(forecast[rows], held.features.take(rows), draws)


def apply_shipped(table: ForecastTable, models: list[str], calibration) -> Evaluated:
    """Forecasts and distributions from a calibration fitted elsewhere (the shipped one)."""
    point, pmf = {}, {}
    for model in models:
        error = calibration.error_models.get(model)
        if model == ENSEMBLE:
            forecast = calibration.combination.apply(table.members(), table.status_quo)
        else:
            forecast = table.column(model)
        point[model] = forecast
        if error is None:
            continue
        rows = np.isfinite(forecast)
        pmf[model] = np.zeros((len(table), len(GRID)))
        if model == ENSEMBLE:
            predictive = _ensemble_distribution(error, calibration.combination, table, forecast,
                                                rows)
        else:
            predictive = _distribution(error, model, table, rows)
        pmf[model][rows] = predictive.pmf
    return Evaluated(table, point, pmf, f"calibration fitted on {calibration.data_label}")


__all__ = ["ENSEMBLE", "STATUS_QUO", "Evaluated", "apply_shipped", "cross_validate"]
