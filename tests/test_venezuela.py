"""The built-in scenario is complete, sourced and coherent."""

from __future__ import annotations

import numpy as np

from accord.api.forecast import forecast
from accord.scenario.model import Role

MOU_ITEMS = ["political_rights", "electoral_guarantees", "electoral_timetable", "sanctions_relief",
             "rule_of_law", "coexistence", "social_protection", "implementation"]


def test_actors_and_roles(venezuela):
    roles = {a.id: a.role for a in venezuela.actors}
    assert roles["government"] == roles["opposition"] == Role.party
    assert roles["norway"] == Role.mediator and roles["mexico"] == Role.host
    assert roles["netherlands"] == roles["russia"] == Role.accompanying
    assert {"united_states", "european_union", "canada", "peru"} <= set(roles)
    assert "Jorge Rodríguez" in venezuela.actor("government").description
    assert "Gerardo Blyde" in venezuela.actor("opposition").description


def test_agenda_and_asks(venezuela):
    ids = [i.id for i in venezuela.issues]
    assert MOU_ITEMS == ids[:8]
    assert {"regional_elections_2021", "political_prisoners", "covid_vaccines"} <= set(ids)
    tenure = venezuela.issue("maduro_tenure")
    assert tenure.off_table and tenure.off_table[0].reason


def test_every_number_carries_a_rationale_and_a_source(venezuela):
    for s in venezuela.stances:
        assert s.rationale and s.sources, (s.actor, s.issue)
    for a in venezuela.actors:
        assert a.sources, a.id
    for issue in venezuela.issues:
        assert issue.status_quo is not None and issue.scale.anchors, issue.id


def test_parties_take_part_in_every_issue(venezuela):
    for party in ("government", "opposition"):
        assert all(venezuela.stance(party, i.id) for i in venezuela.issues)


def test_every_model_forecasts_every_issue(venezuela):
    report = forecast(venezuela)
    for model in report.models:
        values = [f.forecast for f in model.issues.values()]
        assert all(v is not None and 0 <= v <= 100 for v in values), model.model
    assert all(np.isfinite(i.spread) for i in report.issues)
