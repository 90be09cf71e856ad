"""Everything a report shows, computed once: the forecasts, rounds, Monte Carlo draws, leverage
and a simulated run. The renderers in :mod:`accord.report` lay it out and compute nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.analysis.leverage import Lever, leverage, ranked
from accord.analysis.montecarlo import ChunkTask, Summary, run_chunk, summarise
from accord.api.forecast import ForecastReport, forecast
from accord.models import MODELS, get
from accord.models.parameters import run_model
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.draws import DrawSpec
from accord.scenario.model import Scenario


@dataclass
class Report:
    """Everything the report shows, computed once."""

    scenario: Scenario
    forecast: ForecastReport
    arrays: ScenarioArrays
    rounds: dict[str, object] = field(default_factory=dict)
    draws: dict[str, np.ndarray] = field(default_factory=dict)
    summaries: dict[str, Summary] = field(default_factory=dict)
    levers: list[Lever] = field(default_factory=list)
    seed: int = 0
    simulation: object | None = None


def build(scenario: Scenario, models: list[str] | None = None, draws: int = 500,
          seed: int = 2021, top: int = 8, progress=None) -> Report:
    """Run the models, the Monte Carlo and the leverage analysis for a report.

    ``progress(step)``, if given, is called after each of the ``2 * len(models) + 1`` steps with
    a short description of the step done."""
    models = models or list(MODELS)
    tick = progress or (lambda step: None)
    report = Report(scenario, forecast(scenario, models), ScenarioArrays.from_scenario(scenario),
                    seed=seed)
    batch = report.arrays.batch()
    for name in models:
        if get(name).rounds:
            report.rounds[name] = run_model(get(name), batch, {})
    if draws:
        spec = DrawSpec.from_scenario(scenario)
        for name in models:
            values = run_chunk(ChunkTask(spec, name, {}, seed, 0, draws))
            report.draws[name] = report.arrays.to_scale(values)
            report.summaries[name] = summarise(scenario, values, [])
            tick(f"{draws} draws of {name}")
    for name in models:
        report.levers += ranked(leverage(report.arrays, name), top)
        tick(f"leverage of {name}")
    report.simulation = _simulation(scenario)
    tick("simulation")
    return report


def _simulation(scenario: Scenario):
    """A single-text run of the scenario's rounds, if it has two parties with stances."""
    from accord.scenario.errors import InputError
    from accord.sim.document import document
    from accord.sim.engine import SimParams
    from accord.sim.scenario import check_options, simulate_scenario

    try:
        check_options(scenario, "single-text", [])
    except InputError:
        return None
    return document(simulate_scenario(scenario, SimParams()))
