"""Models turn a batch of scenario arrays into a forecast (the engine contract)."""

from accord.models.base import Forecast
from accord.models.registry import MODELS, ModelSpec, get

__all__ = ["MODELS", "Forecast", "ModelSpec", "get"]
