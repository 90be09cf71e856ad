"""Everything a report shows, computed once: the forecasts, rounds, Monte Carlo draws, leverage
and a simulated run. The renderers in :mod:`accord.report` lay it out and compute nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.analysis.leverage import Lever, leverage, ranked
from accord.analysis.montecarlo import ChunkTask, Summary, run_chunk, summarise
from accord.api.forecast import ForecastReport, Interval, forecast, predictive_intervals
from accord.models import MODELS, Forecast, get
from accord.models.parameters import run_model
from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.draws import DrawSpec
from accord.scenario.model import Scenario

REPORT_LEVEL = 0.9  # the calibrated interval the "how sure" section shows beside the draws

ROUND_FORECASTS = {
    "eum": "weighted median",
    "smp": "expected position under the turn's winning probabilities",
    "exchange": "voting outcome (capability × salience weighted mean)",
}


@dataclass
class Rounds:
    """A round-based model's run and its forecast after each round.

    ``forecasts`` (rounds + 1, k) is on the unit scale and, round for round, what the model
    forecasts (``label``), so its last row is the forecast in the table. For eum and exchange
    that is the model's own per-round outcome; smp's per-turn outcome is a capability x salience
    weighted mean of positions, while its forecast is the expected position under the winning
    probabilities, so for smp each turn's expected position is computed here."""

    result: Forecast
    forecasts: np.ndarray
    label: str


@dataclass
class Report:
    """Everything the report shows, computed once."""

    scenario: Scenario
    forecast: ForecastReport
    arrays: ScenarioArrays
    rounds: dict[str, Rounds] = field(default_factory=dict)
    draws: dict[str, np.ndarray] = field(default_factory=dict)
    summaries: dict[str, Summary] = field(default_factory=dict)
    calibrated: dict[str, list[list[Interval]]] = field(default_factory=dict)
    levers: list[Lever] = field(default_factory=list)
    seed: int = 0
    simulation: object | None = None


def build(scenario: Scenario, models: list[str] | None = None, draws: int = 500,
          seed: int = 2021, top: int = 8, progress=None) -> Report:
    """Run the models, the Monte Carlo and the leverage analysis for a report.

    ``progress(step)``, if given, is called after each of the ``2 * len(models) + 1`` steps with
    a short description of the step done. Beside each model's draws, its calibrated 90% interval
    (the draws and the model's own error on real negotiations), where it has a calibration."""
    models = models or list(MODELS)
    tick = progress or (lambda step: None)
    report = Report(scenario, forecast(scenario, models, seed=seed),
                    ScenarioArrays.from_scenario(scenario), seed=seed)
    batch = report.arrays.batch()
    for name in models:
        if get(name).rounds:
            report.rounds[name] = _rounds(name, run_model(get(name), batch, {}), batch)
    if draws:
        spec = DrawSpec.from_scenario(scenario)
        for name in models:
            values = run_chunk(ChunkTask(spec, name, {}, seed, 0, draws))
            report.draws[name] = report.arrays.to_scale(values)
            report.summaries[name] = summarise(scenario, values, [])
            done = report.rounds[name].result if name in report.rounds else None
            intervals = predictive_intervals(scenario, name, values, (REPORT_LEVEL,), done)
            if intervals is not None:
                report.calibrated[name] = intervals
            tick(f"{draws} draws of {name}")
    for name in models:
        report.levers += ranked(leverage(report.arrays, name), top)
        tick(f"leverage of {name}")
    report.simulation = _simulation(scenario)
    tick("simulation")
    return report


def _rounds(name: str, result: Forecast, batch: Batch) -> Rounds:
    """The forecast after every round of draw 0, ending at the model's forecast."""
    forecasts = result.round_outcomes[0].copy()
    if name == "smp":
        forecasts = _smp_expected_positions(result, batch)
    return Rounds(result, forecasts, ROUND_FORECASTS.get(name, "forecast"))


def _smp_expected_positions(result: Forecast, batch: Batch) -> np.ndarray:
    """Each turn's positions weighted by the winning probabilities at that turn, computed as
    :func:`accord.models.smp.spatial_model` computes its forecast from the last turn."""
    from dataclasses import fields

    from accord.models.smp import SmpParams, _draw_inputs, win_probabilities

    p = SmpParams(**{f.name: result.parameters[f.name] for f in fields(SmpParams)})
    c, _, s = _draw_inputs(batch, 0)
    out = np.empty(result.trajectory.shape[1:2] + result.outcome.shape[1:])
    for t, x in enumerate(result.trajectory[0]):
        chance = win_probabilities(c, x, s, p)
        out[t] = chance @ x / chance.sum()
    nobody = ~batch.mask.any(axis=0)
    out[:, nobody] = batch.status_quo[nobody]
    return out


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
