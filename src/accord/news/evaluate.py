"""Score the event coder against a gold standard of coded sentences (PLOVER GSR format)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from accord.news.extract import extract


@dataclass
class Evaluation:
    """Accuracy of the first coded event's PLOVER category, and precision/recall per category."""

    n: int
    accuracy: float
    coded: int
    per_category: dict[str, tuple[float, float, int]]  # precision, recall, gold count


def evaluate_plover(path: Path) -> Evaluation:
    """Code each gold sentence; compare its first event's category with the gold category."""
    gold = [g for g in json.loads(path.read_text(encoding="utf-8")) if g["event"] != "DOCUMENT"]
    predicted = []
    for g in gold:
        _, events, _ = extract([g["text"]], dt.date(2000, 1, 1))
        predicted.append(events[0].plover if events else None)
    truth = [g["event"] for g in gold]
    hits = Counter(t for t, p in zip(truth, predicted) if t == p)
    said = Counter(p for p in predicted if p)
    count = Counter(truth)
    per = {c: (hits[c] / said[c] if said[c] else 0.0, hits[c] / count[c], count[c])
           for c in sorted(count)}
    return Evaluation(len(gold), sum(hits.values()) / len(gold),
                      sum(p is not None for p in predicted), per)
