"""Every reference file reads, converts to YAML and back with the same numbers."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from accord.scenario.arrays import ScenarioArrays
from accord.scenario.catalog import load
from accord.scenario.formats import read_file, render, write_file, yaml_format
from conftest import SHARED, shared

KTAB = sorted(p.name for p in (SHARED / "data" / "ktab").glob("*.csv"))
DECIDE = ["cop21.csv", "copenhagen.csv", "sample_data.txt"]


def numbers(scenario):
    a = ScenarioArrays.from_scenario(scenario)
    return a.capability, a.position, a.salience, a.mask, a.low, a.high


def assert_same_numbers(a, b):
    for x, y in zip(numbers(a), numbers(b)):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("name", KTAB)
def test_ktab_round_trip_through_yaml(name, tmp_path):
    original = read_file(shared("data", "ktab", name)).scenario
    write_file(original, tmp_path / "s.yaml")
    again = read_file(tmp_path / "s.yaml").scenario
    assert_same_numbers(original, again)
    write_file(again, tmp_path / "back.csv", "ktab")
    back = read_file(tmp_path / "back.csv")
    assert back.format == "ktab"
    assert_same_numbers(original, back.scenario)
    assert [a.name for a in back.scenario.actors] == [a.name for a in original.actors]
    assert [i.name for i in back.scenario.issues] == [i.name for i in original.issues]


def test_ktab_reads_the_published_numbers():
    s = read_file(shared("data", "ktab", "SOE-Pol-Comp.csv")).scenario
    assert len(s.actors) == 13 and len(s.issues) == 2
    xj = s.actor("XJ")
    assert xj.capability == 100 and xj.description == "Xi Jinping"
    assert s.stance("XJ", s.issues[1].id).position == 20
    assert s.stance("XJ", s.issues[1].id).salience == pytest.approx(0.48)


@pytest.mark.parametrize("name", DECIDE)
def test_decide_round_trip_through_yaml(name, tmp_path):
    loaded = read_file(shared("data", "decide", name))
    assert loaded.format == "decide"
    original = loaded.scenario
    write_file(original, tmp_path / "s.yaml")
    again = read_file(tmp_path / "s.yaml").scenario
    assert_same_numbers(original, again)
    write_file(again, tmp_path / "back.csv", "decide")
    back = read_file(tmp_path / "back.csv").scenario
    assert_same_numbers(original, back)


def test_decide_scale_comes_from_anchor_rows():
    s = read_file(shared("data", "decide", "sample_data.txt")).scenario
    toll = s.issue("tol-hoogte")
    assert (toll.scale.min, toll.scale.max) == (0.5, 7)
    assert s.stance("Willems", "tol-hoogte").salience == pytest.approx(0.7)


def test_decide_cop21_masks_missing_rows():
    s = read_file(shared("data", "decide", "cop21.csv")).scenario
    a = ScenarioArrays.from_scenario(s)
    assert a.mask.shape == (15, 13) and a.mask.sum() == 181


def test_table_reads_bdm_and_detects_0_100_salience():
    loaded = read_file(shared("data", "bdm", "example_actors.csv"))
    assert loaded.format == "table"
    assert any("0-100" in note for note in loaded.notes)
    assert loaded.scenario.stance("Netherlands", "issue").salience == pytest.approx(0.8)


def test_table_with_unit_saliences_and_issue_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("actor,capability,position,salience,issue\nA,1,10,0.5,x\nB,2,90,1,x\n"
                    "A,1,30,0.2,y\n")
    loaded = read_file(path)
    assert any("0-1" in note for note in loaded.notes)
    s = loaded.scenario
    assert [i.id for i in s.issues] == ["x", "y"] and s.stance("B", "y") is None


def test_venezuela_round_trips_through_every_format(tmp_path):
    original = load("venezuela-2021").scenario
    text = yaml_format.write(original)
    assert yaml_format.read(text) == original
    for fmt in ("decide", "table"):
        write_file(original, tmp_path / f"v.{fmt}", fmt)
        back = read_file(tmp_path / f"v.{fmt}", fmt).scenario
        a, b = ScenarioArrays.from_scenario(original), ScenarioArrays.from_scenario(back)
        np.testing.assert_array_equal(a.mask, b.mask)
        np.testing.assert_allclose(a.position[a.mask], b.position[b.mask])
        np.testing.assert_allclose(a.salience[a.mask], b.salience[b.mask])


def test_ktab_writer_says_what_it_cannot_hold():
    text, notes = render(load("venezuela-2021").scenario, "ktab")
    assert any("no stance" in n for n in notes)
    assert any("scaled down" in n for n in notes)


@pytest.mark.parametrize("fmt", ["table", "ktab"])
def test_names_that_look_like_formulas_are_written_inert_and_read_back_unchanged(fmt, tmp_path):
    """An actor named from untrusted text (a news article) must not become a spreadsheet
    formula in an exported table: such cells get a leading apostrophe, which reading removes."""
    original = load("venezuela-2021").scenario
    hostile = ["=HYPERLINK(\"h\",\"y\")", "+1+1", "-2", "@SUM(A1)"]
    actors = [a.model_copy(update={"name": name}) for a, name in zip(original.actors, hostile)]
    scenario = original.model_copy(update={"actors": actors + original.actors[len(hostile):]})
    text, _ = render(scenario, fmt)
    cells = [cell.strip() for row in csv.reader(io.StringIO(text)) for cell in row]
    for name in hostile:
        assert name not in cells and "'" + name in cells, name
    write_file(scenario, tmp_path / f"s.{fmt}", fmt)
    names = {a.name for a in read_file(tmp_path / f"s.{fmt}", fmt).scenario.actors}
    assert set(hostile) <= names
