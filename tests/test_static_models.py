"""Static models against the BDM reference numbers, hand calculations and invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import batches, permuted

from accord.models import MODELS, get
from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.formats import read_file
from conftest import shared


@pytest.fixture
def emission():
    """BDM (1994) emission-standards table (Scholz et al. 2011, Table 1)."""
    arrays = ScenarioArrays.from_scenario(
        read_file(shared("data", "bdm", "example_actors.csv")).scenario)
    return arrays, arrays.batch()


def test_emission_weighted_mean(emission):
    # Published value 7.389955686853767 (shared/data/bdm); 1e-9 allows for summation order.
    arrays, batch = emission
    assert arrays.to_scale(get("compromise")(batch).outcome)[0, 0] == pytest.approx(
        7.389955686853767, abs=1e-9)


@pytest.mark.parametrize("method", ["cumulative", "condorcet"])
def test_emission_weighted_median(emission, method):
    arrays, batch = emission
    outcome = arrays.to_scale(get("median")(batch, method=method).outcome)[0, 0]
    assert outcome == pytest.approx(7.0, abs=1e-9)


def test_emission_unweighted_mean(emission):
    arrays, batch = emission
    assert arrays.to_scale(get("mean")(batch).outcome)[0, 0] == pytest.approx(6.7, abs=1e-12)


def _batch(x, c, s, sq, mask=None):
    x = np.asarray(x, float)[None, :, None]
    return Batch(np.asarray(c, float)[None], x, np.asarray(s, float)[None, :, None],
                 np.ones((x.shape[1], 1), bool) if mask is None else np.asarray(mask)[:, None],
                 np.array([sq], float))


def test_nash_two_actors_by_hand():
    # Linear utilities, SQ = 0, actors at 0.4 and 0.8 with weights 1 and 1. Feasible (0, 0.8).
    # On (0.4, 0.8): maximise log(0.4 - (x - 0.4)) + log(0.8 - (0.8 - x)) = log(0.8 - x) + log(x)
    # -> x = 0.4; on (0, 0.4): log(x) + log(x) increasing -> optimum at the kink x = 0.4.
    out = get("nash")(_batch([0.4, 0.8], [1, 1], [1, 1], 0.0)).outcome
    assert out[0, 0] == pytest.approx(0.4, abs=1e-12)


def test_nash_quadratic_by_hand():
    # Quadratic: gain_i = (sq - x_i)^2 - (x - x_i)^2. Actors at 0.5 and 1.0, weights 1, SQ 0.
    # Gains are x(1 - x) and x(2 - x); d/dx log-product = 2/x - 1/(1-x) - 1/(2-x) = 0
    # <=> 4x^2 - 9x + 4 = 0 -> x = (9 - sqrt(17)) / 8.
    out = get("nash")(_batch([0.5, 1.0], [1, 1], [1, 1], 0.0), utility="quadratic").outcome[0, 0]
    g1, g2 = 0.25 - (out - 0.5) ** 2, 1 - (out - 1) ** 2
    assert -2 * (out - 0.5) / g1 - 2 * (out - 1) / g2 == pytest.approx(0, abs=1e-6)
    assert out == pytest.approx((9 - np.sqrt(17)) / 8, abs=1e-9)


def test_nash_actor_at_status_quo_vetoes():
    out = get("nash")(_batch([0.2, 0.9], [1, 5], [1, 1], 0.2)).outcome
    assert out[0, 0] == pytest.approx(0.2)


def test_nash_status_quo_between_actors_is_kept():
    # One actor wants more, one less: no point improves on the status quo for both.
    out = get("nash")(_batch([0.1, 0.9], [1, 1], [1, 1], 0.5)).outcome
    assert out[0, 0] == pytest.approx(0.5)


def test_nash_weight_pulls_towards_stronger_actor():
    weak = get("nash")(_batch([0.4, 0.8], [1, 1], [1, 1], 0.0)).outcome[0, 0]
    strong = get("nash")(_batch([0.4, 0.8], [1, 4], [1, 1], 0.0)).outcome[0, 0]
    assert strong > weak


def test_masked_actor_is_ignored_not_zero():
    # Actor 2 takes no part: its position must not count, whatever it is.
    base = _batch([0.2, 0.6, 1.0], [1, 1, 50], [1, 1, 1], 0.0, mask=[True, True, False])
    for name in MODELS:
        assert get(name)(base).outcome[0, 0] <= 0.6 + 1e-12


def test_issue_nobody_takes_part_in_keeps_status_quo():
    b = _batch([0.2], [1], [1], 0.3, mask=[False])
    for name in MODELS:
        assert get(name)(b).outcome[0, 0] == pytest.approx(0.3)


@settings(max_examples=150, deadline=None)
@given(batches(grid=6))
def test_cumulative_median_equals_condorcet_winner(batch):
    cumulative = get("median")(batch, method="cumulative").outcome
    condorcet = get("median")(batch, method="condorcet").outcome
    np.testing.assert_allclose(cumulative, condorcet, atol=1e-12)


# exchange: seeded tie-breaks; smp: KTAB breaks ties by actor order (queues, first maximum), so
# it is permutation-invariant only without ties (tests/test_smp.py checks that case).
DETERMINISTIC = [name for name in MODELS if name not in ("exchange", "smp")]


@settings(max_examples=60, deadline=None)
@given(batches(), st.randoms())
@pytest.mark.parametrize("name", DETERMINISTIC)
def test_permuting_actors_changes_nothing(name, batch, random):
    order = np.arange(batch.position.shape[1])
    random.shuffle(order)
    a = get(name)(batch).outcome
    b = get(name)(permuted(batch, order)).outcome
    np.testing.assert_allclose(a, b, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(batches())
@pytest.mark.parametrize("name", ["compromise", "median", "mean"])
def test_forecast_lies_within_positions(name, batch):
    out = get(name)(batch).outcome
    x = np.where(batch.mask[None], batch.position, np.nan)
    assert np.all(out >= np.nanmin(x, axis=1) - 1e-12)
    assert np.all(out <= np.nanmax(x, axis=1) + 1e-12)


@settings(max_examples=60, deadline=None)
@given(batches())
def test_nash_lies_between_status_quo_and_positions(batch):
    out = get("nash")(batch).outcome
    x = np.where(batch.mask[None], batch.position, np.nan)
    lo = np.minimum(np.nanmin(x, axis=1), batch.status_quo)
    hi = np.maximum(np.nanmax(x, axis=1), batch.status_quo)
    assert np.all((out >= lo - 1e-9) & (out <= hi + 1e-9))


@settings(max_examples=40, deadline=None)
@given(batches(max_draws=1))
def test_draws_are_independent(batch):
    # Stacking a batch twice gives the same forecast twice: no leakage across draws.
    double = Batch(*(np.concatenate([a, a]) for a in (batch.capability, batch.position,
                                                       batch.salience)),
                   batch.mask, batch.status_quo)
    for name in DETERMINISTIC:  # exchange: each draw has its own tie-breaking stream
        out = get(name)(double).outcome
        np.testing.assert_allclose(out[0], out[1])
