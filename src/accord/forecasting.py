"""Run models on a scenario and collect the result as a documented, stable report."""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from accord import __version__
from accord.models import MODELS, Forecast, get
from accord.models.registry import ModelSpec
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.model import Scenario


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


class ForecastReport(BaseModel):
    """The output of ``accord forecast --format json`` (schema: docs/forecast.schema.json)."""

    accord_version: str
    generated: dt.datetime
    scenario_id: str
    scenario_name: str
    as_of: dt.date | None
    issues: list[IssueSummary]
    models: list[ModelResult]


def parse_params(items: list[str]) -> dict[str, dict[str, Any]]:
    """Parse ``MODEL.NAME=VALUE`` settings into {model: {name: value}}, checking each name."""
    params: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        model, dot, name = key.strip().partition(".")
        if not (sep and dot and model and name):
            raise InputError("a parameter must look like MODEL.NAME=VALUE", None, None, "--param",
                             item, "e.g. eum.preset=scholz_literal")
        if model not in MODELS:
            raise InputError("unknown model", None, None, "--param", item,
                             "one of " + ", ".join(MODELS))
        accepted = _parameter_names(get(model))
        if name not in accepted:
            raise InputError(f"{model} has no parameter '{name}'", None, None, "--param", item,
                             ", ".join(accepted))
        params.setdefault(model, {})[name] = _value(raw.strip())
    return params


def _parameter_names(spec: ModelSpec) -> list[str]:
    names = [p for p in inspect.signature(spec.run).parameters if p != "batch"]
    return (["preset"] if spec.presets else []) + names


def _value(raw: str) -> Any:
    lowered = raw.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            pass
    return raw


def run_model(spec: ModelSpec, batch, params: dict[str, Any]) -> Forecast:
    """Run a model, turning a bad parameter value into an :class:`InputError`."""
    try:
        return spec(batch, **params)
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc), None, None, f"--param {spec.name}.*") from None


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


@dataclass
class Trace:
    """A model's rounds on one issue, ready to print or serialise."""

    scenario: Scenario
    arrays: ScenarioArrays
    result: Forecast
    issue: int
    round: int = 1

    def table(self):
        """A rich table of the rounds."""
        from accord.report.trace import eum_table, exchange_table, smp_table

        if self.result.model == "exchange":
            return exchange_table(self.arrays, self.result, self.round, self.scenario.name)
        issue = self.scenario.issues[self.issue]
        title = f"{self.result.model} on '{issue.name}' ({self.scenario.name})"
        if self.result.model == "smp":
            return smp_table(self.arrays, self.result, self.issue, title)
        return eum_table(self.arrays, self.result, self.issue, title)

    def as_json(self) -> dict[str, Any]:
        """Rounds and moves as plain data."""
        from dataclasses import asdict

        from accord.report.trace import eum_moves, exchange_rows, round_summary, smp_rows

        if self.result.model == "exchange":
            vote = self.arrays.to_scale(self.result.round_outcomes[0])
            return {"model": "exchange", "parameters": self.result.parameters,
                    "round": self.round,
                    "exchanges": exchange_rows(self.arrays, self.result, self.round),
                    "voting_outcome": dict(zip(self.arrays.issue_ids,
                                               map(float, vote[self.round])))}
        if self.result.model == "smp":
            return {"model": "smp", "parameters": self.result.parameters,
                    "issue": self.scenario.issues[self.issue].id,
                    "turns": smp_rows(self.arrays, self.result, self.issue)}
        return {"model": self.result.model, "parameters": self.result.parameters,
                "issue": self.scenario.issues[self.issue].id,
                "rounds": round_summary(self.arrays, self.result, self.issue),
                "moves": [asdict(m) for m in eum_moves(self.arrays, self.result, self.issue)]}


def trace_model(scenario: Scenario, model: str, issue: str | None,
                params: dict[str, dict[str, Any]], round_no: int = 1) -> Trace:
    """Run a round-based model and keep its diagnostics for one issue."""
    traceable = [name for name, spec in MODELS.items() if spec.rounds]
    if model not in traceable:
        raise InputError("this model does not run in rounds", None, None, "--model", model,
                         "one of " + ", ".join(traceable))
    ids = [i.id for i in scenario.issues]
    if issue is not None and issue not in ids:
        raise InputError("unknown issue", None, None, "--issue", issue, "one of " + ", ".join(ids))
    arrays = ScenarioArrays.from_scenario(scenario)
    result = run_model(get(model), arrays.batch(), dict(params.get(model, {})))
    rounds = result.trajectory.shape[1] - 1
    if not 1 <= round_no <= max(rounds, 1):
        raise InputError("no such round", None, None, "--round", round_no,
                         f"a round from 1 to {rounds}")
    return Trace(scenario, arrays, result, ids.index(issue) if issue else 0, round_no)
