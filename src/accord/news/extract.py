"""Actors, events, dates and quotes from a cleaned article, with spaCy's tokenizer and matchers.

No statistical model is needed: a blank English pipeline with a sentencizer, a phrase matcher over
the scenario's actor names and aliases (and country names from pycountry), and a token matcher
over the trigger lexicon (:mod:`accord.news.lexicon`). Each event keeps its sentence, whether it
is negated or hedged, and the dates it mentions, resolved against the article's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry
import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.util import filter_spans

from accord.news.coder import Coding, Trigger, explain, load_model
from accord.news.dates import DateMention, resolve_dates
from accord.news.lexicon import HEDGES, NEGATION, TRIGGERS
from accord.scenario.model import Scenario

QUOTE_AFTER = re.compile(r"[“\"](?P<quote>[^”\"]{3,}?)[,.]?[”\"],?\s+(?:said|says|told|added|"
                         r"wrote)\s+(?P<speaker>[A-ZÁÉÍÓÚ][\w’'.-]+(?:\s+[A-ZÁÉÍÓÚ][\w’'.-]+){0,4})")
QUOTE_BEFORE = re.compile(r"(?P<speaker>[A-ZÁÉÍÓÚ][\w’'.-]+(?:\s+[A-ZÁÉÍÓÚ][\w’'.-]+){0,4})\s+"
                          r"(?:said|says|told reporters|added),?\s*[“\"](?P<quote>[^”\"]{3,})[”\"]")
GESTURE = re.compile(r"\b(good ?will|gesture|goodwill)\b", re.I)
CONDITION = re.compile(r"\b(if|once|provided|on condition|as long as)\b", re.I)
TWO_SIDED = {"negotiate", "meet", "consult", "sign agreement", "agree"}
TALKS = re.compile(r"\b(talks|negotiations?|dialogue|discussions|round|delegations|meetings?)\b",
                   re.I)
MEDIATE = ("CONSULT", "045")
MAX_NONE = 0.5  # a sentence no trigger matched reports an event when P(no event) is below this
# (and it has an event word of the lexicon's KEYWORDS)
BETWEEN_PARTIES = re.compile(r"\bbetween the (two|both) (countries|sides|parties|delegations)\b", re.I)


@dataclass
class Mention:
    """An actor mentioned in the text: resolved to a scenario actor and/or a country code."""

    text: str
    actor: str | None
    country: str | None
    start: int
    place: bool = False  # "in Mexico City": where, not who
    end: int = 0  # the token after the mention


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
    category: str = ""  # the coder's PLOVER category for this event
    confidence: float = 0.0  # the coder's probability for it
    why: str = ""  # the coding explained: trigger and words


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
    names = () if scenario is None else tuple((a.id, a.name, tuple(a.aliases))
                                              for a in scenario.actors)
    return _phrase_matcher(nlp, names)


@lru_cache(maxsize=8)
def _phrase_matcher(nlp, actors: tuple[tuple[str, str, tuple[str, ...]], ...]):
    """A phrase matcher over country names and the actors' names and aliases (built once per
    set of actors: building it costs more than reading an article)."""
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    lookup: dict[str, tuple[str | None, str | None]] = {}
    countries = _countries()
    for name, code in countries.items():
        lookup[name.lower()] = (None, code)
    for actor_id, name, aliases in actors:
        for phrase in [name, *aliases]:
            lookup[phrase.lower()] = (actor_id, countries.get(phrase))
        lookup.setdefault(actor_id.replace("_", " ").lower(), (actor_id, None))
    for phrase in lookup:
        matcher.add(phrase, [nlp.make_doc(phrase)])
    return matcher, lookup


def mentions(doc, matcher, lookup) -> list[Mention]:
    """Non-overlapping actor mentions, longest first."""
    spans = filter_spans([doc[s:e] for _, s, e in matcher(doc)])
    return [Mention(s.text, *lookup[s.text.lower()], s.start,
                    s.start > 0 and doc[s.start - 1].lower_ in ("in", "at", "to"), s.end)
            for s in spans]


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


def triggers_of(doc, matcher) -> list[Trigger]:
    """The lexicon's triggers in a sentence: non-overlapping, longest first, in text order."""
    matches = matcher(doc)
    by_span: dict[tuple[int, int], int] = {}
    for match_id, s, e in matches:
        by_span.setdefault((s, e), int(doc.vocab.strings[match_id]))
    spans = filter_spans([doc[s:e] for _, s, e in matches])
    out = []
    for span in spans:
        label, plover, cameo, _ = TRIGGERS[by_span[(span.start, span.end)]]
        out.append(Trigger(span.start, span.end, label, plover, cameo))
    return out


def _events(doc, matcher, ms: list[Mention], article_date, parties) -> list[Event]:
    found = triggers_of(doc, matcher)
    model = load_model()
    coding = model.code(doc, found)
    sentence = doc.text
    dates = resolve_dates(sentence, article_date)
    who = [m for m in ms if not m.place]
    flags = (bool({t.lower_ for t in doc} & HEDGES), bool(CONDITION.search(sentence)),
             bool(GESTURE.search(sentence)))
    if not found:
        return _model_event(doc, coding, who, dates, flags)
    out = []
    for n, t in enumerate(found):
        span = doc[t.start:t.end]
        if n:  # a later trigger: code its own clause, from just before it to the next trigger
            coding = _clause_coding(model, doc, found, n)
        label, sources, target = _roles(doc, span, t.label, who, parties)
        window = {tok.lower_ for tok in doc[max(0, span.start - 4):span.end + 1]}
        negated = bool(window & NEGATION) and label != "off the table"
        plover, cameo = (t.plover, t.cameo) if label == t.label else MEDIATE
        category = coding.category
        why = explain(coding, category, label, plover, cameo, span.text)
        for source in sources or [None]:
            target_actor = target.actor if target else None
            target_text = target.text if target else None
            between = BETWEEN_PARTIES.search(sentence) or label == "mediate"
            if target is None and parties and between:
                target_actor, target_text = ";".join(parties), "the two parties"
            out.append(Event(sentence, span.text, label, plover, cameo,
                             source.actor if source else None, source.text if source else None,
                             target_actor, target_text, negated, *flags, dates,
                             category, round(coding.probabilities.get(category, 0.0), 3), why))
    return out


def _roles(doc, span, label: str, who: list[Mention], parties: list[str]):
    """The event's label (a third party hosting talks mediates them), sources and target."""
    before = [m for m in who if m.start < span.start]
    inside = [m for m in who if span.start <= m.start < span.end]
    after = [m for m in who if m.start >= span.end]
    sources = _sources(before, doc, span)
    target = (after or inside or [None])[0]
    agent = _agent(doc, span, after, label)
    if agent is not None:  # "talks facilitated by Norway": Norway acts
        sources, target = [agent], (before or [None])[-1]
    third_party = bool(sources) and sources[0].actor not in parties
    if label == "host talks" and third_party and TALKS.search(doc.text):
        label = "mediate"
    if len(sources) == 2 and label in TWO_SIDED and (target is None or label != "mediate"):
        sources, target = sources[:1], sources[1]
    if label == "mediate" and parties:
        target = None  # mediation is between the parties
    return label, sources, target


def _clause_coding(model, doc, found: list[Trigger], n: int) -> Coding:
    """The coder's reading of the clause of the ``n``-th trigger (``n`` > 0)."""
    start = max(found[n].start - 2, found[n - 1].end)
    end = found[n + 1].start if n + 1 < len(found) else len(doc)
    shifted = [Trigger(t.start - start, t.end - start, t.label, t.plover, t.cameo)
               for t in found[n:] if t.end <= end]
    return model.code(doc[start:end], shifted)


def _agent(doc, span, after: list[Mention], label: str) -> Mention | None:
    """The agent of a passive trigger ("facilitated by X", "the mediation of X"), if named."""
    words = ("by",) if label != "mediate" else ("by", "of")
    n = span.end
    if n < len(doc) and doc[n].lower_ in words:
        n += 1 + (n + 1 < len(doc) and doc[n + 1].lower_ == "the")
        return next((m for m in after if m.start == n), None)
    return None


def _model_event(doc, coding: Coding, who: list[Mention], dates, flags) -> list[Event]:
    """An event the lexicon missed but the coder reads with confidence, or none."""
    if coding.none >= MAX_NONE or not coding.keywords:
        return []
    source = who[0] if who else None
    target = next((m for m in who[1:] if m.actor != (source.actor if source else None)), None)
    word = coding.words[0] if coding.words else ""
    why = explain(coding, coding.category, None, None, None, None)
    return [Event(doc.text, word, coding.category.lower(), coding.category, "",
                  source.actor if source else None, source.text if source else None,
                  target.actor if target else None, target.text if target else None,
                  False, *flags, dates, coding.category, round(coding.confidence, 3), why)]


def _sources(before: list[Mention], doc, span) -> list[Mention]:
    """The actors before the trigger that act: the last one, or a coordinated list."""
    if not before:
        return []
    group = [before[-1]]
    for m in reversed(before[:-1]):
        between = doc[m.end:group[0].start].text.strip(" ,").lower()
        if between in ("and", ",", "", "and the", ", and", "or") or (
                between.endswith(" and") and len(between.split()) <= 2):  # "Russia, and"
            group.insert(0, m)
        else:
            break
    return group
