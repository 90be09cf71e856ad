"""Actors, events, dates and quotes from a cleaned article, with spaCy's tokenizer and matchers.

No statistical model is needed: a blank English pipeline with a sentencizer, a phrase matcher over
the scenario's actor names and aliases (and country names from pycountry), and a token matcher
over the trigger lexicon (:mod:`accord.news.lexicon`). Each event keeps its sentence, whether it
is negated or hedged, and the dates it mentions, resolved against the article's date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import dateparser
import pycountry
import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.util import filter_spans

from accord.news.lexicon import HEDGES, NEGATION, TRIGGERS
from accord.scenario.model import Scenario

MONTHS = "|".join(calendar.month_name[1:]) + "|" + "|".join(
    m + r"\.?" for m in calendar.month_abbr[1:])
DATE_EXPRESSIONS = re.compile(
    rf"\b(?:(?:{MONTHS})\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?|"
    rf"in\s+(?:{MONTHS})(?:\s+\d{{4}})?|earlier this month|later this month|this month|"
    rf"last month|next month|this week|last week|next week|next few weeks|today|yesterday|"
    rf"tomorrow)\b", re.IGNORECASE)
FUTURE = re.compile(r"\b(will|hoping|hope|next|set for|scheduled|upcoming|plans?|would)\b", re.I)
QUOTE_AFTER = re.compile(r"[“\"](?P<quote>[^”\"]{3,}?)[,.]?[”\"],?\s+(?:said|says|told|added|"
                         r"wrote)\s+(?P<speaker>[A-ZÁÉÍÓÚ][\w’'.-]+(?:\s+[A-ZÁÉÍÓÚ][\w’'.-]+){0,4})")
QUOTE_BEFORE = re.compile(r"(?P<speaker>[A-ZÁÉÍÓÚ][\w’'.-]+(?:\s+[A-ZÁÉÍÓÚ][\w’'.-]+){0,4})\s+"
                          r"(?:said|says|told reporters|added),?\s*[“\"](?P<quote>[^”\"]{3,})[”\"]")
GESTURE = re.compile(r"\b(good ?will|gesture|goodwill)\b", re.I)
CONDITION = re.compile(r"\b(if|once|provided|on condition|as long as)\b", re.I)
TWO_SIDED = {"negotiate", "meet", "consult", "sign agreement", "agree"}
BETWEEN_PARTIES = re.compile(r"\bbetween the (two|both) (countries|sides|parties|delegations)\b", re.I)


@dataclass
class Mention:
    """An actor mentioned in the text: resolved to a scenario actor and/or a country code."""

    text: str
    actor: str | None
    country: str | None
    start: int
    place: bool = False  # "in Mexico City": where, not who


@dataclass
class DateMention:
    """A date expression and what it resolves to (ISO date, month ``YYYY-MM`` or week)."""

    text: str
    value: str
    precision: str


@dataclass
class Event:
    """Who did what to whom, coded in PLOVER and CAMEO, with its sentence."""

    sentence: str
    trigger: str
    label: str
    plover: str
    cameo: str
    source: str | None
    source_text: str | None
    target: str | None
    target_text: str | None
    negated: bool
    hedged: bool
    conditional: bool
    gesture: bool
    dates: list[DateMention] = field(default_factory=list)


@dataclass
class Quote:
    """A quotation and who said it."""

    text: str
    speaker: str
    actor: str | None


@lru_cache(maxsize=1)
def _pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher = Matcher(nlp.vocab)
    for n, (label, plover, cameo, pattern) in enumerate(TRIGGERS):
        tokens = []
        for part in pattern:
            if part == "*":
                tokens.append({"IS_PUNCT": False, "OP": "{,3}"})
            else:
                tokens.append({"LOWER": {"IN": part.split("|")}})
        matcher.add(f"{n}", [tokens])
    return nlp, matcher


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    names = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[value] = c.alpha_3
    names.update({"U.S.": "USA", "US": "USA", "United States": "USA", "Britain": "GBR",
                  "Russia": "RUS", "Venezuela": "VEN", "European Union": "EU"})
    return names


def _actor_matcher(nlp, scenario: Scenario | None):
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    lookup: dict[str, tuple[str | None, str | None]] = {}
    countries = _countries()
    for name, code in countries.items():
        lookup[name.lower()] = (None, code)
    if scenario is not None:
        for actor in scenario.actors:
            for phrase in [actor.name, *actor.aliases]:
                lookup[phrase.lower()] = (actor.id, countries.get(phrase))
            lookup.setdefault(actor.id.replace("_", " ").lower(), (actor.id, None))
    for phrase in lookup:
        matcher.add(phrase, [nlp.make_doc(phrase)])
    return matcher, lookup


def mentions(doc, matcher, lookup) -> list[Mention]:
    """Non-overlapping actor mentions, longest first."""
    spans = filter_spans([doc[s:e] for _, s, e in matcher(doc)])
    return [Mention(s.text, *lookup[s.text.lower()], s.start,
                    s.start > 0 and doc[s.start - 1].lower_ in ("in", "at", "to")) for s in spans]


def resolve_dates(sentence: str, article_date: dt.date) -> list[DateMention]:
    """Every date expression in ``sentence``, resolved against the article's date."""
    future = bool(FUTURE.search(sentence))
    found = []
    for m in DATE_EXPRESSIONS.finditer(sentence):
        found.append(_resolve(m.group(0), article_date, future))
    return [d for d in found if d is not None]


def _resolve(text: str, base: dt.date, future: bool) -> DateMention | None:
    low = text.lower()
    month = lambda d: d.strftime("%Y-%m")  # noqa: E731
    week_start = base - dt.timedelta(days=base.weekday())
    relative = {
        "earlier this month": (month(base), "month"), "later this month": (month(base), "month"),
        "this month": (month(base), "month"), "today": (base.isoformat(), "day"),
        "yesterday": ((base - dt.timedelta(days=1)).isoformat(), "day"),
        "tomorrow": ((base + dt.timedelta(days=1)).isoformat(), "day"),
        "last month": (month(base.replace(day=1) - dt.timedelta(days=1)), "month"),
        "next month": (month((base.replace(day=28) + dt.timedelta(days=4)).replace(day=1)), "month"),
        "this week": (f"{week_start.isoformat()}/{(week_start + dt.timedelta(days=6)).isoformat()}",
                      "week"),
        "last week": (f"{(week_start - dt.timedelta(days=7)).isoformat()}/"
                      f"{(week_start - dt.timedelta(days=1)).isoformat()}", "week"),
        "next week": (f"{(week_start + dt.timedelta(days=7)).isoformat()}/"
                      f"{(week_start + dt.timedelta(days=13)).isoformat()}", "week"),
        "next few weeks": (f"{base.isoformat()}/{(base + dt.timedelta(days=28)).isoformat()}",
                           "range"),
    }
    if low in relative:
        return DateMention(text, *relative[low])
    settings = {"RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
                "PREFER_DATES_FROM": "future" if future else "past",
                "PREFER_DAY_OF_MONTH": "first"}
    cleaned = re.sub(r"^in\s+", "", text, flags=re.I)
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        return None
    if low.startswith("in "):
        return DateMention(text, parsed.strftime("%Y-%m"), "month")
    return DateMention(text, parsed.date().isoformat(), "day")


def quotes(text: str, scenario_lookup: dict) -> list[Quote]:
    """Quotations attributed to a named speaker (“...,” said NAME / NAME said “...”)."""
    out = []
    for pattern in (QUOTE_AFTER, QUOTE_BEFORE):
        for m in pattern.finditer(text):
            speaker = m.group("speaker").strip()
            actor = scenario_lookup.get(speaker.lower(), (None, None))[0]
            out.append(Quote(m.group("quote").strip(), speaker, actor))
    return out


def extract(paragraphs: list[str], article_date: dt.date, scenario: Scenario | None = None):
    """Actor mentions, events and quotes of an article's paragraphs."""
    nlp, triggers = _pipeline()
    actor_matcher, lookup = _actor_matcher(nlp, scenario)
    parties = [a.id for a in scenario.actors if a.role.value == "party"] if scenario else []
    events, found_mentions = [], []
    for paragraph in paragraphs:
        doc = nlp(paragraph)
        for sent in doc.sents:
            sdoc = sent.as_doc()
            ms = mentions(sdoc, actor_matcher, lookup)
            found_mentions += ms
            events += _events(sdoc, triggers, ms, article_date, parties)
    return found_mentions, events, quotes("\n".join(paragraphs), lookup)


def _events(doc, triggers, ms: list[Mention], article_date, parties) -> list[Event]:
    spans = filter_spans([doc[s:e] for _, s, e in triggers(doc)])
    by_span = {}
    for match_id, s, e in triggers(doc):
        by_span.setdefault((s, e), int(doc.vocab.strings[match_id]))
    sentence = doc.text
    dates = resolve_dates(sentence, article_date)
    out = []
    for span in spans:
        label, plover, cameo, _ = TRIGGERS[by_span[(span.start, span.end)]]
        who = [m for m in ms if not m.place]
        before = [m for m in who if m.start < span.start]
        inside = [m for m in who if span.start <= m.start < span.end]
        after = [m for m in who if m.start >= span.end]
        sources = _sources(before, doc, span)
        target = (after or inside or [None])[0]
        if len(sources) == 2 and label in TWO_SIDED and (target is None or label != "mediate"):
            sources, target = sources[:1], sources[1]
        window = {t.lower_ for t in doc[max(0, span.start - 4):span.end + 1]}
        negated = bool(window & NEGATION) and label != "off the table"
        hedged = bool({t.lower_ for t in doc} & HEDGES)
        for source in sources or [None]:
            target_actor = target.actor if target else None
            target_text = target.text if target else None
            if target is None and BETWEEN_PARTIES.search(sentence) and parties:
                target_actor, target_text = ";".join(parties), "the two parties"
            out.append(Event(sentence, span.text, label, plover, cameo,
                             source.actor if source else None, source.text if source else None,
                             target_actor, target_text, negated, hedged,
                             bool(CONDITION.search(sentence)), bool(GESTURE.search(sentence)),
                             dates))
    return out


def _sources(before: list[Mention], doc, span) -> list[Mention]:
    """The actors before the trigger that act: the last one, or a coordinated list."""
    if not before:
        return []
    group = [before[-1]]
    for m in reversed(before[:-1]):
        between = doc[m.start + len(m.text.split()):group[0].start].text.strip(" ,").lower()
        if between in ("and", ",", "", "and the", ", and", "or") or between.endswith(" and"):
            group.insert(0, m)
        else:
            break
    return group


NAME = re.compile(r"\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+){1,3})\b")


def unknown_names(paragraphs: list[str], known: list[Mention]) -> list[str]:
    """Capitalised names (two to four words) that no actor, alias or country matches."""
    known_text = {m.text.lower() for m in known}
    found = []
    for paragraph in paragraphs:
        for m in NAME.finditer(paragraph):
            name = m.group(1)
            if any(k in name.lower() or name.lower() in k for k in known_text):
                continue
            if name not in found:
                found.append(name)
    return found
