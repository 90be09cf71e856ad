"""Deal or no deal: the mixture forecast on synthetic inputs, and its wiring to the Venezuela
phases (the probability and agreed outcomes come from the simulation, on another branch)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.casesets import venezuela
from accord.analysis.mixture import backtest_mixture, mixture, score_mixture
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError


def test_no_deal_is_the_status_quo():
    f = mixture(0.0, np.full((5, 2), 80.0), np.array([20.0, 35.0]))
    np.testing.assert_allclose(f.median, [20.0, 35.0])
    score = score_mixture(f, np.array([30.0, 35.0]))
    assert score.mae == pytest.approx(5.0) and score.crps == pytest.approx(5.0, abs=1e-9)


def test_certain_deal_is_the_agreement_distribution():
    agreed = np.array([[60.0], [70.0], [80.0]])
    f = mixture(1.0, agreed, np.array([10.0]))
    assert f.median[0] == pytest.approx(70.0) and f.mean[0] == pytest.approx(70.0)
    energy = np.abs(agreed - 65.0).mean() - 0.5 * np.abs(agreed - agreed.T).mean()
    assert score_mixture(f, np.array([65.0])).crps == pytest.approx(energy)


def test_two_point_mixture_matches_the_closed_form():
    # CRPS of p at a, 1 - p at s: p|a - y| + (1 - p)|s - y| - p (1 - p)|a - s|
    p, a, s, y = 0.3, 70.0, 20.0, 40.0
    f = mixture(p, np.full((4, 1), a), np.array([s]))
    assert score_mixture(f, np.array([y])).crps == pytest.approx(
        p * abs(a - y) + (1 - p) * abs(s - y) - p * (1 - p) * abs(a - s))
    assert f.mean[0] == pytest.approx(p * a + (1 - p) * s)
    assert f.median[0] == s  # p < 1/2: the status quo minimises the expected absolute error
    assert mixture(0.6, np.full((4, 1), a), np.array([s])).median[0] == a


def test_draws_without_agreement_and_unknown_status_quo():
    agreed = np.array([[np.nan, 50.0], [np.nan, np.nan], [np.nan, 70.0]])
    f = mixture(0.9, agreed, np.array([15.0, np.nan]))
    assert f.median[0] == 15.0  # no draw agreed on issue 0: nothing but the status quo
    assert f.mean[1] == pytest.approx(60.0)  # no known status quo: the agreement alone
    low, high = f.interval(0.9)
    assert low[1] >= 50.0 - 1e-9 and high[1] <= 70.0 + 1e-9


def test_other_scales():
    f = mixture(1.0, np.array([[2.0], [4.0]]), np.array([0.0]), low=-5.0, high=5.0)
    assert f.mean[0] == pytest.approx(3.0)
    assert score_mixture(f, np.array([3.0])).crps == pytest.approx(0.5, abs=1e-9)


@pytest.mark.parametrize("p, agreed, sq", [
    (1.5, np.zeros((2, 1)), np.zeros(1)),
    (-0.1, np.zeros((2, 1)), np.zeros(1)),
    (0.5, np.zeros((2, 3)), np.zeros(2)),
    (0.5, np.full((2, 1), 120.0), np.zeros(1)),
])
def test_bad_inputs_are_input_errors(p, agreed, sq):
    with pytest.raises(InputError):
        mixture(p, agreed, sq)


def test_venezuela_phases_wired_with_a_stand_in_deal():
    """With p = 0 the mixture is the status quo and scores its 8.75 on the 32 issue-phases; a
    certain deal 10 points above the status quo scores worse. Nothing is fitted: the stand-ins
    only exercise the interface that the simulation's deal_probability(...) will fill."""
    cases = venezuela()

    def no_deal(case):
        a = ScenarioArrays.from_scenario(case.scenario)
        return mixture(0.0, np.full((20, len(a.issue_ids)), np.nan), a.status_quo, a.low, a.high)

    def certain_deal(case):
        a = ScenarioArrays.from_scenario(case.scenario)
        agreed = np.tile(np.minimum(a.status_quo + 10.0, a.high), (20, 1))
        return mixture(1.0, agreed, a.status_quo, a.low, a.high)

    stays = backtest_mixture(cases, no_deal)
    assert stays.n == 32 and round(stays.mae, 2) == 8.75
    assert stays.crps == pytest.approx(stays.mae, abs=1e-9)
    assert backtest_mixture(cases, certain_deal).mae > stays.mae


def test_honour_is_the_product_of_the_others_trust():
    from accord.sim.deal import honour

    # two parties: each one's confidence is its trust in the other; the deal holds if both honour
    confidence = np.array([[[0.5, 0.5], [0.6, 0.7]], [[0.9, 0.9], [0.9, 0.9]]])
    held = honour(confidence, np.array([1, -1]))
    assert held[0] == pytest.approx(0.6 * 0.7) and held[1] == 0.0
    three = np.full((1, 1, 3), 0.8)  # three parties trusting each other 0.8: 0.8^3
    assert honour(three, np.array([0]))[0] == pytest.approx(0.8 ** 3)


def test_weighted_agreements_weigh_the_distribution():
    agreed = np.array([[20.0], [80.0], [80.0]])
    f = mixture(1.0, agreed, np.array([0.0]), weights=np.array([2.0, 0.5, 0.5]))
    assert f.mean[0] == pytest.approx((2 * 20 + 80) / 3) and f.median[0] == pytest.approx(20.0)
    with pytest.raises(InputError):
        mixture(1.0, agreed, np.array([0.0]), weights=np.array([1.0, -1.0, 1.0]))


@pytest.mark.parametrize("seed", [0, 5])
def test_the_simulated_deal_on_the_venezuela_phases(seed):
    """Issue 15 must-show: the mixture's MAE is no worse than the status quo's 8.75, with nothing
    fitted on the phases' outcomes (p from the simulation's own trust model); and its CRPS is
    below the status quo's (a point forecast's CRPS is its absolute error)."""
    from accord.analysis.mixture import simulated

    score = backtest_mixture(venezuela(), simulated(60, seed))
    assert score.n == 32
    assert score.mae <= 8.75 + 1e-9
    assert score.crps < 8.75
