"""Mediated-rounds simulation: quality and speed.

- The mediation.md section 3.1 domains (3 and 7 issues, 20 seeds, the incentive off and on):
  Accord's single text and alternating offers, the notes' best single-text mediator
  re-implemented (tests/snt_baseline.py), and NegMAS 0.16's protocols, whose agreements were
  recorded by running NegMAS as a black box (benchmarks/negmas_runs.py, AGPL, outside the
  project) and are scored here with Accord's own metrics on the same draws. NegMAS's times are
  from that recorded run on this machine, not from this one.
- Fifty random single-peaked parties (mediation.md 3.4).
- ``accord simulate`` on a five-party, seven-issue scenario, metrics included; the chance of a
  deal on venezuela-2021 over 200 draws; ``accord simulate -n 500`` on venezuela-2021.

Run ``pytest benchmarks/test_simulation.py --benchmark-only -s`` for the tables.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import wilcoxon

from accord.sim.batch import run
from accord.sim.domain import stack
from accord.sim.engine import SimParams
from accord.sim.metrics import measure
from accord.sim.plan import plain
from accord.sim.testbeds import benchmark_domain, many_party_domain

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from negmas_reference import domains, scored  # noqa: E402
from snt_baseline import random_single_text  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
COLUMNS = ("agreement", "welfare", "pareto_distance", "nash_distance", "ks_distance", "steps",
           "ms")


def _accord(issues: int, incentive: bool, protocol: str) -> dict[str, np.ndarray]:
    batch = domains(issues, incentive)
    start = time.perf_counter()
    outcome, m = run(batch, plain(5, [b.id for b in batch.bonuses]), SimParams(protocol=protocol))
    ms = (time.perf_counter() - start) * 1000 / batch.draws
    return {"agreement": outcome.agreement, "welfare": m.welfare,
            "pareto_distance": m.pareto_distance, "nash_distance": m.nash_distance,
            "ks_distance": m.ks_distance, "steps": outcome.steps.astype(float),
            "ms": np.full(batch.draws, ms), "paid": outcome.paid.any(axis=1)}


def _baseline(issues: int, incentive: bool) -> dict[str, np.ndarray]:
    rows = []
    for seed in range(20):
        d = benchmark_domain(issues, seed, incentive)
        start = time.perf_counter()
        utility, steps, text = random_single_text(d, seed)
        elapsed = (time.perf_counter() - start) * 1000
        m = measure(d.tables(), d.feasible, utility[None], d.reservation, np.ones(1, bool))
        rows.append((True, m.welfare[0], m.pareto_distance[0], m.nash_distance[0],
                     m.ks_distance[0], steps, elapsed))
    table = np.array(rows, dtype=float)
    return {name: table[:, j] for j, name in enumerate(COLUMNS)}


def _line(name: str, a: dict[str, np.ndarray]) -> str:
    return (f"| {name} | {np.mean(a['agreement']):.2f} | {np.nanmean(a['welfare']):.3f} | "
            f"{np.nanmean(a['pareto_distance']):.3f} | {np.nanmean(a['nash_distance']):.3f} | "
            f"{np.nanmean(a['ks_distance']):.3f} | {np.mean(a['steps']):.0f} | "
            f"{np.median(a['ms']):.1f} |")


@pytest.mark.parametrize("issues", [3, 7])
@pytest.mark.parametrize("incentive", [False, True])
def test_quality_table(benchmark, issues, incentive):
    """Welfare, distances and time per negotiation over 20 paired seeds."""
    single = benchmark.pedantic(_accord, args=(issues, incentive, "single-text"), rounds=1,
                                iterations=1)
    rows = {"Accord single text": single,
            "Accord alternating offers": _accord(issues, incentive, "alternating"),
            "reference SNT hill-climb": _baseline(issues, incentive)}
    negmas = scored(issues, incentive)
    rows.update({f"NegMAS {name}": value for name, value in negmas.items()})
    print(f"\n{issues} issues, incentive {'on' if incentive else 'off'} (20 seeds)")
    print("| protocol | agree | welfare | d Pareto | d Nash | d KS | steps | ms / negotiation |")
    for name, a in rows.items():
        print(_line(name, a))
    best = max(negmas, key=lambda p: np.nanmean(negmas[p]["welfare"]))
    test = wilcoxon(single["welfare"], negmas[best]["welfare"], alternative="greater")
    better = int((single["welfare"] > negmas[best]["welfare"] + 1e-12).sum())
    print(f"single text vs NegMAS's best ({best}): welfare "
          f"{single['welfare'].mean() - np.nanmean(negmas[best]['welfare']):+.3f}, better on "
          f"{better} of 20 seeds, Wilcoxon one-sided p = {test.pvalue:.2g}")
    if incentive:
        print(f"incentive paid in {single['paid'].mean():.0%} of agreements")


@pytest.mark.parametrize("protocol", ["single-text", "alternating"])
def test_fifty_parties(benchmark, protocol):
    """Agreement and seconds per negotiation with 50 random single-peaked parties on 7
    issues (20 seeds in one batch)."""
    batch = stack([many_party_domain(50, s) for s in range(20)])
    params = SimParams(protocol=protocol)
    outcome, _ = benchmark.pedantic(run, args=(batch, plain(5), params),
                                    kwargs={"metrics": False}, rounds=1, iterations=1)
    per = benchmark.stats.stats.min / batch.draws
    print(f"\n50 parties, {protocol}: agreement in {outcome.agreement.mean():.0%} of 20 "
          f"domains, {per:.3f} s per negotiation ({24.15 / per:,.0f}x under NegMAS's 24.15 s "
          f"from the notes), {outcome.steps.mean():.0f} steps")


def _cli(*args: str) -> str:
    from typer.testing import CliRunner

    from accord.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_five_party_scenario(benchmark):
    """``accord simulate`` on five parties and seven issues, metrics included (in process;
    the interpreter's start and imports are not counted)."""
    path = str(DATA / "five-parties.yaml")
    _cli("simulate", path, "-f", "json")  # imports
    benchmark.pedantic(_cli, args=("simulate", path, "-f", "json"), rounds=3, iterations=1)
    print(f"\naccord simulate five-parties.yaml: {benchmark.stats.stats.min:.3f} s")


def test_deal_probability(benchmark):
    """The chance of a deal on venezuela-2021 over 200 draws."""
    from accord.scenario.catalog import load
    from accord.sim.deal import deal_probability

    scenario = load("venezuela-2021").scenario
    deal = benchmark.pedantic(deal_probability, args=(scenario, 200), kwargs={"seed": 1},
                              rounds=3, iterations=1)
    print(f"\ndeal_probability(venezuela-2021, 200 draws): {benchmark.stats.stats.min:.2f} s; "
          f"P(agreement) {deal.probability:.0%} [{deal.interval[0]:.0%}-{deal.interval[1]:.0%}]")


def test_simulate_five_hundred_draws(benchmark):
    """``accord simulate -n 500`` on venezuela-2021: six variants over the same 500 draws."""
    _cli("simulate", "-f", "json")
    benchmark.pedantic(_cli, args=("simulate", "-n", "500", "-f", "json"), rounds=1,
                       iterations=1)
    print(f"\naccord simulate -n 500: {benchmark.stats.stats.min:.1f} s")


def test_metric_bounds(benchmark):
    """The welfare metrics in bounded time: the exact two-party frontier against the bracket on
    the same agreements (venezuela-2021, 200 drawn runs without the shock), and the bracket's
    width with 3, 5 and 10 parties (mediation.md 3.4 domains, 20 seeds)."""
    from accord.scenario.catalog import load
    from accord.sim.scenario import make_plan, play_drawn

    scenario = load("venezuela-2021").scenario
    played = play_drawn(scenario, make_plan(scenario).variant("no shocks"), SimParams(), 200, 1,
                        metrics=False).outcome
    domain, agreed = played.domain, played.agreement
    tables = domain.tables(played.events.offer_round >= 0)
    start = time.process_time()
    exact = measure(tables, domain.feasible, played.utility, domain.reservation, agreed, True)
    exact_s = (time.process_time() - start) / agreed.sum()
    start = time.process_time()
    bracket = benchmark.pedantic(measure, args=(tables, domain.feasible, played.utility,
                                                domain.reservation, agreed, False),
                                 rounds=1, iterations=1)
    bracket_s = (time.process_time() - start) / agreed.sum()
    low, high, truth = (a[agreed] for a in (bracket.gap_low, bracket.gap_high, exact.gap_low))
    assert np.all(low <= truth + 1e-9) and np.all(truth <= high + 1e-9)
    print(f"\nvenezuela-2021, {agreed.sum()} agreements: exact frontier {1000 * exact_s:.1f} ms "
          f"CPU per draw; bracket {1000 * bracket_s:.2f} ms CPU per draw; gap "
          f"{100 * truth.mean():.2f} points exact, bracket [{100 * low.mean():.2f}, "
          f"{100 * high.mean():.2f}], widest {100 * (high - low).max():.2f}")
    for parties in (3, 5, 10):
        batch = stack([many_party_domain(parties, s) for s in range(20)])
        outcome, m = run(batch, plain(5), SimParams())
        width = (m.gap_high - m.gap_low)[outcome.agreement]
        print(f"{parties} parties: bracket width mean {100 * width.mean():.2f}, widest "
              f"{100 * width.max():.2f} points (gap {100 * np.nanmean(m.gap_low):.2f}-"
              f"{100 * np.nanmean(m.gap_high):.2f})")
