"""Accord: forecast, simulate and mediate multi-party political negotiations.

>>> import accord
>>> sorted(name for name, _ in accord.scenarios())
['venezuela-2021']

The public API is :mod:`accord.api`, whose names are available here (``accord.load``,
``accord.backtest``, ``accord.ingest``...), imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    api = import_module("accord.api")
    if name not in api.EXPORTS:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    return getattr(api, name)


def __dir__() -> list[str]:
    return sorted([*globals(), *import_module("accord.api").EXPORTS])
