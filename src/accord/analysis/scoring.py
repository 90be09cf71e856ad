"""Backtests, step three: scores of out-of-sample forecasts, per case set and model.

Per model: mean and median absolute error and the share of issues within 10% of the scale (the
point forecast), the mean CRPS (the whole predictive distribution; a point forecast's CRPS is its
absolute error, so both are in scale points) and the coverage of the central 50%, 80% and 90%
intervals (calibrated when near the level). Against the compromise model, the difference in MAE
on the issues both score, with a 95% percentile interval over bootstrap samples of whole cases
(proposals), so that a reader sees whether a difference is more than luck of the sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.analysis.crossval import bootstrap_groups, resampled_means
from accord.analysis.evaluation import Evaluated

LEVELS = (0.5, 0.8, 0.9)
REFERENCE = "compromise"
REPS = 2000


@dataclass
class Difference:
    """MAE of a model minus MAE of the reference on the same issues, with a bootstrap interval."""

    reference: str
    difference: float
    low: float
    high: float


@dataclass
class Score:
    """How one model did on one case set (errors and CRPS in scale points)."""

    case_set: str
    model: str
    n: int
    mae: float
    median_error: float
    within_10: float
    crps: float | None = None
    coverage: dict[str, float] = field(default_factory=dict)
    versus: Difference | None = None
    input_coverage: float | None = None


def score(evaluated: Evaluated, seed: int = 0, levels=LEVELS, reps: int = REPS) -> list[Score]:
    """Scores per (case set, model), in table order; the bootstrap uses ``seed``."""
    out = []
    for case_set in evaluated.table.case_sets():
        part = evaluated.take(evaluated.table.case_set == case_set)
        samples = bootstrap_groups(part.table.case, reps, np.random.default_rng(seed))
        for model in part.models:
            out.append(_score(part, case_set, model, levels, samples))
    return out


def _score(part: Evaluated, case_set: str, model: str, levels, samples) -> Score:
    rows = part.scored(model)
    table = part.table
    if not rows.any():
        return Score(case_set, model, 0, np.nan, np.nan, np.nan)
    unit_error = np.abs(part.point[model] - table.actual)[rows]
    error = unit_error * table.span[rows]
    result = Score(case_set, model, int(rows.sum()), float(error.mean()), float(np.median(error)),
                   float(np.mean(unit_error <= 0.1 + 1e-9)))
    predictive = part.predictive(model)
    if predictive is not None:
        actual = table.actual[rows]
        result.crps = float((predictive.crps(actual) * table.span[rows]).mean())
        result.coverage = {f"{level:g}": float(predictive.covers(actual, level).mean())
                           for level in levels}
    if model != REFERENCE and REFERENCE in part.point:
        result.versus = _difference(part, model, samples)
    if table.draws is not None and model in table.draws:
        low, high = np.nanpercentile(table.draws[model][rows], [5, 95], axis=1)
        result.input_coverage = float(np.mean((low - 1e-9 <= table.actual[rows])
                                              & (table.actual[rows] <= high + 1e-9)))
    return result


def _difference(part: Evaluated, model: str, samples) -> Difference:
    rows = part.scored(model) & part.scored(REFERENCE)
    table = part.table
    errors = lambda m: np.abs(part.point[m] - table.actual)[rows] * table.span[rows]  # noqa: E731
    diff = errors(model) - errors(REFERENCE)
    low, high = np.nanpercentile(resampled_means(diff, table.case[rows], *samples), [2.5, 97.5])
    return Difference(REFERENCE, float(diff.mean()), float(low), float(high))
