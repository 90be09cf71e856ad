"""Models turn a batch of scenario arrays into a forecast (the engine contract).

``MODELS``, ``get``, ``ModelSpec`` (from :mod:`accord.models.registry`) and ``Forecast`` (from
:mod:`accord.models.base`) are imported on first use, so that ``accord.models.names`` is quick to
import.

Layer: imports only ``scenario``; independent of ``sim`` and ``news``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.models.base import Forecast
    from accord.models.registry import MODELS, ModelSpec, get

__all__ = ["MODELS", "Forecast", "ModelSpec", "get"]
_HOMES = {"MODELS": "registry", "get": "registry", "ModelSpec": "registry", "Forecast": "base"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'accord.models' has no attribute {name!r}")
    return getattr(import_module(f"accord.models.{_HOMES[name]}"), name)
