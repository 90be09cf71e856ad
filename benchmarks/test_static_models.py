"""Every static model on 10,000 draws x 100 actors x 10 issues in one batched call.

The reference, measured in the same run, is the same model called once per draw (a Python loop
over draws, b = 1 each time) on the first 200 draws; the ratio of per-draw times is the speed-up
that batching buys. Run with ``make bench``.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from conftest import random_batch

from accord.models import get
from accord.scenario.arrays import Batch

DRAWS, ACTORS, ISSUES = 10_000, 100, 10
LOOP_DRAWS = 200
BATCH = random_batch(DRAWS, ACTORS, ISSUES)


def one_draw(batch: Batch, i: int) -> Batch:
    return Batch(batch.capability[i:i + 1], batch.position[i:i + 1], batch.salience[i:i + 1],
                 batch.mask, batch.status_quo)


def per_draw_seconds_in_a_loop(name: str) -> float:
    model = get(name)
    start = time.perf_counter()
    for i in range(LOOP_DRAWS):
        model(one_draw(BATCH, i))
    return (time.perf_counter() - start) / LOOP_DRAWS


@pytest.mark.parametrize("name", ["compromise", "mean", "median", "nash"])
def test_batched(benchmark, name):
    model = get(name)
    result = benchmark.pedantic(model, args=(BATCH,), rounds=3, iterations=1)
    assert result.outcome.shape == (DRAWS, ISSUES)
    loop = per_draw_seconds_in_a_loop(name)
    batched = benchmark.stats.stats.min / DRAWS
    benchmark.extra_info.update(draws_per_second=round(1 / batched),
                                speedup_vs_loop=round(loop / batched, 1))
    print(f"\n{name}: {DRAWS:,} draws in {benchmark.stats.stats.min:.3f} s "
          f"({1 / batched:,.0f} draws/s); loop over draws: {1 / loop:,.0f} draws/s; "
          f"batched is {loop / batched:.1f}x faster")


def test_condorcet_median_100_draws(benchmark):
    # The pairwise check is O(n^3) per draw and issue: benchmarked on 100 draws, not 10,000.
    small = Batch(BATCH.capability[:100], BATCH.position[:100], BATCH.salience[:100],
                  BATCH.mask, BATCH.status_quo)
    model = get("median")
    result = benchmark.pedantic(model, args=(small,), kwargs={"method": "condorcet"}, rounds=1,
                                iterations=1)
    cumulative = model(small).outcome
    np.testing.assert_allclose(result.outcome, cumulative)
