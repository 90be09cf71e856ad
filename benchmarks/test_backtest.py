"""A full DEU III backtest (141 proposals, 351 scored issues) with every registered model."""

from __future__ import annotations

from accord.analysis.backtest import predict, summarise
from accord.analysis.casesets import deu3
from accord.models import MODELS


def test_deu3_every_model(benchmark):
    cases = deu3("equal")

    def run():
        return summarise(predict(cases, list(MODELS)))

    scores = benchmark.pedantic(run, rounds=3, iterations=1)
    assert {s.model for s in scores} == {"status_quo", *MODELS}
    per_model = {s.model: s.mae for s in scores}
    print(f"\nDEU III, {len(cases)} proposals x {len(MODELS)} models: "
          f"{benchmark.stats.stats.min:.2f} s; MAE {per_model}")
