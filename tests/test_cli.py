"""The command line end to end: forecast in every format, schema, show, convert, scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main
from accord.forecasting import ForecastReport
from accord.models import MODELS
from accord.scenario.formats import read_file

DOCS = Path(__file__).resolve().parents[1] / "docs"


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


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
    md = run(capsys, "forecast", "-f", "markdown", "-m", "median")
    assert md.splitlines()[2].startswith("| issue | status quo | median |")
    csv_text = run(capsys, "forecast", "-f", "csv", "-m", "median", "-m", "nash")
    assert csv_text.splitlines()[0] == "issue,status_quo,median,nash,spread"
    assert len(csv_text.splitlines()) == 13


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
    with pytest.raises(OSError):
        from accord.scenario.formats.files import atomic_write
        atomic_write(target, "new text")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["v.yaml"]
