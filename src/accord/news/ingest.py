"""The ingest pipeline: article text -> cleaned text, actors, events, dates, quotes, update."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from pydantic import BaseModel

from accord.news.clean import clean
from accord.news.extract import extract, unknown_names
from accord.news.update import Update, propose
from accord.scenario.model import Scenario


class IngestResult(BaseModel):
    """The output of ``accord ingest --format json`` (schema: docs/ingest.schema.json)."""

    article: str
    date: dt.date
    headline: str
    dateline: str | None
    paragraphs: list[str]
    dropped: list[str]
    repairs: list[dict]
    actors: list[dict]
    unknown_actors: list[str]
    events: list[dict]
    quotes: list[dict]
    update: Update | None


def ingest(text: str, date: dt.date, scenario: Scenario | None = None, name: str = "article",
           keep_captions: bool = False) -> IngestResult:
    """Run the whole pipeline on one article."""
    names = [] if scenario is None else [x for a in scenario.actors for x in [a.name, *a.aliases]]
    article = clean(text, keep_captions, names)
    found, events, quotes = extract([article.headline, *article.paragraphs], date, scenario)
    unknown = unknown_names(article.paragraphs, found)
    actors = {}
    for m in found:
        actors.setdefault(m.text, {"text": m.text, "actor": m.actor, "country": m.country})
    update = propose(scenario, events, unknown, date, name) if scenario is not None else None
    return IngestResult(
        article=name, date=date, headline=article.headline, dateline=article.dateline,
        paragraphs=article.paragraphs, dropped=article.dropped,
        repairs=[asdict(r) for r in article.repairs], actors=list(actors.values()),
        unknown_actors=unknown, events=[asdict(e) for e in events],
        quotes=[asdict(q) for q in quotes], update=update)
