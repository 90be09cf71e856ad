"""The shipped calibration: every model's error model and the ensemble, fitted on all of DEU III.

``accord calibrate`` fits it (:func:`fit`), measures how the same procedure does out of sample
(a grouped cross-validation, stored as the ``record`` that ``accord forecast`` quotes), and writes
``accord/data/calibration.json`` with its provenance: the data, the capability choice, the date,
Accord's version and the command that refits it. The ensemble model
(:mod:`accord.models.ensemble`) reads its combination from the same file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from accord import __version__
from accord.analysis.backtest import ENSEMBLE, STATUS_QUO, ForecastTable
from accord.analysis.calibration import ErrorModel
from accord.analysis.stacking import INNER_FOLDS, INNER_REPEATS, choose
from accord.models.ensemble import CALIBRATION, Combination, shipped

DATA = ("DEU III (Arregui & Perarnaud 2021, doi:10.34810/data53, CC BY 4.0): {issues} scored "
        "issues of {proposals} proposals, capabilities: {capability}")
SEED = 0
RECORD_FOLDS = 10


@dataclass
class Calibration:
    """Fitted error models (by model name, ``ensemble`` included) and the ensemble's combination."""

    error_models: dict[str, ErrorModel]
    combination: Combination
    provenance: dict = field(default_factory=dict)
    record: dict = field(default_factory=dict)

    @property
    def data_label(self) -> str:
        """What it was fitted on, in a few words."""
        return self.provenance.get("data_label", "DEU III")

    def to_dict(self) -> dict:
        """The JSON document."""
        return {"provenance": self.provenance,
                "ensemble": {"combination": self.combination.to_dict()},
                "record": self.record,
                "error_models": {m: e.to_dict() for m, e in self.error_models.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> Calibration:
        """Read what :meth:`to_dict` wrote."""
        return cls({m: ErrorModel.from_dict(e) for m, e in data["error_models"].items()},
                   Combination.from_dict(data["ensemble"]["combination"]),
                   data["provenance"], data.get("record", {}))


def load() -> Calibration:
    """The calibration shipped with Accord."""
    return Calibration.from_dict(shipped())


def shipped_path() -> Path:
    """Where the shipped calibration lives (inside the installed package)."""
    return Path(str(resources.files("accord") / "data" / CALIBRATION))


def fit(table: ForecastTable, models: list[str], seed: int = SEED) -> Calibration:
    """Fit every model's error model and the ensemble on all rows of ``table``."""
    errors = {}
    for model in models:
        if model == ENSEMBLE:
            continue
        f = table.column(model)
        ok = np.isfinite(f)
        errors[model] = ErrorModel.fit(f[ok], table.actual[ok], table.features.take(ok))
    choice = choose(table.members(), table.status_quo, table.actual, table.case, table.features,
                    seed)
    errors[ENSEMBLE] = choice.error_model(table.actual, table.features)
    notes = {"chosen_by": f"mean absolute error of a {INNER_FOLDS}-fold cross-validation grouped "
                          f"by proposal, repeated {INNER_REPEATS} times (seeds {seed}-"
                          f"{seed + INNER_REPEATS - 1}), the simplest within one standard error "
                          "(clustered by proposal)",
             "inner_mae": {m: round(v * 100, 4) for m, v in choice.inner_mae.items()},
             "position_share": choice.position_share,
             "position_share_by": "the lowest CRPS of the same inner distributions whose 50/80/"
                                  "90% intervals hold at most 3 points more than their level"}
    combination = Combination(choice.combination.method, choice.combination.members,
                              choice.combination.with_status_quo,
                              choice.combination.without_status_quo, choice.combination.chosen,
                              notes)
    return Calibration(errors, combination)


def dumps(calibration: Calibration) -> str:
    """The JSON text of a calibration: indented, each list of numbers on one line."""
    text = json.dumps(calibration.to_dict(), indent=1)
    return re.sub(r"\[\s+([-0-9.e, \n]+?)\s+\]",
                  lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]",
                  text) + "\n"


def provenance(table: ForecastTable, capability: str, command: str) -> dict:
    """Where the numbers come from and how to refit them."""
    return {"data": DATA.format(proposals=len(set(table.case.tolist())), issues=len(table),
                                capability=capability),
            "data_label": f"DEU III ({len(table)} EU legislative issues)",
            "fitted": dt.date.today().isoformat(), "accord_version": __version__,
            "command": command,
            "models": [m for m in table.models] + [STATUS_QUO, ENSEMBLE],
            "note": "every model with its default parameters; residuals and scales on the unit "
                    "scale (0-1) of each issue"}


def record(scores, how: str) -> dict:
    """The out-of-sample figures ``accord forecast`` quotes: per model, MAE, CRPS, coverage."""
    return {"how": how,
            "models": {s.model: {"n": s.n, "mae": round(s.mae, 4),
                                 "crps": None if s.crps is None else round(s.crps, 4),
                                 "coverage": {k: round(v, 4) for k, v in s.coverage.items()}}
                       for s in scores}}
