"""What Accord prints and writes, given hostile names and odd options (issue 17, items 1, 6, 8,
9 and 10): user strings are text, never markup or terminal control; degenerate numbers carry a
note; options out of range are refused; output formats follow the file's extension."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from test_errors import GOOD, answered

from accord.api.report import ROUND_FORECASTS
from accord.api.runs import Request, execute
from accord.api.store import Store
from accord.report import text
from accord.report.html import figures
from accord.scenario.catalog import load
from accord.scenario.formats import read_string, render

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_NAMES = ["bad [/x] name", "[/]", "[bold]B[/bold]", "[link=http://x]y[/link]",
                 ":thumbs_up: [red]", "\\[escaped]"]


def scenario_named(tmp_path, name: str) -> Path:
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    path = tmp_path / "s.yaml"
    path.write_text(GOOD.replace("name: Test", f'name: "{quoted}"')
                    .replace("{id: a, name: A,", f'{{id: a, name: "{quoted}",'), encoding="utf-8")
    return path


# --- item 1: markup and terminal controls ---------------------------------------------------

@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_names_with_markup_are_printed_as_written(tmp_path, name):
    path = scenario_named(tmp_path, name)
    for command in (["forecast"], ["show"], ["leverage", "-m", "compromise"],
                    ["montecarlo", "-m", "compromise", "-n", "50", "--store",
                     f"sqlite:///{tmp_path / 'r.sqlite'}"]):
        code, out, err = answered(command[0], str(path), *command[1:], seconds=20)
        assert code == 0, err
        assert name in out, (command, out)


def test_markup_in_an_error_is_printed_as_written(tmp_path):
    code, _, err = answered("forecast", str(tmp_path / "[/x][bold]no.yaml"))
    assert code == 2 and "[/x][bold]no.yaml: no such file" in err


def test_terminal_controls_never_reach_the_terminal(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD.replace("name: Test", 'name: "T\\e[2J\\u202e"'))
    code, _, err = answered("forecast", str(path))
    assert code == 2 and "control character U+001B" in err
    weird = tmp_path / "\x1b[2J\u202e.yaml"
    code, _, err = answered("forecast", str(weird))
    assert code == 2 and "\x1b" not in err and "\u202e" not in err
    assert "\\x1b[2J\\u202e.yaml: no such file" in err


def test_clean_escapes_controls_and_bidi_but_keeps_text():
    assert text.clean("a\x1b[2Jb\u202ec\x9bd\ttab\nline") == "a\\x1b[2Jb\\u202ec\\x9bd\ttab\nline"
    assert text.clean("two\nlines\t!", one_line=True) == "two\\nlines\\t!"
    assert text.clean("Gerardo Blyde [opposition] ✓ é") == "Gerardo Blyde [opposition] ✓ é"


def test_safe_console_survives_broken_markup_from_any_renderer():
    console = text.SafeConsole(file=open("/dev/null", "w"), width=80)
    with console.capture() as captured:
        console.print("title [/x] \x1b[31m")
    assert captured.get() == "title [/x] \\x1b[31m\n"


# --- item 6: degenerate numbers and options ---------------------------------------------------

def test_issue_without_stances_and_all_zero_saliences_get_notes(tmp_path):
    path = tmp_path / "z.yaml"
    doc = GOOD.replace("salience: 0.5", "salience: 0").replace("salience: 0.9", "salience: 0")
    path.write_text(doc.replace("stances:", "  - {id: y, name: Y, status_quo: 30}\nstances:"))
    code, _, err = answered("forecast", str(path))
    assert code == 0
    assert "issue 'x': every salience is 0" in err
    assert "issue 'y': no actor has a stance" in err and "the spread of 0 says nothing" in err


@pytest.mark.parametrize("args, expected", [
    (["montecarlo", "--workers", "-1", "-n", "10"], "--workers"),
    (["montecarlo", "--workers", "0", "-n", "10"], "--workers"),
    (["leverage", "--top", "-5"], "--top"),
    (["montecarlo", "-n", "10", "-t", "coexistence>=500"], "outside the scale of 'coexistence'"),
    (["montecarlo", "-n", "10", "-t", "coexistence>=nan"], "outside the scale"),
    (["simulate", "--shock", "government_walks_out", "--no-events"], "--no-events drops"),
    (["montecarlo", "--wrokers", "2"], "No such option: --wrokers"),
    (["montecarlo", "-n", "1000000000000"], "1,000,000,000 chunks"),
    (["montecarlo", "-n", "100000000", "--chunk-size", "10000000"], "would need about"),
    (["montecarlo", "-n", "10", "--seed", "-1"], "seed out of range"),
    (["report", "-n", "10", "--seed", "-1", "-m", "compromise"], "seed out of range"),
    (["forecast", "-f", "xml"], "'xml' is not one of"),
])
def test_options_out_of_range_are_one_line_errors(tmp_path, args, expected):
    code, _, err = answered(*args, "--store", f"sqlite:///{tmp_path / 'r.sqlite'}"
                            ) if args[0] == "montecarlo" else answered(*args)
    assert code == 2 and expected in err, err


# --- item 8: formats from the extension, no silent truncation -------------------------------

def test_export_format_follows_the_extension(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    run = execute(Request(load().scenario, "compromise", 30, 1, 10), Store(url), workers=1)
    assert answered("runs", "export", run.run_id, "-o", str(tmp_path / "x.parquet"),
                    "--store", url)[0] == 0
    table = pq.read_table(tmp_path / "x.parquet")
    assert table.num_rows == 30 and table.column_names[0] == "draw"
    assert answered("runs", "export", run.run_id, "-o", str(tmp_path / "x.csv"), "--store",
                    url)[0] == 0
    assert (tmp_path / "x.csv").read_text().startswith("draw,political_rights")
    code, _, err = answered("runs", "export", run.run_id, "-o", str(tmp_path / "x.txt"),
                            "--store", url)
    assert code == 2 and "cannot tell the format from the name's extension '.txt'" in err


def test_report_format_follows_the_extension(tmp_path):
    assert answered("report", "-o", str(tmp_path / "r.md"), "-m", "compromise", "-n", "0",
                    seconds=60)[0] == 0
    assert (tmp_path / "r.md").read_text().startswith("# ")
    code, _, err = answered("report", "-o", str(tmp_path / "r.pdf"), "-m", "compromise")
    assert code == 2 and "'.pdf'" in err


def test_ktab_names_are_shortened_uniquely_and_said_so():
    doc = GOOD.replace("name: A,", "name: The Government of the Bolivarian Republic A,").replace(
        "name: B,", "name: The Government of the Bolivarian Republic B,")
    scenario = read_string(doc, "s.yaml").scenario
    written, notes = render(scenario, "ktab")
    names = [row.split(",")[0] for row in written.splitlines()[2:]]
    assert len(set(names)) == 2 and all(len(n) <= 25 for n in names)
    assert any("2 shortened" in note for note in notes)
    back = read_string(written, "k.csv", "ktab").scenario
    assert len(back.actors) == 2


def test_table_writer_keeps_actors_that_share_a_name():
    scenario = read_string(GOOD.replace("name: B,", "name: A,"), "s.yaml").scenario
    written, notes = render(scenario, "table")
    assert any("written as their ids" in note for note in notes)
    assert len(read_string(written, "t.csv", "table").scenario.actors) == 2


# --- item 9: the round chart ends at the forecast -------------------------------------------

@pytest.fixture(scope="module")
def rounds_report():
    """The report's data for the three round-based models (no draws, levers or simulation)."""
    from accord.api.forecast import forecast
    from accord.api.report import Report, _rounds
    from accord.models import get
    from accord.models.parameters import run_model
    from accord.scenario.arrays import ScenarioArrays

    scenario = load().scenario
    arrays = ScenarioArrays.from_scenario(scenario)
    names = ["eum", "smp", "exchange"]
    report = Report(scenario, forecast(scenario, names), arrays)
    for name in names:
        report.rounds[name] = _rounds(name, run_model(get(name), arrays.batch(), {}),
                                      arrays.batch())
    return report


def test_round_charts_end_at_the_forecast_in_the_table(rounds_report):
    """Issue 17: smp's chart drew its per-turn capability x salience weighted mean, which ends
    up to 17 points from its forecast (the expected position under the last turn's winning
    probabilities; political_prisoners 68.5 against 51.5). It now draws each turn's expected
    position; eum and exchange already drew their own outcome per round."""
    report = rounds_report
    for model in report.forecast.models:
        last = report.arrays.to_scale(report.rounds[model.model].forecasts)[-1]
        table = [model.issues[i.id].forecast for i in report.scenario.issues]
        np.testing.assert_allclose(last, table, atol=1e-9)
    smp = report.rounds["smp"]
    old = report.arrays.to_scale(smp.result.round_outcomes[0])[-1]
    new = report.arrays.to_scale(smp.forecasts)[-1]
    assert np.abs(old - new).max() > 10  # where the old line ended
    charts_ = figures(report)["trajectories"]
    assert ROUND_FORECASTS["smp"] in html.unescape(str(charts_["smp"][0]))
    assert "weighted median" not in str(charts_["smp"][0])
    assert "voting outcome" in str(charts_["exchange"][0])
    assert "weighted median" in str(charts_["eum"][0])


def test_chart_end_point_is_drawn_at_the_forecast(rounds_report):
    report = rounds_report
    j = [i.id for i in report.scenario.issues].index("political_prisoners")
    svg = str(figures(report)["trajectories"]["smp"][j])
    thick = re.findall(r'points="([^"]+)" fill="none" stroke="#c0392b"', svg)[0]
    y_end = float(thick.split()[-1].split(",")[1])
    smp = next(m for m in report.forecast.models if m.model == "smp")
    forecast = smp.issues["political_prisoners"].forecast
    # the chart's y axis maps 0..100 to pixels 190..20 (height 220)
    assert y_end == pytest.approx(190 - forecast / 100 * 170, abs=0.06)


# --- item 10: make test installs nothing system-wide ---------------------------------------

@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_test_does_not_install_system_packages():
    dry = subprocess.run(["make", "-n", "test", "VENV=.no-such-venv"], cwd=ROOT,
                         capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert "apt-get" not in dry.stdout
    browser = subprocess.run(["make", "-n", "browser"], cwd=ROOT, capture_output=True, text=True)
    assert "apt-get" in browser.stdout  # only on request
    readme = (ROOT / "README.md").read_text()
    assert "make browser" in readme and "system-wide" in readme
