"""KTAB's spatial model of politics against KTAB's own runs (shared/data/ktab/reference), its
XML reader, and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.models import get
from accord.models.smp import SmpParams, run_one, win_probabilities
from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.formats import read_file, read_string
from conftest import shared

CASES = {"dummyData_3Dim": "d3", "SOE-Pol-Comp": "soe_polcomp", "SOE-Policy": "soe_policy",
         "SOE-Competitive": "soe_comp", "dummyData_6Dim": "d6", "dummyData-a040": "a040"}
# KTAB prints positions x 100 to one decimal and fractional changes to four: a value printed
# as v lies within half a unit of its last digit of the true one.
PRINTED_POSITION = 0.05 + 1e-9
PRINTED_FRACTION = 0.00005 + 1e-12


def _inputs(name: str):
    batch = ScenarioArrays.from_scenario(read_file(shared("data", "ktab", f"{name}.csv")).scenario).batch()
    return batch.capability[0], batch.position[0], batch.salience[0]


def _reference(ref: str, probabilities: bool = False) -> np.ndarray:
    """KTAB's printed history: one row per actor and dimension (or per actor, probabilities)."""
    text = shared("data", "ktab", "reference", f"{ref}.history.txt").read_text()
    positions, _, chances = text.partition("History of actors' winning probabilities")
    block = chances if probabilities else positions
    rows = [line.split(":", 1)[1].split() for line in block.splitlines()
            if ":" in line and not line.startswith(("History", "Finish"))]
    return np.array([r for r in rows if r], dtype=float)


@pytest.mark.parametrize("name, ref", CASES.items())
def test_position_history_equals_ktab_at_every_turn(name, ref):
    c, x, s = _inputs(name)
    turns = run_one(c, x, s, SmpParams())
    ours = np.stack([x] + [t.positions for t in turns]) * 100  # (T, n, D)
    expected = _reference(ref)
    n, d = x.shape
    assert expected.shape == (n * d, len(turns) + 1), "a different number of turns"
    np.testing.assert_allclose(ours.transpose(1, 2, 0).reshape(n * d, -1), expected,
                               atol=PRINTED_POSITION, rtol=0)
    fractions = [float(line.split(":")[1].split()[0]) for line in
                 shared("data", "ktab", "reference", f"{ref}.fractional.txt").read_text().splitlines()]
    np.testing.assert_allclose([t.change for t in turns], fractions, atol=PRINTED_FRACTION, rtol=0)


@pytest.mark.parametrize("name, ref", [("dummyData_3Dim", "d3"), ("SOE-Pol-Comp", "soe_polcomp"),
                                       ("dummyData_6Dim", "d6")])
def test_winning_probabilities_equal_ktab(name, ref):
    c, x, s = _inputs(name)
    path = [x] + [t.positions for t in run_one(c, x, s, SmpParams())]
    ours = np.array([win_probabilities(c, p, s, SmpParams()) for p in path]).T
    np.testing.assert_allclose(ours, _reference(ref, probabilities=True), atol=PRINTED_FRACTION, rtol=0)


def _xml(name: str, extra: str = "", ideal: str = "") -> str:
    scenario = read_file(shared("data", "ktab", f"{name}.csv")).scenario
    dims = "".join(f"<dName>{i.name}</dName>" for i in scenario.issues)
    actors = []
    for a in scenario.actors:
        stances = [s for s in scenario.stances if s.actor == a.id]
        pos = "".join(f"<dCoord>{s.position!r}</dCoord>" for s in stances)
        sal = "".join(f"<dSal>{s.salience * 100!r}</dSal>" for s in stances)
        actors.append(f"<Actor><name>{a.name}</name><description>d</description>"
                      f"<capability>{a.capability!r}</capability><Position>{pos}</Position>"
                      f"<Salience>{sal}</Salience></Actor>")
    return (f"<?xml version='1.0'?>\n<Scenario>\n<name>{scenario.name}</name><desc>x</desc>"
            f"<prngSeed>03507583219545544127</prngSeed>{extra}\n<Dimensions>{dims}</Dimensions>\n"
            f"<Actors>\n" + "\n".join(actors) + f"\n</Actors>{ideal}</Scenario>\n")


def test_xml_twin_gives_the_csv_trajectory():
    loaded = read_string(_xml("dummyData_3Dim"), "d3.xml")
    assert loaded.format == "ktab-xml" and "IdealAdjustment" in loaded.notes[0]
    batch = ScenarioArrays.from_scenario(loaded.scenario).batch()
    twin = get("smp")(batch, **loaded.parameters["smp"])
    csv = get("smp")(ScenarioArrays.from_scenario(
        read_file(shared("data", "ktab", "dummyData_3Dim.csv")).scenario).batch())
    np.testing.assert_array_equal(twin.trajectory, csv.trajectory)


def test_xml_model_parameters_and_identity_adjustment():
    params = ("<ModelParameters><VictoryProbModel>Linear</VictoryProbModel><PCEModel>"
              "MarkovIncentive</PCEModel><StateTransitions>Stochastic</StateTransitions>"
              "<VotingRule>Proportional</VotingRule><BigRAdjust>No</BigRAdjust><BigRRange>Mid"
              "</BigRRange><ThirdPartyCommit>SemiCommit</ThirdPartyCommit><InterVecBrgn>S2P2"
              "</InterVecBrgn><BargnModel>InitOnlyInterp</BargnModel></ModelParameters>")
    ideal = ("<IdealAdjustment><iaPair><adjustingIdeal>SActor-00</adjustingIdeal>"
             "<referencePos>SActor-00</referencePos><adjust>1</adjust></iaPair></IdealAdjustment>")
    loaded = read_string(_xml("dummyData_3Dim", params, ideal), "d3.xml")
    p = loaded.parameters["smp"]
    assert (p["pce"], p["transitions"], p["voting_rule"], p["big_r_adjust"]) == \
        ("markov_incentive", "stochastic", "prop", "none")
    assert p["accommodation"][0][:2] == [1.0, 0.0] and p["seed"] > 0
    result = get("smp")(ScenarioArrays.from_scenario(loaded.scenario).batch(), **p)
    again = get("smp")(ScenarioArrays.from_scenario(loaded.scenario).batch(), **p)
    np.testing.assert_array_equal(result.trajectory, again.trajectory)  # seeded, unlike KTAB


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("<dCoord>75.79</dCoord>", "<dCoord></dCoord>", 1), "<dCoord> is empty"),
    (lambda t: t.replace("<capability>102.543</capability>", "", 1), "has no <capability>"),
    (lambda t: t.replace("<dSal>49.53</dSal>", "", 1), "<dSal> for 3 dimensions"),
    (lambda t: t.replace("<dCoord>75.79</dCoord>", "<dCoord>175.79</dCoord>", 1), "out of range"),
    (lambda t: t.replace("<Dimensions>", "<Dimension>", 1), "not well-formed"),
    (lambda t: t.replace("</Actors>", "</Actors><IdealAdjustment><iaPair><adjustingIdeal>Nobody"
                         "</adjustingIdeal><referencePos>SActor-01</referencePos><adjust>0.5"
                         "</adjust></iaPair></IdealAdjustment>", 1), "unknown actor"),
    (lambda t: "<!DOCTYPE lol [<!ENTITY a 'aaaa'>]>" + t.split("\n", 1)[1],
     "document type declarations"),
])
def test_xml_errors_name_the_element_and_line(edit, message):
    with pytest.raises(InputError) as caught:
        read_string(edit(_xml("dummyData_3Dim")), "broken.xml")
    assert message in str(caught.value) and "broken.xml" in str(caught.value)


tags = st.sampled_from(["Scenario", "name", "desc", "prngSeed", "Dimensions", "dName", "Actors",
                        "Actor", "capability", "Position", "dCoord", "Salience", "dSal",
                        "IdealAdjustment", "iaPair", "adjust", "ModelParameters", "PCEModel"])
texts = st.one_of(st.just(""), st.text(alphabet="0123456789.-eA x", max_size=6))
trees = st.recursive(st.tuples(tags, texts, st.just([])),
                     lambda kids: st.tuples(tags, texts, st.lists(kids, max_size=4)), max_leaves=25)


def _render(node) -> str:
    tag, text, kids = node
    return f"<{tag}>{text}{''.join(_render(k) for k in kids)}</{tag}>"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.tuples(st.just("Scenario"), texts, st.lists(trees, max_size=6)))
def test_arbitrary_ktab_like_xml_gives_one_clear_error(tree):
    try:
        read_string(_render(tree), "fuzz.xml")
    except InputError as exc:
        assert str(exc)


def _batch(x, s, c) -> Batch:
    x, s = np.asarray(x, float), np.asarray(s, float)
    return Batch(np.asarray(c, float)[None], x[None], s[None], np.ones(x.shape, bool),
                 np.full(x.shape[1], np.nan))


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 9), st.integers(1, 3), st.integers(0, 10_000), st.randoms())
def test_relabelling_actors_relabels_the_run_without_ties(n, d, seed, random):
    rng = np.random.default_rng(seed)
    x, s = rng.uniform(0, 1, (n, d)), rng.uniform(0.05, 1, (n, d)) / d
    c = rng.uniform(10, 200, n)
    order = list(range(n))
    random.shuffle(order)
    a = get("smp")(_batch(x, s, c))
    b = get("smp")(_batch(x[order], s[order], c[order]))
    assert a.trajectory.shape == b.trajectory.shape
    np.testing.assert_allclose(a.trajectory[0][:, order], b.trajectory[0], atol=1e-12)


def test_actors_at_one_position_stay_there():
    result = get("smp")(_batch([[0.4, 0.7]] * 4, [[0.3, 0.2]] * 4, [1, 2, 3, 4]))
    assert (result.trajectory[0] == result.trajectory[0, :1]).all()
    np.testing.assert_allclose(result.outcome[0], [0.4, 0.7])


@pytest.mark.parametrize("option, values", [
    ("voting_rule", ["binary", "prop_bin", "prop_cbc", "cubic", "asym_prosp"]),
    ("victory", ["square", "quartic", "octic", "binary"]),
    ("pce", ["markov_uniform", "markov_incentive"]),
    ("big_r_range", ["min", "max"]),
    ("big_r_adjust", ["none", "half", "two_thirds", "full"]),
    ("third_party", ["none", "full"]),
    ("interpolation", ["s1p1", "s2pmax"]),
    ("bargain_model", ["init_rcvr", "pw_comp"]),
    ("transitions", ["stochastic"]),
])
def test_every_ktab_option_runs(option, values):
    c, x, s = _inputs("dummyData_3Dim")
    for value in values:
        turns = run_one(c, x, s, SmpParams(**{option: value}, max_turns=15))
        path = np.stack([t.positions for t in turns])
        assert np.isfinite(path).all() and (path >= -1e-9).all() and (path <= 1 + 1e-9).all()


def test_unknown_option_is_refused():
    with pytest.raises(ValueError, match="voting_rule='loud'; accepted: binary"):
        run_one(*_inputs("dummyData_3Dim"), SmpParams(voting_rule="loud"))


def test_options_from_the_command_line(capsys):
    from accord.cli import main

    assert main(["forecast", "-m", "smp", "-p", "smp.voting_rule=prop_cbc", "-p",
                 "smp.pce=markov_incentive", "-f", "json"]) == 0
    assert '"voting_rule": "prop_cbc"' in capsys.readouterr().out
    assert main(["forecast", "-m", "smp", "-p", "smp.victory=loud"]) == 2
    assert "victory='loud'" in capsys.readouterr().err


def test_venezuela_with_masked_stances(venezuela):
    arrays = ScenarioArrays.from_scenario(venezuela)
    result = get("smp")(arrays.batch())
    x = np.where(arrays.mask, arrays.to_unit(arrays.position), np.nan)
    assert np.all(result.outcome[0] >= np.nanmin(x, axis=0) - 1e-9)
    assert np.all(result.outcome[0] <= np.nanmax(x, axis=0) + 1e-9)
    assert result.diagnostics["turns"][0] >= 2


@pytest.mark.parametrize("options, draws", [
    ({}, 12),
    # A Markov PCE iterates to convergence: each draw's own, never the batch's.
    ({"pce": "markov_uniform", "max_turns": 10}, 6),
    ({"bargain_model": "init_rcvr", "voting_rule": "prop_cbc", "max_turns": 10}, 6),
])
def test_draws_in_lockstep_equal_draws_one_by_one(venezuela, options, draws):
    from accord.models.smp import _draw_inputs
    from accord.scenario.draws import DrawSpec

    batch = DrawSpec.from_scenario(venezuela).draw(7, 0, draws)
    result = get("smp")(batch, **options)
    together = result.diagnostics["runs"]
    for d in range(batch.draws):
        alone = run_one(*_draw_inputs(batch, d), SmpParams(**options))
        assert len(alone) == len(together[d])
        for a, b in zip(alone, together[d]):
            np.testing.assert_array_equal(a.positions, b.positions)
            np.testing.assert_array_equal(a.chosen, b.chosen)
        alone_outcome = get("smp")(Batch(*(x[d:d + 1] for x in (batch.capability, batch.position,
                                                                  batch.salience)),
                                         batch.mask, batch.status_quo), **options)
        np.testing.assert_array_equal(alone_outcome.outcome[0], result.outcome[d])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 600), st.integers(0, 7), st.integers(0, 2**32 - 1))
def test_compiled_sums_round_as_numpy(n, lo, seed):
    # The compiled loops of smp and eum must add as numpy adds (pairwise, in blocks of 128) to
    # reproduce its numbers bit for bit; signed zeros come out as numpy's too.
    from accord.models.compiled import negative, pairwise_sum, positive

    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n + lo) * 10.0 ** rng.uniform(-8, 8, n + lo)
    assert pairwise_sum(a, lo, n) == a[lo:lo + n].sum()
    assert str(pairwise_sum(np.full(9, -0.0), 0, 9)) == str(np.full(9, -0.0).sum())
    for v in (-0.0, 0.0, -1.5, 2.5):
        assert str(positive(v)) == str(np.maximum(np.array([v]), 0.0)[0])
        assert str(negative(v)) == str(np.minimum(np.array([v]), 0.0)[0])
