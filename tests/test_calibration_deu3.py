"""What issue 15 asks of the backtest on DEU III, measured out of sample (every model's forecasts
computed once; each cross-validation refits only the error models and the ensemble).

Five of the configurations that ``scripts/backtest_configs.py`` runs (the README gives 46); what
is not met everywhere (the status quo's 50% interval on some splits; with Council votes, the
ensemble's MAE against the best single model's) is stated in the README, not tested here."""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.analysis import calibrated
from accord.analysis.casesets import PUBLISHED_COMPROMISE_COUNCIL_MAE
from accord.analysis.evaluation import cross_validate
from accord.analysis.scoring import score
from accord.api.backtesting import forecast_table
from accord.models import MODELS
from accord.models.ensemble import shipped

ROWS = ["ensemble", "status_quo", *[m for m in MODELS if m != "ensemble"]]
SINGLE = [m for m in ROWS if m not in ("ensemble", "status_quo")]
CONFIGS = {"10-fold seed 0": (10, 0), "10-fold seed 1": (10, 1), "10-fold seed 2": (10, 2),
           "5-fold seed 0": (5, 0), "leave one proposal out": (None, 0)}


@pytest.fixture(scope="module")
def table():
    return forecast_table("deu3", "equal", ROWS)


@pytest.fixture(scope="module")
def runs(table):
    return {name: {s.model: s for s in score(cross_validate(table, ROWS, k, seed), seed)}
            for name, (k, seed) in CONFIGS.items()}


@pytest.mark.parametrize("config", CONFIGS)
def test_intervals_are_calibrated_for_every_model(runs, config):
    """50% intervals within 44-56% and 90% within 86-94% (about two standard errors at 351
    issues), for every model, the status quo and the ensemble."""
    for model, s in runs[config].items():
        assert 0.86 <= s.coverage["0.9"] <= 0.94, (model, s.coverage)
        assert 0.44 <= s.coverage["0.5"] <= 0.56, (model, s.coverage)


def test_target_ensemble_crps_below_every_single_model(runs):
    """Met in these five configurations, and in 46 of 46 with equal capabilities (README); the
    margin comes from the share on stated positions, which only the ensemble carries."""
    for name, scores in runs.items():
        assert scores["ensemble"].crps < min(scores[m].crps for m in SINGLE), name


def test_target_ensemble_mae_at_most_the_published_and_the_best_single_model(runs):
    """Met in these five configurations and in 46 of 46 with equal capabilities (README): the
    inner cross-validation chooses the best member on every fold, so the ensemble ties it."""
    for name, scores in runs.items():
        ensemble = scores["ensemble"]
        assert ensemble.mae <= PUBLISHED_COMPROMISE_COUNCIL_MAE, name
        assert ensemble.mae <= min(scores[m].mae for m in SINGLE) + 1e-9, name


def test_with_council_votes_the_ensemble_beats_the_published_compromise_figure():
    """With treaty-dated Council votes (10-fold, seed 0): MAE at most the published 22.99 and
    CRPS below every single model's. (Its MAE is at most the best single model's in 36 of 46
    configurations there, not all: README, "Issue 15's targets".)"""
    table = forecast_table("deu3", "council", ROWS)
    scores = {s.model: s for s in score(cross_validate(table, ROWS, 10, 0), 0)}
    assert scores["ensemble"].mae <= PUBLISHED_COMPROMISE_COUNCIL_MAE
    assert scores["ensemble"].crps < min(scores[m].crps for m in SINGLE)


def test_seeded_runs_are_reproducible(table):
    a = cross_validate(table, ["ensemble", "compromise"], 10, seed=5)
    b = cross_validate(table, ["ensemble", "compromise"], 10, seed=5)
    for m in ("ensemble", "compromise"):
        np.testing.assert_array_equal(a.point[m], b.point[m])
        np.testing.assert_array_equal(a.pmf[m], b.pmf[m])
    assert [s.versus.low for s in score(a, 5) if s.versus] == \
        [s.versus.low for s in score(b, 5) if s.versus]


def test_shipped_calibration_is_what_accord_calibrate_fits(table, runs):
    """The numbers Accord ships are a refit on this data, with their provenance."""
    document = shipped()
    assert document["provenance"]["command"] == "accord calibrate"
    assert "doi:10.34810/data53" in document["provenance"]["data"]
    assert set(document["error_models"]) == set(ROWS)
    refit = json.loads(calibrated.dumps(calibrated.fit(table, ROWS[1:], calibrated.SEED)))
    assert refit["ensemble"]["combination"] == document["ensemble"]["combination"]
    assert refit["error_models"]["ensemble"]["position_share"] == \
        document["error_models"]["ensemble"]["position_share"] > 0
    for model, fitted in refit["error_models"].items():
        for key in ("coefficients", "residuals", "forecasts"):
            np.testing.assert_allclose(fitted[key], document["error_models"][model][key],
                                       atol=2e-6, err_msg=f"{model} {key}")
    record = runs["10-fold seed 0"]
    for model, figures in document["record"]["models"].items():
        assert figures["mae"] == pytest.approx(record[model].mae, abs=1e-4), model
        assert figures["crps"] == pytest.approx(record[model].crps, abs=1e-4), model
