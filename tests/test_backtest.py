"""Backtests against the published DEU III figures, the shipped case sets, and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from accord.analysis import council
from accord.analysis.casesets import (
    PUBLISHED_COMPROMISE_COUNCIL_MAE,
    bdm,
    deu3,
    load_case_set,
    venezuela,
)
from accord.api.backtesting import BacktestDoc, forecast_table
from accord.cli import main
from accord.models import MODELS, get
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError
from conftest import shared

DOCS = Path(__file__).resolve().parents[1] / "docs"
# The baseline file rounds to 4 decimals, so half a unit of the 4th decimal (plus float noise)
# is the largest honest difference: 45.78125 is printed there as 45.7812.
ROUNDING = 5e-5 + 1e-9


@pytest.fixture(scope="module")
def baseline():
    rows = csv.DictReader(shared("data", "deu3", "baseline_forecasts.csv").open())
    return {r["isnr"]: r for r in rows}


@pytest.fixture(scope="module")
def table():
    """Every model on DEU III, equal capabilities: computed once per test run (shared)."""
    return forecast_table("deu3", "equal", list(MODELS))


def scale(table, model):
    """{issue: forecast on its scale} for one model of a table."""
    values = table.low + table.column(model) * table.span
    return dict(zip(table.issue, values))


def mae(table, model):
    f = table.column(model)
    ok = np.isfinite(f)
    return float(np.mean(np.abs(f - table.actual)[ok] * table.span[ok])), int(ok.sum())


def point_mae(cases, model, **params):
    """One model's MAE over the scored issues of ``cases`` (no other model run)."""
    errors = []
    for case in cases:
        arrays = ScenarioArrays.from_scenario(case.scenario)
        outcome = arrays.to_scale(get(model)(arrays.batch(), **params).outcome[0])
        errors += [abs(outcome[j] - case.outcomes[i]) for j, i in enumerate(arrays.issue_ids)
                   if i in case.outcomes]
    return float(np.mean(errors)), len(errors)


def test_deu3_equal_capability_weighted_mean_equals_the_baseline(baseline, table):
    mine, plain = scale(table, "compromise"), scale(table, "mean")
    assert set(mine) == set(baseline)
    for issue, row in baseline.items():
        assert mine[issue] == pytest.approx(float(row["mean_eq"]), abs=ROUNDING), issue
        assert plain[issue] == pytest.approx(float(row["unweighted_mean"]), abs=ROUNDING)
        assert scale(table, "median")[issue] == pytest.approx(float(row["med_eq"]))
    assert mae(table, "compromise") == (pytest.approx(23.6411, abs=1e-4), 351)
    assert round(mae(table, "median")[0], 2) == 28.31


def test_deu3_gdp_row(baseline):
    errors = []
    for case in deu3("gdp"):
        arrays = ScenarioArrays.from_scenario(case.scenario)
        outcome = arrays.to_scale(get("compromise")(arrays.batch()).outcome[0])
        for j, issue in enumerate(arrays.issue_ids):
            if issue in case.outcomes:
                assert outcome[j] == pytest.approx(float(baseline[issue]["mean_gdp"]),
                                                   abs=ROUNDING), issue
                errors.append(abs(outcome[j] - case.outcomes[issue]))
    assert round(float(np.mean(errors)), 2) == 23.21


def test_status_quo_figure_explained(table):
    """51.31 scores the reference point on the 252 issues where DEU III codes it; the published
    44.34 is over all 351 issues with the scale's midpoint (50) where the reference point is
    missing. Both readings are reproduced exactly."""
    assert mae(table, "status_quo") == (pytest.approx(51.3135, abs=1e-4), 252)
    imputed = np.where(np.isfinite(table.status_quo), table.status_quo, 0.5)
    assert np.mean(np.abs(imputed - table.actual) * table.span) == pytest.approx(44.3390,
                                                                                abs=1e-4)


def test_nash_figure_explained(table):
    """With the status quo as disagreement point, an actor sitting at the status quo vetoes every
    move: on most issues whose reference point is known Nash returns it, and scores like the
    status quo there. With each actor's worst outcome as disagreement point (no veto, as under
    qualified majority) the linear Nash solution beats the compromise model and the quadratic one
    sits next to it, as Achen (2006) derives."""
    known = np.isfinite(table.status_quo)
    at_sq = np.isclose(table.column("nash"), table.status_quo)[known]
    assert at_sq.mean() > 0.5
    assert mae(table, "nash")[0] == pytest.approx(37.96, abs=0.005)
    assert mae(table, "nash_breakdown")[0] == pytest.approx(22.84, abs=0.005)
    quadratic = point_mae(deu3("equal"), "nash_breakdown", utility="quadratic")[0]
    assert abs(quadratic - mae(table, "compromise")[0]) < 0.2


def test_council_votes_follow_the_treaty_in_force():
    cases = {c.id: c for c in deu3("council")}
    weights = lambda case: {a.id: a.capability for a in cases[case].scenario.actors}  # noqa: E731
    amsterdam = weights("d00032")  # proposed 26 January 2000
    assert amsterdam["de"] == amsterdam["com"] == amsterdam["ep"] == 10 and amsterdam["dk"] == 3
    nice = weights("d06129")  # mangled "2017-07-06": 17 July 2006
    assert nice["de"] == 29 and nice["pl"] == 27
    assert "bu" not in council.votes(dt.date(2006, 7, 17))
    lisbon = council.votes(dt.date(2016, 2, 2))
    assert len(lisbon) == 28 and sum(lisbon.values()) == pytest.approx(1.0)
    assert lisbon["de"] > lisbon["fr"] > lisbon["mt"] > 1 / 56
    coded_early = weights("d04156")  # July 2004, Bulgaria and Romania coded before joining
    assert coded_early["ro"] == pytest.approx(14 * 10 / 29)
    assert council.regime(dt.date(2004, 7, 14)) == "accession_2004"
    nice_always = {c.id: c for c in deu3("nice")}["d00032"].scenario.actors
    assert {a.id: a.capability for a in nice_always}["dk"] == 7


def test_proposal_dates_read_every_format_and_match_the_proposal_number():
    assert council.proposal_date("2014-07-04", "x") == dt.date(2004, 7, 14)
    assert council.proposal_date("26-01-00", "x") == dt.date(2000, 1, 26)
    assert council.proposal_date("14-12-1999", "x") == dt.date(1999, 12, 14)
    assert council.proposal_date("1930-11-05", "x") == dt.date(2005, 11, 30)
    for bad in ("2005", "31-02-05"):
        with pytest.raises(InputError):
            council.proposal_date(bad, "deu3.tsv:3")
    text = (Path(__file__).resolve().parents[1] / "src/accord/data/casesets/deu3.tsv").read_text()
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    header = rows[0]
    for row in rows[2:]:
        record = dict(zip(header, row))
        year = int(record["prnr"][1:3])
        year += 1900 if year > 50 else 2000
        assert 0 <= council.proposal_date(record["intro"], "").year - year <= 1, record["prnr"]


def test_council_compromise_mae_against_the_published_figure():
    """22.97 against the published 22.99: the comparisons differ in how they represent Lisbon's
    double majority and states coded before they joined (README: the readings tried give 22.97 to
    23.24). Council population figures off by up to 2% move it by under 0.01."""
    mine = point_mae(deu3("council"), "compromise")[0]
    assert abs(mine - PUBLISHED_COMPROMISE_COUNCIL_MAE) < 0.05
    saved = dict(council.POPULATION_2014)
    try:
        rng = np.random.default_rng(0)
        for state in council.POPULATION_2014:
            council.POPULATION_2014[state] *= 1 + rng.uniform(-0.02, 0.02)
        moved = point_mae(deu3("council"), "compromise")[0]
    finally:
        council.POPULATION_2014.update(saved)
    assert abs(moved - mine) < 0.01


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
    assert point_mae([case], "compromise")[0] == pytest.approx(8.833 - 7.389955686853767)


def test_unknown_case_set_and_capability():
    with pytest.raises(InputError, match="unknown case set"):
        load_case_set("atlantis")
    with pytest.raises(InputError, match="capability"):
        deu3("votes")  # type: ignore[arg-type]


def test_cli_json_follows_the_documented_schema(capsys):
    assert main(["backtest", "venezuela", "-m", "compromise", "-m", "nash", "-f", "json"]) == 0
    doc = BacktestDoc.model_validate_json(capsys.readouterr().out)
    documented = json.loads((DOCS / "backtest.schema.json").read_text())
    assert documented == BacktestDoc.model_json_schema(), "docs/backtest.schema.json is stale: " \
        "python -c 'import json; from accord.api.backtesting import BacktestDoc; " \
        "print(json.dumps(BacktestDoc.model_json_schema(), indent=2))' > docs/backtest.schema.json"
    models = [r.model for r in doc.records]
    assert models == ["status_quo", "compromise", "nash", "deal mixture"]
    nash, deal = doc.records[2], doc.records[3]
    assert nash.n == 32 and round(nash.mae, 2) == 16.09
    assert set(nash.coverage) == {"0.5", "0.8", "0.9"} and nash.crps > 0
    assert doc.evaluation["venezuela"].startswith("calibration fitted on DEU III")
    assert "deal mixture: 200 simulated draws, nothing fitted" in doc.evaluation["venezuela"]
    assert deal.n == 32 and deal.mae <= doc.records[0].mae  # no worse than the status quo
    assert set(deal.coverage) == {"0.5", "0.8", "0.9"}


def test_cli_writes_the_comparison(tmp_path, capsys):
    out = tmp_path / "bt.md"
    assert main(["backtest", "bdm", "-m", "compromise", "-m", "median", "-o", str(out)]) == 0
    text = out.read_text()
    assert "Produced by `accord backtest bdm --model compromise --model median" in text
    assert "| compromise | 1.44 (1) |" in text and "CRPS" in text
    assert "status_quo" in capsys.readouterr().out
    as_json = tmp_path / "bt.json"  # the format from the name
    assert main(["backtest", "bdm", "-m", "compromise", "-o", str(as_json)]) == 0
    assert BacktestDoc.model_validate_json(as_json.read_text()).records[1].model == "compromise"


def test_cli_rejects_bad_folds(capsys):
    assert main(["backtest", "deu3", "--cv", "1"]) == 2
    assert "--cv" in capsys.readouterr().err
    assert main(["backtest", "deu3", "--cv", "ten"]) == 2


def test_intervals_with_input_draws():
    """With draws, each model's interval adds its error to every draw's forecast (the ensemble's
    to its combination of the members' draws); the coverage of a model's draws alone is reported
    beside it."""
    from accord.api.backtesting import backtest

    result = backtest("bdm", ["compromise", "ensemble"], draws=20)
    records = {r.model: r for r in result.doc.records}
    assert records["compromise"].input_coverage_90 is not None
    for model in ("compromise", "ensemble"):
        assert records[model].crps is not None and records[model].coverage["0.9"] in (0.0, 1.0)
    without = backtest("bdm", ["compromise", "ensemble"]).doc.records
    assert [r.crps for r in without] != [r.crps for r in result.doc.records]
