"""The DEU III backtest with every registered model: `accord backtest deu3 --cv 10` end to end
(every model on 141 proposals, then ten folds of error models and ensemble), and the
cross-validation layer alone on forecasts computed once (what any further folds or seeds cost)."""

from __future__ import annotations

import time

from accord.api import backtesting as api
from accord.models import MODELS

ROWS = ["ensemble", "status_quo", *[m for m in MODELS if m != "ensemble"]]
BUDGET_S = 120  # issue 15: under 2 minutes on 2 cores


def test_deu3_cv10_every_model(benchmark):
    def run():
        api._TABLES.clear()  # from scratch: every model runs
        return api.backtest("deu3", list(MODELS), folds=10, seed=0)

    result = benchmark.pedantic(run, rounds=1, iterations=1)
    seconds = benchmark.stats.stats.min
    records = {r.model: r for r in result.doc.records}
    assert set(records) == set(ROWS)
    print(f"\naccord backtest deu3 --cv 10, {len(MODELS)} models: {seconds:.1f} s "
          f"(budget {BUDGET_S} s); ensemble MAE {records['ensemble'].mae:.2f}, "
          f"CRPS {records['ensemble'].crps:.2f}")
    assert seconds < BUDGET_S


def test_cross_validation_layer_alone(benchmark):
    table = api.forecast_table("deu3", "equal", ROWS)
    start = time.perf_counter()
    api.backtest("deu3", list(MODELS), folds=None, seed=0)
    loo = time.perf_counter() - start
    benchmark.pedantic(lambda: api.backtest("deu3", list(MODELS), folds=10, seed=1),
                       rounds=3, iterations=1)
    print(f"\n{len(table)} issues: 10 folds {benchmark.stats.stats.min:.1f} s, "
          f"leave one proposal out ({len(set(table.case))} folds) {loo:.1f} s, "
          f"no model rerun")
