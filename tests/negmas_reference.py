"""NegMAS 0.16's agreements on the mediation.md section 3.1 domains (run as a black box by
benchmarks/negmas_runs.py; stored in benchmarks/data/negmas-0.16.json), scored with Accord's
own metrics on the same draws."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from accord.sim.domain import stack
from accord.sim.metrics import measure
from accord.sim.testbeds import benchmark_domain

RUNS = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "negmas-0.16.json"
DOMAINS = {(3, False): "3 issues, incentive off", (3, True): "3 issues, incentive on",
           (7, False): "7 issues, incentive off", (7, True): "7 issues, incentive on"}


def domains(issues: int, incentive: bool, seeds: range = range(20)):
    """The benchmark draws of one domain, as one batch."""
    return stack([benchmark_domain(issues, s, incentive) for s in seeds])


def scored(issues: int, incentive: bool) -> dict[str, dict[str, np.ndarray]]:
    """Per NegMAS protocol: agreement, welfare, distances (NaN without agreement), steps and
    milliseconds per negotiation, (20,) arrays in seed order."""
    runs = json.loads(RUNS.read_text())["domains"][DOMAINS[(issues, incentive)]]
    batch = domains(issues, incentive)
    tables = batch.tables()
    out = {}
    for protocol, rows in runs.items():
        agreed = np.array([r["text"] is not None for r in rows])
        texts = np.array([r["text"] or [0] * issues for r in rows])
        utility = np.take_along_axis(tables, texts[:, None, :, None].repeat(2, 1), 3)[..., 0]
        m = measure(tables, batch.feasible, utility.sum(axis=2), batch.reservation, agreed)
        out[protocol] = {"agreement": agreed, "welfare": m.welfare,
                         "pareto_distance": m.pareto_distance, "nash_distance": m.nash_distance,
                         "ks_distance": m.ks_distance,
                         "steps": np.array([r["steps"] for r in rows], float),
                         "ms": np.array([r["ms"] for r in rows], float)}
    return out


def best(issues: int, incentive: bool) -> tuple[str, dict[str, np.ndarray]]:
    """NegMAS's protocol with the highest mean welfare on the domain."""
    table = scored(issues, incentive)
    name = max(table, key=lambda p: np.nanmean(table[p]["welfare"]))
    return name, table[name]
