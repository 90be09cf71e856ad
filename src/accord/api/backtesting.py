"""Backtests and the calibration as the application runs them, and the backtest JSON document.

DEU III is scored by cross-validation grouped by proposal (every fitted layer refitted on the
training folds); the Venezuela phases and the BDM case by the calibration shipped with Accord,
fitted on DEU III only, which has never seen their outcomes. Each case set's forecasts are
computed once per process (and cached), so further folds, seeds or formats cost no model runs.

The Venezuela phases are also scored by the deal-or-no-deal mixture (:mod:`accord.analysis.mixture`,
record ``deal mixture``): the simulation's probability of an implemented agreement, drawn over
its uncertain inputs with the backtest's seed, mixed with the status quo; nothing in it is fitted.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from accord import __version__
from accord.analysis import calibrated
from accord.analysis.backtest import ENSEMBLE, STATUS_QUO, ForecastTable, tabulate
from accord.analysis.casesets import CASE_SETS, load_case_set
from accord.analysis.evaluation import Evaluated, apply_shipped, cross_validate
from accord.analysis.mixture import backtest_mixture, simulated
from accord.analysis.scoring import LEVELS, Score, score
from accord.api.results import Tabular, frame
from accord.models import MODELS
from accord.models.ensemble import shipped
from accord.scenario.errors import InputError
from accord.scenario.formats.files import atomic_write

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_FOLDS = 10
DEAL_MIXTURE = "deal mixture"
DEAL_DRAWS = 200


class Versus(BaseModel):
    """MAE minus the reference model's MAE on the same issues, with a bootstrap 95% interval."""

    reference: str
    difference: float
    low: float = Field(description="2.5% point over bootstrap samples of whole cases.")
    high: float = Field(description="97.5% point over bootstrap samples of whole cases.")


class BacktestRecord(BaseModel):
    """How one model did on one case set, out of sample (errors and CRPS in scale points)."""

    case_set: str
    model: str
    n: int = Field(description="Scored issues.")
    mae: float | None
    median_error: float | None
    within_10: float | None = Field(description="Share of issues within 10% of the scale.")
    crps: float | None = Field(description="Mean CRPS of the predictive distributions.")
    coverage: dict[str, float] = Field(
        description="Share of outcomes inside the central interval, by level (\"0.9\": 90%).")
    versus: Versus | None = None
    input_coverage_90: float | None = Field(
        default=None, description="Coverage of the 5-95% interval of the input draws alone.")


class BacktestDoc(BaseModel):
    """The output of ``accord backtest --format json`` (schema: docs/backtest.schema.json)."""

    accord_version: str
    generated: dt.datetime
    capability: str
    evaluation: dict[str, str] = Field(description="How each case set was kept out of sample.")
    ensemble_choices: dict[str, int] = Field(
        description="How often the ensemble chose each combination over the folds.")
    records: list[BacktestRecord]


@dataclass
class BacktestResult(Tabular):
    """Scores, the out-of-sample forecasts behind them, and the document
    (``accord backtest --format json``)."""

    scores: list[Score]
    evaluated: dict[str, Evaluated]
    doc: BacktestDoc

    def to_dict(self) -> dict[str, Any]:
        """The document as plain data."""
        return self.doc.model_dump(mode="json")

    def to_json(self, indent: int | None = 2) -> str:
        """The document as JSON, as ``accord backtest --format json`` prints it."""
        return self.doc.model_dump_json(indent=indent)

    def caption(self) -> str:
        """What the table scores."""
        return f"Backtest, out of sample ({self.doc.capability} capabilities)"

    def to_frame(self) -> pd.DataFrame:
        """One row per case set and model: MAE, median error, within 10, CRPS, coverage."""
        rows = []
        for r in self.doc.records:
            rows.append({"case_set": r.case_set, "model": r.model, "n": r.n, "mae": r.mae,
                         "median_error": r.median_error, "within_10": r.within_10,
                         "crps": r.crps, **{f"coverage {k}": v for k, v in r.coverage.items()}})
        return frame(rows, ["case_set", "model"])


def parse_folds(text: str) -> int | None:
    """``--cv``: a number of folds (2 or more) or ``loo`` (leave one proposal out: None)."""
    if text.strip().lower() == "loo":
        return None
    try:
        folds = int(text)
    except ValueError:
        folds = 0
    if folds < 2:
        raise InputError("bad number of folds", None, None, "--cv", text,
                         "an integer of at least 2, or loo")
    return folds


def backtest(case_set: str, models: list[str] | None = None, capability: str = "equal",
             folds: int | None = DEFAULT_FOLDS, seed: int = 0, draws: int = 0,
             params: dict[str, dict[str, Any]] | None = None,
             progress: bool = False) -> BacktestResult:
    """Score ``models`` (default: every registered model) and the status quo out of sample:
    DEU III by cross-validation grouped by proposal (``folds``; None: leave one proposal out),
    the other case sets by the calibration Accord ships, fitted on DEU III only."""
    if case_set != "all" and case_set not in CASE_SETS:
        raise InputError("unknown case set", None, None, "CASESET", case_set,
                         ", ".join(CASE_SETS) + " or all")
    sets = list(CASE_SETS) if case_set == "all" else [case_set]
    names = models or list(MODELS)
    rows = [m for m in (ENSEMBLE, STATUS_QUO, *names) if m in (*names, STATUS_QUO)]
    rows = list(dict.fromkeys(rows))
    params = params or {}
    evaluated, how, choices = {}, {}, {}
    for name in sets:
        table = forecast_table(name, capability, rows, params, draws, progress)
        if name == "deu3":
            result = cross_validate(table, rows, folds, seed)
            for method in result.chosen:
                choices[method] = choices.get(method, 0) + 1
        else:
            result = apply_shipped(table, rows, _shipped_for(params))
        evaluated[name], how[name] = result, result.how
    scores = [s for result in evaluated.values() for s in score(result, seed)]
    records = [_record(s) for s in scores]
    if "venezuela" in sets:
        records.append(_deal_record(seed))
        how["venezuela"] += f"; {DEAL_MIXTURE}: {DEAL_DRAWS} simulated draws, nothing fitted"
    doc = BacktestDoc(accord_version=__version__,
                      generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
                      capability=capability, evaluation=how, ensemble_choices=choices,
                      records=records)
    return BacktestResult(scores, evaluated, doc)


_TABLES: dict[tuple, ForecastTable] = {}


def forecast_table(case_set: str, capability: str, models: list[str], params: dict | None = None,
                   draws: int = 0, progress: bool = False) -> ForecastTable:
    """Every model's forecast of every scored issue of a case set, computed once per process."""
    params_key = json.dumps(params or {}, sort_keys=True)
    key = (case_set, capability, tuple(sorted(set(models) - {STATUS_QUO})), params_key, draws)
    if key not in _TABLES:
        cases = load_case_set(case_set, capability)  # type: ignore[arg-type]
        _TABLES[key] = tabulate(cases, list(key[2]), params or {}, draws, progress=progress)
    return _TABLES[key]


def _shipped_for(params: dict) -> calibrated.Calibration:
    """The shipped calibration, without the error models of models run with other parameters."""
    shipped = calibrated.load()
    errors = {m: e for m, e in shipped.error_models.items() if not params.get(m)}
    return calibrated.Calibration(errors, shipped.combination, shipped.provenance, shipped.record)


def _record(s: Score) -> BacktestRecord:
    finite = lambda v: None if v is None or v != v else float(v)
    versus = None if s.versus is None else Versus(**vars(s.versus))
    return BacktestRecord(case_set=s.case_set, model=s.model, n=s.n, mae=finite(s.mae),
                          median_error=finite(s.median_error), within_10=finite(s.within_10),
                          crps=finite(s.crps), coverage=s.coverage, versus=versus,
                          input_coverage_90=s.input_coverage)


def _deal_record(seed: int) -> BacktestRecord:
    """The deal-or-no-deal mixture on the Venezuela phases (case-set independent of capability:
    the simulation weighs the parties at the table as the scenario states)."""
    s = backtest_mixture(load_case_set("venezuela"), simulated(DEAL_DRAWS, seed))
    return BacktestRecord(case_set="venezuela", model=DEAL_MIXTURE, n=s.n, mae=s.mae,
                          median_error=s.median_error, within_10=s.within_10, crps=s.crps,
                          coverage=s.coverage)


def per_issue(evaluated: dict[str, Evaluated]) -> list[dict]:
    """Every scored issue with its outcome and each model's out-of-sample forecast (scale units)."""
    rows = []
    for result in evaluated.values():
        t = result.table
        for i in range(len(t)):
            to_scale = lambda v: None if v != v else float(t.low[i] + v * t.span[i])
            rows.append({"case_set": t.case_set[i], "case": t.case[i], "issue": t.issue[i],
                         "actual": to_scale(t.actual[i]),
                         "forecasts": {m: to_scale(p[i]) for m, p in result.point.items()}})
    return rows


def calibrate(capability: str = "equal", output: Path | None = None,
              command: str = "accord calibrate", seed: int = calibrated.SEED,
              progress: bool = False) -> tuple[Path, calibrated.Calibration]:
    """Refit every error model and the ensemble on DEU III, record how the same procedure does
    in a grouped cross-validation, and write the calibration document (default: the package's)."""
    models = [m for m in MODELS if m != ENSEMBLE]
    rows = [STATUS_QUO, *models, ENSEMBLE]
    table = forecast_table("deu3", capability, rows, None, 0, progress)
    fitted = calibrated.fit(table, [STATUS_QUO, *models], seed)
    result = cross_validate(table, rows, calibrated.RECORD_FOLDS, seed)
    fitted.provenance = calibrated.provenance(table, capability, command)
    fitted.record = calibrated.record(score(result, seed), result.how)
    path = output or calibrated.shipped_path()
    atomic_write(path, calibrated.dumps(fitted))
    shipped.cache_clear()
    return path, fitted


__all__ = ["LEVELS", "BacktestDoc", "BacktestRecord", "BacktestResult", "backtest", "calibrate",
           "forecast_table", "parse_folds", "per_issue"]
