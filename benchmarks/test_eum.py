"""Expected utility model: 10 rounds at 10-200 actors, 10,000 draws of the emission case and of
venezuela-2021 (issue 20's Monte Carlo case), and the compiled loops' first-call cost.

For comparison (not measured in this run): the public pure-Python replication (jmckib) takes about
25 s per round at 25 actors on this machine class (issue 3). The 25-actor case is printed as a
ratio against that figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from start_up import describe, first_call_seconds
from conftest import random_batch

from accord.models import get
from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.catalog import load
from accord.scenario.draws import DrawSpec
from accord.scenario.formats import read_file

REPLICATION_SECONDS_PER_ROUND_AT_25 = 25.0
EMISSION = Path(__file__).resolve().parents[2] / "shared" / "data" / "bdm" / "example_actors.csv"


@pytest.mark.parametrize("actors", [10, 25, 50, 100, 200])
def test_ten_rounds(benchmark, actors):
    batch = random_batch(1, actors, 1, seed=actors)
    batch = Batch(batch.capability, batch.position, batch.salience,
                  np.ones_like(batch.mask), batch.status_quo)
    result = benchmark.pedantic(get("eum"), args=(batch,), rounds=3, iterations=1)
    assert result.trajectory.shape[1] == 11
    per_round = benchmark.stats.stats.min / 10
    line = f"\neum {actors} actors: 10 rounds in {benchmark.stats.stats.min:.4f} s"
    if actors == 25:
        line += (f"; {per_round * 1e3:.2f} ms per round, "
                 f"{REPLICATION_SECONDS_PER_ROUND_AT_25 / per_round:,.0f}x the replication's 25 s")
    print(line)


def test_emission_10000_draws(benchmark):
    if not EMISSION.exists():
        pytest.skip("shared data not present")
    arrays = ScenarioArrays.from_scenario(read_file(EMISSION).scenario)
    base = arrays.batch()
    rng = np.random.default_rng(1)
    draws = 10_000
    batch = Batch(base.capability * rng.uniform(0.8, 1.2, (draws, base.capability.shape[1])),
                  np.clip(base.position + rng.normal(0, 0.005, (draws, *base.position.shape[1:])),
                          0, 1),
                  np.clip(base.salience * rng.uniform(0.8, 1.2, (draws, *base.salience.shape[1:])),
                          0, 1),
                  base.mask, base.status_quo)
    result = benchmark.pedantic(get("eum"), args=(batch,), rounds=1, iterations=1)
    outcome = arrays.to_scale(result.outcome)[:, 0]
    print(f"\neum emission, {draws:,} draws x 10 rounds: {benchmark.stats.stats.min:.2f} s "
          f"({draws / benchmark.stats.stats.min:,.0f} draws/s); median forecast 5-95%: "
          f"{np.percentile(outcome, 5):.2f}-{np.percentile(outcome, 95):.2f}")


def test_venezuela_10000_draws(benchmark):
    """10,000 draws of venezuela-2021 (10 actors, 12 issues of 3 to 9 participants) in one call."""
    batch = DrawSpec.from_scenario(load().scenario).draw(2021, 0, 10_000)
    get("eum")(Batch(*(a[:2] for a in (batch.capability, batch.position, batch.salience)),
                     batch.mask, batch.status_quo))  # compiled loops loaded
    benchmark.pedantic(get("eum"), args=(batch,), rounds=1, iterations=1)
    seconds = benchmark.stats.stats.min
    print(f"\neum venezuela-2021, 10,000 draws x 10 rounds: {seconds:.2f} s "
          f"({10_000 / seconds:,.0f} draws/s)")


def test_first_call_cost(benchmark):
    """Seconds to the first result of a 2-draw venezuela run in a fresh process: with the
    compiled loops in numba's cache (the usual case) and with an empty cache (compiling)."""
    seconds = benchmark.pedantic(first_call_seconds, args=("eum",), rounds=1, iterations=1)
    print("\n" + describe("eum", seconds))
