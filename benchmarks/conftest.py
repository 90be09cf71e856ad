"""Benchmark inputs: random batches of the sizes the issues name."""

from __future__ import annotations

import numpy as np

from accord.scenario.arrays import Batch


def random_batch(draws: int, actors: int, issues: int, seed: int = 0) -> Batch:
    """Uniform positions and status quo, capability in (0.1, 1], salience in (0.1, 1]."""
    rng = np.random.default_rng(seed)
    return Batch(
        capability=rng.uniform(0.1, 1, (draws, actors)),
        position=rng.uniform(0, 1, (draws, actors, issues)),
        salience=rng.uniform(0.1, 1, (draws, actors, issues)),
        mask=rng.uniform(size=(actors, issues)) < 0.9,
        status_quo=rng.uniform(0, 1, issues),
    )
