"""Start-up costs: the compiled loops' first call in a fresh process (cached or compiling), and
a Monte Carlo worker's start on the forkserver (with Accord preloaded or not)."""

from __future__ import annotations

import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

SCRIPT = """
import time
from accord.models import get
from accord.scenario.catalog import load
from accord.scenario.draws import DrawSpec
batch = DrawSpec.from_scenario(load().scenario).draw(1, 0, 2)
wall, cpu = time.perf_counter(), time.process_time()
get({model!r})(batch)
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def first_call_seconds(model: str) -> dict[str, tuple[float, float]]:
    """{"cached": (wall, cpu), "compiling": (wall, cpu)} seconds of the first run of ``model``
    after its imports in a new interpreter, with numba's cache as it is and with an empty one;
    """
    run = [sys.executable, "-c", SCRIPT.format(model=model)]
    subprocess.run(run, check=True, capture_output=True)  # make sure the cache is filled
    out = {"cached": subprocess.run(run, check=True, capture_output=True, text=True).stdout}
    with tempfile.TemporaryDirectory() as empty:
        out["compiling"] = subprocess.run(run, check=True, capture_output=True, text=True,
                                          env={**os.environ, "NUMBA_CACHE_DIR": empty}).stdout
    return {key: tuple(float(v) for v in text.split()) for key, text in out.items()}


def describe(model: str, seconds: dict[str, tuple[float, float]]) -> str:
    """One line for the benchmark's output."""
    return (f"{model} first call in a fresh process: " + "; ".join(
        f"{key} {wall:.2f} s wall, {cpu:.2f} s cpu" for key, (wall, cpu) in seconds.items()))


def worker_start_up(model: str, preload: bool) -> list[tuple[float, float]]:
    """For each of 2 fresh forkserver workers given a 2-draw chunk of ``model``, as a run gives
    it: CPU seconds from the fork to the chunk's start (the imports its unpickling needs), then
    the chunk itself (for smp and eum: numba and the cached loops). ``preload`` as
    :func:`accord.api.runs._run_all` does it; the forkserver is started once per process, so call
    this once in a fresh process."""
    from accord.analysis.montecarlo import ChunkTask
    from accord.scenario.catalog import load
    from accord.scenario.draws import DrawSpec

    task = ChunkTask(DrawSpec.from_scenario(load().scenario), model, {}, 1, 0, 2)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["accord.analysis.montecarlo"] if preload else [])
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        return list(pool.map(_probe, [task, task]))


def _probe(task) -> tuple[float, float]:
    from accord.analysis.montecarlo import run_chunk

    start = _cpu()
    run_chunk(task)
    return round(start, 2), round(_cpu() - start, 2)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
