"""The calibration machinery on synthetic data: distributions, scores, folds, error models,
combinations, and that nothing is fitted on held-out issues."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy import stats

from accord.analysis.backtest import ForecastTable
from accord.analysis.calibration import ErrorModel, IssueFeatures, convolve
from accord.analysis.crossval import bootstrap_groups, grouped_folds, resampled_means
from accord.analysis.distribution import GRID, STEP, Predictive, bin_mass
from accord.analysis.evaluation import cross_validate
from accord.analysis.stacking import fit_combination, lad_simplex, one_standard_error
from accord.models.ensemble import MEMBERS, Combination


def test_binning_keeps_the_mean_and_clips_to_the_scale():
    samples = np.array([[0.1234, 0.5, 0.9876, -0.3, 1.7]])
    p = Predictive.from_samples(samples)
    assert p.pmf.sum() == pytest.approx(1.0)
    assert p.mean()[0] == pytest.approx(np.clip(samples, 0, 1).mean(), abs=1e-12)
    assert p.pmf[0, 0] == pytest.approx(0.2) and p.pmf[0, -1] == pytest.approx(0.2)


def test_bin_mass_weights():
    mass = bin_mass(np.array([[0.0, 2.0]]), 3, np.array([[1.0, 3.0]]))
    np.testing.assert_allclose(mass, [[0.25, 0.0, 0.75]])


def test_crps_of_a_point_mass_is_the_absolute_error():
    p = Predictive.from_samples(np.array([[0.3], [0.75], [1.0]]))
    np.testing.assert_allclose(p.crps(np.array([0.8, 0.75, 0.0])), [0.5, 0.0, 1.0], atol=1e-12)


def test_crps_of_the_uniform_distribution_matches_the_closed_form():
    # CRPS(U(0,1), y) = y^2 - y + 1/3 (Gneiting & Raftery 2007); the grid's step CDF is exact
    # for its own distribution (mass 1/G on every grid point), which is within STEP of uniform.
    p = Predictive(np.full((4, len(GRID)), 1 / len(GRID)))
    y = np.array([0.0, 0.25, 0.5, 1.0])
    np.testing.assert_allclose(p.crps(y), y**2 - y + 1 / 3, atol=STEP)


def test_crps_of_a_sample_matches_the_energy_form():
    rng = np.random.default_rng(1)
    x = np.round(rng.uniform(0, 1, 40) / STEP) * STEP  # on the grid: binning is exact
    for y in (0.0, 0.33, 0.8):
        energy = np.abs(x - y).mean() - 0.5 * np.abs(x[:, None] - x[None, :]).mean()
        assert Predictive.from_samples(x[None]).crps(np.array([y]))[0] == pytest.approx(energy)


def test_quantiles_and_central_interval_of_a_normal():
    rng = np.random.default_rng(2)
    p = Predictive.from_samples(rng.normal(0.5, 0.1, (1, 200_000)))
    low, high = p.interval(0.9)
    assert low[0] == pytest.approx(0.5 - 1.645 * 0.1, abs=2 * STEP)
    assert high[0] == pytest.approx(0.5 + 1.645 * 0.1, abs=2 * STEP)
    assert p.median()[0] == pytest.approx(0.5, abs=STEP)


def test_interval_anchors_at_a_heavy_scale_end():
    # 30% at the bottom, the rest uniform: a central 50% interval would start at 0 and hold 75%
    pmf = np.full(len(GRID), 0.7 / (len(GRID) - 1))
    pmf[0] = 0.3
    p = Predictive(pmf[None])
    low, high = p.interval(0.5)
    assert low[0] == 0.0
    held = p.cdf()[0, np.searchsorted(GRID, high[0])]
    assert held == pytest.approx(0.5, abs=0.01)
    mirrored = Predictive(pmf[::-1][None])
    low, high = mirrored.interval(0.5)
    assert high[0] == 1.0 and low[0] == pytest.approx(1 - p.interval(0.5)[1][0])


def test_convolution_of_a_point_equals_the_shifted_samples():
    errors = np.array([[-0.3, -0.05, 0.0, 0.2, 0.45]])
    direct = Predictive.from_samples(0.4 + errors)
    convolved = convolve(Predictive.from_samples(np.array([[0.4]])), errors)
    np.testing.assert_allclose(convolved.pmf, direct.pmf, atol=1e-12)
    beyond = convolve(Predictive.from_samples(np.array([[0.9]])), np.array([[0.3, -1.0]]))
    assert beyond.pmf[0, -1] == pytest.approx(0.5) and beyond.pmf[0, 0] == pytest.approx(0.5)


def _synthetic(n, rng):
    """Issues whose error grows with the members' spread: y = f + spread * N(0, 0.3)."""
    f = rng.uniform(0.2, 0.8, n)
    spread = rng.uniform(0.05, 0.6, n)
    y = np.clip(f + spread * rng.normal(0, 0.3, n), 0, 1)
    features = IssueFeatures(spread, rng.uniform(0, 0.3, n), rng.uniform(0, 0.3, n),
                             np.full(n, np.nan), np.zeros((n, len(GRID)), dtype=bool))
    return f, y, features


def test_error_model_is_calibrated_and_scales_with_the_spread():
    rng = np.random.default_rng(3)
    f, y, features = _synthetic(3000, rng)
    model = ErrorModel.fit(f[:2000], y[:2000], features.take(slice(0, 2000)))
    held = features.take(slice(2000, None))
    p = model.predictive(f[2000:], held)
    for level in (0.5, 0.8, 0.9):
        assert p.covers(y[2000:], level).mean() == pytest.approx(level, abs=0.04)
    width = np.subtract(*p.interval(0.8)[::-1])
    assert stats.spearmanr(width, held.spread).statistic > 0.8


def test_error_model_round_trips_through_json():
    rng = np.random.default_rng(4)
    f, y, features = _synthetic(50, rng)
    model = replace(ErrorModel.fit(f, y, features), position_share=0.25)
    again = ErrorModel.from_dict(model.to_dict())
    assert again.position_share == 0.25
    a = model.predictive(f[:5], features.take(slice(0, 5)))
    b = again.predictive(f[:5], features.take(slice(0, 5)))
    np.testing.assert_allclose(a.pmf, b.pmf, atol=1e-5)


def test_folds_never_split_a_group_and_follow_the_seed():
    groups = np.repeat(np.arange(23), [1, 2, 3, 4] * 5 + [1, 2, 3])
    folds = grouped_folds(groups, 5, seed=7)
    assert np.all(np.sum(folds, axis=0) == 1)
    for test in folds:
        assert not set(groups[test]) & set(groups[~test])
    assert [f.tolist() for f in folds] == [f.tolist() for f in grouped_folds(groups, 5, seed=7)]
    assert any((a != b).any() for a, b in zip(folds, grouped_folds(groups, 5, seed=8)))
    loo = grouped_folds(groups, None, seed=0)
    assert len(loo) == 23 and all(len(set(groups[t])) == 1 for t in loo)
    with pytest.raises(ValueError):
        grouped_folds(groups, 1, 0)


def test_bootstrap_resamples_whole_groups():
    values = np.array([1.0, 1.0, 5.0])
    groups = np.array(["a", "a", "b"])
    labels, drawn = bootstrap_groups(np.array(["a", "b", "c"]), 400, np.random.default_rng(0))
    means = resampled_means(values, groups, labels, drawn)
    # a sample takes a (values 1, 1) n_a times and b (value 5) n_b times, n_a + n_b <= 3
    possible = {round((2 * na + 5 * nb) / (2 * na + nb), 6)
                for na in range(4) for nb in range(4 - na) if na + nb}
    assert set(np.round(means[np.isfinite(means)], 6)) == possible
    assert np.isnan(means).any()  # samples of c alone hold none of the values


def test_lad_simplex_recovers_weights_and_minimises_absolute_error():
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 1, (200, 3))
    y = x @ np.array([0.6, 0.4, 0.0]) + rng.laplace(0, 0.01, 200)
    w = lad_simplex(x, y)
    np.testing.assert_allclose(w, [0.6, 0.4, 0.0], atol=0.03)
    best = np.abs(y - x @ w).sum()
    for other in rng.dirichlet(np.ones(3), 200):
        assert best <= np.abs(y - x @ other).sum() + 1e-9


def test_combinations_apply_and_round_trip():
    f = np.array([[0.2, 0.4, 0.9], [0.1, 0.5, 0.6]])
    sq = np.array([0.0, np.nan])
    members = ("a", "b", "c")
    stack = Combination("stack", members, np.array([0.5, 0.0, 0.0, 0.5]), np.array([0, 1.0, 0]))
    np.testing.assert_allclose(stack.apply(f, sq), [0.1, 0.5])
    np.testing.assert_allclose(Combination("median", members).apply(f, sq), [0.3, 0.5])
    np.testing.assert_allclose(Combination("select", members, chosen="c").apply(f, sq), [0.9, 0.6])
    for c in (stack, Combination("median", members), Combination("select", members, chosen="c")):
        np.testing.assert_allclose(Combination.from_dict(c.to_dict()).apply(f, sq), c.apply(f, sq))
    missing = np.array([[np.nan, 0.4, 0.8]])
    assert stack.apply(missing, np.array([np.nan]))[0] == pytest.approx(0.4)


def test_fit_combination_selects_the_member_with_the_lowest_error():
    rng = np.random.default_rng(6)
    y = rng.uniform(0, 1, 100)
    f = np.column_stack([y + rng.normal(0, s, 100) for s in (0.3, 0.05, 0.2)])
    assert fit_combination("select", f, np.full(100, np.nan), y, ("a", "b", "c")).chosen == "b"


def test_one_standard_error_prefers_the_simpler_unless_clearly_worse():
    rng = np.random.default_rng(7)
    base = rng.uniform(0, 1, 400)
    noise = lambda shift: base + shift + rng.normal(0, 0.05, 400)  # noqa: E731
    # stack better by 0.002 on average, well inside one standard error (0.05 / 20 = 0.0025)
    close = {"select": noise(0.0), "median": noise(0.001), "stack": noise(-0.002)}
    assert one_standard_error(close, ("select", "median", "stack")) == "select"
    far = {"select": noise(0.05), "median": noise(0.04), "stack": noise(0.0)}
    assert one_standard_error(far, ("select", "median", "stack")) == "stack"


def _table(n_cases=30, per_case=4, seed=8):
    rng = np.random.default_rng(seed)
    n = n_cases * per_case
    truth = rng.uniform(0, 1, n)
    forecast = np.column_stack([np.clip(truth + rng.normal(0, 0.1 * (i + 1), n), 0, 1)
                                for i in range(len(MEMBERS))])
    spread = forecast.max(axis=1) - forecast.min(axis=1)
    features = IssueFeatures(spread, rng.uniform(0, .3, n), rng.uniform(0, .3, n),
                             np.where(rng.uniform(size=n) < 0.5, 0.0, np.nan),
                             np.zeros((n, len(GRID)), dtype=bool))
    case = np.repeat([f"p{i}" for i in range(n_cases)], per_case).astype(object)
    return ForecastTable(np.full(n, "synthetic", dtype=object), case,
                         np.arange(n).astype(str).astype(object), truth, np.zeros(n),
                         np.full(n, 100.0), features.status_quo, MEMBERS, forecast, features)


def test_held_out_outcomes_never_reach_their_own_forecasts():
    table = _table()
    models = ["ensemble", "status_quo", *MEMBERS]
    first = cross_validate(table, models, 5, seed=3)
    fold = grouped_folds(table.case, 5, 3)[0]
    changed = table.actual.copy()
    changed[fold] = 1.0 - changed[fold]  # rewrite every held-out outcome of the first fold
    second = cross_validate(ForecastTable(**{**vars(table), "actual": changed}), models, 5, 3)
    for m in models:
        np.testing.assert_array_equal(first.point[m][fold], second.point[m][fold])
        np.testing.assert_array_equal(first.pmf[m][fold], second.pmf[m][fold])
    assert not np.array_equal(first.pmf["compromise"][~fold], second.pmf["compromise"][~fold])


def test_cross_validation_is_reproducible_and_scores_every_issue_once():
    table = _table()
    a = cross_validate(table, ["ensemble", "compromise"], 4, seed=11)
    b = cross_validate(table, ["ensemble", "compromise"], 4, seed=11)
    for m in ("ensemble", "compromise"):
        np.testing.assert_array_equal(a.point[m], b.point[m])
        np.testing.assert_array_equal(a.pmf[m], b.pmf[m])
        assert np.isfinite(a.point[m]).all()
        np.testing.assert_allclose(a.pmf[m].sum(axis=1), 1.0)


def test_standard_error_clustered_by_proposal():
    """One issue per group gives the plain standard error; issues that err together (every group
    repeats one value) count as one observation each."""
    from accord.analysis.stacking import _standard_error

    rng = np.random.default_rng(5)
    values = rng.normal(0, 1, 60)
    plain = values.std(ddof=1) / np.sqrt(60)
    assert _standard_error(values, np.arange(60)) == pytest.approx(plain)
    assert _standard_error(values, None) == pytest.approx(plain)
    repeated = np.repeat(values[:20], 3)
    clustered = _standard_error(repeated, np.repeat(np.arange(20), 3))
    assert clustered == pytest.approx(values[:20].std(ddof=1) / np.sqrt(20))
    assert clustered > _standard_error(repeated, None) * 1.5
