"""The mediated-rounds simulation: exact metrics, the mediation.md benchmark, properties, and
the Venezuela run."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from snt_baseline import random_single_text

from accord.sim.document import document
from accord.sim.domain import (
    Bonus,
    Domain,
    benchmark_domain,
    many_party_domain,
    utilities,
)
from accord.sim.engine import SimParams, simulate
from accord.sim.metrics import (
    brute_force_frontier,
    kalai_smorodinsky_point,
    measure,
    nash_point,
    pareto_frontier,
)
from accord.sim.parties import PartyParams, PartyState, gesture, settle_reciprocity
from accord.sim.plan import Gesture, Plan, RoundSpec, ShockEffect, plain
from accord.sim.scenario import run_scenario


def random_domain(seed: int, parties: int = 2, issues: int = 3, levels: int = 5) -> Domain:
    """Random additive tables with some infeasible levels and random reservation values."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, (parties, issues, levels)) / issues
    feasible = rng.uniform(size=(issues, levels)) < 0.8
    feasible[:, 0] = True
    return Domain(tuple(f"p{i}" for i in range(parties)), tuple(f"k{i}" for i in range(issues)),
                  np.tile(np.linspace(0, 100, levels), (issues, 1)), feasible, values,
                  rng.uniform(0.1, 0.4, parties), np.ones(parties))


def _sorted(points: np.ndarray) -> np.ndarray:
    return points[np.lexsort(points.T[::-1])]


@pytest.mark.parametrize("parties", [2, 3])
@pytest.mark.parametrize("seed", range(8))
def test_frontier_by_dynamic_programming_equals_brute_force(parties, seed):
    d = random_domain(seed, parties)
    fast, slow = pareto_frontier(d.values, d.feasible), brute_force_frontier(d.values, d.feasible)
    np.testing.assert_allclose(_sorted(fast.points), _sorted(slow.points), atol=1e-12)
    # Every frontier text really produces its point.
    np.testing.assert_allclose(utilities(d.values, fast.texts), fast.points, atol=1e-12)
    for point in (nash_point, kalai_smorodinsky_point):
        a, b = point(fast, d.reservation), point(slow, d.reservation)
        assert (a is None and b is None) or np.allclose(a, b, atol=1e-12)


def test_frontier_of_the_benchmark_with_incentive_equals_brute_force():
    d = benchmark_domain(3, 4, incentive=True)
    tables = d.tables(d.bonuses)
    fast, slow = pareto_frontier(tables, d.feasible), brute_force_frontier(tables, d.feasible)
    np.testing.assert_allclose(_sorted(fast.points), _sorted(slow.points), atol=1e-12)


def test_distances_are_zero_on_the_frontier_and_positive_inside():
    d = benchmark_domain(7, 1)
    frontier = pareto_frontier(d.values, d.feasible)
    assert measure(frontier.points[3], d.reservation, frontier).pareto_distance == 0.0
    middle = utilities(d.values, np.full(7, 5))
    assert measure(middle, d.reservation, frontier).pareto_distance > 0.05


def _benchmark(issues: int, incentive: bool, protocol: str = "single-text"):
    runs = []
    for seed in range(20):
        d = benchmark_domain(issues, seed, incentive)
        runs.append(simulate(d, plain(5, [b.id for b in d.bonuses]), SimParams(protocol=protocol),
                             seed))
    return runs


def test_mediator_meets_the_benchmark_on_seven_issues():
    """mediation.md 3.2: the informed single-text mediator of the notes reached welfare 1.37
    and distance to Pareto 0.035 on its draws; Accord must do at least as well, and better than
    that mediator re-implemented and run on the same draws."""
    runs = _benchmark(7, incentive=False)
    assert all(r.agreement for r in runs)
    welfare = np.mean([r.metrics.welfare for r in runs])
    distance = np.mean([r.metrics.pareto_distance for r in runs])
    assert welfare >= 1.37 and distance <= 0.035
    baseline = [random_single_text(benchmark_domain(7, s), s)[0] for s in range(20)]
    assert all(u is not None for u in baseline)
    assert welfare > np.mean([u.sum() for u in baseline])


def test_incentive_is_paid_in_nine_agreements_of_ten():
    runs = _benchmark(7, incentive=True)
    agreed = [r for r in runs if r.agreement]
    assert len(agreed) == 20
    assert np.mean([bool(r.paid) for r in agreed]) >= 0.9
    assert np.mean([r.metrics.pareto_distance for r in agreed]) <= 0.035


def test_alternating_offers_reach_agreements_too():
    runs = _benchmark(3, incentive=False, protocol="alternating")
    assert np.mean([r.agreement for r in runs]) >= 0.9


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), parties=st.integers(2, 5),
       protocol=st.sampled_from(["single-text", "alternating"]),
       style=st.sampled_from(["boulware", "linear", "conceder", "aspiration", "tit_for_tat"]))
def test_an_agreement_never_leaves_a_party_below_its_reservation_value(seed, parties, protocol,
                                                                        style):
    d = random_domain(seed, parties, issues=4)
    params = SimParams(protocol=protocol, party=PartyParams(style=style), metrics=False)
    run = simulate(d, plain(4), params, seed)
    if run.agreement:
        assert (run.utility >= d.reservation - 1e-12).all()
    assert run.text.shape == (4,) and d.feasible[np.arange(4), run.text].all()


def test_seeded_runs_are_reproducible(venezuela):
    first = run_scenario(venezuela, SimParams(), seed=3, seeds=3)
    second = run_scenario(venezuela, SimParams(), seed=3, seeds=3)
    a, b = document(venezuela, *first), document(venezuela, *second)
    assert a.model_dump_json() == b.model_dump_json()


def test_removing_every_event_reproduces_the_plain_run(venezuela):
    bare = venezuela.model_copy(update={"events": [], "incentives": [], "shocks": []})
    stripped = run_scenario(venezuela, SimParams(), seed=5, events=False)
    plain_run = run_scenario(bare, SimParams(), seed=5)
    a = document(venezuela, *stripped).run.model_dump()
    b = document(bare, *plain_run).run.model_dump()
    assert a == b


def test_gestures_build_trust_and_unreturned_ones_cost_it():
    params = PartyParams(trust=0.5, gesture_trust=0.2, reciprocity_window=1)
    state = PartyState.start(2, params)
    gesture(state, 0, params)
    assert state.trust[1, 0] == pytest.approx(0.7) and state.trust[0, 1] == 0.5
    state.pending_gestures.append((0, 0))
    assert settle_reciprocity(state, 1, [], params) == [(0, 0)]
    assert state.trust[0, 1] == pytest.approx(0.4)


def test_a_returned_gesture_keeps_trust():
    params = PartyParams(reciprocity_window=1)
    state = PartyState.start(2, params)
    state.pending_gestures.append((0, 0))
    assert settle_reciprocity(state, 1, [1], params) == []
    assert state.trust[0, 1] == params.trust


def test_a_bonus_counts_only_where_its_condition_holds():
    d = benchmark_domain(3, 0)
    bonus = Bonus("b", "t", 0, 0, np.arange(11) >= 7, 0.15, credibility=0.5)
    added = d.tables([bonus]) - d.values
    np.testing.assert_allclose(added[0, 0, 7:], 0.075, rtol=1e-12)
    assert added[0, 0, :7].sum() == 0
    assert added[1].sum() == 0 and added[0, 1:].sum() == 0


def test_a_shock_makes_a_party_walk_out_and_it_returns_when_it_fades():
    d = benchmark_domain(3, 2)
    rounds = tuple(RoundSpec(label=f"r{r}") for r in range(10))
    shock = ShockEffect(2, "s", "government", 0.3, -0.2, "shock")
    run = simulate(d, Plan(rounds, effects=(shock,)), SimParams(), 0)
    assert (2, "government") in run.walkouts
    assert run.returns and run.returns[0][0] > 2
    assert not run.rounds[2].present[0]


def test_without_the_shock_the_same_talks_agree():
    d = benchmark_domain(3, 2)
    rounds = tuple(RoundSpec(label=f"r{r}") for r in range(10))
    run = simulate(d, Plan(rounds), SimParams(), 0)
    assert run.agreement and not run.walkouts


def test_gesture_in_a_plan_raises_the_others_trust():
    d = benchmark_domain(3, 2)
    plan = Plan(tuple(RoundSpec() for _ in range(3)), gestures=(Gesture(0, "government", "g"),))
    run = simulate(d, plan, SimParams(), 0)
    assert run.rounds[0].confidence[1] > run.rounds[0].confidence[0]


def test_qualified_majority_with_fifty_parties():
    d = many_party_domain(50, 0)
    run = simulate(d, plain(5), SimParams(mediator=replace(SimParams().mediator, majority=0.67),
                                          metrics=False), 0)
    assert run.text.shape == (7,)
    if run.agreement:
        assert (run.utility >= d.reservation).all()


def test_venezuela_plays_its_own_events(venezuela):
    run, _, notes = run_scenario(venezuela, SimParams())
    doc = document(venezuela, run, {}, notes)
    events = " ".join(e for r in doc.run.rounds for e in r.events)
    assert "Freddy Guevara" in events and "us_relief_for_elections" in events
    assert "Saab" in events
    assert [r.date for r in doc.run.rounds] == ["2021-08-13", "2021-09-03", "2021-09-25",
                                                "2021-10-17"]
    assert doc.run.rounds[0].parties["opposition"].trust > 0.5  # the release built trust
    json.loads(doc.model_dump_json())


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_valid_scenario_simulates_or_says_why(data):
    """Random valid scenarios: two to four parties, off-table bands (even whole scales), unknown
    status quos, incentives and shocks; the simulation runs or refuses with an InputError."""
    from accord.scenario.errors import InputError
    from accord.scenario.model import Scenario

    n, k = data.draw(st.integers(2, 4)), data.draw(st.integers(1, 4))
    unit = st.floats(0, 100, allow_nan=False)
    issues = []
    for j in range(k):
        issue = {"id": f"i{j}", "name": f"I{j}", "status_quo": data.draw(st.none() | unit)}
        if data.draw(st.booleans()):
            low, high = sorted(data.draw(st.tuples(unit, unit) | st.just((0.0, 100.0))))
            issue["off_table"] = [{"label": "no", "low": low, "high": high}]
        issues.append(issue)
    stances = [{"actor": f"a{i}", "issue": f"i{j}", "position": data.draw(unit),
                "salience": data.draw(st.floats(0, 1))}
               for i in range(n) for j in range(k) if data.draw(st.booleans()) or j == 0]
    scenario = Scenario.model_validate({
        "accord": 1, "id": "s", "name": "S",
        "actors": [{"id": f"a{i}", "name": f"A{i}", "role": "party", "capability": 1 + i}
                   for i in range(n)],
        "issues": issues, "stances": stances,
        "incentives": [{"id": "inc", "actor": "a1", "issue": "i0", "position": 50,
                        "offered": "2021-01-01", "when": {"issue": f"i{k - 1}", "threshold": 50}}],
        "rounds": [{"date": "2021-01-01"}, {"date": "2021-02-01"}],
        "shocks": [{"id": "x", "date": "2021-02-01",
                    "effects": [{"actor": "a0", "outside_option": 0.5, "trust": -0.5}]}],
    })
    try:
        run, _, _ = run_scenario(scenario, SimParams(), seeds=1)
    except InputError as error:
        assert "off-table" in str(error)
        return
    assert run.text.shape == (run.domain.issues,)
    assert run.domain.feasible[np.arange(run.domain.issues), run.text].all()


def test_a_boulware_party_facing_a_conceder_captures_the_surplus():
    """mediation.md 3.5, finding 4: in alternating offers the Boulware side gets more."""
    styles = (("government", "boulware"), ("opposition", "conceder"))
    params = SimParams(protocol="alternating", party=PartyParams(styles=styles), metrics=False)
    gains = []
    for seed in range(10):
        d = benchmark_domain(7, seed)
        run = simulate(d, plain(5), params, seed)
        assert run.agreement
        gains.append(run.utility - d.reservation)
    assert np.mean([g[0] - g[1] for g in gains]) > 0.1


def _log_roll_scenario(red_line: str = ""):
    from accord.scenario.formats.yaml_format import read

    return read(f"""
accord: 1
id: roll
name: Log-roll
actors:
  - {{id: a, name: A, role: party, capability: 1}}
  - {{id: b, name: B, role: party, capability: 1}}
  - {{id: m, name: M, role: mediator, capability: 1}}
issues:
  - {{id: x, name: X, status_quo: 50}}
  - {{id: y, name: Y, status_quo: 50}}
stances:
  - {{actor: a, issue: x, position: 0, salience: 0.9}}
  - {{actor: a, issue: y, position: 0, salience: 0.1{red_line}}}
  - {{actor: b, issue: x, position: 100, salience: 0.1}}
  - {{actor: b, issue: y, position: 100, salience: 0.9}}
""", "roll.yaml")


def test_a_red_line_is_never_crossed():
    free, _, _ = run_scenario(_log_roll_scenario(), SimParams())
    assert free.agreement and free.domain.levels[1, free.text[1]] > 60
    bound, _, _ = run_scenario(_log_roll_scenario(", red_line: {op: '<=', value: 60}"),
                               SimParams())
    assert bound.agreement and bound.domain.levels[1, bound.text[1]] <= 60
    alternating, _, _ = run_scenario(_log_roll_scenario(", red_line: {op: '<=', value: 60}"),
                                     SimParams(protocol="alternating"))
    assert alternating.domain.levels[1, alternating.text[1]] <= 60 or not alternating.agreement


def test_a_red_line_must_admit_the_actors_own_position():
    from accord.scenario.errors import InputError

    with pytest.raises(InputError, match="excludes the actor's own position"):
        _log_roll_scenario(", red_line: {op: '>=', value: 60}")
