"""The mediated-rounds simulation: exact and bracketed metrics, the engine's rules, batching,
and properties over random domains."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.sim.batch import run
from accord.sim.domain import Bonus, Domain, stack, utilities
from accord.sim.engine import SimParams
from accord.sim.metrics import (
    _ascend,
    brute_force_frontier,
    kalai_smorodinsky_point,
    measure,
    nash_point,
    pareto_frontier,
)
from accord.sim.parties import PartyParams, PartyState, aspiration, effective
from accord.sim.plan import Gesture, Plan, RoundSpec, ShockPlan, plain
from accord.sim.testbeds import benchmark_domain, many_party_domain


def random_domain(seed: int, parties: int = 2, issues: int = 3, levels: int = 5) -> Domain:
    """Random additive tables with some infeasible levels and random reservation values."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, (1, parties, issues, levels)) / issues
    feasible = rng.uniform(size=(issues, levels)) < 0.8
    feasible[:, 0] = True
    return Domain(tuple(f"p{i}" for i in range(parties)), tuple(f"k{i}" for i in range(issues)),
                  np.tile(np.linspace(0, 100, levels), (issues, 1)), feasible, values,
                  rng.uniform(0.1, 0.4, (1, parties)), np.ones((1, parties)),
                  rng.uniform(0, levels - 1, (1, parties, issues)),
                  np.ones((1, issues, levels), bool))


def _sorted(points: np.ndarray) -> np.ndarray:
    return points[np.lexsort(points.T[::-1])]


@pytest.mark.parametrize("seed", range(8))
def test_frontier_by_dynamic_programming_equals_brute_force(seed):
    d = random_domain(seed)
    fast = pareto_frontier(d.values[0], d.feasible)
    slow = brute_force_frontier(d.values[0], d.feasible)
    np.testing.assert_allclose(_sorted(fast.points), _sorted(slow.points), atol=1e-12)
    np.testing.assert_allclose(utilities(d.values, fast.texts[None])[0], fast.points, atol=1e-12)
    for point in (nash_point, kalai_smorodinsky_point):
        a, b = point(fast, d.reservation[0]), point(slow, d.reservation[0])
        assert (a is None and b is None) or np.allclose(a, b, atol=1e-12)


def _exact_gap(d: Domain, utility: np.ndarray) -> float:
    frontier = brute_force_frontier(d.values[0], d.feasible)
    return max(0.0, float((frontier.points - utility).min(axis=1).max()))


@pytest.mark.parametrize("parties", [2, 3, 5])
@pytest.mark.parametrize("seed", range(6))
def test_what_is_left_on_the_table_is_bracketed_around_the_exact_value(parties, seed):
    """With more than two parties the gap is bracketed; the bracket must hold the value
    enumeration finds, and with two parties the exact frontier must give it."""
    d = random_domain(seed, parties, issues=4)
    text = np.random.default_rng(seed).integers(0, 5, (1, 4))
    text[0, ~d.feasible[np.arange(4), text[0]]] = 0
    utility = utilities(d.values, text)
    exact = _exact_gap(d, utility[0])
    m = measure(d.values, d.feasible, utility, d.reservation, np.ones(1, bool))
    assert m.gap_low[0] - 1e-9 <= exact <= m.gap_high[0] + 1e-9
    if parties == 2:
        assert m.gap_low[0] == pytest.approx(exact, abs=1e-12) and m.exact
    approx = measure(d.values, d.feasible, utility, d.reservation, np.ones(1, bool), False)
    assert approx.gap_low[0] - 1e-9 <= exact <= approx.gap_high[0] + 1e-9


@pytest.mark.parametrize("parties", [3, 5, 10])
def test_the_bracket_is_narrow_on_single_peaked_parties(parties):
    """On the random single-peaked domains of mediation.md 3.4 the bracket is within a point
    and a half (of 100) for the agreements the mediator reaches."""
    d = stack([many_party_domain(parties, s) for s in range(10)])
    o, m = run(d, plain(5), SimParams())
    assert o.agreement.all()
    assert np.max(m.gap_high - m.gap_low) <= 0.02


def test_best_welfare_is_exact():
    d = random_domain(3, parties=3, issues=3)
    frontier = brute_force_frontier(d.values[0], d.feasible)
    m = measure(d.values, d.feasible, d.reservation, d.reservation, np.ones(1, bool))
    assert m.best_welfare[0] == pytest.approx(frontier.points.sum(axis=1).max(), abs=1e-12)


def test_distances_are_zero_on_the_frontier_and_positive_inside():
    d = benchmark_domain(7, 1)
    frontier = pareto_frontier(d.values[0], d.feasible)
    on = measure(d.values, d.feasible, frontier.points[3][None], d.reservation, np.ones(1, bool))
    assert on.pareto_distance[0] == 0.0 and on.gap_low[0] == 0.0
    middle = utilities(d.values, np.full((1, 7), 5))
    inside = measure(d.values, d.feasible, middle, d.reservation, np.ones(1, bool))
    assert inside.pareto_distance[0] > 0.05 and inside.gap_low[0] > 0.02


def _engine(domain: Domain, plan: Plan, params: SimParams = SimParams(), **kw):
    return run(domain, plan, params, **kw)


def test_a_batch_equals_its_draws_one_by_one():
    """Lockstep draws give exactly the runs of the draws played alone (chunk-free)."""
    domains = [benchmark_domain(7, s, incentive=True) for s in range(6)]
    plan = plain(4, ["elections_bonus"])
    for protocol in ("single-text", "alternating"):
        params = SimParams(protocol=protocol)
        together, _ = _engine(stack(domains), plan, params, seed=3)
        for d, domain in enumerate(domains):
            alone, _ = _engine(domain, plan, params, seed=3, start=d)
            np.testing.assert_array_equal(alone.text[0], together.text[d])
            np.testing.assert_array_equal(alone.rounds["utility"][0],
                                          together.rounds["utility"][d])
            assert alone.agreed_round[0] == together.agreed_round[d]


def test_seeded_runs_are_reproducible():
    domain = stack([many_party_domain(5, s) for s in range(4)])
    a, _ = _engine(domain, plain(5), seed=9)
    b, _ = _engine(domain, plain(5), seed=9)
    np.testing.assert_array_equal(a.rounds["text"], b.rounds["text"])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), parties=st.integers(2, 5),
       protocol=st.sampled_from(["single-text", "alternating"]),
       style=st.sampled_from(["boulware", "linear", "conceder", "aspiration", "tit_for_tat"]))
def test_an_agreement_never_leaves_a_party_below_its_reservation_value(seed, parties, protocol,
                                                                        style):
    d = random_domain(seed, parties, issues=4)
    params = SimParams(protocol=protocol, party=PartyParams(style=style))
    o, _ = _engine(d, plain(4), params, seed=seed, metrics=False)
    if o.agreement[0]:
        assert (o.utility[0] >= d.reservation[0] - 1e-12).all()
    assert d.feasible[np.arange(4), o.text[0]].all()


def test_trust_sets_the_surplus_a_party_needs_to_sign():
    """At the deadline a party signs iff p (U - R) >= (1 - p) exposure."""
    floor, kappa = np.array([0.5]), 0.1
    for p, u, signs in ((0.5, 0.61, True), (0.5, 0.59, False), (0.2, 0.61, False),
                        (0.2, 0.91, True)):
        value = effective(np.array([u]), floor, np.array([p]), kappa)
        want = aspiration(np.array([1.0]), floor, 1.0, np.array([4.0]))
        assert bool(value[0] >= want[0]) == signs


def _gesture_run(seed: int, returned: bool):
    """Two rounds; the government's gesture in round 1; its return decided by the uniform."""
    d = benchmark_domain(3, 2)
    plan = Plan(tuple(RoundSpec() for _ in range(4)), gestures=(Gesture(0, "government", "g"),))
    engine = np.full((1, 2 + 4 * 10), 0.99)
    engine[0, 1] = 0.0 if returned else 0.99  # the opposition's return decision
    params = SimParams(party=PartyParams(style="boulware"))
    return _engine(d, plan, params, engine=engine, metrics=False)[0]


def test_a_gesture_raises_the_others_trust_and_a_return_raises_its_author_s():
    back = _gesture_run(0, returned=True)
    assert back.rounds["confidence"][0, 0, 1] == pytest.approx(0.6)  # opposition trusts more
    assert back.events.returned[0, 0, 1] == 1
    assert back.rounds["confidence"][0, 1, 0] == pytest.approx(0.6)  # returned in round 2
    lapsed = _gesture_run(0, returned=False)
    assert lapsed.events.lapsed[0, 0, 1] == 2
    assert lapsed.rounds["confidence"][0, 2, 0] == pytest.approx(0.45)


def test_a_bonus_counts_only_where_its_condition_holds():
    d = benchmark_domain(3, 0)
    bonus = Bonus("b", "t", 0, 0, np.arange(11) >= 7, np.array([0.15]), credibility=0.5)
    added = replace(d, bonuses=(bonus,)).tables() - d.values
    np.testing.assert_allclose(added[0, 0, 0, 7:], 0.075, rtol=1e-12)
    assert added[0, 0, 0, :7].sum() == 0
    assert added[0, 1].sum() == 0 and added[0, 0, 1:].sum() == 0


def _shock_plan(size: float, rounds: int = 10) -> Plan:
    shock = ShockPlan("s", "shock", None, True, (("government", size, -0.2),), (), 0)
    return Plan(tuple(RoundSpec(label=f"r{r}") for r in range(rounds)), shocks=(shock,))


def test_a_shock_makes_a_party_walk_out_and_it_returns_when_it_fades():
    d = benchmark_domain(3, 2)
    o, _ = _engine(d, _shock_plan(0.3), metrics=False, shock_days=np.zeros((1, 1)))
    walked = np.flatnonzero(o.rounds["walkout"][0, :, 0])
    back = np.flatnonzero(o.rounds["returned"][0, :, 0])
    assert walked.size and back.size and back[0] > walked[0]
    calm, _ = _engine(d, Plan(_shock_plan(0.3).rounds), metrics=False)
    assert calm.agreement[0] and not calm.walked_out[0]


def test_a_shock_after_the_last_round_is_not_played():
    import datetime as dt

    rounds = tuple(RoundSpec(dt.date(2021, 1, 1) + dt.timedelta(days=30 * r)) for r in range(3))
    shock = ShockPlan("s", "shock", dt.date(2021, 3, 10), False, (("government", 0.3, 0),), (), 0)
    plan = Plan(rounds, shocks=(shock,))
    np.testing.assert_array_equal(plan.shock_rounds(np.array([[0.0], [-10.0], [-40.0]])),
                                  [[-1], [2], [1]])


def test_qualified_majority_with_fifty_parties():
    d = many_party_domain(50, 0)
    params = SimParams(mediator=replace(SimParams().mediator, majority=0.67))
    o, m = _engine(d, plain(5), params)
    assert o.text.shape == (1, 7)
    if o.agreement[0]:
        assert (o.utility[0] >= d.reservation[0]).all()
        assert m.gap_low[0] <= m.gap_high[0]


def test_a_boulware_party_facing_a_conceder_captures_the_surplus():
    """mediation.md 3.5, finding 4: in alternating offers the Boulware side gets more."""
    styles = (("government", "boulware"), ("opposition", "conceder"))
    params = SimParams(protocol="alternating", party=PartyParams(styles=styles))
    d = stack([benchmark_domain(7, s) for s in range(10)])
    o, _ = _engine(d, plain(5), params, metrics=False)
    assert o.agreement.all()
    gains = o.utility - d.reservation
    assert np.mean(gains[:, 0] - gains[:, 1]) > 0.1


def test_the_first_draft_splits_the_parties_positions():
    from accord.sim.mediator import neutral

    d = random_domain(1, parties=3, issues=4, levels=11)
    d = replace(d, feasible=np.ones((4, 11), bool), position=np.array([[[0, 2, 4, 10],
                                                                          [4, 2, 6, 10],
                                                                          [8, 2, 8, 10]]]))
    np.testing.assert_array_equal(neutral(d), [[4, 2, 6, 10]])


def test_party_state_starts_with_the_given_trust():
    state = PartyState.start(2, 3, PartyParams(trust=0.3))
    np.testing.assert_allclose(state.confidence(), 0.3)


def test_coordinate_ascent_starts_from_an_infeasible_text_without_nan():
    """A start text on an infeasible level (-inf) must not turn the log-roll's sums into NaN
    (inf - inf), which argmax would take for the best level."""
    allowed = np.zeros((1, 2, 3, 3))
    allowed[0, :, 0, 0] = -np.inf  # level 0 of the first issue is off the table
    allowed[0, 0, 1, 2] = allowed[0, 1, 2, 1] = 1.0
    with np.errstate(all="raise"):
        assert _ascend(allowed, np.zeros((1, 3), dtype=int), np.zeros((1, 2)))[0] == 1.0
