"""From extracted events to a proposed scenario update, and applying it.

Proposed: events to append (scenario actors only, not already recorded), new actors (named
people and organisations the scenario does not know, scored by :mod:`accord.news.actors` at or
above its threshold), and stance reviews (an actor's event bears
on an issue: the evidence sentence and the direction, never a number: a coder sets it).
``apply`` writes the events and new actors; stance reviews stay proposals.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata

from pydantic import BaseModel

from accord.news.actors import Candidate
from accord.news.extract import Event
from accord.scenario.formats import yaml_format
from accord.scenario.model import Scenario

# Event label -> (words that find the issue in the scenario, direction on its scale).
BEARINGS = {
    "ease sanctions": ("sanction", "+"), "demand easing of sanctions": ("sanction", "+"),
    "release prisoner": ("prisoner", "+"), "demand release": ("prisoner", "+"),
    "demand reform": ("election", "+"), "sanction": ("sanction", "-"),
}


MODEL_ONLY = 0.5  # an event no trigger found is proposed when the coder is at least this sure


class StanceReview(BaseModel):
    """An event that bears on an actor's stance: for a coder to weigh, not applied."""

    actor: str
    issue: str
    direction: str
    evidence: str


class NewActor(BaseModel):
    """A named actor the scenario does not have, scored as a person or organisation."""

    id: str
    name: str
    kind: str = "unknown"
    score: float = 0.0


class Update(BaseModel):
    """What an article proposes to change in a scenario."""

    events: list[dict]
    actors: list[NewActor]
    stances: list[StanceReview]


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")[:60] or "actor"


def event_date(event: Event, article_date: dt.date) -> dt.date:
    """The day an event is dated to: a past or present day it mentions, or the article's."""
    for d in event.dates:
        if d.precision == "day" and dt.date.fromisoformat(d.value) <= article_date:
            return dt.date.fromisoformat(d.value)
    return article_date


def propose(scenario: Scenario, events: list[Event], names: list[Candidate],
            article_date: dt.date, source: str) -> Update:
    """The proposed update of ``scenario`` from one article's events and unknown names."""
    issues = [i.id for i in scenario.issues]
    known = {(e.date, e.actor, e.type) for e in scenario.events}
    new_events, reviews = [], []
    for e in events:
        if e.source is None or e.negated or (not e.cameo and e.confidence < MODEL_ONLY):
            continue
        date = event_date(e, article_date)
        kind = e.label.replace(" ", "_")
        if (date, e.source, kind) not in known:
            known.add((date, e.source, kind))
            new_events.append({"date": date.isoformat(), "actor": e.source, "type": kind,
                               "target": e.target_text or e.target, "text": e.sentence[:1000],
                               "source": source})
        bearing = BEARINGS.get(e.label)
        if bearing:
            issue = next((i for i in issues if bearing[0] in i), None)
            if issue:
                reviews.append(StanceReview(actor=e.source, issue=issue, direction=bearing[1],
                                            evidence=e.sentence))
    ids = {a.id for a in scenario.actors}
    actors = []
    for c in names:
        slug = _slug(c.name)
        if slug not in ids and c.proposed:
            ids.add(slug)
            actors.append(NewActor(id=slug, name=c.name, kind=c.kind, score=c.score))
    return Update(events=new_events, actors=actors, stances=reviews)


def apply(scenario: Scenario, update: Update) -> tuple[Scenario, str]:
    """The updated scenario and the unified diff of its YAML."""
    before = yaml_format.write(scenario)
    data = scenario.model_dump(mode="json")
    data["events"] += update.events
    data["actors"] += [{"id": a.id, "name": a.name, "role": "other", "capability": 1,
                        "description": "Added from the news; role and capability to be coded."}
                       for a in update.actors]
    updated = yaml_format.validate(data, "<updated scenario>")
    after = yaml_format.write(updated)
    diff = "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                        "scenario (before)", "scenario (after)"))
    return updated, diff
