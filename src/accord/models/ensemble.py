"""The ensemble: the registered models (and the status quo where known) combined in one forecast.

A combination of forecasts is often more accurate than its best member [Bates1969]_; whether it
is here is measured, not assumed: ``accord calibrate`` picks and fits the combination on DEU III
by cross-validation grouped by proposal (:mod:`accord.analysis.stacking`), and ships it in
``accord/data/calibration.json`` with its provenance and its out-of-fold record. Three kinds:

- ``select``: one member's forecast (the member with the lowest training error);
- ``stack``: a weighted mean of the members' forecasts, weights on the simplex fitted by least
  absolute deviations [Wolpert1992]_ [Breiman1996]_, one set for issues whose status quo is known
  (the status quo may then carry weight) and one for issues where it is not;
- ``median``: the median of the members' forecasts and, where known, the status quo.

The members run with their default parameters; a member without a forecast on an issue is left
out of that issue's combination (the others' weights are renormalised).

.. [Bates1969] J. M. Bates, C. W. J. Granger, "The combination of forecasts", Operational
   Research Quarterly 20(4), 1969.
.. [Wolpert1992] D. H. Wolpert, "Stacked generalization", Neural Networks 5(2), 1992.
.. [Breiman1996] L. Breiman, "Stacked regressions", Machine Learning 24(1), 1996.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Literal

import numpy as np

from accord.models.base import Forecast
from accord.scenario.arrays import Batch

MEMBERS = ("compromise", "median", "nash", "nash_breakdown", "mean", "eum", "smp", "exchange")
# The members whose disagreement (spread) is an error model's feature: the static ones, which
# answer in milliseconds, so that any forecast's intervals cost no round-based model run.
SPREAD_MEMBERS = ("compromise", "median", "nash", "nash_breakdown", "mean")
METHODS = ("select", "median", "stack")  # simplest first
CALIBRATION = "calibration.json"
Combinations = Literal["fitted", "median", "equal"]


@dataclass(frozen=True)
class Combination:
    """How member forecasts become one: a method and its fitted numbers.

    ``with_status_quo`` has one weight per member and a last one for the status quo; it applies
    where the status quo is known, ``without_status_quo`` (one per member) where it is not.
    """

    method: str
    members: tuple[str, ...] = MEMBERS
    with_status_quo: np.ndarray | None = None
    without_status_quo: np.ndarray | None = None
    chosen: str | None = None
    notes: dict = field(default_factory=dict)

    def apply(self, forecasts: np.ndarray, status_quo: np.ndarray) -> np.ndarray:
        """Combine ``forecasts`` (..., m) with ``status_quo`` (...) into (...) forecasts."""
        known = np.isfinite(status_quo)
        if self.method == "select":
            return forecasts[..., self.members.index(self.chosen)]
        if self.method == "median":
            values = np.concatenate([forecasts, status_quo[..., None]], axis=-1)
            with warnings.catch_warnings():  # an issue without any forecast stays NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                return np.nanmedian(values, axis=-1)
        if self.method == "stack":
            with_sq = _weighted(np.concatenate([forecasts, status_quo[..., None]], axis=-1),
                                self.with_status_quo)
            return np.where(known, with_sq, _weighted(forecasts, self.without_status_quo))
        raise ValueError(f"unknown combination {self.method!r}; accepted: {', '.join(METHODS)}")

    def used(self) -> tuple[str, ...]:
        """The members whose forecasts the combination reads (the others need not run)."""
        if self.method == "select":
            return (self.chosen,)
        if self.method == "stack":
            weight = self.with_status_quo[:-1] + self.without_status_quo
            return tuple(m for m, w in zip(self.members, weight) if w > 0)
        return self.members

    def to_dict(self) -> dict:
        """JSON-ready description."""
        out: dict = {"method": self.method, "members": list(self.members)}
        if self.method == "select":
            out["chosen"] = self.chosen
        if self.method == "stack":
            names = [*self.members, "status_quo"]
            out["weights_with_status_quo"] = _named(names, self.with_status_quo)
            out["weights_without_status_quo"] = _named(self.members, self.without_status_quo)
        return out | ({"notes": self.notes} if self.notes else {})

    @classmethod
    def from_dict(cls, data: dict) -> Combination:
        """Read what :meth:`to_dict` wrote."""
        members = tuple(data["members"])
        with_sq = without_sq = None
        if data["method"] == "stack":
            with_sq = np.array([data["weights_with_status_quo"][m]
                                for m in (*members, "status_quo")])
            without_sq = np.array([data["weights_without_status_quo"][m] for m in members])
        return cls(data["method"], members, with_sq, without_sq, data.get("chosen"),
                   data.get("notes", {}))


def _named(names, weights) -> dict[str, float]:
    return {n: round(float(w), 9) for n, w in zip(names, weights)}


def _weighted(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over the last axis, leaving out missing values and renormalising."""
    present = np.isfinite(values)
    total = (present * weights).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, values, 0.0) @ weights / total
    return np.where(total > 0, mean, np.nan)


@lru_cache(maxsize=1)
def shipped() -> dict:
    """The shipped calibration document (``accord/data/calibration.json``)."""
    text = (resources.files("accord") / "data" / CALIBRATION).read_text(encoding="utf-8")
    return json.loads(text)


def get_combination(kind: Combinations) -> Combination:
    """The shipped fitted combination, or a fixed one: the median, or equal weights."""
    if kind == "fitted":
        return Combination.from_dict(shipped()["ensemble"]["combination"])
    if kind == "median":
        return Combination("median")
    if kind == "equal":
        even = np.full(len(MEMBERS), 1.0 / len(MEMBERS))
        return Combination("stack", MEMBERS, np.append(even, 0.0), even)
    raise ValueError(f"unknown combination {kind!r}; accepted: fitted, median, equal")


def member_outcomes(batch: Batch, needed: tuple[str, ...] = MEMBERS) -> np.ndarray:
    """(b, k, m): the members' forecasts with their default parameters (NaN for those not
    ``needed``)."""
    from accord.models.registry import (
        get,  # the registry lists this module: import when run
    )

    empty = np.full(batch.position[:, 0, :].shape, np.nan)
    return np.stack([get(name)(batch).outcome if name in needed else empty
                     for name in MEMBERS], axis=-1)


def ensemble(batch: Batch, *, combination: Combinations = "fitted") -> Forecast:
    """The members' forecasts combined (see the module docstring).

    Parameters
    ----------
    batch
        Model input (see :class:`accord.scenario.arrays.Batch`).
    combination
        ``fitted`` (the combination fitted on DEU III and shipped), ``median`` or ``equal``.
    """
    chosen = get_combination(combination)
    sq = np.broadcast_to(batch.status_quo, batch.position[:, 0, :].shape)
    outcome = chosen.apply(member_outcomes(batch, chosen.used()), sq)
    return Forecast("ensemble", {"combination": combination, "method": chosen.method},
                    np.clip(outcome, 0.0, 1.0))
