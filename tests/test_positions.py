"""The ensemble's share of mass on stated positions (accord.analysis.positions), on synthetic
issues: where outcomes land on a stated position the fitted share is positive and lowers the
CRPS of held-out issues; where they never do, no mass is moved."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.distribution import GRID, STEP, Predictive
from accord.analysis.positions import fit_share, on_grid, pool, project


def test_positions_are_marked_on_the_nearest_grid_point_and_missing_ones_ignored():
    positions = np.array([[0.0, 0.5012], [0.3, np.nan], [np.nan, np.nan]])  # 3 actors, 2 issues
    marks = on_grid(positions)
    assert marks.shape == (2, len(GRID))
    assert np.flatnonzero(marks[0]).tolist() == [0, 60]
    assert np.flatnonzero(marks[1]).tolist() == [100]  # 0.5012 is nearest 0.500


def test_projection_moves_each_mass_to_its_nearest_mark_and_keeps_the_total():
    pmf = np.zeros((2, len(GRID)))
    pmf[0, [10, 50, 55, 150]] = 0.25  # marks at 0 and 100: 50 ties and goes down
    pmf[1, 30] = 1.0  # an issue without marks keeps its distribution
    marks = np.zeros_like(pmf, dtype=bool)
    marks[0, [0, 100]] = True
    projected = project(pmf, marks)
    assert projected[0, 0] == pytest.approx(0.5) and projected[0, 100] == pytest.approx(0.5)
    np.testing.assert_array_equal(projected[1], pmf[1])
    np.testing.assert_allclose(projected.sum(axis=1), 1.0)
    half = pool(Predictive(pmf), marks, 0.5).pmf
    np.testing.assert_allclose(half, 0.5 * pmf + 0.5 * projected)
    assert pool(Predictive(pmf), marks, 0.0).pmf is pmf


def _issues(n, on_position, rng):
    """Issues with three stated positions and a calibrated forecast that knows nothing of them:
    the outcome is drawn from the forecast, then, with ``on_position`` probability, moved to the
    stated position nearest it."""
    positions = rng.uniform(0, 1, (3, n))
    centre = rng.uniform(0.2, 0.8, n)
    drawn = np.clip(centre + rng.normal(0, 0.15, n), 0, 1)
    nearest = positions[np.abs(positions - drawn).argmin(axis=0), np.arange(n)]
    actual = np.where(rng.uniform(size=n) < on_position, nearest, drawn)
    actual = np.rint(actual / STEP) * STEP  # on the grid, as stated positions are put there
    samples = np.clip(centre[:, None] + rng.normal(0, 0.15, (n, 400)), 0, 1)
    return Predictive.from_samples(samples), on_grid(positions), actual


def test_share_is_fitted_where_outcomes_land_on_positions_and_helps_held_out_issues():
    rng = np.random.default_rng(11)
    train, marks, actual = _issues(400, 0.7, rng)
    share = fit_share(train, marks, actual)
    assert share >= 0.05
    held, held_marks, held_actual = _issues(400, 0.7, rng)
    pooled = pool(held, held_marks, share)
    assert pooled.crps(held_actual).mean() < held.crps(held_actual).mean() - 0.003
    for level in (0.5, 0.8, 0.9):  # the share is kept small enough not to over-cover
        assert pooled.covers(held_actual, level).mean() <= level + 0.06


def test_no_mass_moves_where_outcomes_never_land_on_positions():
    rng = np.random.default_rng(12)
    train, marks, actual = _issues(400, 0.0, rng)
    assert fit_share(train, marks, actual) == 0.0
