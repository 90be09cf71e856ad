"""The Python API: the same numbers as the command line, pandas tables, Jupyter views, checks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import accord
from accord.cli import main
from accord.scenario.errors import InputError


def cli_json(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


@pytest.fixture(scope="module")
def talks():
    return accord.load("venezuela-2021")


def test_forecast_is_what_the_command_line_prints(capsys, talks):
    printed = cli_json(capsys, "forecast", "-f", "json")
    document = talks.forecast().to_dict()
    printed.pop("generated"), document.pop("generated")
    assert printed == document


@pytest.mark.parametrize("args, call", [
    (["leverage", "-m", "nash", "--top", "3"], lambda t: t.leverage(["nash"], top=3)),
    (["trace", "-m", "eum", "-i", "sanctions_relief"], lambda t: t.trace("eum", "sanctions_relief")),
    (["simulate"], lambda t: t.simulate()),
])
def test_documents_are_what_the_command_line_prints(capsys, talks, args, call):
    assert cli_json(capsys, *args, "-f", "json") == call(talks).to_dict()


def test_whatif_and_montecarlo_are_what_the_command_line_prints(capsys, talks, tmp_path):
    store = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    printed = cli_json(capsys, "whatif", "-m", "median", "-n", "50", "--store", store, "-f", "json")
    assert printed == talks.whatif(models=["median"], draws=50, store=store).to_dict()
    printed = cli_json(capsys, "montecarlo", "-m", "nash", "-n", "300", "--seed", "5", "-w", "1",
                       "--store", store, "-f", "json")
    result = talks.montecarlo("nash", 300, 5, workers=1, store=store)
    printed.pop("run_id")
    assert printed == {k: v for k, v in result.to_dict().items() if k != "run_id"}


def test_tables_for_pandas(talks):
    frame = talks.forecast(models=["compromise", "median"]).to_frame()
    assert list(frame.columns) == ["status quo", "compromise", "median", "spread"]
    assert frame.loc["covid_vaccines", "median"] == 80.0
    assert len(frame) == len(talks.scenario.issues)
    stances = talks.to_frame()
    assert len(stances) == len(talks.scenario.stances)
    assert stances.loc[("government", "sanctions_relief"), "position"] == 95
    rounds = talks.simulate().to_frame()
    assert "sanctions_relief" in rounds.columns and rounds.index.name == "round"
    levers = talks.leverage(["nash"], top=2).to_frame()
    assert len(levers) == 2 and {"actor", "lever", "effect"} <= set(levers.columns)


def test_jupyter_views_escape_what_users_typed(talks):
    scenario = talks.scenario.model_copy(update={"name": "<script>alert(1)</script>"})
    hostile = accord.Negotiation(scenario)
    for view in (hostile._repr_html_(), hostile.forecast(["median"])._repr_html_()):
        assert "<script>" not in view and "&lt;script&gt;" in view


def test_parameters_are_checked_by_name(talks):
    with pytest.raises(InputError, match="nash has no parameter 'utlity'"):
        talks.forecast(["nash"], params={"nash": {"utlity": "quadratic"}})
    with pytest.raises(InputError, match="unknown model"):
        talks.forecast(["nahs"])
    quadratic = talks.forecast(["nash"], params={"nash": {"utility": "quadratic"}})
    assert quadratic.models[0].parameters["utility"] == "quadratic"


def test_the_command_line_starts_without_the_models():
    code = ("import sys, accord.cli; "
            "heavy = [m for m in ('numpy', 'pydantic', 'accord.models.registry', 'pandas') "
            "if m in sys.modules]; print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _nested(intervals):
    """Each level's interval inside the next wider one."""
    ordered = sorted(intervals, key=lambda i: i.level)
    return all(a.low >= b.low - 1e-9 and a.high <= b.high + 1e-9
               for a, b in zip(ordered, ordered[1:]))


def test_montecarlo_and_whatif_carry_calibrated_intervals(talks, tmp_path):
    store = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run = talks.montecarlo("compromise", 200, 4, workers=1, store=store)
    assert "the uncertainty of this scenario's inputs" in run.intervals_include
    for issue in run.issues:
        assert [i.level for i in issue.intervals] == [0.5, 0.8, 0.9] and _nested(issue.intervals)
        ninety = issue.intervals[-1]  # model error added to the draws: wider than the draws
        assert ninety.high - ninety.low >= issue.p95 - issue.p5 - 1.0
    frame = run.to_frame()
    assert {"low 0.9", "high 0.9"} <= set(frame.columns)
    tuned = talks.montecarlo("compromise", 50, 4, workers=1, store=store,
                             params={"compromise": {"weights": "capability"}})
    assert tuned.intervals_include is None and tuned.issues[0].intervals is None
    columns = talks.whatif(models=["median"], draws=50, store=store).root["median"]
    assert all(c.intervals_include and _nested(c.issues[0].intervals) for c in columns)


def test_forecast_deal_and_levels(talks):
    report = talks.forecast(["compromise"], levels=[0.95, 0.5], deal_draws=80, seed=2)
    assert report.levels == [0.5, 0.95]
    deal = report.deal
    assert 0 <= deal.holds_low <= deal.holds <= deal.holds_high <= 1
    assert deal.holds <= deal.agreement  # an implemented agreement is first an agreement
    assert deal.draws == 80 and deal.seed == 2
    for issue in report.issues:
        mixed = deal.issues[issue.id]
        assert [i.level for i in mixed.intervals] == [0.5, 0.95] and _nested(mixed.intervals)
    again = talks.forecast(["compromise"], levels=[0.95, 0.5], deal_draws=80, seed=2).deal
    assert again == deal  # seeded
    with pytest.raises(InputError, match="level"):
        talks.forecast(["compromise"], levels=[1.0])


def test_no_deal_forecast_for_more_parties_than_the_forecast_simulates(tmp_path):
    import yaml

    from accord.api.forecast import DEAL_MAX_PARTIES

    n = DEAL_MAX_PARTIES + 1
    path = tmp_path / "crowd.yaml"
    path.write_text(yaml.safe_dump({
        "accord": 1, "id": "crowd", "name": "crowd",
        "actors": [{"id": f"a{i}", "name": f"A{i}", "role": "party", "capability": 1}
                   for i in range(n)],
        "issues": [{"id": "x", "name": "X", "scale": {"min": 0, "max": 100}, "status_quo": 50}],
        "stances": [{"actor": f"a{i}", "issue": "x", "position": i % 100, "salience": 0.5}
                    for i in range(n)]}))
    report = accord.load(str(path)).forecast(["compromise"])
    assert report.deal is None and f"{n:,} parties at the table" in report.deal_note


def test_levels_on_the_command_line_and_in_the_api(capsys, talks, tmp_path):
    from accord.api.forecast import LEVELS
    from accord.cli import LEVELS as CLI_LEVELS

    assert CLI_LEVELS == LEVELS
    store = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    printed = cli_json(capsys, "montecarlo", "-m", "median", "-n", "50", "--seed", "1", "-w", "1",
                       "--store", store, "-l", "0.95", "-f", "json")
    assert [i["level"] for i in printed["issues"][0]["intervals"]] == [0.95]
    columns = talks.whatif(models=["median"], draws=30, store=store, levels=[0.6, 0.99])
    assert [i.level for i in columns.root["median"][0].issues[0].intervals] == [0.6, 0.99]
    assert main(["whatif", "-m", "median", "-n", "30", "--store", store, "-l", "2"]) == 2
    assert "level" in capsys.readouterr().err
