"""Every model by name: one place to register, and a test proves it is complete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.models.base import Forecast
from accord.models.compromise import compromise
from accord.models.ensemble import ensemble
from accord.models.eum import PRESETS as EUM_PRESETS
from accord.models.eum import expected_utility
from accord.models.exchange import DEFAULTS as EXCHANGE_DEFAULTS
from accord.models.exchange import PRESETS as EXCHANGE_PRESETS
from accord.models.exchange import exchange
from accord.models.median import weighted_median
from accord.models.names import MODEL_NAMES
from accord.models.nash import nash_bargaining
from accord.models.smp import PRESETS as SMP_PRESETS
from accord.models.smp import spatial_model
from accord.scenario.arrays import Batch


@dataclass(frozen=True)
class ModelSpec:
    """A registered model: its function, what it is, and its named parameter presets."""

    name: str
    run: Callable[..., Forecast]
    summary: str
    defaults: dict[str, Any] = field(default_factory=dict)
    presets: dict[str, dict[str, Any]] = field(default_factory=dict)
    rounds: bool = False

    def __call__(self, batch: Batch, **params: Any) -> Forecast:
        """Run the model with its defaults, overridden by a ``preset`` and then by ``params``."""
        preset = params.pop("preset", None)
        if preset is not None and preset not in self.presets:
            known = ", ".join(self.presets) or "none"
            raise ValueError(f"{self.name} has no preset {preset!r}; presets: {known}")
        chosen = self.presets.get(preset, {})
        forecast = self.run(batch, **{**self.defaults, **chosen, **params})
        forecast.model = self.name
        return forecast


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec("ensemble", ensemble,
                  "the models (and the status quo) combined, fitted out of sample on DEU III",
                  {"combination": "fitted"}),
        ModelSpec("compromise", compromise, "capability x salience weighted mean",
                  {"weights": "capability_salience"}),
        ModelSpec("median", weighted_median, "weighted median (median voter)",
                  {"method": "cumulative"}),
        ModelSpec("nash", nash_bargaining, "asymmetric Nash bargaining solution vs status quo",
                  {"utility": "linear", "disagreement": "status_quo"}),
        ModelSpec("nash_breakdown", nash_bargaining,
                  "asymmetric Nash bargaining solution vs each actor's worst outcome (no veto)",
                  {"utility": "linear", "disagreement": "worst"}),
        ModelSpec("mean", compromise, "unweighted mean of positions (naive baseline)",
                  {"weights": "none"}),
        ModelSpec("eum", expected_utility,
                  "Bueno de Mesquita's expected utility model (Scholz et al. 2011), 10 rounds",
                  dict(EUM_PRESETS["scholz_code"]), EUM_PRESETS, rounds=True),
        ModelSpec("smp", spatial_model,
                  "KTAB's spatial model of politics (build, challenge, negotiate), to its stopping rule",
                  dict(SMP_PRESETS["ktab_1_4"]), SMP_PRESETS, rounds=True),
        ModelSpec("exchange", exchange,
                  "Stokman's exchange model (equal gain), 10 rounds of vote trading across issues",
                  dict(EXCHANGE_DEFAULTS), EXCHANGE_PRESETS, rounds=True),
    )
}


if tuple(MODELS) != MODEL_NAMES:  # pragma: no cover - a developer's slip, caught on import
    raise RuntimeError(f"accord.models.names.MODEL_NAMES must list {tuple(MODELS)}")


def get(name: str) -> ModelSpec:
    """The model registered as ``name``; ``KeyError`` lists the known ones."""
    try:
        return MODELS[name]
    except KeyError:
        raise KeyError(f"unknown model {name!r}; known: {', '.join(MODELS)}") from None
