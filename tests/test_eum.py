"""The expected utility model against the BDM emission-standards test vectors.

Reference: shared/data/bdm/test_vectors_emission.json (round-1 vectors and 10-round trajectories
of three replications) and emission_trajectories.csv. Tolerances: 1e-9 on round-1 quantities and
1e-6 on trajectories, as the issue asks; the implementation in fact agrees to about 1e-13 (the
only difference is floating-point summation order, positions being normalised to [0, 1]).
"""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import batches, permuted

from accord.models import get
from accord.models.eum import OFFER_KINDS, PRESETS, TIE, round_vectors
from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.formats import read_file
from conftest import shared

VECTORS = {"scholz_code": "jmckib", "scholz_literal": "scholz_literal", "dmasad_eu": "dmasad_eu"}
KIND = {"confront": "confrontation", "compromise": "compromise", "capitulate": "capitulation"}


@pytest.fixture(scope="module")
def emission():
    arrays = ScenarioArrays.from_scenario(
        read_file(shared("data", "bdm", "example_actors.csv")).scenario)
    reference = json.loads(shared("data", "bdm", "test_vectors_emission.json").read_text())
    return arrays, reference


def matrix(table: dict, names) -> np.ndarray:
    """A {actor: {other: value}} table as an (n, n) array with zeros on the diagonal."""
    return np.array([[table[a].get(b, 0.0) if a != b else 0.0 for b in names] for a in names])


def first_round(arrays, preset):
    params = {**get("eum").defaults, **PRESETS[preset], "q": 1.0, "risk": True}
    batch = arrays.batch()
    x, s = batch.position[:, :, 0], batch.salience[:, :, 0]
    w = batch.weights()[:, :, 0]
    span = (x.max() - x.min()) * np.ones((1, 1, 1))
    return round_vectors(x, s, w, span, params)


@pytest.mark.parametrize("preset", list(VECTORS))
def test_round_one_vectors(emission, preset):
    arrays, reference = emission
    ref = reference[VECTORS[preset]]
    names = arrays.actor_ids
    v = first_round(arrays, preset)
    np.testing.assert_allclose(v["p1"][0], matrix(ref["P_r1"], names), atol=1e-9)
    np.testing.assert_allclose(v["eu1"][0], matrix(ref["EU_r1"], names), atol=1e-9)
    np.testing.assert_allclose(v["r"][0], [ref["r"][a] for a in names], atol=1e-9)
    np.testing.assert_allclose(v["eu2"][0], matrix(ref["EU_pass2_own_r"], names), atol=1e-9)
    np.testing.assert_allclose(v["p2"][0], matrix(ref["P_pass2"], names), atol=1e-9)


def test_literal_probability_by_hand(emission):
    # Eq. 31 with r = 1: P(Netherlands beats France) = 0.248 / 0.584 (shared/models/eum.md 4.3).
    arrays, _ = emission
    p = first_round(arrays, "scholz_literal")["p1"][0]
    names = list(arrays.actor_ids)
    i, j = names.index("Netherlands"), names.index("France")
    assert p[i, j] == pytest.approx(0.248 / 0.584, abs=1e-12)
    assert p[i, j] + p[j, i] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("preset", list(VECTORS))
def test_moves_every_round(emission, preset):
    arrays, reference = emission
    ref = reference[VECTORS[preset]]
    result = get("eum")(arrays.batch(), preset=preset)
    names = arrays.actor_ids
    d = result.diagnostics
    path = arrays.to_scale(result.trajectory[0])[:, :, 0]
    for t, expected in enumerate(ref["moves"], start=1):
        got = [(names[i], OFFER_KINDS[int(d["kind"][0, t, i, 0])], names[d["sender"][0, t, i, 0]],
                path[t, i], d["a"][0, t, i, 0], d["b"][0, t, i, 0])
               for i in range(len(names)) if d["kind"][0, t, i, 0]]
        assert [g[:3] for g in got] == [(m["actor"], KIND[m["kind"]], m["from"])
                                        for m in expected], f"round {t}"
        for g, m in zip(got, expected):
            assert g[3:] == pytest.approx((m["new_x"], m["eu_self"], m["eu_other"]), abs=1e-9)


@pytest.mark.parametrize("preset", list(VECTORS))
def test_ten_round_trajectories(emission, preset):
    arrays, reference = emission
    ref = reference[VECTORS[preset]]
    result = get("eum")(arrays.batch(), preset=preset)
    median = arrays.to_scale(result.diagnostics["median"][0])[:, 0]
    mean = arrays.to_scale(result.diagnostics["mean"][0])[:, 0]
    np.testing.assert_allclose(median, ref["trajectory_median"], atol=1e-6)
    np.testing.assert_allclose(mean, ref["trajectory_mean"], atol=1e-6)


def test_trajectories_csv(emission):
    # The same trajectories as published in emission_trajectories.csv (6 decimals there).
    arrays, _ = emission
    rows = list(csv.DictReader(shared("data", "bdm", "emission_trajectories.csv").open()))
    for preset, column in (("scholz_code", "jmckib"), ("scholz_literal", "scholz_literal")):
        result = get("eum")(arrays.batch(), preset=preset)
        median = arrays.to_scale(result.diagnostics["median"][0])[:, 0]
        mean = arrays.to_scale(result.diagnostics["mean"][0])[:, 0]
        np.testing.assert_allclose(median, [float(r[f"{column}_median"]) for r in rows], atol=1e-6)
        np.testing.assert_allclose(mean, [float(r[f"{column}_mean"]) for r in rows], atol=1e-6)


def test_scholz_table_2_within_a_decimal_where_the_replication_does(emission):
    # Scholz et al. (2011) Table 2, truncated to one decimal: 13 of 16 values match (eum.md 4.4).
    arrays, _ = emission
    rows = [r for r in csv.DictReader(shared("data", "bdm", "emission_trajectories.csv").open())
            if r["scholz2011_table2_median"]]
    result = get("eum")(arrays.batch())
    median = arrays.to_scale(result.diagnostics["median"][0])[:, 0]
    mean = arrays.to_scale(result.diagnostics["mean"][0])[:, 0]
    hits = 0
    for r in rows:
        t = int(r["round"])
        hits += np.floor(median[t] * 10) / 10 == pytest.approx(float(r["scholz2011_table2_median"]))
        hits += np.floor(mean[t] * 10) / 10 == pytest.approx(float(r["scholz2011_table2_mean"]))
    assert hits == 13


def test_forecast_is_the_last_median(emission):
    arrays, _ = emission
    result = get("eum")(arrays.batch())
    assert arrays.to_scale(result.outcome)[0, 0] == pytest.approx(7.0)
    assert result.trajectory.shape == (1, 11, 10, 1)


def test_tolerance_stops_early():
    batch = Batch(np.ones((1, 2)), np.full((1, 2, 1), 0.5), np.ones((1, 2, 1)),
                  np.ones((2, 1), bool), np.array([0.0]))
    result = get("eum")(batch, tolerance=1e-9)
    assert result.trajectory.shape[1] == 2


@settings(max_examples=40, deadline=None)
@given(batches(max_actors=1, max_issues=2))
def test_one_actor_never_moves(batch):
    result = get("eum")(batch)
    np.testing.assert_array_equal(result.trajectory[:, -1], np.where(batch.mask, batch.position, 0))


@settings(max_examples=40, deadline=None)
@given(batches(max_actors=6), st.floats(0, 1))
def test_all_at_one_position_nothing_moves(batch, where):
    same = Batch(batch.capability, np.full_like(batch.position, where), batch.salience,
                 batch.mask, batch.status_quo)
    result = get("eum")(same)
    assert np.all(result.diagnostics["kind"] == 0)
    np.testing.assert_allclose(result.outcome, np.full_like(result.outcome, where))


@settings(max_examples=30, deadline=None)
@given(batches(max_actors=6, grid=0), st.randoms())
@pytest.mark.parametrize("preset", list(VECTORS))
def test_permuting_actors_permutes_the_trajectory(preset, batch, random):
    # Offers whose values differ by less than the model's tie tolerance are ties, broken by actor
    # order (as the references do), so two actors a hair apart (1e-12 and 0, found by
    # hypothesis) may trade places under a permutation: the property holds without such pairs.
    gaps = np.abs(batch.position[:, :, None] - batch.position[:, None, :])
    assume(not np.any((gaps > 0) & (gaps < 1e6 * TIE)))
    order = np.arange(batch.position.shape[1])
    random.shuffle(order)
    a = get("eum")(batch, preset=preset)
    b = get("eum")(permuted(batch, order), preset=preset)
    np.testing.assert_allclose(a.trajectory[:, :, order], b.trajectory, atol=1e-9)
    np.testing.assert_allclose(a.outcome, b.outcome, atol=1e-9)


def test_rescaling_the_issue_rescales_the_trajectory(emission, tmp_path):
    # The emission table on 0-12 instead of 0-100, and on a shifted scale (100-112): the
    # trajectory in user units is the same.
    arrays, reference = emission
    path = tmp_path / "t.csv"
    lines = shared("data", "bdm", "example_actors.csv").read_text().splitlines()
    rows = [lines[0]] + [",".join([*l.split(",")[:2], str(float(l.split(",")[2]) * 10 + 100),
                                   l.split(",")[3]]) for l in lines[1:]]
    path.write_text("\n".join(rows))
    shifted = ScenarioArrays.from_scenario(read_file(path).scenario)
    result = get("eum")(shifted.batch())
    median = shifted.to_scale(result.diagnostics["median"][0])[:, 0]
    expected = np.array(reference["jmckib"]["trajectory_median"]) * 10 + 100
    np.testing.assert_allclose(median, expected, atol=1e-6)


def test_every_venezuela_issue(venezuela):
    arrays = ScenarioArrays.from_scenario(venezuela)
    result = get("eum")(arrays.batch())
    out = arrays.to_scale(result.outcome)[0]
    assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 100))
    positions = np.where(arrays.mask, arrays.position, np.nan)
    assert np.all(out >= np.nanmin(positions, axis=0) - 1e-9)
    assert np.all(out <= np.nanmax(positions, axis=0) + 1e-9)


def test_bad_parameter_is_a_clear_error():
    batch = Batch(np.ones((1, 2)), np.zeros((1, 2, 1)), np.ones((1, 2, 1)),
                  np.ones((2, 1), bool), np.array([0.0]))
    with pytest.raises(ValueError, match="accepted: global_pairs, eq31, netted"):
        get("eum")(batch, probability="bogus")


@pytest.mark.parametrize("preset", list(VECTORS))
def test_draws_together_equal_draws_one_by_one(venezuela, preset):
    # Cells run grouped by their number of participants, in compiled loops: a draw's numbers
    # must not depend on which other draws share its batch.
    from accord.scenario.draws import DrawSpec

    batch = DrawSpec.from_scenario(venezuela).draw(3, 0, 8)
    together = get("eum")(batch, preset=preset)
    for d in range(batch.draws):
        alone = get("eum")(Batch(batch.capability[d:d + 1], batch.position[d:d + 1],
                                 batch.salience[d:d + 1], batch.mask, batch.status_quo),
                           preset=preset)
        np.testing.assert_array_equal(alone.trajectory[0], together.trajectory[d])
        np.testing.assert_array_equal(alone.outcome[0], together.outcome[d])
        for key in ("r", "kind", "sender", "a", "b"):
            np.testing.assert_array_equal(alone.diagnostics[key][0], together.diagnostics[key][d])


@pytest.mark.parametrize("formula", ["global_pairs", "eq31", "netted"])
def test_tiled_probabilities_equal_cell_by_cell(formula):
    # Many small cells go through a tile, side by side (accord.models.eum_votes._tiled), few or
    # large ones one at a time: the two must agree bit for bit, whatever the number of actors
    # around the participants (over 128, numpy's sums split in two), ties and partial tiles.
    from accord.models.eum_votes import FORMULA_CODES, TILE, _by_cell, _tiled

    rng = np.random.default_rng(5)
    for m, n in ((1, 1), (3, 5), (7, 10), (9, 200)):
        cells = 2 * TILE + 5
        x = np.round(rng.random((cells, m)) * 8) / 8
        dist = np.abs(x[:, :, None] - x[:, None, :])
        d = dist ** rng.uniform(0.5, 2, (cells, m))[:, :, None]
        index = np.sort(rng.permuted(np.tile(np.arange(n), (cells, 1)), axis=1)[:, :m], axis=1)
        args = (d, dist, rng.random((cells, m)), FORMULA_CODES[formula], index, n)
        np.testing.assert_array_equal(_tiled(*args), _by_cell(*args))
