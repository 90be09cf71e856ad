"""Model parameters from the command line or a file, and running a model with them."""

from __future__ import annotations

import inspect
from typing import Any

from accord.models.base import Forecast
from accord.models.registry import MODELS, ModelSpec, get
from accord.scenario.errors import InputError


def parse_params(items: list[str]) -> dict[str, dict[str, Any]]:
    """Parse ``MODEL.NAME=VALUE`` settings into {model: {name: value}}, checking each name."""
    params: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        model, dot, name = key.strip().partition(".")
        if not (sep and dot and model and name):
            raise InputError("a parameter must look like MODEL.NAME=VALUE", None, None, "--param",
                             item, "e.g. eum.preset=scholz_literal")
        _check(model, name, item)
        params.setdefault(model, {})[name] = _value(raw.strip())
    return params


def check_params(params: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{model: {name: value}}`` with every model and parameter name checked (values are
    checked when the model runs)."""
    for model, values in params.items():
        if not isinstance(values, dict):
            raise InputError("parameters must be a mapping of names to values", None, None,
                             f"params[{model!r}]", values, "e.g. {'eum': {'rounds': 20}}")
        for name in values:
            _check(model, name, f"{model}.{name}")
    return params


def _check(model: str, name: str, shown: str) -> None:
    if model not in MODELS:
        raise InputError("unknown model", None, None, "--param", shown,
                         "one of " + ", ".join(MODELS))
    accepted = _parameter_names(get(model))
    if name not in accepted:
        raise InputError(f"{model} has no parameter '{name}'", None, None, "--param", shown,
                         ", ".join(accepted))


def _parameter_names(spec: ModelSpec) -> list[str]:
    names = [p for p in inspect.signature(spec.run).parameters if p != "batch"]
    return (["preset"] if spec.presets else []) + names


def _value(raw: str) -> Any:
    lowered = raw.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            pass
    return raw


def run_model(spec: ModelSpec, batch, params: dict[str, Any]) -> Forecast:
    """Run a model, turning a bad parameter value into an :class:`InputError`."""
    try:
        return spec(batch, **params)
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc), None, None, f"--param {spec.name}.*") from None
