"""Exchange model speed: seconds per round at COP21 (15 x 13; the default and the decide preset)
and 50 x 10, and Monte Carlo draws per second on venezuela-2021, rounds in lockstep against the
same draws played one by one (measured in the same run).

For comparison (not measured in this run): decide-exchange-model needs about 1.8 s per round on
COP21 and 36.9 s per round at 50 actors x 10 issues on this machine class (issue 5,
shared/models/exchange.md A.5). Synthetic inputs follow that benchmark: positions uniform on 0-100
in steps of 5, salience U(0.1, 1), one power U(0.05, 1) per actor.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from accord.api.runs import Request, execute
from accord.api.store import Store
from accord.models import get
from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.catalog import load
from accord.scenario.draws import DrawSpec
from accord.scenario.formats import read_file

REFERENCE = {"cop21": 1.8, "50x10": 36.9}
COP21 = Path(__file__).resolve().parents[2] / "shared" / "data" / "decide" / "cop21.csv"


def synthetic(actors: int, issues: int, seed: int = 0) -> Batch:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 21, (1, actors, issues)) * 5 / 100
    s = rng.uniform(0.1, 1, (1, actors, issues))
    c = rng.uniform(0.05, 1, (1, actors))
    return Batch(c, x, s, np.ones((actors, issues), bool), np.full(issues, np.nan))


def report(benchmark, label: str, rounds: int) -> None:
    per_round = benchmark.stats.stats.min / rounds
    reference = label.split()[0]
    ratio = f"; {REFERENCE[reference] / per_round:,.0f}x the reference's {REFERENCE[reference]} s" \
        if reference in REFERENCE else ""
    print(f"\nexchange {label}: {rounds} rounds in {benchmark.stats.stats.min:.3f} s "
          f"({per_round:.4f} s per round{ratio})")


@pytest.mark.parametrize("preset", [None, "decide"])
def test_cop21(benchmark, preset):
    if not COP21.exists():
        pytest.skip("shared data not present")
    batch = ScenarioArrays.from_scenario(read_file(COP21).scenario).batch()
    get("exchange")(batch, rounds=1, preset=preset)  # compiled kernels loaded
    benchmark.pedantic(get("exchange"), args=(batch,), kwargs={"preset": preset}, rounds=3,
                       iterations=1)
    report(benchmark, f"cop21 ({preset or 'default'})", 10)


def test_synthetic_50x10(benchmark):
    batch = synthetic(50, 10)
    get("exchange")(batch, rounds=1)
    result = benchmark.pedantic(get("exchange"), args=(batch,), rounds=1, iterations=1)
    report(benchmark, "50x10", 10)
    print(f"candidates per round {result.diagnostics['candidates'][0].tolist()}, "
          f"executed {result.diagnostics['executed'][0].tolist()}")


def test_montecarlo_lockstep_against_one_by_one(benchmark):
    """1,000 venezuela-2021 draws in one batch, against 100 of them played one by one."""
    spec = DrawSpec.from_scenario(load().scenario)
    batch = spec.draw(1, 0, 1000)
    get("exchange")(spec.draw(1, 0, 2))
    benchmark.pedantic(get("exchange"), args=(batch,), rounds=3, iterations=1)
    together = 1000 / benchmark.stats.stats.min
    start = time.perf_counter()
    for d in range(100):
        get("exchange")(Batch(batch.capability[d:d + 1], batch.position[d:d + 1],
                              batch.salience[d:d + 1], batch.mask, batch.status_quo))
    alone = 100 / (time.perf_counter() - start)
    print(f"\nexchange Monte Carlo on venezuela-2021: {together:,.0f} draws/s in lockstep, "
          f"{alone:,.0f} draws/s one by one ({together / alone:.1f}x)")


@pytest.mark.parametrize("workers", [1, 2])
def test_montecarlo_command(benchmark, tmp_path, workers):
    """``accord montecarlo -m exchange -n 1000``: 1,000 draws in chunks of 500, worker start-up
    (imports, compiled kernels loaded from numba's cache) included."""
    store = Store(f"sqlite:///{tmp_path / 'bench.sqlite'}")
    request = lambda: Request(load().scenario, "exchange", 1000, 1, 500)  # noqa: E731
    benchmark.pedantic(lambda: execute(request(), store, workers), rounds=1, iterations=1)
    seconds = benchmark.stats.stats.min
    print(f"\nexchange: 1,000 draws on {workers} worker(s) in {seconds:.2f} s "
          f"({1000 / seconds:,.0f} draws/s)")
