"""Actor candidates are scored: people and organisations are proposed, documents, agreements,
fields of study, places and days are not; --apply adds only those above the threshold."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.news.actors import THRESHOLD, candidates
from accord.news.ingest import ingest
from accord.scenario.formats import read_file
from conftest import shared

SEED = ("seed", "venezuela-talks-mexico-2021.txt")


def scored(text, speakers=()):
    return {c.name: c for c in candidates([text], [], list(speakers))}


def test_the_seed_article_proposes_people_and_organisations_only(venezuela):
    result = ingest(shared(*SEED).read_text(encoding="utf-8"), dt.date(2021, 8, 27), venezuela)
    found = {c["name"]: c for c in result.actor_candidates}
    assert found["National Salvation Agreement"]["kind"] == "document"
    assert found["Political Studies"]["kind"] == "field of study"
    for name in ("National Salvation Agreement", "Political Studies"):
        assert found[name]["score"] < THRESHOLD and name not in result.unknown_actors
    assert found["Freddy Guevara"]["kind"] == "person" and "role" in found["Freddy Guevara"]["reasons"]
    assert found["Benigno Alarcón Deza"]["score"] >= THRESHOLD
    proposed = {a.name for a in result.update.actors}
    assert proposed == set(result.unknown_actors)
    assert {"Freddy Guevara", "Benigno Alarcón Deza"} <= proposed


def test_apply_adds_no_document_or_field_of_study(tmp_path, capsys):
    path = tmp_path / "v.yaml"
    assert main(["show", "-f", "yaml"]) == 0
    path.write_text(capsys.readouterr().out)
    assert main(["ingest", str(shared(*SEED)), "-s", str(path), "--date", "2021-08-27",
                 "--apply", "-f", "json"]) == 0
    names = {a.name for a in read_file(path).scenario.actors}
    assert "Freddy Guevara" in names
    assert not names & {"National Salvation Agreement", "Political Studies"}


@pytest.mark.parametrize("text, name, kind, proposed", [
    ("The Caracas Peace Accord was signed in May.", "Caracas Peace Accord", "document", False),
    ("She teaches International Relations at the university.", "International Relations",
     "field of study", False),
    ("The talks resumed on Monday in Santo Domingo.", "Santo Domingo", "place", False),
    ("Opposition negotiator Gerardo Blyde said the talks would go on.", "Gerardo Blyde",
     "person", True),
    ("The Democratic Action Party backed the deal.", "Democratic Action Party", "organisation",
     True),
    ("Jorge Rodríguez told reporters the government would return.", "Jorge Rodríguez",
     "person", True),
    ("Maria Lopez lives there.", "Maria Lopez", "unknown", False),  # no evidence either way
])
def test_candidates_are_scored_by_their_evidence(text, name, kind, proposed):
    c = scored(text)[name]
    assert (c.kind, c.proposed) == (kind, proposed), c


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=4), st.lists(st.text(max_size=20), max_size=3))
def test_any_text_is_scored_without_error(paragraphs, speakers):
    for c in candidates(paragraphs, [], speakers):
        assert c.kind and isinstance(c.score, float)
