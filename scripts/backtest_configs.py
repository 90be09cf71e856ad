"""Issue 15's targets over 16 cross-validation configurations of DEU III, in one process.

For each capability choice: 10-fold seeds 0-9, 5-fold seeds 0-4 and leave one proposal out, as
``accord backtest deu3 --cv K --seed S`` scores them (the forecasts are computed once, then every
fold refits the error models and the ensemble on its training proposals). Prints each
configuration and a summary: the ensemble's MAE and CRPS against the best single model's, and
the range of every model's 50% and 90% coverage.

Run from the repository root: python scripts/backtest_configs.py [equal] [council] [--offset K]
(``--offset K``: seeds K..K+9 and K..K+4 instead, without leave one proposal out: splits that
were never looked at while the method was designed).
"""

from __future__ import annotations

import sys

import numpy as np

from accord.api.backtesting import backtest


def configurations(offset: int = 0) -> list[tuple[int | None, int]]:
    """10-fold seeds offset..offset+9, 5-fold seeds offset..offset+4, and (offset 0) leave one
    proposal out, which has no seed."""
    loo = [(None, 0)] if offset == 0 else []
    return ([(10, s) for s in range(offset, offset + 10)]
            + [(5, s) for s in range(offset, offset + 5)] + loo)


def configuration(capability: str, folds: int | None, seed: int) -> dict:
    """One configuration's figures."""
    doc = backtest("deu3", None, capability, folds, seed).doc
    records = {r.model: r for r in doc.records}
    singles = [r for name, r in records.items() if name != "ensemble"]
    low50 = min(singles + [records["ensemble"]], key=lambda r: r.coverage["0.5"])
    return {"ensemble_mae": records["ensemble"].mae, "best_mae": min(r.mae for r in singles),
            "ensemble_crps": records["ensemble"].crps, "best_crps": min(r.crps for r in singles),
            "cover50": [r.coverage["0.5"] for r in doc.records],
            "cover90": [r.coverage["0.9"] for r in doc.records],
            "lowest50": f"{low50.model} {low50.coverage['0.5']:.1%}",
            "choices": doc.ensemble_choices}


def main(capabilities: list[str], offset: int = 0) -> None:
    for capability in capabilities:
        rows = []
        for folds, seed in configurations(offset):
            row = configuration(capability, folds, seed)
            rows.append(row)
            print(f"{capability} {'loo' if folds is None else f'{folds}-fold'} seed {seed}: "
                  f"ensemble MAE {row['ensemble_mae']:.2f} (best single {row['best_mae']:.2f}), "
                  f"CRPS {row['ensemble_crps']:.2f} (best {row['best_crps']:.2f}); 50% held "
                  f"{min(row['cover50']):.1%}-{max(row['cover50']):.1%} (lowest: "
                  f"{row['lowest50']}), 90% {min(row['cover90']):.1%}-{max(row['cover90']):.1%}; "
                  f"combinations chosen {row['choices']}", flush=True)
        mae = np.array([r["ensemble_mae"] for r in rows])
        best = np.array([r["best_mae"] for r in rows])
        crps = np.array([r["ensemble_crps"] for r in rows])
        best_crps = np.array([r["best_crps"] for r in rows])
        print(f"{capability}: ensemble MAE {mae.min():.2f}-{mae.max():.2f}, at most 22.99 in "
              f"{(mae <= 22.99).sum()} of {len(rows)}, at most the best single model's in "
              f"{(mae <= best + 1e-9).sum()}, below it in {(mae < best - 1e-9).sum()}; CRPS "
              f"{crps.min():.2f}-{crps.max():.2f}, below the best single model's in "
              f"{(crps < best_crps).sum()} of {len(rows)}; every model's 50% held "
              f"{min(min(r['cover50']) for r in rows):.1%}-"
              f"{max(max(r['cover50']) for r in rows):.1%}, 90% "
              f"{min(min(r['cover90']) for r in rows):.1%}-"
              f"{max(max(r['cover90']) for r in rows):.1%}")


if __name__ == "__main__":
    offset = int(sys.argv[sys.argv.index("--offset") + 1]) if "--offset" in sys.argv else 0
    names = [a for a in sys.argv[1:] if a in ("equal", "council")]
    main(names or ["equal", "council"], offset)
