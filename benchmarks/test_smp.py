"""KTAB's spatial model: seconds per run at 50 actors x 5 dimensions, 80 x 1 and 250 actors;
1,000 Monte Carlo draws of venezuela-2021; the compiled loops' first-call cost.

For comparison (the issue's figures for KTAB's compiled smpc on this machine class, not
measured in this run): 67.6 s for 50 actors x 5 dimensions (30 turns) and 207.8 s for 80 actors x
1 dimension. Synthetic actors follow KTAB's own random actors (``SMPActor::randomize``):
capability U(10, 200), total salience U(0.75, 0.99) split over dimensions in proportion to
U(0.1, 1), positions U(0, 1). The 80 x 1 case is KTAB's dummyData-a080.csv.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from start_up import describe, first_call_seconds

from accord.models import get
from accord.models.smp import SmpParams, run_one
from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.catalog import load
from accord.scenario.draws import DrawSpec
from accord.scenario.formats import read_file

A080 = Path(__file__).resolve().parents[2] / "shared" / "data" / "ktab" / "dummyData-a080.csv"
KTAB_SECONDS = {"50x5": (67.6, 30), "80x1": (207.8, None)}


def ktab_like(actors: int, dims: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    share = rng.uniform(0.1, 1.0, (actors, dims))
    salience = share / share.sum(axis=1, keepdims=True) * rng.uniform(0.75, 0.99, (actors, 1))
    return rng.uniform(10, 200, actors), rng.uniform(0, 1, (actors, dims)), salience


def report(benchmark, label: str, turns: int) -> None:
    seconds = benchmark.stats.stats.min
    line = f"\nsmp {label}: {turns} turns in {seconds:.2f} s ({seconds / turns * 1000:.0f} ms per turn)"
    if label in KTAB_SECONDS:
        ktab, ktab_turns = KTAB_SECONDS[label]
        line += f"; {ktab / seconds:,.0f}x faster than KTAB's {ktab} s"
        if ktab_turns:
            line += f" ({ktab / ktab_turns / (seconds / turns):,.0f}x per turn)"
    print(line)


def test_50_actors_5_dimensions(benchmark):
    c, x, s = ktab_like(50, 5)
    turns = benchmark.pedantic(run_one, args=(c, x, s, SmpParams()), rounds=3, iterations=1)
    report(benchmark, "50x5", len(turns))


def test_80_actors_1_dimension(benchmark):
    if not A080.exists():
        pytest.skip("shared data not present")
    batch = ScenarioArrays.from_scenario(read_file(A080).scenario).batch()
    args = (batch.capability[0], batch.position[0], batch.salience[0], SmpParams())
    turns = benchmark.pedantic(run_one, args=args, rounds=3, iterations=1)
    report(benchmark, "80x1", len(turns))


@pytest.mark.parametrize("dims", [1, 5])
def test_250_actors(benchmark, dims):
    c, x, s = ktab_like(250, dims)
    turns = benchmark.pedantic(run_one, args=(c, x, s, SmpParams()), rounds=1, iterations=1)
    report(benchmark, f"250x{dims}", len(turns))


def test_venezuela_1000_draws(benchmark):
    """The Monte Carlo case of issue 20: 1,000 draws in lockstep, in this process, against the
    same model called draw by draw on the first 50 (measured in the same run)."""
    batch = DrawSpec.from_scenario(load().scenario).draw(2021, 0, 1000)
    get("smp")(Batch(*(a[:2] for a in (batch.capability, batch.position, batch.salience)),
                     batch.mask, batch.status_quo))  # compiled loops loaded
    result = benchmark.pedantic(get("smp"), args=(batch,), rounds=1, iterations=1)
    start = time.perf_counter()
    for d in range(50):
        get("smp")(Batch(batch.capability[d:d + 1], batch.position[d:d + 1],
                         batch.salience[d:d + 1], batch.mask, batch.status_quo))
    alone = (time.perf_counter() - start) / 50
    together = benchmark.stats.stats.min / 1000
    turns = result.diagnostics["turns"]
    print(f"\nsmp venezuela-2021, 1,000 draws ({np.mean(turns):.1f} turns on average, "
          f"at most {max(turns)}): {benchmark.stats.stats.min:.2f} s ({1 / together:,.0f} draws/s); "
          f"draw by draw {1 / alone:,.0f} draws/s ({alone / together:.1f}x slower)")


def test_first_call_cost(benchmark):
    """Seconds to the first result of a 2-draw venezuela run in a fresh process: with the
    compiled loops in numba's cache (the usual case) and with an empty cache (compiling)."""
    seconds = benchmark.pedantic(first_call_seconds, args=("smp",), rounds=1, iterations=1)
    print("\n" + describe("smp", seconds))
