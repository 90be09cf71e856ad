"""Simulate a scenario's mediated rounds: compose the domain, the plan and the draws.

The run shown round by round uses the scenario's own numbers, with every drawn input at its
centre (the coded stances and reservation values, the median concession exponent 1, shocks at
their coded size and date). ``draws`` more runs draw what the scenario leaves uncertain
(:mod:`accord.sim.inputs`) and are played under every variant of the plan (as planned, without
gestures, incentives, shocks or any event), paired: the same draws in every variant.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from accord.scenario.errors import InputError
from accord.scenario.model import Scenario
from accord.sim import build, inputs
from accord.sim import plan as sim_plan
from accord.sim.batch import run
from accord.sim.engine import PROTOCOLS, Outcome, SimParams
from accord.sim.inputs import Uncertainty
from accord.sim.metrics import Metrics
from accord.sim.parties import STYLES
from accord.sim.plan import VARIANTS, Plan
from accord.sim.support import SupportRule


def parse_styles(scenario: Scenario, items: Sequence[str],
                 ) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``--style`` values: STYLE for everyone, or PARTY=STYLE for one party (repeatable)."""
    default, overrides = "drawn", []
    parties = build.party_ids(scenario)
    for item in items:
        party, _, style = item.rpartition("=")
        if style not in STYLES:
            raise InputError("unknown concession style", None, None, "--style", item,
                             ", ".join(STYLES) + ", or PARTY=STYLE")
        if party and party not in parties:
            raise InputError("unknown party", None, None, "--style", item,
                             "a party: " + ", ".join(parties))
        if party:
            overrides.append((party, style))
        else:
            default = style
    return default, tuple(overrides)


def check_options(scenario: Scenario, protocol: str, shocks: Sequence[str]) -> None:
    """Refuse unknown protocols and shocks, and scenarios without two parties."""
    if protocol not in PROTOCOLS:
        raise InputError("unknown protocol", None, None, "--protocol", protocol,
                         " or ".join(PROTOCOLS))
    known = [s.id for s in scenario.shocks]
    for shock in shocks:
        if shock not in known:
            raise InputError("unknown shock", None, None, "--shock", shock,
                             ", ".join(known) or "none declared")
    parties = build.party_ids(scenario)
    if len(parties) < 2:
        raise InputError("a simulation needs two parties with stances", None, None,
                         "actors[].role", len(parties), "at least two actors with role: party")


@dataclass
class Played:
    """One plan played over a batch of draws."""

    outcome: Outcome
    metrics: Metrics | None


@dataclass
class Simulation:
    """A scenario's simulation: the run on the coded numbers and the drawn runs per variant."""

    scenario: Scenario
    plan: Plan
    params: SimParams
    shown: Played
    seed: int
    draws: int
    variants: dict[str, Played] = field(default_factory=dict)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    rule: SupportRule = field(default_factory=SupportRule)


def make_plan(scenario: Scenario, shocks: Sequence[str] = (), extra_rounds: int = 0,
              events: bool = True) -> Plan:
    """The scenario's plan (``events=False``: the calendar alone)."""
    plan = sim_plan.from_scenario(scenario, build.party_ids(scenario), shocks, extra_rounds)
    return plan if events else plan.variant("no events")


def play_coded(scenario: Scenario, plan: Plan, params: SimParams, seed: int = 0,
               levels: int = 11, rule: SupportRule = SupportRule(), metrics: bool = True,
               ) -> Played:
    """The run on the scenario's own numbers."""
    n = len(build.party_ids(scenario))
    given = inputs.coded(scenario, n, params.engine_uniforms(plan, n), seed)
    return _play(scenario, plan, params, given, levels, rule, metrics, True)


def play_drawn(scenario: Scenario, plan: Plan, params: SimParams, draws: int, seed: int = 0,
               uncertainty: Uncertainty = Uncertainty(), levels: int = 11,
               rule: SupportRule = SupportRule(), metrics: bool = True, start: int = 0,
               ) -> Played:
    """Draws ``start`` to ``start + draws - 1`` of ``seed``, played under ``plan``."""
    n = len(build.party_ids(scenario))
    given = inputs.draw(scenario, n, params.engine_uniforms(plan, n), seed, start, draws,
                        uncertainty)
    return _play(scenario, plan, params, given, levels, rule, metrics, False)


def _play(scenario, plan, params, given, levels, rule, metrics, distances) -> Played:
    domain = build.domain(scenario, given, levels, rule)
    exponent = params.party.exponents(domain.party_ids, given.exponent)
    outcome, measured = run(domain, plan, params, exponent=exponent,
                            shock_scale=given.shock_scale, shock_days=given.shock_days,
                            engine=given.engine, metrics=metrics, distances=distances)
    return Played(outcome, measured)


def simulate_scenario(scenario: Scenario, params: SimParams, *, seed: int = 0, draws: int = 0,
                      shocks: Sequence[str] = (), extra_rounds: int = 0, events: bool = True,
                      uncertainty: Uncertainty = Uncertainty(), levels: int = 11,
                      rule: SupportRule = SupportRule(), metrics: bool = True,
                      variants: Sequence[str] = VARIANTS, workers: int = 1,
                      progress=None) -> Simulation:
    """The run on the coded numbers and, with ``draws``, every variant over the same draws
    (on ``workers`` local processes, one variant each; the result does not depend on it)."""
    plan = make_plan(scenario, shocks, extra_rounds, events)
    tick = progress or (lambda: None)
    shown = play_coded(scenario, plan, params, seed, levels, rule, metrics)
    tick()
    out = Simulation(scenario, plan, params, shown, seed, draws, uncertainty=uncertainty,
                     rule=rule)
    if not draws:
        return out
    names = list(variants if events else ("as planned",))
    tasks = [(scenario, plan.variant(name), params, draws, seed, uncertainty, levels, rule,
              metrics) for name in names]
    if workers <= 1:
        for name, task in zip(names, tasks):
            out.variants[name] = play_drawn(*task)
            tick()
        return out
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
        futures = {pool.submit(play_drawn, *task): name for name, task in zip(names, tasks)}
        for future in as_completed(futures):
            out.variants[futures[future]] = future.result()
            tick()
    out.variants = {name: out.variants[name] for name in names}
    return out
