"""`accord report`'s computation (accord.api.report.build) on venezuela-2021 with every model and
500 draws, timed step by step: the forecasts, the round-by-round runs, each model's Monte Carlo
draws, each model's leverage and the simulation. Rendering (HTML, charts) is not included."""

from __future__ import annotations

import time

from accord.api.report import build
from accord.models import MODELS
from accord.scenario.catalog import load


def test_report_every_model_500_draws(benchmark):
    scenario = load().scenario
    steps: list[tuple[str, float]] = []

    def run():
        steps.clear()
        last = [time.perf_counter()]

        def tick(step: str) -> None:
            now = time.perf_counter()
            steps.append((step, now - last[0]))
            last[0] = now

        return build(scenario, list(MODELS), 500, progress=tick)

    report = benchmark.pedantic(run, rounds=1, iterations=1)
    assert set(report.summaries) == set(MODELS)
    print(f"\nreport, {len(MODELS)} models x 500 draws: {benchmark.stats.stats.min:.2f} s")
    for k, (step, seconds) in enumerate(steps):
        label = f"forecasts, rounds, {step}" if k == 0 else step
        print(f"  {label:44s} {seconds:6.2f} s")
