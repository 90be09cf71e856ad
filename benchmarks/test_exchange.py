"""Exchange model: seconds per round at COP21 (15 x 13), 50 x 10 and 200 x 20.

For comparison (not measured in this run): decide-exchange-model needs about 1.8 s per round on
COP21 and 36.9 s per round at 50 actors x 10 issues on this machine class (issue 5,
shared/models/exchange.md A.5). Synthetic inputs follow that benchmark: positions uniform on 0-100
in steps of 5, salience U(0.1, 1), one power U(0.05, 1) per actor.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.models import get
from accord.scenario.arrays import Batch, ScenarioArrays
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
    ratio = f"; {REFERENCE[label] / per_round:,.0f}x the reference's {REFERENCE[label]} s" \
        if label in REFERENCE else ""
    print(f"\nexchange {label}: {rounds} rounds in {benchmark.stats.stats.min:.2f} s "
          f"({per_round:.3f} s per round{ratio})")


def test_cop21(benchmark):
    if not COP21.exists():
        pytest.skip("shared data not present")
    batch = ScenarioArrays.from_scenario(read_file(COP21).scenario).batch()
    benchmark.pedantic(get("exchange"), args=(batch,), rounds=3, iterations=1)
    report(benchmark, "cop21", 10)


@pytest.mark.parametrize("actors, issues, rounds", [(50, 10, 10), (200, 20, 10)])
def test_synthetic(benchmark, actors, issues, rounds):
    batch = synthetic(actors, issues)
    result = benchmark.pedantic(get("exchange"), args=(batch,), kwargs={"rounds": rounds},
                                rounds=1, iterations=1)
    executed = [len(r) for r in result.diagnostics["exchanges"][0]]
    report(benchmark, f"{actors}x{issues}", rounds)
    print(f"candidates per round {result.diagnostics['candidates'][0].tolist()}, "
          f"executed {executed}")
