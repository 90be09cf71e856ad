"""Every class of bad input gets one message naming file, line, field and what is accepted."""

from __future__ import annotations

import contextlib
import importlib
import io
import time
import tracemalloc

import pytest

from accord import cli
from accord.cli import main
from accord.scenario.catalog import load
from accord.scenario.formats import yaml_format

GOOD = """accord: 1
id: t
name: Test
actors:
  - {id: a, name: A, capability: 1}
  - {id: b, name: B, capability: 2}
issues:
  - id: x
    name: X
    status_quo: 10
stances:
  - {actor: a, issue: x, position: 20, salience: 0.5}
  - {actor: b, issue: x, position: 80, salience: 0.9}
"""


WARM = ("accord.api.runs", "accord.api.store", "accord.api.export", "accord.analysis.shocks",
        "accord.analysis.leverage", "accord.api.report", "accord.report.html")  # imported lazily


def answered(*args: str, seconds: float = 2.0, megabytes: float = 300) -> tuple[int, str, str]:
    """Run the CLI in this process under a time and a memory cap (the peak that tracemalloc
    sees, which counts numpy's arrays too); the answer must be exit 0 or exit 2 with one line
    starting "error:", never a traceback or an "internal error". Returns (code, stdout, stderr).
    The cap is on CPU time, as the test machine is shared (wall time there can be ten times
    longer); a wall-clock cap 15 times as long catches a hang. The fixed start-up costs
    (imports, building the command line once) are not timed."""
    cli._command()
    for module in WARM:
        importlib.import_module(module)
    out, err = io.StringIO(), io.StringIO()
    tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    text = err.getvalue()
    assert code in (0, 2), text
    assert "Traceback" not in text and "internal error" not in text, text
    if code == 2:  # notes may come first; the error is the one last line
        lines = text.strip().split("\n")
        assert lines[-1].startswith("error:"), text
        assert all(line.startswith("note:") for line in lines[:-1]), text
    assert cpu < seconds, f"{cpu:.2f} s of CPU for {args}"
    assert elapsed < 15 * seconds, f"{elapsed:.2f} s for {args}"
    assert peak < megabytes * 2 ** 20, f"{peak / 2 ** 20:.0f} MB for {args}"
    return code, out.getvalue(), text


def run_cli(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.err


def check(tmp_path, capsys, text: str | bytes, *expected: str, name="s.yaml", args=()):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    code, err = run_cli(capsys, "forecast", str(path), *args)
    assert code == 2, err
    assert "Traceback" not in err
    assert err.startswith("error:") and err.strip().count("\n") == 0
    flat = " ".join(err.split())
    for piece in expected:
        assert piece in flat, (piece, flat)
    return flat


def test_good_file_passes(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    assert main(["forecast", str(path)]) == 0


def test_unknown_key(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("    status_quo: 10", "    status_quo: 10\n    colour: red"),
          "s.yaml:11", "issues[0].colour", "unknown key 'colour'", "accepted: the keys id, name")


def test_missing_field(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("{id: b, name: B, capability: 2}", "{id: b, name: B}"),
          "s.yaml:6", "actors[1].capability", "required field 'capability' is missing")


def test_out_of_range_salience(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("salience: 0.9", "salience: 1.5"),
          "s.yaml:13", "stances[1].salience", "1.5", "accepted: a number from 0 to 1")


def test_negative_capability(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("capability: 2", "capability: -2"),
          "actors[1].capability", "greater than 0")


def test_position_off_scale(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("position: 80", "position: 180"),
          "s.yaml:13", "stances[1].position", "180", "from 0 to 100")


def test_duplicate_ids(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("{id: b, name: B", "{id: a, name: B"),
          "actors", "duplicate id 'a'")


def test_stance_for_unknown_actor(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("{actor: b, issue: x", "{actor: zed, issue: x"),
          "s.yaml:13", "stances[1].actor", "unknown actor", "'zed'", "a, b")


def test_stance_for_unknown_issue(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("{actor: b, issue: x", "{actor: b, issue: y"),
          "stances[1].issue", "unknown issue", "'y'")


def test_duplicate_stance(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("{actor: b, issue: x", "{actor: a, issue: x"),
          "stances[1]", "second stance of 'a' on 'x'")


def test_wrong_version(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("accord: 1", "accord: 2"), "s.yaml:1", "accord",
          "accepted: one of 1")


def test_yaml_syntax_error(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("name: Test", "name: [Test"), "s.yaml:", "YAML syntax")


def test_duplicate_yaml_key(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.replace("name: Test", "name: Test\nname: Again"),
          "s.yaml:4", "key 'name' appears twice")


def test_non_utf8(tmp_path, capsys):
    check(tmp_path, capsys, GOOD.encode().replace(b"name: Test", b"name: T\xe9st"),
          "s.yaml:3", "0xe9", "not valid UTF-8", "accepted: UTF-8")


def test_empty_file(tmp_path, capsys):
    check(tmp_path, capsys, "", "s.yaml", "the file is empty")


def test_directory(tmp_path, capsys):
    (tmp_path / "d.yaml").mkdir()
    code, err = run_cli(capsys, "forecast", str(tmp_path / "d.yaml"))
    assert code == 2 and "directory, not a file" in err


def test_ktab_saliences_over_100(tmp_path, capsys):
    text = ("S,desc,2,2,\nActor,Description,Influence,P1,S1,P2,S2,\n"
            "A,a,10,50,60,40,50,\nB,b,20,30,20,40,30,\n")
    check(tmp_path, capsys, text, "k.csv:3", "saliences of 'A' sum to 110, over 100",
          "at most 100", name="k.csv")


def test_ktab_wrong_delimiter(tmp_path, capsys):
    text = "S;desc;2;1;\nActor;Description;Influence;P1;S1;\nA;a;10;50;60;\nB;b;2;3;4;\n"
    check(tmp_path, capsys, text, "k.csv:1", "separated by semicolons", name="k.csv",
          args=("--from", "ktab"))


def test_table_wrong_delimiter(tmp_path, capsys):
    check(tmp_path, capsys, "actor;capability;position;salience\nA;1;2;3\n",
          "t.csv:1", "separated by semicolons", name="t.csv", args=("--from", "table"))


def test_ktab_row_count_mismatch(tmp_path, capsys):
    text = "S,desc,3,1,\nActor,Description,Influence,P1,S1,\nA,a,10,50,60,\nB,b,2,3,4,\n"
    check(tmp_path, capsys, text, "k.csv:1", "announces 3 actors but 2 rows", name="k.csv")


def test_ktab_bad_number(tmp_path, capsys):
    text = "S,desc,2,1,\nActor,Description,Influence,P1,S1,\nA,a,10,abc,60,\nB,b,2,3,4,\n"
    check(tmp_path, capsys, text, "k.csv:3", "P1", "not a number", "'abc'", name="k.csv")


def test_decide_unknown_actor(tmp_path, capsys):
    text = ("'#A'\t'A'\t'A'\n'#P'\t'x'\t'x'\n'#M'\t'x'\t0\n'#M'\t'x'\t100\n"
            "'#D'\t'A'\t'x'\t50\t0.5\t1\n'#D'\t'B'\t'x'\t50\t0.5\t1\n")
    check(tmp_path, capsys, text, "d.csv:6", "unknown actor", "'B'", name="d.csv")


def test_decide_position_outside_anchors(tmp_path, capsys):
    text = ("'#A'\t'A'\t'A'\n'#P'\t'x'\t'x'\n'#M'\t'x'\t0\n'#M'\t'x'\t10\n"
            "'#D'\t'A'\t'x'\t50\t0.5\t1\n")
    check(tmp_path, capsys, text, "d.csv:5", "outside the issue's #M range", "from 0 to 10",
          name="d.csv")


def test_decide_unknown_row_type(tmp_path, capsys):
    text = "'#A'\t'A'\t'A'\n'#Q'\t'x'\n"
    check(tmp_path, capsys, text, "d.csv:2", "unknown row type", "'#Q'", name="d.csv")


def test_unknown_builtin(capsys):
    code, err = run_cli(capsys, "forecast", "atlantis")
    assert code == 2 and "venezuela-2021" in err


def test_debug_shows_traceback(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text("")
    code, err = run_cli(capsys, "--debug", "forecast", str(path))
    assert code == 2 and "Traceback" in err


def test_error_message_reads_well():
    with pytest.raises(Exception) as info:
        yaml_format.read(GOOD.replace("salience: 0.9", "salience: 1.5"), "s.yaml")
    assert str(info.value) == ("s.yaml:13: stances[1].salience: Input should be less than or "
                               "equal to 1 (got 1.5); accepted: a number from 0 to 1")


def test_builtin_loads():
    assert load("venezuela-2021").scenario.id == "venezuela-2021"
