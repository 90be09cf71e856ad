"""Hypothesis generators shared by the property tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.scenario.arrays import Batch

unit = st.floats(0, 1, allow_nan=False, allow_infinity=False)


@st.composite
def batches(draw, max_actors: int = 7, max_issues: int = 3, max_draws: int = 3, grid: int = 0):
    """Random model input. ``grid`` > 0 puts positions on a grid of that many steps (ties)."""
    n = draw(st.integers(1, max_actors))
    k = draw(st.integers(1, max_issues))
    b = draw(st.integers(1, max_draws))
    if grid:
        x = draw(arrays(float, (b, n, k), elements=st.integers(0, grid).map(lambda v: v / grid)))
    else:
        x = draw(arrays(float, (b, n, k), elements=unit))
    c = draw(arrays(float, (b, n), elements=st.floats(0.01, 100)))
    s = draw(arrays(float, (b, n, k), elements=st.floats(0.01, 1)))
    mask = draw(arrays(bool, (n, k), elements=st.booleans()))
    mask[0, :] = True
    sq = draw(arrays(float, (k,), elements=unit))
    return Batch(c, x, s, mask, sq)


def permuted(batch: Batch, order: np.ndarray) -> Batch:
    """The same batch with actors in another order."""
    return Batch(batch.capability[:, order], batch.position[:, order], batch.salience[:, order],
                 batch.mask[order], batch.status_quo)
