"""KTAB's spatial model: seconds per run at 50 actors x 5 dimensions, 80 x 1 and 250 actors.

For comparison (the issue's figures for KTAB's compiled smpc on this machine class, not
measured in this run): 67.6 s for 50 actors x 5 dimensions (30 turns) and 207.8 s for 80 actors x
1 dimension. Synthetic actors follow KTAB's own random actors (``SMPActor::randomize``):
capability U(10, 200), total salience U(0.75, 0.99) split over dimensions in proportion to
U(0.1, 1), positions U(0, 1). The 80 x 1 case is KTAB's dummyData-a080.csv.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.models.smp import SmpParams, run_one
from accord.scenario.arrays import ScenarioArrays
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
