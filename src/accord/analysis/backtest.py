"""Backtests, step one: every model's forecast of every scored issue, computed once.

:func:`tabulate` runs each model once per case (and, with ``draws``, a Monte Carlo over the
case's uncertain inputs) and collects a :class:`ForecastTable`: one row per scored issue, one
column per model, on the unit scale. Everything fitted afterwards (error models, the ensemble's
combination) is fitted on rows of this table, in :mod:`accord.analysis.evaluation`, so a
cross-validation with any number of folds refits only those cheap layers and never reruns a model.

Every ensemble member is always run: the members' spread is a feature of every error model, and
the ensemble is their combination. ``status_quo`` (nothing changes) is a column of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from rich.progress import Progress

from accord.analysis.calibration import IssueFeatures
from accord.analysis.casesets import Case
from accord.analysis.montecarlo import ChunkTask, run_chunk
from accord.models import get
from accord.models.ensemble import MEMBERS
from accord.models.parameters import run_model
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.draws import DrawSpec

STATUS_QUO = "status_quo"
ENSEMBLE = "ensemble"


@dataclass(frozen=True)
class ForecastTable:
    """Point forecasts (unit scale) of every scored issue; rows are issues, columns models."""

    case_set: np.ndarray
    case: np.ndarray
    issue: np.ndarray
    actual: np.ndarray
    low: np.ndarray
    high: np.ndarray
    status_quo: np.ndarray
    models: tuple[str, ...]
    forecast: np.ndarray
    features: IssueFeatures
    draws: dict[str, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.actual)

    @property
    def span(self) -> np.ndarray:
        """Each issue's scale length: unit-scale errors times this are in scale points."""
        return self.high - self.low

    def column(self, model: str) -> np.ndarray:
        """A model's unit-scale forecasts (``status_quo``: the status quo, NaN where unknown)."""
        if model == STATUS_QUO:
            return self.status_quo
        return self.forecast[:, self.models.index(model)]

    def members(self) -> np.ndarray:
        """(n, m) the ensemble members' forecasts, in ``MEMBERS`` order."""
        return np.column_stack([self.column(m) for m in MEMBERS])

    def take(self, rows: np.ndarray) -> ForecastTable:
        """The selected rows (a boolean mask or indices)."""
        draws = None if self.draws is None else {m: d[rows] for m, d in self.draws.items()}
        return replace(self, case_set=self.case_set[rows], case=self.case[rows],
                       issue=self.issue[rows], actual=self.actual[rows], low=self.low[rows],
                       high=self.high[rows], status_quo=self.status_quo[rows],
                       forecast=self.forecast[rows], features=self.features.take(rows),
                       draws=draws)

    def case_sets(self) -> list[str]:
        """The case sets in the table, in order."""
        return list(dict.fromkeys(self.case_set.tolist()))


def tabulate(cases: list[Case], models: list[str], params: dict[str, dict[str, Any]] | None = None,
             draws: int = 0, seed: int = 2021, progress: bool = False) -> ForecastTable:
    """Forecast every scored issue of every case with every model (and every ensemble member).

    With ``draws`` > 0 each of ``models`` (every member, if the ensemble is one of them) also runs
    ``draws`` Monte Carlo draws of the case's uncertain inputs (stated ranges, or the defaults of
    :mod:`accord.scenario.draws`), the same draws for every model, and the table keeps each
    issue's forecast under every draw.
    """
    params = params or {}
    names = list(dict.fromkeys([*MEMBERS, *(m for m in models if m != ENSEMBLE)]))
    drawn = names if ENSEMBLE in models else [m for m in models if m != STATUS_QUO]
    parts: list[dict] = []
    with Progress(transient=True, disable=not progress) as bar:
        task = bar.add_task("backtest", total=len(cases))
        for case in cases:
            parts.append(_case_rows(case, names, params, draws, seed, drawn))
            bar.advance(task)
    parts = [p for p in parts if len(p["actual"])]
    join = lambda key: np.concatenate([p[key] for p in parts])  # noqa: E731
    table_draws = None
    if draws:
        table_draws = {m: np.concatenate([p["draws"][m] for p in parts]) for m in parts[0]["draws"]}
    return ForecastTable(join("case_set"), join("case"), join("issue"), join("actual"),
                         join("low"), join("high"), join("status_quo"), tuple(names),
                         np.concatenate([p["forecast"] for p in parts]),
                         IssueFeatures.concat([p["features"] for p in parts]), table_draws)


def _case_rows(case: Case, names, params, draws, seed, drawn) -> dict:
    arrays = ScenarioArrays.from_scenario(case.scenario)
    batch = arrays.batch()
    outcome = np.stack([run_model(get(n), batch, dict(params.get(n, {}))).outcome[0]
                        for n in names])  # (models, k)
    features = IssueFeatures.of(arrays, outcome[[names.index(m) for m in MEMBERS]])
    rows = np.array([i in case.outcomes for i in arrays.issue_ids])
    actual = np.array([case.outcomes.get(i, np.nan) for i in arrays.issue_ids])
    part = {"case_set": np.full(rows.sum(), case.case_set, dtype=object),
            "case": np.full(rows.sum(), case.id, dtype=object),
            "issue": np.array(arrays.issue_ids, dtype=object)[rows],
            "actual": arrays.to_unit(actual)[rows], "low": arrays.low[rows],
            "high": arrays.high[rows], "status_quo": arrays.to_unit(arrays.status_quo)[rows],
            "forecast": outcome.T[rows], "features": features.take(rows)}
    if draws:
        spec = DrawSpec.from_scenario(case.scenario)
        part["draws"] = {m: run_chunk(ChunkTask(spec, m, dict(params.get(m, {})), seed, 0,
                                                draws)).T[rows] for m in drawn}
    return part
