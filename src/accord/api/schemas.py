"""The JSON Schemas of the scenario format and of the documents the command line prints."""

from __future__ import annotations

from typing import Any

from accord.scenario.errors import InputError

SCHEMAS = ("scenario", "forecast", "simulate")


def schema(what: str = "scenario") -> dict[str, Any]:
    """The JSON Schema of ``what``: the scenario format, or the forecast or simulation JSON."""
    if what == "scenario":
        from accord.scenario.model import Scenario as model
    elif what == "forecast":
        from accord.api.forecast import ForecastReport as model  # type: ignore[assignment]
    elif what == "simulate":
        from accord.sim.document import SimulationDoc as model  # type: ignore[assignment]
    else:
        raise InputError("unknown schema", None, None, "WHAT", what, ", ".join(SCHEMAS))
    return model.model_json_schema()
