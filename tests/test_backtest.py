"""Backtests against the published DEU III baselines, and the shipped case sets."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from conftest import shared

from accord.analysis.backtest import predict, summarise
from accord.analysis.casesets import bdm, deu3, load_case_set, venezuela
from accord.cli import main
from accord.scenario.errors import InputError

# The baseline file rounds to 4 decimals, so half a unit of the 4th decimal (plus float noise)
# is the largest honest difference: 45.78125 is printed there as 45.7812.
ROUNDING = 5e-5 + 1e-9


@pytest.fixture(scope="module")
def baseline():
    rows = csv.DictReader(shared("data", "deu3", "baseline_forecasts.csv").open())
    return {r["isnr"]: r for r in rows}


def by_issue(predictions, model):
    return {p.issue: p.forecast for p in predictions if p.model == model}


def test_deu3_equal_capability_weighted_mean_equals_the_baseline(baseline):
    predictions = predict(deu3("equal"), ["compromise", "mean"])
    mine = by_issue(predictions, "compromise")
    assert set(mine) == set(baseline)
    for issue, row in baseline.items():
        assert mine[issue] == pytest.approx(float(row["mean_eq"]), abs=ROUNDING), issue
        assert by_issue(predictions, "mean")[issue] == pytest.approx(
            float(row["unweighted_mean"]), abs=ROUNDING)
    score = {s.model: s for s in summarise(predictions)}
    assert score["compromise"].n == 351
    assert round(score["compromise"].mae, 2) == 23.64


def test_deu3_gdp_row_and_weighted_median(baseline):
    predictions = predict(deu3("gdp"), ["compromise"])
    mine = by_issue(predictions, "compromise")
    for issue, row in baseline.items():
        assert mine[issue] == pytest.approx(float(row["mean_gdp"]), abs=ROUNDING), issue
    gdp = {s.model: s for s in summarise(predictions)}
    assert round(gdp["compromise"].mae, 2) == 23.21
    predictions_eq = predict(deu3("equal"), ["median"])
    median = {s.model: s for s in summarise(predictions_eq)}
    assert round(median["median"].mae, 2) == 28.31
    for issue, value in by_issue(predictions_eq, "median").items():
        assert value == pytest.approx(float(baseline[issue]["med_eq"]))


def test_deu3_council_weights_give_institutions_the_largest_state_weight():
    case = next(c for c in deu3("council") if c.id == "d00032")
    weights = {a.id: a.capability for a in case.scenario.actors}
    assert weights["com"] == weights["ep"] == weights["de"] == 29
    assert weights["dk"] == 7


def test_venezuela_phases_score_only_unresolved_outcomes():
    cases = venezuela()
    assert [c.id for c in cases] == ["aug-2021", "nov-2022", "oct-2023"]
    assert "regional_elections_2021" in cases[0].outcomes
    assert "regional_elections_2021" not in cases[1].outcomes
    last = cases[2].scenario
    assert last.stance("united_states", "sanctions_relief").position == 50
    assert last.issue("social_protection").status_quo == 30
    assert cases[0].scenario.stance("united_states", "sanctions_relief").position == 25


def test_bdm_case():
    (case,) = bdm()
    assert case.outcomes == {"issue": 8.833}
    (score,) = [s for s in summarise(predict([case], ["compromise"])) if s.model == "compromise"]
    assert score.mae == pytest.approx(8.833 - 7.389955686853767)


def test_unknown_case_set():
    with pytest.raises(InputError, match="unknown case set"):
        load_case_set("atlantis")


def test_cli_writes_the_comparison(tmp_path, capsys):
    out = tmp_path / "bt.md"
    assert main(["backtest", "all", "-m", "compromise", "-m", "median", "-o", str(out)]) == 0
    text = out.read_text()
    assert "Produced by `accord backtest all --model compromise --model median" in text
    assert "| compromise | 23.64 (351) |" in text
    table = capsys.readouterr().out
    assert "venezuela" in table and "status_quo" in table


def test_errors_are_finite_and_on_scale():
    predictions = predict(venezuela(), ["nash", "eum"])
    errors = np.array([p.error for p in predictions if p.error is not None])
    assert np.all((errors >= 0) & (errors <= 100))


def test_monte_carlo_coverage_of_the_90_percent_interval():
    predictions = predict(bdm() + venezuela(), ["compromise", "nash"], draws=200)
    scored = [p for p in predictions if p.model != "status_quo"]
    assert all(p.low is not None and p.low <= p.high for p in scored)
    scores = {(s.case_set, s.model): s for s in summarise(predictions)}
    by_hand = np.mean([p.low - 1e-9 <= p.actual <= p.high + 1e-9 for p in scored
                       if p.case_set == "venezuela" and p.model == "nash"])
    assert scores["venezuela", "nash"].coverage == pytest.approx(by_hand)
    assert scores["bdm", "compromise"].coverage == 1.0  # 8.833 lies inside 5-95%
    assert scores["venezuela", "status_quo"].coverage is None
