"""Score models on negotiations whose outcome is known (``accord backtest``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from pydantic import PrivateAttr

from accord.analysis.backtest import Prediction, Score, predict, summarise
from accord.analysis.casesets import CASE_SETS, load_case_set
from accord.api.results import Result, frame
from accord.scenario.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


class BacktestResult(Result):
    """``accord backtest --format json``: scores per case set and model, and every prediction."""

    scores: list[dict[str, Any]]
    predictions: list[dict[str, Any]]
    _scores: list[Score] = PrivateAttr(default_factory=list)
    _predictions: list[Prediction] = PrivateAttr(default_factory=list)

    @classmethod
    def of(cls, scores: list[Score], predictions: list[Prediction]) -> BacktestResult:
        """The document, keeping the score and prediction objects for the renderers."""
        result = cls(scores=[asdict(s) for s in scores],
                     predictions=[asdict(p) | {"error": p.error} for p in predictions])
        result._scores, result._predictions = scores, predictions
        return result

    @property
    def score_rows(self) -> list[Score]:
        """The scores, as objects."""
        return self._scores

    @property
    def prediction_rows(self) -> list[Prediction]:
        """The predictions, as objects."""
        return self._predictions

    def caption(self) -> str:
        """What the table scores."""
        return "Backtest: error against the real outcome (scale units)"

    def to_frame(self) -> pd.DataFrame:
        """One row per case set and model."""
        return frame(self.scores, ["case_set", "model"])


def backtest(case_set: str = "all", models: Sequence[str] | None = None,
             capability: str = "equal", draws: int = 0,
             params: dict[str, dict[str, Any]] | None = None,
             progress: bool = False) -> BacktestResult:
    """Forecast every scored issue of ``case_set`` (deu3, venezuela, bdm or all) and score it."""
    from accord.models import MODELS

    names = list(models or MODELS)
    if case_set != "all" and case_set not in CASE_SETS:
        raise InputError("unknown case set", None, None, "CASESET", case_set,
                         ", ".join(CASE_SETS) + " or all")
    sets = list(CASE_SETS) if case_set == "all" else [case_set]
    cases = [c for name in sets for c in load_case_set(name, capability)]  # type: ignore[arg-type]
    predictions = predict(cases, names, params or {}, progress=progress, draws=draws)
    return BacktestResult.of(summarise(predictions), predictions)
