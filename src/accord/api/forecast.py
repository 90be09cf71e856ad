"""Run models on a scenario and collect the result as a documented, stable report."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, Field

from accord import __version__
from accord.api.results import Result, frame
from accord.models import MODELS, Forecast, get
from accord.models.parameters import run_model
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.model import Scenario

if TYPE_CHECKING:
    import pandas as pd


class RoundRecord(BaseModel):
    """One round of a model that runs in rounds: every actor's position and the outcome."""

    round: int
    outcome: float | None
    positions: dict[str, float]


class IssueForecast(BaseModel):
    """One model's forecast on one issue, on the issue's own scale."""

    forecast: float | None = Field(description="Null where the model gives no forecast.")
    off_table: str | None = Field(
        default=None, description="Label of the off-table region the forecast falls in, if any.")
    rounds: list[RoundRecord] | None = Field(
        default=None, description="Per round (round 0 = the input), for models that run in rounds.")


class ModelResult(BaseModel):
    """Everything one model said about the scenario."""

    model: str
    summary: str
    parameters: dict[str, Any]
    issues: dict[str, IssueForecast]


class IssueSummary(BaseModel):
    """An issue, its status quo, and how far the models disagree on it."""

    id: str
    name: str
    scale_min: float
    scale_max: float
    unit: str
    status_quo: float | None
    spread: float | None = Field(description="Highest minus lowest forecast across models.")


class ForecastReport(Result):
    """The output of ``accord forecast --format json`` (schema: docs/forecast.schema.json)."""

    accord_version: str
    generated: dt.datetime
    scenario_id: str
    scenario_name: str
    as_of: dt.date | None
    issues: list[IssueSummary]
    models: list[ModelResult]

    def caption(self) -> str:
        """The scenario and its date."""
        return self.scenario_name + (f" (as of {self.as_of})" if self.as_of else "")

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: the status quo, each model's forecast, and the spread."""
        return frame([{"issue": i.id, "status quo": i.status_quo,
                       **{m.model: m.issues[i.id].forecast for m in self.models},
                       "spread": i.spread} for i in self.issues], "issue")


def forecast(scenario: Scenario, model_names: list[str] | None = None,
             params: dict[str, dict[str, Any]] | None = None) -> ForecastReport:
    """Run each named model (all registered models by default) on ``scenario``."""
    names = model_names or list(MODELS)
    params = params or {}
    arrays = ScenarioArrays.from_scenario(scenario)
    batch = arrays.batch()
    results = [_model_result(scenario, arrays, get(name),
                             run_model(get(name), batch, dict(params.get(name, {}))))
               for name in names]
    return ForecastReport(
        accord_version=__version__,
        generated=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        scenario_id=scenario.id,
        scenario_name=scenario.name,
        as_of=scenario.as_of,
        issues=[_summary(issue, results) for issue in scenario.issues],
        models=results,
    )


def _number(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def _model_result(scenario, arrays, spec, result: Forecast) -> ModelResult:
    outcome = arrays.to_scale(result.outcome[0])
    issues = {}
    for j, issue in enumerate(scenario.issues):
        value = _number(outcome[j])
        region = issue.off_table_at(value) if value is not None else None
        issues[issue.id] = IssueForecast(forecast=value,
                                         off_table=region.label if region else None,
                                         rounds=_rounds(arrays, result, j))
    return ModelResult(model=spec.name, summary=spec.summary, parameters=result.parameters,
                       issues=issues)


def _rounds(arrays, result: Forecast, j: int) -> list[RoundRecord] | None:
    if result.trajectory is None:
        return None
    path = arrays.to_scale(result.trajectory[0])  # (t, n, k)
    outs = arrays.to_scale(result.round_outcomes[0]) if result.round_outcomes is not None else None
    records = []
    for t in range(path.shape[0]):
        positions = {a: float(path[t, i, j]) for i, a in enumerate(arrays.actor_ids)
                     if arrays.mask[i, j]}
        records.append(RoundRecord(round=t, outcome=None if outs is None else _number(outs[t, j]),
                                   positions=positions))
    return records


def _summary(issue, results: list[ModelResult]) -> IssueSummary:
    values = [r.issues[issue.id].forecast for r in results]
    values = [v for v in values if v is not None]
    return IssueSummary(id=issue.id, name=issue.name, scale_min=issue.scale.min,
                        scale_max=issue.scale.max, unit=issue.scale.unit,
                        status_quo=issue.status_quo,
                        spread=(max(values) - min(values)) if values else None)
