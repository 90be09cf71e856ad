"""Backtests: run every model on every case and score it against the real outcome.

Scores per model and case set: mean absolute error (MAE), median absolute error, and the share of
issues within 10 points (10% of the issue's scale). Two naive baselines are scored alongside:
``status_quo`` (nothing changes; only issues with a known status quo) and ``mean`` (the
unweighted mean of positions, a registered model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from rich.progress import Progress

from accord.analysis.casesets import Case
from accord.forecasting import run_model
from accord.models import get
from accord.scenario.arrays import ScenarioArrays

STATUS_QUO = "status_quo"


@dataclass
class Prediction:
    """One model's forecast of one issue, and how far it was from what happened."""

    case_set: str
    case: str
    issue: str
    model: str
    forecast: float | None
    actual: float
    scale: float

    @property
    def error(self) -> float | None:
        """Absolute error on the issue's scale, None where the model gave no forecast."""
        return None if self.forecast is None else abs(self.forecast - self.actual)


@dataclass
class Score:
    """Accuracy of one model on one case set."""

    case_set: str
    model: str
    n: int
    mae: float
    median_error: float
    within_10: float


def predict(cases: list[Case], models: list[str], params: dict[str, dict[str, Any]] | None = None,
            progress: bool = False) -> list[Prediction]:
    """Forecast every scored issue of every case with every model and the status quo."""
    params = params or {}
    out: list[Prediction] = []
    with Progress(transient=True, disable=not progress) as bar:
        task = bar.add_task("backtest", total=len(cases))
        for case in cases:
            arrays = ScenarioArrays.from_scenario(case.scenario)
            batch = arrays.batch()
            forecasts = {STATUS_QUO: arrays.status_quo}
            for name in models:
                result = run_model(get(name), batch, dict(params.get(name, {})))
                forecasts[name] = arrays.to_scale(result.outcome[0])
            out += _score_case(case, arrays, forecasts)
            bar.advance(task)
    return out


def _score_case(case: Case, arrays: ScenarioArrays, forecasts) -> list[Prediction]:
    rows = []
    for j, issue in enumerate(arrays.issue_ids):
        if issue not in case.outcomes:
            continue
        span = float(arrays.high[j] - arrays.low[j])
        for model, values in forecasts.items():
            value = float(values[j])
            rows.append(Prediction(case.case_set, case.id, issue, model,
                                   value if np.isfinite(value) else None,
                                   case.outcomes[issue], span))
    return rows


def summarise(predictions: list[Prediction]) -> list[Score]:
    """Scores per (case set, model), in the order models first appear."""
    groups: dict[tuple[str, str], list[Prediction]] = {}
    for p in predictions:
        groups.setdefault((p.case_set, p.model), []).append(p)
    scores = []
    for (case_set, model), preds in groups.items():
        scored = [p for p in preds if p.error is not None]
        errors = np.array([p.error for p in scored])
        close = np.array([p.error <= 0.1 * p.scale for p in scored])
        scores.append(Score(case_set, model, len(scored),
                            float(errors.mean()) if len(scored) else float("nan"),
                            float(np.median(errors)) if len(scored) else float("nan"),
                            float(close.mean()) if len(scored) else float("nan")))
    return scores
