"""Many seeds of a simulation, summarised; and counterfactuals with events taken out.

Over seeds: the agreement rate, P(agreement by round r), welfare and distances to the Pareto
frontier and the Nash and Kalai-Smorodinsky points over agreements, how often a conditional
incentive was paid and what it cost, walk-outs, and where each issue landed. Counterfactuals run
the same seeds with the plan's gestures, incentives or shocks removed (mediation.md section 4,
"Outputs").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from accord.sim.domain import Domain
from accord.sim.engine import SimParams, SimRun, simulate
from accord.sim.plan import Plan


@dataclass(frozen=True)
class Summary:
    """What many seeds of one plan did. Means over agreements unless named otherwise."""

    runs: int
    agreement_rate: float
    agreed_by_round: tuple[float, ...]
    welfare: float | None
    pareto_distance: float | None
    nash_distance: float | None
    ks_distance: float | None
    incentive_paid: float | None
    incentive_cost: float | None
    walkout_rate: float
    steps: float
    issues: dict[str, tuple[float, float, float]]


def run_seeds(domain_for: Callable[[int], Domain], plan: Plan, params: SimParams,
              seeds: Sequence[int], progress: Callable[[], None] | None = None) -> list[SimRun]:
    """One run per seed; ``domain_for(seed)`` gives that seed's domain (drawn inputs)."""
    runs = []
    for seed in seeds:
        runs.append(simulate(domain_for(seed), plan, params, seed))
        if progress is not None:
            progress()
    return runs


def summarise(runs: Sequence[SimRun]) -> Summary:
    """Summarise runs of one plan."""
    agreed = [r for r in runs if r.agreement]
    rounds = len(runs[0].plan.rounds)
    by_round = tuple(float(np.mean([r.agreement and r.agreed_round <= t for r in runs]))
                     for t in range(rounds))
    offered = [r for r in agreed if any(r.plan.offer_round(b.id) is not None
                                        for b in r.domain.bonuses)]
    issues = {}
    for k, issue in enumerate(runs[0].domain.issue_ids):
        landed = np.array([r.domain.levels[k, r.text[k]] for r in runs])
        issues[issue] = (float(landed.mean()), float(np.percentile(landed, 5)),
                         float(np.percentile(landed, 95)))
    return Summary(
        len(runs), len(agreed) / len(runs), by_round,
        _mean([r.metrics.welfare for r in agreed if r.metrics]),
        _mean([r.metrics.pareto_distance for r in agreed if r.metrics]),
        _mean([r.metrics.nash_distance for r in agreed if r.metrics]),
        _mean([r.metrics.ks_distance for r in agreed if r.metrics]),
        _mean([float(bool(r.paid)) for r in offered]),
        _mean([sum(r.paid.values()) for r in offered]),
        float(np.mean([bool(r.walkouts) for r in runs])),
        float(np.mean([r.steps for r in runs])), issues)


def counterfactuals(domain_for: Callable[[int], Domain], plan: Plan, params: SimParams,
                    seeds: Sequence[int], progress: Callable[[], None] | None = None,
                    ) -> dict[str, Summary]:
    """The plan as given and with each kind of event removed, on the same seeds."""
    variants = {
        "as planned": plan,
        "no gestures": replace(plan, gestures=()),
        "no incentives": replace(plan, offers=()),
        "no shocks": replace(plan, effects=()),
        "no events": plan.without_events(),
    }
    return {label: summarise(run_seeds(domain_for, p, params, seeds, progress))
            for label, p in variants.items()}


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return float(np.mean(values)) if values else None
