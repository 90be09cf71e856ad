"""How sure, and what if: Monte Carlo runs and shocks as result documents.

The runs themselves (chunks on local processes or Dask, each stored as it finishes) are
:mod:`accord.api.runs`; this module turns a finished run into the documents ``accord montecarlo``
and ``accord whatif`` print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import Field, PrivateAttr, RootModel

from accord.analysis import calibrated
from accord.analysis.shocks import check_shock, parse_shock
from accord.api.forecast import LEVELS, Interval, check_levels, includes, predictive_intervals
from accord.api.results import Result, Tabular, frame
from accord.api.runs import Outcome, Request, execute, parse_threshold, stored_outcome
from accord.api.store import Store
from accord.scenario.errors import InputError
from accord.scenario.model import Scenario, Shock

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console


class IssueDistribution(Result):
    """One issue's outcome over the draws, on the issue's scale; ``p5``-``p95`` spans the draws
    alone, ``intervals`` add the model's own error (where calibrated)."""

    issue: str
    mean: float
    median: float
    p5: float
    p95: float
    thresholds: dict[str, float]
    intervals: list[Interval] | None = Field(
        default=None, description="Calibrated predictive intervals: the model's error on real "
        "negotiations and the draws' spread; null where the model has no calibration (e.g. run "
        "with non-default parameters).")


class MonteCarloResult(Result):
    """``accord montecarlo --format json``: each issue's distribution over the draws."""

    run_id: str
    draws: int
    issues: list[IssueDistribution]
    agreement: float | None = None
    intervals_include: str | None = Field(
        default=None, description="What the calibrated intervals account for.")
    _outcomes: np.ndarray | None = PrivateAttr(default=None)
    _title: str = PrivateAttr(default="")

    @classmethod
    def of(cls, outcome: Outcome, title: str, model: str | None = None,
           params: dict[str, Any] | None = None,
           levels: tuple[float, ...] = LEVELS) -> MonteCarloResult:
        """The document of a finished run (its raw draws kept for :meth:`draws_frame`), with
        calibrated intervals at ``levels`` when ``model`` ran with its default parameters."""
        result = cls(run_id=outcome.run_id, **_calibrated(outcome, model, params, levels))
        result._outcomes, result._title = outcome.outcomes, title
        return result

    @property
    def title(self) -> str:
        """The model and the scenario (or the stored run) the draws come from."""
        return self._title

    def caption(self) -> str:
        """What the run was."""
        return f"{self._title} ({self.draws:,} draws)"

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: mean, median, 5% and 95% of the draws, each calibrated interval
        (``low 0.9``, ``high 0.9``), and each threshold's probability."""
        return frame([{**i.model_dump(exclude={"thresholds", "intervals"}),
                       **{f"{end} {b.level:g}": getattr(b, end) for b in i.intervals or []
                          for end in ("low", "high")},
                       **{f"P({t})": p for t, p in i.thresholds.items()}} for i in self.issues],
                     "issue")


def _calibrated(outcome: Outcome, model: str | None, params: dict[str, Any] | None,
                levels: tuple[float, ...] = LEVELS) -> dict[str, Any]:
    """The run's summary as fields, with each issue's calibrated intervals where there are."""
    fields = asdict(outcome.summary)
    intervals = None if (model is None or params) else predictive_intervals(
        outcome.scenario, model, outcome.outcomes, levels)
    if intervals is not None:
        for issue, chosen in zip(fields["issues"], intervals):
            issue["intervals"] = chosen
        fields["intervals_include"] = includes(calibrated.load(), True, model)
    return fields


class WhatIfColumn(Result):
    """The baseline or one shock: each issue's distribution and the agreement probability."""

    label: str
    draws: int
    issues: list[IssueDistribution]
    agreement: float | None = None
    intervals_include: str | None = None


class WhatIfResult(Tabular, RootModel[dict[str, list[WhatIfColumn]]]):
    """``accord whatif --format json``: per model, the baseline and each shock."""

    def caption(self) -> str:
        """What the table compares."""
        return "What if? median [5%-95%] over the draws, per model"

    def to_frame(self) -> pd.DataFrame:
        """One row per model and issue, one column per baseline or shock (median)."""
        rows = []
        for model, columns in self.root.items():
            for j, issue in enumerate(columns[0].issues):
                rows.append({"model": model, "issue": issue.issue,
                             **{c.label: c.issues[j].median for c in columns}})
        return frame(rows, ["model", "issue"])


def montecarlo(scenario: Scenario, model: str, draws: int, seed: int | None = None, *,
               thresholds: Sequence[str] = (), shock: str | Shock | None = None,
               chunk_size: int | None = None, params: dict[str, Any] | None = None,
               workers: int | None = None, scheduler: str | None = None,
               store: str | Store | None = None, console: Console | None = None,
               levels: tuple[float, ...] = LEVELS) -> MonteCarloResult:
    """Draw the uncertain inputs and run ``model`` over every draw; the run is stored; with
    each issue's calibrated intervals at ``levels``."""
    levels = check_levels(levels)
    chosen = _shock(scenario, shock)
    request = Request(scenario, model, draws, seed, chunk_size, dict(params or {}), chosen,
                      [parse_threshold(scenario, t) for t in thresholds])
    outcome = execute(request, _store(store), workers, scheduler, console)
    return MonteCarloResult.of(outcome, f"{model}: {scenario.name}", model, params, levels)


def whatif(scenario: Scenario, models: Sequence[str], shocks: Sequence[str | Shock] | None = None,
           draws: int = 1000, seed: int = 2021, params: dict[str, dict[str, Any]] | None = None,
           store: str | Store | None = None, console: Console | None = None,
           levels: tuple[float, ...] = LEVELS) -> WhatIfResult:
    """The baseline and each shock (every declared one by default), draw for draw alike, with
    calibrated intervals at ``levels``."""
    levels = check_levels(levels)
    chosen = [_shock(scenario, s) for s in shocks] if shocks else list(scenario.shocks)
    for s in chosen:
        check_shock(scenario, s)
    if not chosen:
        raise InputError("no shocks to compare", None, None, "--shock", None,
                         "--shock ... or a scenario that declares shocks")
    db, params = _store(store), params or {}
    columns: dict[str, list[WhatIfColumn]] = {}
    for name in models:
        columns[name] = []
        for label, s in [("baseline", None), *[(s.id if s.id != "cli" else s.label, s)
                                              for s in chosen]]:
            request = Request(scenario, name, draws, seed, draws, dict(params.get(name, {})), s,
                              kind="whatif")
            outcome = execute(request, db, 1, None, console)
            columns[name].append(WhatIfColumn(label=label, **_calibrated(
                outcome, name, params.get(name), levels)))
    return WhatIfResult(columns)


def _shock(scenario: Scenario, shock: str | Shock | None) -> Shock | None:
    if shock is None:
        return None
    chosen = parse_shock(scenario, shock) if isinstance(shock, str) else shock
    check_shock(scenario, chosen)
    return chosen


def _store(store: str | Store | None) -> Store:
    return store if isinstance(store, Store) else Store(store)


def resume(run_id: str, workers: int | None = None, scheduler: str | None = None,
           store: str | Store | None = None, console: Console | None = None) -> MonteCarloResult:
    """Finish an interrupted run from its stored chunks: the result equals an uninterrupted run."""
    from accord.api.runs import resume as resume_run

    db = _store(store)
    outcome = resume_run(run_id, db, workers, scheduler, console)
    request = db.run(run_id)["request"]
    return MonteCarloResult.of(outcome, f"{request['model']}: {outcome.scenario.name}",
                               request["model"], request["params"])


def stored_runs(store: str | Store | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The stored runs, newest first."""
    return _store(store).list_runs(limit)


def stored_run(run_id: str, store: str | Store | None = None,
               ) -> tuple[dict[str, Any], MonteCarloResult | None]:
    """A stored run's record (without its scenario) and, if it has finished chunks, the summary
    of the draws it has."""
    db = _store(store)
    record = db.run(run_id)
    shown = {k: v for k, v in record.items() if k != "scenario_yaml"}
    if not record["chunks_done"]:
        return shown, None
    request = record["request"]
    result = MonteCarloResult(run_id=run_id, **_calibrated(
        stored_outcome(run_id, db), request["model"], request["params"]))
    result._title = f"run {run_id} ({record['status']})"
    return shown, result


def export_draws(run_id: str, path: str | Path, format: str | None = None,
                 store: str | Store | None = None) -> None:
    """Write a run's draws (one row per draw, one column per issue) as CSV or Parquet (``format``
    from the file name's extension unless given)."""
    from accord.api.export import export_run

    export_run(_store(store), run_id, Path(path), format)
