"""Accord's Python API: what the command line, the reports and the web workspace call.

>>> import accord
>>> talks = accord.load("venezuela-2021")
>>> talks.name
'Venezuela government-opposition talks, Mexico City (August 2021)'

``accord.load`` gives a :class:`~accord.api.negotiation.Negotiation` (forecast, trace,
montecarlo, whatif, leverage, simulate, report); ``accord.backtest``, ``accord.ingest``,
``accord.scenarios``, ``accord.resume`` and the run store's functions stand alone. Results are
pydantic documents (the JSON the command line prints) with ``to_frame()``, ``to_dict()``,
``to_json()`` and a Jupyter view.

Layers: scenario <- models, sim, news <- analysis <- api <- cli, report, web. Names are
imported on first use (PEP 562), so that ``accord --help`` does not load numpy or the models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

EXPORTS = {
    "Negotiation": "negotiation", "load": "negotiation", "check_models": "negotiation",
    "parse_params": "negotiation",
    "scenarios": "catalog",
    "ForecastReport": "forecast",
    "Trace": "trace",
    "MonteCarloResult": "uncertainty", "WhatIfResult": "uncertainty", "resume": "uncertainty",
    "stored_runs": "uncertainty", "stored_run": "uncertainty", "export_draws": "uncertainty",
    "LeverageResult": "levers",
    "SimulationResult": "simulation",
    "BacktestResult": "backtesting", "backtest": "backtesting", "calibrate": "backtesting",
    "Article": "news", "ingest": "news",
    "schema": "schemas",
}
__all__ = [
    "Article", "BacktestResult", "ForecastReport", "LeverageResult", "MonteCarloResult",
    "Negotiation", "SimulationResult", "Trace", "WhatIfResult", "backtest", "calibrate",
    "check_models",
    "export_draws", "ingest", "load", "parse_params", "resume", "scenarios", "schema", "stored_run", "stored_runs",
]

if TYPE_CHECKING:
    from accord.api.backtesting import BacktestResult, backtest, calibrate
    from accord.api.catalog import scenarios
    from accord.api.forecast import ForecastReport
    from accord.api.levers import LeverageResult
    from accord.api.negotiation import Negotiation, check_models, load, parse_params
    from accord.api.news import Article, ingest
    from accord.api.schemas import schema
    from accord.api.simulation import SimulationResult
    from accord.api.trace import Trace
    from accord.api.uncertainty import (
        MonteCarloResult,
        WhatIfResult,
        export_draws,
        resume,
        stored_run,
        stored_runs,
    )


def __getattr__(name: str) -> Any:
    if name not in EXPORTS:
        raise AttributeError(f"module 'accord.api' has no attribute {name!r}")
    value = getattr(import_module(f"accord.api.{EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *EXPORTS])
