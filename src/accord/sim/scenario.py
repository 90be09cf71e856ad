"""Simulate a scenario's mediated rounds: compose the domain, the plan and the seeds.

The run shown round by round uses the scenario's own numbers. ``seeds`` more runs draw the
uncertain inputs (the stances' ranges, as the Monte Carlo analysis does), each seed also driving
the mediator's annealing, and are summarised with the counterfactuals (no gestures, no
incentives, no shocks, no events).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from accord.scenario.arrays import ScenarioArrays
from accord.scenario.draws import DrawSpec
from accord.scenario.errors import InputError
from accord.scenario.model import Role, Scenario
from accord.sim import domain as sim_domain
from accord.sim import plan as sim_plan
from accord.sim.domain import Domain
from accord.sim.engine import PROTOCOLS, SimParams, SimRun, simulate
from accord.sim.parties import STYLES
from accord.sim.summary import Summary, counterfactuals


def parse_styles(scenario: Scenario, items: Sequence[str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``--style`` values: STYLE for everyone, or PARTY=STYLE for one party (repeatable)."""
    default, overrides = "boulware", []
    parties = [a.id for a in scenario.actors if a.role == Role.party]
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
        raise InputError("unknown protocol", None, None, "--protocol", protocol, " or ".join(PROTOCOLS))
    known = [s.id for s in scenario.shocks]
    for shock in shocks:
        if shock not in known:
            raise InputError("unknown shock", None, None, "--shock", shock, ", ".join(known) or "none declared")
    parties = {s.actor for s in scenario.stances
               if scenario.actor(s.actor).role == Role.party}
    if len(parties) < 2:
        raise InputError("a simulation needs two parties with stances", None, None,
                         "actors[].role", len(parties), "at least two actors with role: party")


def domain_maker(scenario: Scenario, levels: int = 11, draw: bool = True) -> Callable[[int], Domain]:
    """seed -> the scenario's domain, its inputs drawn from their uncertainty (seed > 0 when
    ``draw``); seed 0 and ``draw=False`` use the scenario's own numbers."""
    offers = scenario.incentives
    plain = sim_domain.from_scenario(scenario, levels=levels, incentives=offers)
    spec, arrays = DrawSpec.from_scenario(scenario), ScenarioArrays.from_scenario(scenario)

    def make(seed: int) -> Domain:
        if seed == 0 or not draw:
            return plain
        batch = spec.draw(seed, 0, 1)
        return sim_domain.from_scenario(
            scenario, levels=levels, position=arrays.to_scale(batch.position[0]),
            salience=batch.salience[0], capability=batch.capability[0], incentives=offers)

    return make


def run_scenario(scenario: Scenario, params: SimParams, *, seed: int = 0, seeds: int = 0,
                 shocks: Sequence[str] = (), extra_rounds: int = 0, events: bool = True,
                 levels: int = 11, progress: Callable[[], None] | None = None,
                 ) -> tuple[SimRun, dict[str, Summary], list[str]]:
    """The run on the scenario's numbers, counterfactual summaries over ``seeds`` drawn runs,
    and notes on what the plan could not play."""
    make = domain_maker(scenario, levels)
    domain = make(0)
    plan = sim_plan.from_scenario(scenario, domain.party_ids, shocks, extra_rounds)
    if not events:
        plan = plan.without_events()
    run = simulate(domain, plan, params, seed)
    if progress is not None:
        progress()
    seeds_drawn = range(seed + 1, seed + 1 + seeds)
    summaries = counterfactuals(make, plan, params, seeds_drawn, progress) if seeds else {}
    return run, summaries, list(plan.notes)


