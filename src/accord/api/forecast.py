"""Run models on a scenario and collect the result as a documented, stable report.

Each model's forecast of each issue comes with intervals at the chosen levels from the error
model shipped with Accord (:mod:`accord.analysis.calibrated`, fitted out of sample on DEU III),
labelled with what they include, and each model with its out-of-sample track record there.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, Field

from accord import __version__
from accord.analysis import calibrated
from accord.analysis.calibration import IssueFeatures
from accord.analysis.mixture import deal_mixture
from accord.api.results import Result, frame
from accord.models import MODELS, Forecast, get
from accord.models.ensemble import SPREAD_MEMBERS
from accord.models.parameters import run_model
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.model import Scenario
from accord.sim.build import party_ids

if TYPE_CHECKING:
    import pandas as pd

LEVELS = (0.5, 0.8, 0.9)
DEAL_DRAWS = 200
DEAL_MAX_PARTIES = 200
DEAL_SEED = 2021  # the report's default seed, so that the forecast's deal and the report's agree


class Interval(BaseModel):
    """A predictive interval on the issue's scale: the outcome lies inside with this probability."""

    level: float = Field(description="0.9 for a 90% interval.")
    low: float
    high: float


def interval_at(intervals: list[Interval] | None, level: float) -> Interval | None:
    """The interval at ``level`` among a forecast's ``intervals``, or None."""
    return next((i for i in intervals or [] if abs(i.level - level) < 1e-9), None)


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
    intervals: list[Interval] | None = Field(
        default=None, description="Predictive intervals at the report's levels: central, or "
        "anchored at a scale end whose point mass alone exceeds the tail; null where the model "
        "has no calibration (e.g. run with non-default parameters).")


class TrackRecord(BaseModel):
    """How the model has done out of sample on real negotiations (errors in scale points)."""

    data: str
    how: str
    n: int
    mae: float
    crps: float | None
    coverage: dict[str, float] = Field(
        description="Share of outcomes inside each level's interval.")


class ModelResult(BaseModel):
    """Everything one model said about the scenario."""

    model: str
    summary: str
    parameters: dict[str, Any]
    issues: dict[str, IssueForecast]
    intervals_include: str | None = Field(
        default=None, description="What the intervals account for.")
    track_record: TrackRecord | None = None


class IssueSummary(BaseModel):
    """An issue, its status quo, and how far the models disagree on it."""

    id: str
    name: str
    scale_min: float
    scale_max: float
    unit: str
    status_quo: float | None
    spread: float | None = Field(description="Highest minus lowest forecast across models.")


class DealIssue(BaseModel):
    """One issue under deal or no deal: the mixture of the agreed outcome and the status quo."""

    median: float | None = Field(description="The mixture's median (the status quo whenever an "
                                 "implemented deal is less likely than not).")
    mean: float | None
    intervals: list[Interval]


class DealForecast(BaseModel):
    """Whether the talks produce an agreement at all, from the simulation over draws of its
    uncertain inputs (:mod:`accord.sim.deal`), and each issue as a mixture (nothing fitted)."""

    agreement: float = Field(description="P(the parties sign an agreement).")
    agreement_low: float = Field(description="Wilson 95% interval over the draws.")
    agreement_high: float
    holds: float = Field(description="P(an agreement that is signed and implemented), from the "
                         "parties' confidence in each other when they sign.")
    holds_low: float
    holds_high: float
    walkout: float = Field(description="Share of draws in which a party walked out at some point.")
    draws: int
    seed: int
    how: str = Field(description="How the probability and the mixture are formed.")
    issues: dict[str, DealIssue]


class ForecastReport(Result):
    """The output of ``accord forecast --format json`` (schema: docs/forecast.schema.json)."""

    accord_version: str
    generated: dt.datetime
    scenario_id: str
    scenario_name: str
    as_of: dt.date | None
    levels: list[float] = Field(description="Levels of every interval in the report.")
    calibration: dict[str, Any] = Field(
        description="Provenance of the error models and the ensemble: data, date, refit command.")
    issues: list[IssueSummary]
    models: list[ModelResult]
    deal: DealForecast | None = Field(
        default=None, description="Deal or no deal; null when not asked for or not possible.")
    deal_note: str | None = Field(
        default=None, description="Why there is no deal forecast, when one was asked for.")

    def caption(self) -> str:
        """The scenario and its date."""
        return self.scenario_name + (f" (as of {self.as_of})" if self.as_of else "")

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: the status quo, each model's forecast, and the spread."""
        return frame([{"issue": i.id, "status quo": i.status_quo,
                       **{m.model: m.issues[i.id].forecast for m in self.models},
                       "spread": i.spread} for i in self.issues], "issue")

    def intervals_frame(self, level: float = 0.8) -> pd.DataFrame:
        """One row per model and issue: the forecast and its interval at ``level`` (one of
        :attr:`levels`; NaN where a model has no calibration)."""
        if level not in self.levels:
            raise InputError("no interval at this level", None, None, "level", level,
                             "one of " + ", ".join(f"{v:g}" for v in self.levels))
        rows = []
        for m in self.models:
            for issue, f in m.issues.items():
                chosen = interval_at(f.intervals, level)
                rows.append({"model": m.model, "issue": issue, "forecast": f.forecast,
                             "low": chosen.low if chosen else None,
                             "high": chosen.high if chosen else None})
        return frame(rows, ["model", "issue"])


def forecast(scenario: Scenario, model_names: list[str] | None = None,
             params: dict[str, dict[str, Any]] | None = None,
             levels: tuple[float, ...] = LEVELS, deal_draws: int = DEAL_DRAWS,
             seed: int = DEAL_SEED) -> ForecastReport:
    """Run each named model (all registered models by default) on ``scenario``, with intervals
    at ``levels`` and each model's track record; and, unless ``deal_draws`` is 0, the chance of
    a deal over that many simulated draws of ``seed``."""
    levels = check_levels(levels)
    names = model_names or list(MODELS)
    params = params or {}
    arrays = ScenarioArrays.from_scenario(scenario)
    batch = arrays.batch()
    shipped = calibrated.load()
    runs = {name: run_model(get(name), batch, dict(params.get(name, {}))) for name in names}
    defaults = {name: result for name, result in runs.items() if not params.get(name)}
    features = IssueFeatures.of(arrays, _members(batch, defaults))
    results = []
    for name, result in runs.items():
        error = None if params.get(name) else shipped.error_models.get(name)
        results.append(_model_result(scenario, arrays, get(name), result,
                                     _intervals(error, result, features, arrays, levels),
                                     shipped, error is not None))
    return ForecastReport(
        accord_version=__version__,
        generated=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        scenario_id=scenario.id,
        scenario_name=scenario.name,
        as_of=scenario.as_of,
        levels=list(levels),
        calibration=shipped.provenance,
        issues=[_summary(issue, results) for issue in scenario.issues],
        models=results,
        **_deal(scenario, arrays, deal_draws, seed, levels),
    )


def check_levels(levels) -> tuple[float, ...]:
    """Interval levels, each strictly between 0 and 1, sorted and without repeats."""
    for level in levels:
        if not (isinstance(level, (int, float)) and 0.0 < float(level) < 1.0):
            raise InputError("bad interval level", None, None, "level", str(level),
                             "a probability strictly between 0 and 1, e.g. 0.9")
    if not levels:
        raise InputError("no interval level", None, None, "level", "none", "at least one level")
    return tuple(sorted({float(v) for v in levels}))


def _deal(scenario: Scenario, arrays: ScenarioArrays, draws: int, seed: int,
          levels) -> dict[str, Any]:
    """The deal fields of the report: the forecast, or why there is none."""
    if draws <= 0:
        return {}
    parties = len(party_ids(scenario))
    if parties > DEAL_MAX_PARTIES:  # its cost grows with parties squared: seconds at 400
        return {"deal_note": f"no deal forecast: {parties:,} parties at the table; the forecast "
                             f"simulates the talks for at most {DEAL_MAX_PARTIES} (accord simulate "
                             f"plays them with more)"}
    try:
        deal, mix = deal_mixture(scenario, draws, seed)
    except InputError as error:
        return {"deal_note": f"no deal forecast: {error.problem}"}
    bounds = {level: mix.interval(level) for level in levels}
    issues = {}
    for j, issue_id in enumerate(arrays.issue_ids):
        intervals = [Interval(level=level, low=float(lo[j]), high=float(hi[j]))
                     for level, (lo, hi) in bounds.items() if np.isfinite(mix.median[j])]
        issues[issue_id] = DealIssue(median=_number(mix.median[j]), mean=_number(mix.mean[j]),
                                     intervals=intervals)
    agree, holds = deal.rate, deal.holds
    return {"deal": DealForecast(
        agreement=agree.value, agreement_low=agree.low, agreement_high=agree.high,
        holds=holds.value, holds_low=holds.low, holds_high=holds.high, walkout=deal.walkout,
        draws=draws, seed=seed, how=DEAL_HOW, issues=issues)}


DEAL_HOW = ("the mediated talks simulated over draws of their uncertain inputs (stances, "
            "reservation values, concession styles, shock sizes and dates); an agreement holds "
            "with the probability the parties' confidence in each other gives when they sign; "
            "each issue lands where the implemented agreements land with that probability and "
            "stays at the status quo otherwise; nothing fitted")


def _members(batch, done: dict[str, Forecast]) -> np.ndarray:
    """(m, k) the static members' forecasts, for the error models' features (their spread),
    reusing those already run with default parameters (``done``). A member that cannot run on
    this scenario counts as having no forecast: it is not one the user asked for, and the
    spread is then taken over the others."""
    rows = []
    for name in SPREAD_MEMBERS:
        try:
            result = done.get(name) or run_model(get(name), batch, {})
            rows.append(result.outcome[0])
        except InputError:
            rows.append(np.full(batch.position.shape[2], np.nan))
    return np.stack(rows)


def predictive_intervals(scenario: Scenario, model: str, draws: np.ndarray,
                         levels: tuple[float, ...] = LEVELS,
                         result: Forecast | None = None) -> list[list[Interval]] | None:
    """Per issue, ``model``'s intervals with both its error on real negotiations and the spread
    of ``draws`` (draws, issues) of its forecast over the uncertain inputs (unit scale); None
    where the model has no shipped error model. ``result``: the model's run on the coded
    inputs, if the caller has it (else it is run here)."""
    error = calibrated.load().error_models.get(model)
    if error is None:
        return None
    arrays = ScenarioArrays.from_scenario(scenario)
    batch = arrays.batch()
    result = result or run_model(get(model), batch, {})
    features = IssueFeatures.of(arrays, _members(batch, {model: result}))
    return _intervals(error, result, features, arrays, levels, draws)


def includes(shipped, with_inputs: bool, model: str | None = None) -> str:
    """What a model's calibrated intervals account for."""
    inputs = ("and the uncertainty of this scenario's inputs (the Monte Carlo draws)"
              if with_inputs else "; not the uncertainty of this scenario's inputs, which are "
              "taken as coded")
    error = shipped.error_models.get(model) if model else None
    share = error.position_share if error is not None else 0.0
    positions = (f", with {share:.0%} of the probability on the positions stated at the table, "
                 f"where outcomes often land" if share else "")
    return (f"the model's own error on real negotiations, learned out of sample on "
            f"{shipped.data_label} (similar issues weighted most){positions}"
            + (" " if with_inputs else "") + inputs)


def _intervals(error, result: Forecast, features: IssueFeatures, arrays: ScenarioArrays,
               levels, draws: np.ndarray | None = None) -> list[list[Interval]] | None:
    """Per issue, the model's intervals (None without an error model or a forecast), widened
    by the spread of ``draws`` (draws, issues; unit scale) when given."""
    if error is None:
        return None
    f = result.outcome[0]
    ok = np.isfinite(f)
    out: list[list[Interval]] = [[] for _ in f]
    if not ok.any():
        return out
    spread = None
    if draws is not None:
        spread = draws.T[ok]
        centre = np.nanmedian(np.where(np.isfinite(spread), spread, np.nan), axis=1)
        spread = np.where(np.isfinite(spread), spread, np.nan_to_num(centre)[:, None])
    predictive = error.predictive(f[ok], features.take(ok), spread)
    rows = np.flatnonzero(ok)
    for level in levels:
        low, high = predictive.interval(level)
        for i, lo, hi in zip(rows, low, high):
            scale = lambda v: float(arrays.low[i] + v * (arrays.high[i] - arrays.low[i]))  # noqa: E731
            out[i].append(Interval(level=level, low=scale(lo), high=scale(hi)))
    return out


def _track_record(shipped, name: str) -> TrackRecord | None:
    figures = shipped.record.get("models", {}).get(name)
    if figures is None:
        return None
    return TrackRecord(data=shipped.provenance.get("data", ""), how=shipped.record.get("how", ""),
                       **figures)


def _number(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def _model_result(scenario, arrays, spec, result: Forecast, intervals, shipped,
                  has_calibration: bool) -> ModelResult:
    outcome = arrays.to_scale(result.outcome[0])
    issues = {}
    for j, issue in enumerate(scenario.issues):
        value = _number(outcome[j])
        region = issue.off_table_at(value) if value is not None else None
        issues[issue.id] = IssueForecast(forecast=value,
                                         off_table=region.label if region else None,
                                         rounds=_rounds(arrays, result, j),
                                         intervals=None if intervals is None else intervals[j])
    include = includes(shipped, False, spec.name) if has_calibration else None
    return ModelResult(model=spec.name, summary=spec.summary, parameters=result.parameters,
                       issues=issues, intervals_include=include,
                       track_record=_track_record(shipped, spec.name) if has_calibration else None)


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
