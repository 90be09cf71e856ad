"""Who can move it: the leverage analysis as a result document (``accord leverage``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import RootModel

from accord.analysis.leverage import leverage as levers_of
from accord.analysis.leverage import ranked
from accord.api.results import Result, Tabular, frame
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.model import Scenario

if TYPE_CHECKING:
    import pandas as pd


class LeverRow(Result):
    """One change to one actor, and how far it moves one issue's forecast (scale units)."""

    model: str
    actor: str
    issue: str
    lever: str
    before: float
    after: float
    effect: float


class LeverageResult(Tabular, RootModel[list[LeverRow]]):
    """``accord leverage --format json``: the levers, largest move first per model."""

    def caption(self) -> str:
        """What the table ranks."""
        return "Leverage: who to persuade, on what, and how far the forecast would move"

    def to_frame(self) -> pd.DataFrame:
        """One row per lever."""
        return frame([row.model_dump() for row in self.root])


def leverage(scenario: Scenario, models: Sequence[str], issue: str | None = None, top: int = 10,
             step: float = 0.1, params: dict[str, dict[str, Any]] | None = None,
             ) -> LeverageResult:
    """Each model's ``top`` levers (on ``issue`` only, if given)."""
    if issue is not None and issue not in {i.id for i in scenario.issues}:
        raise InputError("unknown issue", None, None, "--issue", issue,
                         ", ".join(i.id for i in scenario.issues))
    if top < 1:
        raise InputError("too few levers asked for", None, None, "--top", top,
                         "a whole number of at least 1")
    if not 0 < step <= 1:
        raise InputError("step out of range", None, None, "--step", step, "a share in (0, 1]")
    arrays, params = ScenarioArrays.from_scenario(scenario), params or {}
    rows = []
    for name in models:
        levers = [lv for lv in levers_of(arrays, name, params.get(name, {}), step)
                  if issue is None or lv.issue == issue]
        rows += [LeverRow(model=lv.model, actor=lv.actor, issue=lv.issue, lever=lv.lever,
                          before=lv.before, after=lv.after, effect=lv.effect)
                 for lv in ranked(levers, top)]
    return LeverageResult(rows)
