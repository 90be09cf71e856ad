"""Score the event coder against a gold standard of coded sentences (PLOVER GSR format).

``python -m accord.news.evaluate PATH`` prints the accuracy of the first coded event's category,
the macro-F1 over the gold categories and the confusion matrix (rows: gold, columns: coded).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from accord.news.extract import extract

UNCODED = "-"


@dataclass
class Evaluation:
    """Accuracy of the first coded event's PLOVER category, and precision/recall per category."""

    n: int
    accuracy: float
    coded: int
    per_category: dict[str, tuple[float, float, int]]  # precision, recall, gold count
    macro_f1: float
    confusion: dict[str, dict[str, int]]  # gold -> coded (UNCODED when no event) -> count


def gold_sentences(path: Path) -> list[dict]:
    """The gold records that code an event (the ``DOCUMENT`` record is documentation)."""
    return [g for g in json.loads(path.read_text(encoding="utf-8")) if g["event"] != "DOCUMENT"]


def evaluate_plover(path: Path) -> Evaluation:
    """Code each gold sentence; compare its first event's category with the gold category."""
    gold = gold_sentences(path)
    predicted = []
    for g in gold:
        _, events, _ = extract([g["text"]], dt.date(2000, 1, 1))
        predicted.append(events[0].category if events else None)
    truth = [g["event"] for g in gold]
    hits = Counter(t for t, p in zip(truth, predicted) if t == p)
    said = Counter(p for p in predicted if p)
    count = Counter(truth)
    per = {c: (hits[c] / said[c] if said[c] else 0.0, hits[c] / count[c], count[c])
           for c in sorted(count)}
    f1 = [2 * p * r / (p + r) if p + r else 0.0 for p, r, _ in per.values()]
    confusion: dict[str, dict[str, int]] = {c: {} for c in sorted(count)}
    for t, p in zip(truth, predicted):
        confusion[t][p or UNCODED] = confusion[t].get(p or UNCODED, 0) + 1
    return Evaluation(len(gold), sum(hits.values()) / len(gold),
                      sum(p is not None for p in predicted), per, sum(f1) / len(f1), confusion)


def confusion_table(evaluation: Evaluation) -> str:
    """The confusion matrix as a Markdown table (rows: gold; columns: coded)."""
    rows = list(evaluation.confusion)
    columns = rows + [UNCODED]
    short = {c: c[:4] for c in rows} | {UNCODED: "none"}
    lines = ["| gold \\ coded | " + " | ".join(short[c] for c in columns) + " | recall |",
             "|---" * (len(columns) + 2) + "|"]
    for r in rows:
        cells = [str(evaluation.confusion[r].get(c, "")) for c in columns]
        lines.append(f"| {r} | " + " | ".join(cells) + f" | {evaluation.per_category[r][1]:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_file():
        print("usage: python -m accord.news.evaluate PLOVER_GSR_CAMEO.txt", file=sys.stderr)
        return 2
    result = evaluate_plover(Path(args[0]))
    print(f"{result.n} sentences, {result.coded} coded: accuracy {result.accuracy:.1%}, "
          f"macro-F1 {result.macro_f1:.3f}")
    print(confusion_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
