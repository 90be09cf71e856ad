"""Read the news (``accord ingest``): articles in, coded events and a proposed update out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from accord.api.results import Tabular, frame
from accord.news.ingest import IngestResult
from accord.news.ingest import ingest as run_ingest
from accord.news.update import apply as apply_update
from accord.scenario.errors import InputError
from accord.scenario.formats.files import read_text
from accord.scenario.model import Scenario

if TYPE_CHECKING:
    import pandas as pd


class Article(Tabular, IngestResult):
    """``accord ingest --format json`` for one article: events, actors, dates, quotes, update."""

    def caption(self) -> str:
        """Which article."""
        return f"{self.headline} ({self.article}, {self.date})"

    def to_frame(self) -> pd.DataFrame:
        """One row per coded event."""
        keep = ("source", "label", "category", "confidence", "plover", "cameo", "target",
                "negated", "hedged", "sentence")
        return frame([{k: e.get(k) for k in keep} for e in self.events])


def ingest(article: str | Path, date: dt.date | str | None = None,
           scenario: Scenario | None = None, keep_captions: bool = False,
           name: str | None = None) -> Article:
    """Clean one article (a path, or its text), code its events and propose an update.

    ``date`` is the article's date; without it the article's dateline must give one (an
    :class:`~accord.scenario.errors.InputError` naming ``--date`` otherwise)."""
    if isinstance(article, Path):
        text, name = read_text(article), name or str(article)
    else:
        text, name = article, name or "article"
    day = _date(date)
    result = run_ingest(text, day, scenario, name, keep_captions)
    return Article.model_validate(result.model_dump())


def apply(scenario: Scenario, articles: list[Article]) -> tuple[Scenario, list[str]]:
    """The scenario with every article's proposed update applied, and the diff of each."""
    diffs = []
    for article in articles:
        if article.update is not None:
            scenario, diff = apply_update(scenario, article.update)
            diffs.append(diff)
    return scenario, diffs


def _date(date: dt.date | str | None) -> dt.date | None:
    if date is None or isinstance(date, dt.date):
        return date
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        raise InputError("not a date", None, None, "--date", date, "YYYY-MM-DD") from None
