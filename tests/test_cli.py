"""The command line end to end: forecast in every format, schema, show, convert, scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.api.forecast import ForecastReport
from accord.cli import main
from accord.models import MODELS
from accord.scenario.errors import InputError
from accord.scenario.formats import read_file

DOCS = Path(__file__).resolve().parents[1] / "docs"


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def run_code(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_forecast_table_shows_every_model_and_issue(capsys, venezuela):
    text = run(capsys, "forecast")
    for name in MODELS:
        assert name in text
    assert "political_rights" in text and "spread" in text


def test_forecast_json_is_valid_against_the_documented_schema(capsys, venezuela):
    report = ForecastReport.model_validate_json(run(capsys, "forecast", "--format", "json"))
    assert [m.model for m in report.models] == list(MODELS)
    assert set(report.models[0].issues) == {i.id for i in venezuela.issues}
    documented = json.loads((DOCS / "forecast.schema.json").read_text())
    assert documented == ForecastReport.model_json_schema(), \
        "docs/forecast.schema.json is stale: run `accord schema forecast > docs/forecast.schema.json`"


def test_forecast_json_values_match_the_library(capsys):
    report = json.loads(run(capsys, "forecast", "--format", "json", "-m", "compromise"))
    tenure = report["models"][0]["issues"]["maduro_tenure"]
    assert tenure["off_table"] == "Maduro's resignation or any shortening of his term"
    assert 10 <= tenure["forecast"] <= 100


def test_forecast_markdown_and_csv(capsys):
    md = run(capsys, "forecast", "-f", "markdown", "-m", "median", "--deal-draws", "0")
    assert md.splitlines()[2].startswith("| issue | status quo | median |")
    assert "Deal or no deal" not in md
    csv_text = run(capsys, "forecast", "-f", "csv", "-m", "median", "-m", "nash",
                   "--deal-draws", "40")
    assert csv_text.splitlines()[0] == "issue,status_quo,median,nash,deal_mixture,spread"
    assert len(csv_text.splitlines()) == 13
    md = run(capsys, "forecast", "-f", "markdown", "-m", "median", "--deal-draws", "40",
             "--level", "0.95")
    assert md.splitlines()[2].startswith("| issue | deal or no deal [95%] | status quo | median |")
    assert "an agreement is signed in" in md and "of 40 simulated draws" in md


def test_schema_is_json_schema_of_the_scenario(capsys):
    schema = json.loads(run(capsys, "schema"))
    assert schema["title"] == "Scenario"
    assert {"actors", "issues", "stances", "events", "incentives", "rounds"} <= set(
        schema["properties"])
    documented = json.loads((DOCS / "scenario.schema.json").read_text())
    assert documented == schema, "docs/scenario.schema.json is stale: run `accord schema`"


def test_show_and_scenarios(capsys):
    assert "venezuela-2021" in run(capsys, "scenarios")
    text = run(capsys, "show", "venezuela-2021")
    assert "Unitary Platform" in text and "mediator" in text


def test_show_yaml_is_a_loadable_scenario(capsys, tmp_path, venezuela):
    path = tmp_path / "copy.yaml"
    path.write_text(run(capsys, "show", "--format", "yaml"))
    assert read_file(path).scenario == venezuela


def test_convert_between_formats(capsys, tmp_path):
    run(capsys, "convert", "venezuela-2021", str(tmp_path / "v.csv"), "--to", "table")
    run(capsys, "convert", str(tmp_path / "v.csv"), str(tmp_path / "v.yaml"))
    assert len(read_file(tmp_path / "v.yaml").scenario.stances) == 80


def test_convert_needs_a_target_format_for_csv(capsys, tmp_path):
    assert main(["convert", "venezuela-2021", str(tmp_path / "v.csv")]) == 2
    assert "--to" in capsys.readouterr().err
    assert not (tmp_path / "v.csv").exists()


def test_convert_never_leaves_a_half_written_file(capsys, tmp_path, monkeypatch):
    target = tmp_path / "v.yaml"
    target.write_text("precious")

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", explode)
    with pytest.raises(InputError, match="disk full"):
        from accord.scenario.formats.files import atomic_write
        atomic_write(target, "new text")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["v.yaml"]


def test_simulate_table_json_and_markdown(capsys):
    from accord.sim.document import SimulationDoc

    table = run(capsys, "simulate")
    assert "Mexico City" in table and "government" in table and "The text on the table" in table
    doc = SimulationDoc.model_validate_json(run(capsys, "simulate", "-f", "json", "-n", "2"))
    assert doc.parties == ["government", "opposition"] and len(doc.run.rounds) >= 3
    assert set(doc.summary) == {"as planned", "no gestures", "no incentives",
                                "no gestures or incentives", "no shocks", "no events"}
    assert doc.summary["as planned"].agreement.draws == 2
    documented = json.loads((DOCS / "simulate.schema.json").read_text())
    assert documented == SimulationDoc.model_json_schema(), \
        "docs/simulate.schema.json is stale: run `accord schema simulate > docs/simulate.schema.json`"
    md = run(capsys, "simulate", "--protocol", "alternating", "-f", "markdown", "--no-events")
    assert md.startswith("**venezuela-2021, alternating") and "| round | date |" in md


@pytest.mark.parametrize("args, field", [
    (["--protocol", "shuttle"], "--protocol"),
    (["--style", "stubborn"], "--style"),
    (["--shock", "nothing"], "--shock"),
    (["--format", "xml"], "--format"),
])
def test_simulate_refuses_bad_options(capsys, args, field):
    code, _, error = run_code(capsys, "simulate", *args)
    assert code == 2 and field in error and "Traceback" not in error


def test_simulate_needs_two_parties(capsys, tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text("accord: 1\nid: one\nname: One\nactors:\n"
                    "  - {id: a, name: A, role: party, capability: 1}\n"
                    "  - {id: m, name: M, role: mediator, capability: 1}\n"
                    "issues:\n  - {id: x, name: X}\nstances:\n"
                    "  - {actor: a, issue: x, position: 10, salience: 0.5}\n")
    code, _, error = run_code(capsys, "simulate", str(path))
    assert code == 2 and "two parties" in error
