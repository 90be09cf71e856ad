"""What-ifs, conditional incentives and leverage."""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.analysis.leverage import leverage, ranked
from accord.analysis.shocks import apply_shock, parse_shock, run_with_incentives
from accord.cli import main
from accord.models import get
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.formats import yaml_format

SMALL = """accord: 1
id: small
name: Small
actors:
  - {id: a, name: A, capability: 1}
  - {id: b, name: B, capability: 1}
  - {id: us, name: US, capability: 1}
issues:
  - {id: elections, name: Elections, status_quo: 0}
  - {id: relief, name: Relief, status_quo: 0}
stances:
  - {actor: a, issue: elections, position: 40, salience: 1}
  - {actor: b, issue: elections, position: 80, salience: 1}
  - {actor: a, issue: relief, position: 100, salience: 1}
  - {actor: us, issue: relief, position: 0, salience: 1}
incentives:
  - {id: offer, actor: us, issue: relief, position: 100, credibility: 0.5,
     when: {issue: elections, op: ">=", threshold: THRESHOLD}}
shocks:
  - {id: offer_on, incentives: [offer]}
  - {id: a_leaves, leave: [a]}
"""


def small(threshold: float):
    return yaml_format.read(SMALL.replace("THRESHOLD", str(threshold)))


@pytest.mark.parametrize("threshold, paid", [(60, True), (61, False)])
def test_incentive_fires_only_when_its_condition_holds(threshold, paid):
    # Weighted mean on elections is 60: the offer is paid at a threshold of 60, not of 61.
    scenario = small(threshold)
    shocked, incentives = apply_shock(scenario, scenario.shocks[0])
    arrays = ScenarioArrays.from_scenario(shocked)
    result = run_with_incentives(get("compromise"), arrays.batch(), {}, incentives)
    relief = arrays.to_scale(result.outcome)[0, 1]
    # Paid: the US moves half way (credibility 0.5) from 0 to 100, so relief = (100 + 50) / 2.
    assert relief == pytest.approx(75.0 if paid else 50.0)
    assert bool(result.diagnostics["incentives_on"][0, 0]) is paid


def test_leaving_removes_the_actor_and_its_stances():
    scenario = small(60)
    shocked, _ = apply_shock(scenario, scenario.shocks[1])
    assert [a.id for a in shocked.actors] == ["b", "us"]
    assert all(s.actor != "a" for s in shocked.stances)


@pytest.mark.parametrize("text, check", [
    ("leave=a", lambda s: s.leave == ["a"]),
    ("incentive=offer", lambda s: s.incentives == ["offer"]),
    ("a.capability=3", lambda s: s.changes[0].capability == 3),
    ("relief.status_quo=20", lambda s: s.changes[0].status_quo == 20),
    ("a.relief.position=50", lambda s: s.changes[0].position == 50),
    ("b.elections.salience=0.2", lambda s: s.changes[0].salience == 0.2),
    ("offer_on", lambda s: s.id == "offer_on"),
])
def test_shock_expressions(text, check):
    assert check(parse_shock(small(60), text))


@pytest.mark.parametrize("text", ["walkout", "a.capability=-1", "b.elections.salience=2"])
def test_bad_shock_expressions(text):
    with pytest.raises(InputError):
        parse_shock(small(60), text)


def test_compromise_leverage_is_the_analytic_derivative():
    # Weighted mean: d outcome / d x_i = w_i / W. Moving a by 10 points moves elections by 5.
    arrays = ScenarioArrays.from_scenario(small(60))
    levers = {(lv.actor, lv.issue, lv.lever): lv for lv in leverage(arrays, "compromise")}
    assert levers[("a", "elections", "position +10%")].effect == pytest.approx(5.0)
    assert levers[("b", "elections", "position -10%")].effect == pytest.approx(-5.0)
    # Capability x1.1 for b: (1.1*80 + 40) / 2.1 - 60.
    assert levers[("b", "elections", "capability x1.1")].effect == pytest.approx(128 / 2.1 - 60)
    top = ranked(list(levers.values()), 3)
    assert abs(top[0].effect) >= abs(top[-1].effect) > 0


def test_median_leverage_finds_the_pivot(venezuela):
    arrays = ScenarioArrays.from_scenario(venezuela)
    top = ranked(leverage(arrays, "median"), 5)
    assert top and all(abs(lv.effect) > 0 for lv in top)


def test_cli_whatif_and_leverage(capsys, tmp_path):
    store = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert main(["whatif", "-m", "compromise", "-n", "200", "--store", store, "-f", "json"]) == 0
    result = json.loads(capsys.readouterr().out)["compromise"]
    labels = [c["label"] for c in result]
    assert labels[0] == "baseline" and "government_walks_out" in labels
    walkout = result[labels.index("government_walks_out")]
    assert walkout["agreement"] == 0
    assert main(["leverage", "-m", "nash", "-i", "sanctions_relief", "--top", "5",
                 "-f", "json"]) == 0
    levers = json.loads(capsys.readouterr().out)
    assert len(levers) == 5 and all(lv["issue"] == "sanctions_relief" for lv in levers)


def test_cli_runs_show_and_export(capsys, tmp_path):
    store = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert main(["montecarlo", "-n", "300", "--seed", "3", "--store", store, "-f", "json",
                 "-t", "electoral_timetable>=60"]) == 0
    run_id = json.loads(capsys.readouterr().out)["run_id"]
    assert main(["runs", "--store", store]) == 0
    assert run_id in capsys.readouterr().out
    assert main(["runs", "show", run_id, "--store", store]) == 0
    assert "electoral_timetable>=60" in capsys.readouterr().out
    csv_path, parquet_path = tmp_path / "d.csv", tmp_path / "d.parquet"
    assert main(["runs", "export", run_id, "-o", str(csv_path), "--store", store]) == 0
    assert main(["runs", "export", run_id, "-o", str(parquet_path), "-f", "parquet",
                 "--store", store]) == 0
    rows = csv_path.read_text().splitlines()
    assert rows[0].startswith("draw,political_rights") and len(rows) == 301
    import pyarrow.parquet as pq

    table = pq.read_table(parquet_path)
    np.testing.assert_allclose(table.column("electoral_timetable").to_numpy(),
                               [float(r.split(",")[3]) for r in rows[1:]])
    assert main(["runs", "show", "nope", "--store", store]) == 2


def test_a_shocked_runs_stored_summary_is_the_runs_own(tmp_path):
    """`accord runs show` of a shocked run summarises the shocked scenario, with the calibrated
    intervals the run itself gave (the store keeps the scenario as given, without the shock)."""
    from accord.api.uncertainty import montecarlo, stored_run
    from accord.scenario.catalog import load

    store = f"sqlite:///{tmp_path / 'r.sqlite'}"
    ran = montecarlo(load().scenario, "compromise", 200, 5, shock="government_walks_out",
                     store=store, workers=1)
    _, shown = stored_run(ran.run_id, store)
    assert shown.intervals_include == ran.intervals_include is not None
    assert [i.model_dump() for i in shown.issues] == [i.model_dump() for i in ran.issues]
