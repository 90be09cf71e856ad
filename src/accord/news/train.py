"""Retrain the event coder's weights: ``python -m accord.news.train [--out DIR] [--check]``.

Training material (all in ``training/``, all ours, MIT): ``examples.tsv`` (news-style sentences
written for Accord, one PLOVER category each, ``NONE`` for sentences that report no event) and
``cameo.tsv`` (each CAMEO code's definition in our words, with its PLOVER category). The PLOVER
gold standard is never read here: it is the test set (:mod:`accord.news.evaluate`), and
``tests/test_news_coder.py`` checks that no training sentence is a near-duplicate of a gold one.

PETRARCH2's unit-test sentences (MIT) were considered and left out: their expected codes come from
the unit tests' own toy dictionaries ("warned" coded 160, "welcomed" 041, "criticized" 121), so
they test the parser, not the meaning of the CAMEO categories.

The fit is deterministic (L-BFGS from zero, fixed folds): rerunning this module reproduces the
shipped weights; ``--check`` says whether it does.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from importlib import resources
from pathlib import Path

import numpy as np

from accord.news.coder import Model, features, save_model

C_GRID = (1.0, 3.0, 10.0, 30.0)  # inverse L2 penalty, chosen by 5-fold cross-validation
FOLDS = 5


def _rows(name: str) -> list[list[str]]:
    text = (resources.files("accord.news") / "training" / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]  # the first is the header


def training_set() -> list[tuple[str, str]]:
    """(sentence, PLOVER category or NONE) for every training sentence."""
    examples = [(text, cat) for cat, text in _rows("examples.tsv")]
    definitions = [(definition, plover) for _, plover, definition in _rows("cameo.tsv")]
    return examples + definitions


def _featurize(texts: list[str]) -> list[dict[str, str]]:
    from accord.news.extract import _pipeline, triggers_of

    nlp, matcher = _pipeline()
    return [features(doc, triggers_of(doc, matcher)) for doc in map(nlp.make_doc, texts)]


def _matrix(feats: list[dict[str, str]], vocabulary: dict[str, int]):
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for n, f in enumerate(feats):
        scale = 1.0 / np.sqrt(max(len(f), 1))
        for name in f:
            if name in vocabulary:
                rows.append(n)
                cols.append(vocabulary[name])
                vals.append(scale)
    return csr_matrix((vals, (rows, cols)), shape=(len(feats), len(vocabulary)))


def fit(feats: list[dict[str, str]], labels: list[str], c: float) -> Model:
    """A multinomial logistic regression with L2 penalty ``1/c`` (scikit-learn, L-BFGS)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    vocabulary = {f: n for n, f in enumerate(sorted({f for x in feats for f in x}))}
    clf = LogisticRegression(C=c, max_iter=1000)
    with threadpool_limits(1):  # deterministic, and faster on small problems
        clf.fit(_matrix(feats, vocabulary), labels)
    return Model(list(clf.classes_), vocabulary, clf.coef_, clf.intercept_)


def cross_validate(feats, labels, c: float) -> float:
    """Accuracy over ``FOLDS`` stratified folds (fixed seed)."""
    from sklearn.model_selection import StratifiedKFold

    hits = 0
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    for train, test in folds.split(np.zeros(len(labels)), labels):
        model = fit([feats[i] for i in train], [labels[i] for i in train], c)
        for i in test:
            p, _ = model.scores(feats[i])
            hits += model.classes[int(np.argmax(p))] == labels[i]
    return hits / len(labels)


def train(c: float | None = None) -> tuple[Model, dict]:
    """Choose ``C`` by cross-validation (unless given), fit on everything, and say how."""
    import sklearn

    rows = training_set()
    texts, labels = [t for t, _ in rows], [c for _, c in rows]
    feats = _featurize(texts)
    grid = C_GRID if c is None else (c,)
    scores = {c: cross_validate(feats, labels, c) for c in grid} if c is None else {c: None}
    best = max(grid, key=lambda c: (scores[c] or 0.0, -c))
    model = fit(feats, labels, best)
    digest = {name: hashlib.sha256((resources.files("accord.news") / "training" / name)
                                   .read_bytes()).hexdigest() for name in ("examples.tsv", "cameo.tsv")}
    provenance = {
        "model": "multinomial logistic regression (scikit-learn LogisticRegression, lbfgs, L2)",
        "features": "word stems (Snowball), stem bigrams, lexicon trigger categories; binary, L2-normalised",
        "training": {"files": digest, "sentences": len(rows),
                     "per_class": {c: labels.count(c) for c in sorted(set(labels))}},
        "licence": "training material written for Accord (MIT); no gold-standard sentence",
        "C": best, "cross_validation_accuracy": {str(c): round(s, 4) for c, s in scores.items()
                                                 if s is not None},
        "scikit_learn": sklearn.__version__, "retrain": "python -m accord.news.train",
    }
    return model, provenance


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Retrain the event coder's weights.")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write coder.npz and coder.json (default: the package's)")
    parser.add_argument("--check", action="store_true",
                        help="retrain and compare with the shipped weights; write nothing")
    args = parser.parse_args(argv)
    if args.check:  # refit with the shipped C (the cross-validation that chose it is not redone)
        from accord.news.coder import load_model, shipped_provenance

        model, _ = train(shipped_provenance()["C"])
        shipped = load_model()
        same = (shipped.classes == model.classes and shipped.vocabulary == model.vocabulary
                and np.allclose(shipped.coef, model.coef, atol=1e-4))
        print("the shipped weights are reproduced" if same else "the shipped weights differ")
        return 0 if same else 1
    model, provenance = train()
    print(f"C={provenance['C']}, cross-validation accuracy "
          f"{provenance['cross_validation_accuracy'][str(provenance['C'])]:.3f} over "
          f"{provenance['training']['sentences']} sentences")
    out = args.out or Path(str(resources.files("accord.news") / "model"))
    out.mkdir(parents=True, exist_ok=True)
    save_model(model, out / "coder.npz", provenance)
    print(f"wrote {out / 'coder.npz'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
