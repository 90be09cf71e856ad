"""The engine contract's output side: a forecast, batched over draws."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Forecast:
    """What a model says about a batch.

    Attributes
    ----------
    model : registry name of the model.
    parameters : every interpretive choice the model made, by name.
    outcome : (b, k) array on [0, 1]: the forecast per draw and issue (NaN: no forecast).
    trajectory : (b, t, n, k) positions per round for models that run in rounds, else None.
    round_outcomes : (b, t, k) the outcome after each round, else None.
    diagnostics : anything else per round that reports can show.
    """

    model: str
    parameters: dict[str, Any]
    outcome: np.ndarray
    trajectory: np.ndarray | None = None
    round_outcomes: np.ndarray | None = None
    diagnostics: dict[str, Any] = field(default_factory=dict)
