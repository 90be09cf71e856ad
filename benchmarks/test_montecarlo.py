"""Monte Carlo throughput on venezuela-2021, the whole run as `accord montecarlo` does it (run
store, chunks, worker start-up, summary): 100,000 draws of the compromise model, 10,000 of the
expected utility model, and 1,000 of KTAB's spatial model and of the exchange model (issue 20's
cases), on 1 and 2 local workers with the chunk sizes chosen from the draws and the workers."""

from __future__ import annotations

import pytest

from start_up import worker_start_up

from accord.api.runs import Request, chunk_size, execute
from accord.api.store import Store
from accord.scenario.catalog import load

CASES = [("compromise", 100_000), ("eum", 10_000), ("smp", 1_000), ("exchange", 1_000)]


@pytest.mark.parametrize("model, draws", CASES)
@pytest.mark.parametrize("workers", [1, 2])
def test_draws_per_second(benchmark, tmp_path, model, draws, workers):
    store = Store(f"sqlite:///{tmp_path / 'bench.sqlite'}")
    request = lambda: Request(load().scenario, model, draws, 1)  # noqa: E731
    result = benchmark.pedantic(lambda: execute(request(), store, workers), rounds=1,
                                iterations=1)
    assert len(result.outcomes) == draws
    seconds = benchmark.stats.stats.min
    print(f"\n{model}: {draws:,} draws on {workers} worker(s), chunks of "
          f"{chunk_size(draws, workers)}, in {seconds:.2f} s ({draws / seconds:,.0f} draws/s)")


@pytest.mark.parametrize("model", ["compromise", "smp", "eum"])
def test_worker_start_up(benchmark, model):
    """What a worker costs before its first draws, with Accord imported by each worker and with
    it preloaded by the forkserver (as the runs do), in a fresh process each time."""
    import subprocess
    import sys

    def run(preload: bool) -> str:
        code = ("import sys; sys.path.insert(0, 'benchmarks'); from start_up import "
                f"worker_start_up; print(worker_start_up({model!r}, {preload}))")
        return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                              text=True).stdout.strip()

    alone, preloaded = benchmark.pedantic(lambda: (run(False), run(True)), rounds=1, iterations=1)
    print(f"\n{model} worker start-up, cpu s per worker (fork to first chunk, first 2-draw "
          f"chunk): Accord imported by each worker {alone}, preloaded by the forkserver "
          f"{preloaded}")
