"""What the running workspace holds: the saved workspaces, and results computed per version.

Results are cached by workspace, version and request: a version never changes once written
(an edit makes a new one), so a cached forecast is the forecast of that version, and a tab
reloading, or a second tab opening the same version, costs nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader

from accord.api import ForecastReport, check_models
from accord.api.workbench import model_groups
from accord.api.workspaces import Workspace, Workspaces


class Memo:
    """A small thread-safe least-recently-used cache of computed results."""

    def __init__(self, size: int = 64):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value for ``key``, computed (outside the lock) when missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any:
        """The cached value, or None."""
        with self._lock:
            return self._items.get(key)


@dataclass
class State:
    """The application's state: the workspace store, the model groups and the caches."""

    workspaces: Workspaces
    store_url: str
    templates: Environment
    quick: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)
    results: Memo = field(default_factory=Memo)

    @classmethod
    def open(cls, store_url: str | None = None) -> State:
        """The state over the store at ``store_url`` (default: the run store's)."""
        workspaces = Workspaces(store_url)
        quick, slow = model_groups()
        return cls(workspaces, workspaces.url, environment(), quick, slow)

    @property
    def models(self) -> list[str]:
        """Every model, in registry order."""
        return check_models(None)

    def forecast(self, ws: Workspace, complete: bool) -> ForecastReport:
        """The forecast of ``ws``'s version: every model and the chance of a deal, or
        (``complete`` false) the quick models alone."""
        names = self.models if complete else self.quick
        return self.results.get(("forecast", ws.id, ws.head, tuple(names)),
                                lambda: ws.talks.forecast(names, deal_draws=200 if complete else 0))

    def full_forecast_ready(self, ws: Workspace) -> ForecastReport | None:
        """The complete forecast of ``ws``'s version if it was computed already."""
        return self.results.peek(("forecast", ws.id, ws.head, tuple(self.models)))


def environment() -> Environment:
    """The templates, every value escaped unless it is already markup (the SVG charts)."""
    env = Environment(loader=PackageLoader("accord.web", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _number
    env.filters["pct"] = lambda v: "n/a" if v is None else f"{v:.0%}"
    env.filters["field"] = lambda v: "" if v is None else f"{v:g}" if isinstance(v, float) else v
    return env


def _number(value: float | None, digits: int = 1) -> str:
    """``value`` to ``digits`` decimals; never "-0.0"."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text
