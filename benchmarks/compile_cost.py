"""The compiled loops' cost to a fresh process: import and first 2-draw run, cached or not."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

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
