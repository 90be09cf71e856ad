"""The event coder: a linear model over a sentence's words and the lexicon's triggers.

A multinomial logistic regression (trained by :mod:`accord.news.train` on the sentences in
``training/``: examples written for Accord and definitions of the CAMEO codes in our words) reads
the sentence as binary features: word stems (Snowball; names and numbers masked), stem bigrams,
words' first five letters, the categories of the event words in the lexicon's ``KEYWORDS`` and
of the triggers it finds (the first one, and those negated or announced as an intention, marked
as such). It scores the 18 PLOVER 0.5 categories and ``NONE`` (no event). The rule-based coder
remains the explanation: :func:`explain` says which trigger and which words made the category.

The weights ship in ``model/coder.npz`` with their provenance in ``model/coder.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import snowballstemmer

from accord.news.lexicon import KEYWORDS

NONE = "NONE"
PREFIX = 5
NUMBER = re.compile(r"[\d.,]+")
NEGATORS = {"not", "n't", "never", "no", "nor", "without", "refused", "refuses", "declined"}
INTENT = {"will", "would", "to", "shall", "could", "might", "may", "ready", "willing", "promised",
          "pledged", "offered", "agreed", "vowed", "threatened", "plans", "planned", "intends"}


@dataclass(frozen=True)
class Trigger:
    """A lexicon match in a sentence: token span, label and PLOVER category."""

    start: int
    end: int
    label: str
    plover: str
    cameo: str = ""


@dataclass
class Coding:
    """The model's reading of a sentence."""

    category: str  # the most probable event category (never NONE)
    confidence: float  # its probability
    none: float  # the probability that the sentence reports no event
    words: list[str]  # the sentence's words that weigh most for the category
    probabilities: dict[str, float]  # every class's probability
    keywords: bool = False  # whether the sentence has an event word (a trigger or a keyword)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=65536)
def _token(text: str, first: bool) -> str:
    if NUMBER.fullmatch(text):
        return "<num>"
    if (not first and text[:1].isupper()) or (len(text) > 1 and text.isupper()):
        return "<name>"
    return _stem(text.lower())


@lru_cache(maxsize=1)
def _keywords() -> dict[str, list[str]]:
    """Stem -> the categories whose keywords have that stem."""
    out: dict[str, list[str]] = {}
    for category, words in KEYWORDS.items():
        for word in words.split():
            out.setdefault(_stem(word), []).append(category)
    return out


def features(doc, triggers: list[Trigger]) -> dict[str, str]:
    """The binary features of a sentence (a spaCy ``Doc``), each with the text it comes from."""
    words = [(t, _token(t.text, n == 0)) for n, t in enumerate(doc)
             if not (t.is_punct or t.is_space)]
    out: dict[str, str] = {}
    keywords = _keywords()
    first_keyword = True
    for n, (tok, w) in enumerate(words):
        out.setdefault(f"w:{w}", tok.text)
        if len(w) > 4 and w[0] != "<":  # a word's first five letters: kin of unseen forms
            out.setdefault(f"p:{tok.lower_[:PREFIX]}", tok.text)
        for category in keywords.get(w, ()):
            out.setdefault(f"kw:{category}", tok.text)
            if first_keyword:
                out.setdefault(f"kw1:{category}", tok.text)
            before = {t.lower_ for t, _ in words[max(0, n - 3):n]}
            if before & NEGATORS:
                out.setdefault(f"kwneg:{category}", tok.text)
            if before & INTENT:
                out.setdefault(f"kwint:{category}", tok.text)
        first_keyword = first_keyword and w not in keywords
    for (a, wa), (b, wb) in zip(words, words[1:]):
        out.setdefault(f"b:{wa}_{wb}", f"{a.text} {b.text}")
    for n, t in enumerate(triggers):
        text = doc[t.start:t.end].text
        before = {tok.lower_ for tok in doc[max(0, t.start - 4):t.start]}
        out.setdefault(f"lex:{t.plover}", text)
        out.setdefault(f"lexl:{t.label}", text)
        if n == 0:
            out.setdefault(f"lex1:{t.plover}", text)
        if before & NEGATORS:
            out.setdefault(f"lexneg:{t.plover}", text)
        if before & INTENT:
            out.setdefault(f"lexint:{t.plover}", text)
    return out


@dataclass
class Model:
    """Weights of the linear model: ``coef[class, feature]`` and ``intercept[class]``."""

    classes: list[str]
    vocabulary: dict[str, int]
    coef: np.ndarray
    intercept: np.ndarray

    def scores(self, feats: dict[str, str]) -> tuple[np.ndarray, list[int]]:
        """Class probabilities for a feature set (binary, L2-normalised), and the columns used."""
        cols = [self.vocabulary[f] for f in feats if f in self.vocabulary]
        scale = 1.0 / np.sqrt(max(len(feats), 1))
        z = self.intercept + self.coef[:, cols].sum(axis=1) * scale
        z = np.exp(z - z.max())
        return z / z.sum(), cols

    def code(self, doc, triggers: list[Trigger]) -> Coding:
        """The category of a sentence, its probability, and the words that weigh most for it."""
        feats = features(doc, triggers)
        p, cols = self.scores(feats)
        none = self.classes.index(NONE) if NONE in self.classes else -1
        ranked = [k for k in np.argsort(-p) if k != none]
        best = int(ranked[0])
        names = list(feats)
        inverse = {self.vocabulary[f]: f for f in names if f in self.vocabulary}
        weights = self.coef[best, cols]
        top = [feats[inverse[cols[k]]] for k in np.argsort(-weights)[:3] if weights[k] > 0]
        return Coding(self.classes[best], float(p[best]), float(p[none]) if none >= 0 else 0.0,
                      list(dict.fromkeys(top)), dict(zip(self.classes, p.tolist())),
                      any(f.startswith(("kw:", "lex:")) for f in feats))


def load_model(path=None) -> Model:
    """The shipped model (or one saved at ``path`` by :func:`save_model`)."""
    if path is None:
        return _shipped()
    return _read(path)


@lru_cache(maxsize=1)
def _shipped() -> Model:
    with resources.as_file(resources.files("accord.news") / "model" / "coder.npz") as path:
        return _read(path)


def shipped_provenance() -> dict:
    """How the shipped weights were made (``model/coder.json``)."""
    text = (resources.files("accord.news") / "model" / "coder.json").read_text(encoding="utf-8")
    return json.loads(text)


def _read(path) -> Model:
    with np.load(path, allow_pickle=False) as data:
        vocabulary = {str(f): n for n, f in enumerate(data["features"])}
        return Model([str(c) for c in data["classes"]], vocabulary,
                     data["coef"].astype(np.float64), data["intercept"].astype(np.float64))


def save_model(model: Model, path, provenance: dict) -> None:
    """Write the weights (``.npz``) and their provenance (``.json`` beside them)."""
    features_ = sorted(model.vocabulary, key=model.vocabulary.get)
    np.savez_compressed(path, classes=np.array(model.classes), features=np.array(features_),
                        coef=model.coef.astype(np.float32),
                        intercept=model.intercept.astype(np.float32))
    with open(str(path).removesuffix(".npz") + ".json", "w", encoding="utf-8") as f:
        json.dump(provenance, f, indent=2, sort_keys=True)
        f.write("\n")


def explain(coding: Coding, category: str, label: str | None, plover: str | None,
            cameo: str | None, trigger_text: str | None) -> str:
    """Why an event was coded ``category``, in one sentence: its trigger and the coder's words."""
    words = ", ".join(f"'{w}'" for w in coding.words) or "no single word"
    p = coding.probabilities.get(category, 0.0)
    if label is None:
        return (f"coded {category} because the words {words} weigh for it (p={p:.2f}); "
                f"no trigger of the lexicon matched")
    trigger = f"'{trigger_text}' is the lexicon's '{label}' trigger (CAMEO {cameo}, {plover})"
    if category == plover:
        return f"coded {category} because {trigger} and the coder agrees (p={p:.2f})"
    return (f"coded {category} because the words {words} weigh for it (p={p:.2f}) "
            f"more than for {plover}, although {trigger}")
