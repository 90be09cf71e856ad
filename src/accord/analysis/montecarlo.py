"""Monte Carlo over uncertain inputs: chunks of draws run through a model, and their summary.

The draws come from :mod:`accord.scenario.draws` (each a pure function of the seed and its
index), so a chunk's result does not depend on how draws are split or spread over workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.models import get
from accord.models.parameters import run_model
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.draws import DrawSpec
from accord.scenario.model import Agreement, Scenario


@dataclass(frozen=True)
class ChunkTask:
    """One chunk of a Monte Carlo run: picklable, self-contained, deterministic."""

    spec: DrawSpec
    model: str
    params: dict[str, Any]
    seed: int
    start: int
    size: int
    incentives: tuple = ()


def run_chunk(task: ChunkTask) -> np.ndarray:
    """The (size, k) outcomes on the unit scale for one chunk."""
    from accord.analysis.shocks import run_with_incentives

    batch = task.spec.draw(task.seed, task.start, task.size)
    spec = get(task.model)
    if task.incentives:
        return run_with_incentives(spec, batch, dict(task.params), task.incentives).outcome
    return run_model(spec, batch, dict(task.params)).outcome


@dataclass
class Threshold:
    """``issue op value``, e.g. ``electoral_timetable>=60``, on the issue's scale."""

    issue: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.issue}{self.op}{self.value:g}"

    def holds(self, outcomes: np.ndarray) -> np.ndarray:
        """Which draws meet the threshold."""
        return outcomes >= self.value if self.op == ">=" else outcomes <= self.value


@dataclass
class IssueSummary:
    """The distribution of one issue's outcome over the draws, on the issue's scale."""

    issue: str
    mean: float
    median: float
    p5: float
    p95: float
    thresholds: dict[str, float] = field(default_factory=dict)


@dataclass
class Summary:
    """What a Monte Carlo run says."""

    draws: int
    issues: list[IssueSummary]
    agreement: float | None = None


def summarise(scenario: Scenario, outcomes: np.ndarray, thresholds: list[Threshold],
              present: set[str] | None = None, agreement: Agreement | None = None) -> Summary:
    """Per-issue statistics of (draws, k) unit-scale outcomes, thresholds and agreement.

    ``agreement`` defaults to the scenario's own; pass the original scenario's definition when
    ``scenario`` is a shocked copy, and ``present`` the actors still at the table.
    """
    agreement = agreement or scenario.agreement
    arrays = ScenarioArrays.from_scenario(scenario)
    values = arrays.to_scale(outcomes)
    ids = list(arrays.issue_ids)
    rows = []
    for j, issue in enumerate(ids):
        v = values[:, j]
        v = v[np.isfinite(v)]
        stats = (np.mean(v), np.median(v), *np.percentile(v, [5, 95])) if v.size else (np.nan,) * 4
        rows.append(IssueSummary(issue, *map(float, stats),
                                 {str(t): float(t.holds(values[:, j]).mean())
                                  for t in thresholds if t.issue == issue}))
    probability = None
    if agreement is not None:
        present = present if present is not None else {a.id for a in scenario.actors}
        ok = np.ones(len(values), bool)
        for cond in agreement.conditions:
            ok &= Threshold(cond.issue, cond.op, cond.threshold).holds(values[:, ids.index(cond.issue)])
        if not set(agreement.parties) <= present:
            ok[:] = False
        probability = float(ok.mean())
    return Summary(len(values), rows, probability)
