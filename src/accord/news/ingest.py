"""The ingest pipeline: article text -> cleaned text, actors, events, dates, quotes, update."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from pydantic import BaseModel

from accord.news.actors import candidates
from accord.news.clean import clean
from accord.news.extract import extract
from accord.news.update import Update, propose
from accord.scenario.errors import InputError
from accord.scenario.model import Scenario


class IngestResult(BaseModel):
    """The output of ``accord ingest --format json`` (schema: docs/ingest.schema.json)."""

    article: str
    date: dt.date
    date_from: str  # "--date" or "dateline"
    headline: str
    dateline: str | None
    paragraphs: list[str]
    dropped: list[str]
    repairs: list[dict]
    actors: list[dict]
    unknown_actors: list[str]  # the candidates proposed as new actors (score >= threshold)
    actor_candidates: list[dict]  # every unknown name: score, kind and reasons
    events: list[dict]
    quotes: list[dict]
    update: Update | None


def ingest(text: str, date: dt.date | None, scenario: Scenario | None = None,
           name: str = "article", keep_captions: bool = False) -> IngestResult:
    """Run the whole pipeline on one article.

    ``date`` is the article's date; ``None`` takes it from the article's dateline (or a date line
    under its headline) and raises :class:`InputError` naming ``--date`` when it has none.
    """
    names = [] if scenario is None else [x for a in scenario.actors for x in [a.name, *a.aliases]]
    article = clean(text, keep_captions, names)
    source = "--date" if date is not None else "dateline"
    date = date or article.date
    if date is None:
        raise InputError("the article's date is unknown: its dateline has no date, and no --date "
                         "was given", name, None, "--date", None,
                         "--date YYYY-MM-DD, or a dated dateline ('CARACAS, Aug. 27, 2021 –')")
    found, events, quotes = extract([article.headline, *article.paragraphs], date, scenario)
    scored = candidates(article.paragraphs, [m.text for m in found], [q.speaker for q in quotes])
    unknown = [c for c in scored if c.proposed]
    actors = {}
    for m in found:
        actors.setdefault(m.text, {"text": m.text, "actor": m.actor, "country": m.country})
    update = propose(scenario, events, unknown, date, name) if scenario is not None else None
    return IngestResult(
        article=name, date=date, date_from=source, headline=article.headline,
        dateline=article.dateline,
        paragraphs=article.paragraphs, dropped=article.dropped,
        repairs=[asdict(r) for r in article.repairs], actors=list(actors.values()),
        unknown_actors=[c.name for c in unknown], actor_candidates=[asdict(c) for c in scored],
        events=[asdict(e) for e in events],
        quotes=[asdict(q) for q in quotes], update=update)
