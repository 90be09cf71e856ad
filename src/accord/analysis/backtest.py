"""Backtests: run every model on every case and score it against the real outcome.

Scores per model and case set: mean absolute error (MAE), median absolute error, the share of
issues within 10 points (10% of the issue's scale) and, with Monte Carlo draws, the coverage of
the 90% interval (the share of real outcomes inside each model's 5-95% interval). Two naive baselines are scored alongside:
``status_quo`` (nothing changes; only issues with a known status quo) and ``mean`` (the
unweighted mean of positions, a registered model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from rich.progress import Progress

from accord.analysis.casesets import Case
from accord.analysis.montecarlo import ChunkTask, run_chunk
from accord.models import get
from accord.models.parameters import run_model
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.draws import DrawSpec

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
    low: float | None = None
    high: float | None = None

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
    coverage: float | None = None


def predict(cases: list[Case], models: list[str], params: dict[str, dict[str, Any]] | None = None,
            progress: bool = False, draws: int = 0, seed: int = 2021) -> list[Prediction]:
    """Forecast every scored issue of every case with every model and the status quo.

    With ``draws`` > 0 each model also runs a Monte Carlo over the case's uncertain inputs (the
    defaults of :mod:`accord.analysis.montecarlo` where a case states none), and each prediction
    carries its 5-95% interval, so that the coverage of the 90% interval can be scored.
    """
    params = params or {}
    out: list[Prediction] = []
    with Progress(transient=True, disable=not progress) as bar:
        task = bar.add_task("backtest", total=len(cases))
        for case in cases:
            arrays = ScenarioArrays.from_scenario(case.scenario)
            batch = arrays.batch()
            forecasts = {STATUS_QUO: (arrays.status_quo, None)}
            spec = DrawSpec.from_scenario(case.scenario) if draws else None
            for name in models:
                result = run_model(get(name), batch, dict(params.get(name, {})))
                interval = None
                if spec is not None:
                    values = arrays.to_scale(run_chunk(ChunkTask(
                        spec, name, dict(params.get(name, {})), seed, 0, draws)))
                    interval = np.nanpercentile(values, [5, 95], axis=0)
                forecasts[name] = (arrays.to_scale(result.outcome[0]), interval)
            out += _score_case(case, arrays, forecasts)
            bar.advance(task)
    return out


def _score_case(case: Case, arrays: ScenarioArrays, forecasts) -> list[Prediction]:
    rows = []
    for j, issue in enumerate(arrays.issue_ids):
        if issue not in case.outcomes:
            continue
        span = float(arrays.high[j] - arrays.low[j])
        for model, (values, interval) in forecasts.items():
            value = float(values[j])
            low, high = (None, None) if interval is None else map(float, interval[:, j])
            rows.append(Prediction(case.case_set, case.id, issue, model,
                                   value if np.isfinite(value) else None,
                                   case.outcomes[issue], span, low, high))
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
        covered = [p.low - 1e-9 <= p.actual <= p.high + 1e-9 for p in scored if p.low is not None]
        scores.append(Score(case_set, model, len(scored),
                            float(errors.mean()) if len(scored) else float("nan"),
                            float(np.median(errors)) if len(scored) else float("nan"),
                            float(close.mean()) if len(scored) else float("nan"),
                            float(np.mean(covered)) if covered else None))
    return scores
