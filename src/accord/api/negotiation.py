"""The facade: one object per negotiation, whose methods forward to the analyses.

>>> import accord
>>> talks = accord.load("venezuela-2021")
>>> float(talks.forecast(models=["median"]).to_frame().loc["covid_vaccines", "median"])
80.0

Each method is a few lines that check the model names and the parameters and call one function
of :mod:`accord.api`; the function's docstring is the reference (Nashpy's ``Game`` facade is the
model). Every result has ``to_frame()``, ``to_dict()``, ``to_json()`` and a Jupyter view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.scenario.errors import InputError
from accord.scenario.model import Scenario, Shock

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from accord.api.forecast import ForecastReport
    from accord.api.levers import LeverageResult
    from accord.api.report import Report
    from accord.api.simulation import SimulationResult
    from accord.api.store import Store
    from accord.api.trace import Trace
    from accord.api.uncertainty import MonteCarloResult, WhatIfResult

Params = dict[str, dict[str, Any]]


class Negotiation:
    """A scenario, the model parameters its file carried, and the notes its reader made.

    Parameters
    ----------
    scenario : the validated scenario.
    parameters : model parameters by model name (a KTAB XML file carries some), overridden by
        the ``params`` of each call.
    notes : what the reader decided while reading the file (e.g. the salience scale).
    """

    def __init__(self, scenario: Scenario, parameters: Params | None = None,
                 notes: Sequence[str] = ()):
        self.scenario = scenario
        self.parameters: Params = {m: dict(v) for m, v in (parameters or {}).items()}
        self.notes = list(notes)

    def __repr__(self) -> str:
        s = self.scenario
        return (f"<Negotiation {s.id!r}: {len(s.actors)} actors, {len(s.issues)} issues, "
                f"{len(s.stances)} stances>")

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    def forecast(self, models: Sequence[str] | None = None, params: Params | None = None, *,
                 levels: Sequence[float] = (0.5, 0.8, 0.9), deal_draws: int = 200,
                 seed: int = 2021) -> ForecastReport:
        """Every model's forecast per issue, with intervals at ``levels``, and the chance of a
        deal over ``deal_draws`` simulated draws (0: none). See
        :func:`accord.api.forecast.forecast`."""
        from accord.api.forecast import forecast

        return forecast(self.scenario, check_models(models), self._params(params),
                        tuple(levels), deal_draws, seed)

    def trace(self, model: str = "eum", issue: str | None = None, round: int = 1,
              params: Params | None = None) -> Trace:
        """A round-based model's rounds on one issue. See :func:`accord.api.trace.trace_model`."""
        from accord.api.trace import trace_model

        return trace_model(self.scenario, model, issue, self._params(params), round)

    def montecarlo(self, model: str = "compromise", draws: int = 10_000,
                   seed: int | None = None, *, thresholds: Sequence[str] = (),
                   shock: str | Shock | None = None, chunk_size: int | None = None,
                   params: Params | None = None, workers: int | None = None,
                   scheduler: str | None = None, store: str | Store | None = None,
                   console: Console | None = None,
                   levels: Sequence[float] = (0.5, 0.8, 0.9)) -> MonteCarloResult:
        """Draw the uncertain inputs and run a model over every draw; the run is stored; each
        issue's calibrated intervals at ``levels``. See :func:`accord.api.uncertainty.montecarlo`."""
        from accord.api.uncertainty import montecarlo

        check_models([model])
        return montecarlo(self.scenario, model, draws, seed, thresholds=thresholds, shock=shock,
                          chunk_size=chunk_size, params=self._params(params).get(model, {}),
                          workers=workers, scheduler=scheduler, store=store, console=console,
                          levels=tuple(levels))

    def whatif(self, shocks: Sequence[str | Shock] | None = None,
               models: Sequence[str] | None = None, draws: int = 1000, seed: int = 2021,
               params: Params | None = None, store: str | Store | None = None,
               console: Console | None = None,
               levels: Sequence[float] = (0.5, 0.8, 0.9)) -> WhatIfResult:
        """The baseline and each shock side by side, with calibrated intervals at ``levels``.
        See :func:`accord.api.uncertainty.whatif`."""
        from accord.api.uncertainty import whatif

        return whatif(self.scenario, check_models(models), shocks, draws, seed,
                      self._params(params), store, console, tuple(levels))

    def leverage(self, models: Sequence[str] | None = None, issue: str | None = None,
                 top: int = 10, step: float = 0.1, params: Params | None = None,
                 ) -> LeverageResult:
        """Who can move each forecast, and how far. See :func:`accord.api.levers.leverage`."""
        from accord.api.levers import leverage

        return leverage(self.scenario, check_models(models), issue, top, step,
                        self._params(params))

    def simulate(self, protocol: str = "single-text", **options: Any) -> SimulationResult:
        """Play the mediated rounds out. See :func:`accord.api.simulation.simulate`."""
        from accord.api.simulation import simulate

        return simulate(self.scenario, protocol, **options)

    def report(self, models: Sequence[str] | None = None, draws: int = 500, seed: int = 2021,
               progress: Callable[[str], None] | None = None) -> Report:
        """Everything the report shows. See :func:`accord.api.report.build`; render it with
        :mod:`accord.report.html`."""
        from accord.api.report import build

        return build(self.scenario, check_models(models), draws, seed, progress=progress)

    def to_frame(self) -> pd.DataFrame:
        """The stances: one row per actor and issue, with capability, role, position, salience."""
        from accord.api.results import frame

        actors = {a.id: a for a in self.scenario.actors}
        return frame([{"actor": s.actor, "issue": s.issue, "role": actors[s.actor].role.value,
                       "capability": actors[s.actor].capability, "position": s.position,
                       "salience": s.salience} for s in self.scenario.stances], ["actor", "issue"])

    def to_yaml(self) -> str:
        """The scenario as YAML (the native format, lossless)."""
        from accord.scenario.formats import render

        return render(self.scenario, "yaml")[0]

    def save(self, path: str | Path, format: str | None = None) -> list[str]:
        """Write the scenario atomically (format from the file name unless given); returns the
        notes on what the format could not hold."""
        from accord.scenario.formats import write_file

        return write_file(self.scenario, path, format)

    def _repr_html_(self) -> str:
        """Jupyter's view: the stance matrix (position, salience) per actor and issue."""
        import html

        table = self.to_frame()[["position", "salience"]].unstack("issue")
        return (f"<div><p><strong>{html.escape(self.name)}</strong></p>"
                f"{table.to_html(escape=True, na_rep='', border=0)}</div>")

    def _params(self, params: Params | None) -> Params:
        from accord.models.parameters import check_params

        merged = {m: dict(v) for m, v in self.parameters.items()}
        for model, values in check_params(params or {}).items():
            merged.setdefault(model, {}).update(values)
        return merged


def load(scenario: str | Path | None = None, format: str | None = None) -> Negotiation:
    """A built-in scenario by name (default ``venezuela-2021``) or a scenario file in any format
    Accord reads (``format`` to name it where the file's name and contents do not tell)."""
    from accord.scenario.catalog import load as load_scenario

    loaded = load_scenario(scenario, format)
    return Negotiation(loaded.scenario, loaded.parameters, loaded.notes)


def parse_params(items: Sequence[str]) -> Params:
    """``MODEL.NAME=VALUE`` settings (the command line's ``--param``) as ``{model: {name:
    value}}``, every name checked. See :func:`accord.models.parameters.parse_params`."""
    from accord.models.parameters import parse_params as parse

    return parse(list(items))


def check_models(names: Sequence[str] | None) -> list[str]:
    """The model names, checked (every registered model when none are given)."""
    from accord.models import MODELS

    for name in names or []:
        if name not in MODELS:
            raise InputError("unknown model", None, None, "--model", name,
                             "one of " + ", ".join(MODELS))
    return list(names or MODELS)
