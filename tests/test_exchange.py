"""The exchange model: hand calculations, invariants, and decide-exchange-model's own runs
(shared/data/decide/reference: every executed exchange of 10 rounds on three inputs)."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from accord.cli import main
from accord.models import exchange_kernel as kernel
from accord.models import get
from accord.models.exchange import float_rounds
from accord.models.exchange_rounds import Round, Rules
from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.draws import DrawSpec
from accord.scenario.formats import read_file
from conftest import shared

FILES = {"sample_data": "sample_data.txt", "copenhagen": "copenhagen.csv", "cop21": "cop21.csv"}
# The reference prints decide's 28-digit decimals; the decide preset computes in them where they
# decide anything and reports floats, so agreement is to float precision. 1e-9 of the scale is
# the issue's bar; the observed worst is below 1e-15.
AGREE = 1e-9


def two_actors(capability_b: float = 1.0) -> Batch:
    # A: p=0.2 (s 0.3), q=0.8 (s 0.9); B: p=0.8 (s 0.8), q=0.2 (s 0.4). A supplies on p.
    x = np.array([[[0.2, 0.8], [0.8, 0.2]]])
    s = np.array([[[0.3, 0.9], [0.8, 0.4]]])
    return Batch(np.array([[1.0, capability_b]]), x, s, np.ones((2, 2), bool),
                 np.array([np.nan, np.nan]))


@pytest.mark.parametrize("preset", [None, "decide"])
def test_one_exchange_by_hand(preset):
    result = get("exchange")(two_actors(), rounds=1, preset=preset)
    (only,) = result.diagnostics["exchanges"][0][0]
    w_p, w_q = 0.3 + 0.8, 0.9 + 0.4
    dp = 0.6 * 0.3 / w_p                 # A moves fully to B's position on p
    dq = dp * (0.3 + 0.8) / (0.9 + 0.4)  # equal gain
    move_b = dq * w_q / 0.4              # 0.45 < 0.6: no overshoot
    assert only["supplier_p"] == 0 and only["supplier_q"] == 1
    assert only["dp"] == pytest.approx(dp, abs=1e-12)
    assert only["dq"] == pytest.approx(dq, abs=1e-12)
    assert only["b_after"] == pytest.approx(0.2 + move_b, abs=1e-12)
    gain = dq * 0.9 - dp * 0.3
    assert only["gain_a"] == pytest.approx(gain, abs=1e-12)
    assert only["gain_b"] == pytest.approx(dp * 0.8 - dq * 0.4, abs=1e-12)
    assert only["gain_a"] == pytest.approx(only["gain_b"], abs=1e-12)
    voting = result.round_outcomes[0, 1]
    assert voting[0] == pytest.approx(0.8, abs=1e-12)
    assert voting[1] == pytest.approx((0.9 * 0.8 + 0.4 * 0.2) / w_q + dq, abs=1e-12)
    preference = result.diagnostics["preference"][0, 1]
    assert preference[0, 0] == pytest.approx(0.2 + 0.6 * (0.7 * 0.4 + 0.1), abs=1e-12)
    assert preference[1, 1] == pytest.approx(0.2 + move_b * (0.6 * 0.4 + 0.1), abs=1e-12)
    assert preference[0, 1] == 0.8 and preference[1, 0] == 0.8  # demanders do not move


def test_overshoot_is_solved_from_the_other_side():
    # B weak on q: its required move would overshoot A's position, so B moves fully instead.
    result = get("exchange")(two_actors(capability_b=0.2), rounds=1)
    (only,) = result.diagnostics["exchanges"][0][0]
    w_p, w_q = 0.3 + 0.2 * 0.8, 0.9 + 0.2 * 0.4
    o_q = (0.9 * 0.8 + 0.08 * 0.2) / w_q
    dq_full = 0.6 * 0.08 / w_q
    dq = min(dq_full, 0.8 - o_q)          # A demands q: its outcome may not pass 0.8
    dp = dq * (0.9 + 0.4) / (0.3 + 0.8)
    assert only["dq"] == pytest.approx(dq, abs=1e-12)
    assert only["dp"] == pytest.approx(min(dp, 0.8 - (0.3 * 0.2 + 0.16 * 0.8) / w_p), abs=1e-12)
    assert only["b_after"] <= 0.8 + 1e-12


def test_no_exchange_when_actors_agree():
    x = np.array([[[0.2, 0.3], [0.2, 0.3]]])
    s = np.array([[[0.3, 0.9], [0.8, 0.4]]])
    batch = Batch(np.ones((1, 2)), x, s, np.ones((2, 2), bool), np.full(2, np.nan))
    result = get("exchange")(batch, rounds=3)
    assert all(len(r) == 0 for r in result.diagnostics["exchanges"][0])
    np.testing.assert_allclose(result.trajectory[0, -1], x[0])


def test_masked_stances_and_venezuela(venezuela):
    arrays = ScenarioArrays.from_scenario(venezuela)
    result = get("exchange")(arrays.batch())
    out = arrays.to_scale(result.outcome)[0]
    assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 100))
    for round_exchanges in result.diagnostics["exchanges"][0]:
        for e in round_exchanges:
            for actor, issue in ((e["supplier_p"], e["p"]), (e["supplier_q"], e["q"])):
                assert arrays.mask[actor, issue]


def test_random_rate_variant_differs_and_zero_randomness_is_equal_gain():
    batch = _arrays("sample_data").batch()
    equal = get("exchange")(batch).outcome
    zero = get("exchange")(batch, variant="random_rate", randomness=0.0).outcome
    np.testing.assert_allclose(equal, zero)
    random = get("exchange")(batch, variant="random_rate", randomness=1.0, seed=3)
    assert not np.allclose(random.outcome, equal)
    for e in random.diagnostics["exchanges"][0][0]:
        assert e["gain_a"] > 0 and e["gain_b"] > 0
    again = get("exchange")(batch, variant="random_rate", randomness=1.0, seed=3)
    np.testing.assert_array_equal(random.outcome, again.outcome)


@pytest.mark.parametrize("seed", range(6))
def test_permuting_actors_permutes_the_result(seed):
    """Random real-valued inputs have no tied gains, and the default decides R5's boundary as
    exact arithmetic would, so the greedy order, and everything else, follows the actors
    wherever they are listed. (decide's own arithmetic is not so: its sums, in actor order, round
    differently, and the decide preset follows them.)"""
    rng = np.random.default_rng(seed)
    n, k = 8, 4
    batch = Batch(rng.uniform(0.1, 1, (1, n)), rng.uniform(0, 1, (1, n, k)),
                  rng.uniform(0.1, 1, (1, n, k)), np.ones((n, k), bool), np.full(k, np.nan))
    order = rng.permutation(n)
    permuted = Batch(batch.capability[:, order], batch.position[:, order],
                     batch.salience[:, order], batch.mask[order], batch.status_quo)
    a, b = get("exchange")(batch), get("exchange")(permuted)
    np.testing.assert_allclose(a.outcome, b.outcome, atol=1e-9)
    np.testing.assert_allclose(a.trajectory[:, :, order], b.trajectory, atol=1e-9)


def _arrays(name: str) -> ScenarioArrays:
    return ScenarioArrays.from_scenario(read_file(shared("data", "decide", FILES[name])).scenario)


def _reference(name: str) -> tuple[dict, dict]:
    folder = shared("data", "decide", "reference", name)
    runs = json.loads((folder / "rounds_ties_first.json").read_text())
    outcomes = {(int(r["round"]), r["issue"]): float(r["voting_outcome_after_exchanges"])
                for r in csv.DictReader((folder / "outcomes.csv").open())
                if r["ties"] == "ties-first"}
    return runs, outcomes


@pytest.fixture(scope="module", params=list(FILES))
def decide_run(request):
    name = request.param
    arrays = _arrays(name)
    return name, arrays, get("exchange")(arrays.batch(), preset="decide"), _reference(name)


def test_decide_preset_outcomes_and_counts_every_round(decide_run):
    """Every issue's voting outcome after each of the 10 rounds within 1e-9 of its scale, and
    every round's candidates (R3: equal salience ratios included) and executed exchanges."""
    name, arrays, result, (runs, outcomes) = decide_run
    vote = arrays.to_scale(result.round_outcomes[0])
    span = arrays.high - arrays.low
    for k in range(1, 11):
        expected = np.array([outcomes[k, issue] for issue in runs["issues"]])
        assert np.abs(vote[k] - expected).max() <= AGREE * span.min(), f"round {k}"
    assert result.diagnostics["candidates"][0].tolist() == [r["candidates"] for r in runs["rounds"]]
    executed = [len(r["executed"]) for r in runs["rounds"]]
    assert result.diagnostics["executed"][0].tolist() == executed
    assert result.diagnostics["inexact"] == 0


def test_decide_preset_executes_decides_exchanges_in_order(decide_run):
    """Every executed exchange of every round: actors, issues, start, move, new position and
    gain, on decide's 0-100 internal scale (i supplies on the later issue, j on the earlier)."""
    name, arrays, result, (runs, _) = decide_run
    actors, issues = runs["actors"], runs["issues"]
    for k, ref in enumerate(runs["rounds"]):
        ours = result.diagnostics["exchanges"][0][k]
        assert len(ours) == len(ref["executed"]), f"round {k + 1}"
        for e, want in zip(ours, ref["executed"]):
            for side, actor, issue, before, after in (
                    ("i", e["supplier_q"], e["q"], e["b_before"], e["b_after"]),
                    ("j", e["supplier_p"], e["p"], e["a_before"], e["a_after"])):
                w = want[side]
                assert (actors[actor], issues[issue]) == (w["actor"], w["supply"]), f"round {k + 1}"
                assert before * 100 == pytest.approx(w["start"], abs=AGREE)
                assert (after - before) * 100 == pytest.approx(w["move"], abs=AGREE)
                assert after * 100 == pytest.approx(w["y"], abs=AGREE)
            assert e["gain"] * 100 == pytest.approx(want["gain"], abs=AGREE)


def test_default_reading_is_the_closest_to_decide():
    """decide's rules in float64 (the default) against the readings of its description: over
    the three files and ten rounds, the default's outcomes and exchange counts are closest."""
    readings = {"default": {}, "round_start": dict(nbs_outcome="round_start"),
                "running": dict(nbs_outcome="running"), "executed": dict(move_cap="executed"),
                "round_start+executed": dict(nbs_outcome="round_start", move_cap="executed")}
    off = {label: [0.0, 0.0] for label in readings}
    for name in FILES:
        arrays = _arrays(name)
        runs, outcomes = _reference(name)
        span = arrays.high - arrays.low
        expected = np.array([[outcomes[k, i] for i in runs["issues"]] for k in range(1, 11)])
        counts = np.array([len(r["executed"]) for r in runs["rounds"]])
        for label, params in readings.items():
            result = get("exchange")(arrays.batch(), **params)
            vote = arrays.to_scale(result.round_outcomes[0, 1:])
            off[label][0] += np.mean(np.abs(vote - expected) / span) * 100
            off[label][1] += np.mean(np.abs(result.diagnostics["executed"][0] - counts))
    for label in readings:
        assert off["default"][0] < off[label][0] or label == "default"
        assert off["default"][1] < off[label][1] or label == "default"


def test_trace_lists_exchanges_as_decide_does(capsys):
    path = str(shared("data", "decide", "sample_data.txt"))
    assert main(["trace", path, "-m", "exchange", "-p", "exchange.preset=decide", "--round", "2",
                 "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["exchanges"]
    runs, _ = _reference("sample_data")
    assert len(rows) == len(runs["rounds"][1]["executed"])
    first, want = rows[0], runs["rounds"][1]["executed"][0]
    for side in ("i", "j"):
        assert first[side]["actor"] == want[side]["actor"]
        assert first[side]["supplies"] == want[side]["supply"]
        span = 6.5 if want[side]["supply"] == "tol-hoogte" else 100
        assert first[side]["move"] / span * 100 == pytest.approx(want[side]["move"], abs=AGREE)
    assert first["gain"] == pytest.approx(want["gain"], abs=AGREE)
    assert main(["trace", path, "-m", "exchange", "-p", "exchange.preset=decide", "--round",
                 "2"]) == 0
    table = capsys.readouterr().out
    for column in ("supplies", "start", "move", "new position", "gain"):
        assert column in table


def test_decimal_arithmetic_needs_decides_rules():
    with pytest.raises(ValueError, match="arithmetic=decimal"):
        get("exchange")(two_actors(), arithmetic="decimal", ties="list", nbs_outcome="running")
    assert main(["forecast", "-m", "exchange", "-p", "exchange.arithmetic=decimal"]) == 2


@pytest.mark.parametrize("params", [{}, dict(variant="random_rate", randomness=0.7, ties="random"),
                                    dict(nbs_outcome="running", move_cap="executed")])
def test_draws_in_lockstep_equal_draws_one_by_one(venezuela, params):
    """Exactly: a draw's rounds depend on its inputs and its own random stream only."""
    batch = DrawSpec.from_scenario(venezuela).draw(7, 0, 12)
    rules = Rules(params.get("nbs_outcome", "candidate"), params.get("move_cap", "listed"),
                  params.get("ties", "first"), params.get("randomness", 0.0))
    streams = np.random.SeedSequence(5).spawn(12)
    together = float_rounds(batch, 10, rules, streams)
    for d in range(12):
        one = Batch(batch.capability[d:d + 1], batch.position[d:d + 1], batch.salience[d:d + 1],
                    batch.mask, batch.status_quo)
        alone = float_rounds(one, 10, rules, streams[d:d + 1])
        for key in ("voting", "preference", "voting_outcome", "candidates", "executed"):
            np.testing.assert_array_equal(together[key][d], alone[key][0])
        if d == 0:
            assert together["log"] == alone["log"]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("views", ["candidate", "running"])
def test_recomputing_touched_candidates_equals_recomputing_all(seed, views):
    """The compiled round recomputes only the candidates an exchange touched (R2); recomputing
    every live candidate after each exchange must execute the same exchanges, bit for bit."""
    rng = np.random.default_rng(seed)
    n, k = 12, 5
    x = rng.uniform(0, 100, (1, n, k))
    s, c = rng.uniform(0.1, 1, (1, n, k)), rng.uniform(0.1, 1, (1, n))
    mask = rng.uniform(size=(n, k)) < 0.9
    fast = Round(x, s, c, mask, Rules(views=views))
    fast.start()
    fast.run()
    slow = Round(x, s, c, mask, Rules(views=views))
    slow.start()
    executed = _brute_force(slow)
    assert executed == fast.executed[0] > 10
    np.testing.assert_array_equal(slow.y, fast.y)


def _brute_force(r: Round) -> int:
    F, I, D, G, y, x, w, recoff, seen, recnum, running, cum, direction = r.state()[:13]
    executed = 0
    while (c := kernel.pick(0, len(G), G, -1.0)) >= 0:
        moved = (I[c, kernel.I_YJ], I[c, kernel.I_YI])
        G[c], D[c, kernel.D_ALIVE] = -np.inf, 0
        for side, move in ((0, D[c, kernel.D_LASTJ]), (1, D[c, kernel.D_LASTI])):
            at = moved[side]
            y[at] += move
            cum[at] += abs(move)
            direction[at] = np.sign(move)
            weight = F[c, kernel.F_SHJ + side]
            running[I[c, kernel.I_KP + side]] += move * weight
            rec = I[c, kernel.I_RJ + side]
            if not seen[rec]:
                seen[rec], recoff[rec] = True, y[at] - x[at]
                recnum[I[c, kernel.I_NJ + side]] += recoff[rec] * w[at]
        kernel.compute(np.flatnonzero(D[:, kernel.D_ALIVE] > 0), *moved, F, I, D, G, y, recoff,
                       recnum, running, cum, direction, *r.flags)
        executed += 1
    return executed
