"""NegMAS 0.16 on the mediation.md section 3.1 domains, run as a black box (AGPL: nothing of its
code is copied here; this script only calls its public API).

Run it in a throwaway environment outside the project, with Accord installed there too::

    python3.11 -m venv /tmp/negmas-venv
    /tmp/negmas-venv/bin/pip install "negmas==0.16.*" -e .
    /tmp/negmas-venv/bin/python benchmarks/negmas_runs.py > benchmarks/data/negmas-0.16.json

For every domain (3 and 7 issues, incentive off and on) and seed 0-19 it builds the same
``benchmark_domain`` Accord's benchmark uses, runs each NegMAS protocol and records the agreed
text (level indices) or null, the steps and the wall time. ``benchmarks/test_simulation.py`` and
``tests/test_sim_benchmark.py`` score the texts with Accord's own metrics, paired by seed.
"""

from __future__ import annotations

import json
import random
import sys
import time

import numpy as np
from negmas import SAOMechanism, make_issue
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.sao import (
    AspirationNegotiator,
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
)
from negmas.st import BinaryComparatorNegotiator, VetoSTMechanism

from accord.sim.testbeds import benchmark_domain

SAO = {"SAO Boulware x2": BoulwareTBNegotiator, "SAO Conceder x2": ConcederTBNegotiator,
       "SAO Linear x2": LinearTBNegotiator, "SAO Aspiration x2": AspirationNegotiator}
VETO = {"VetoST random 100": 100, "VetoST random 1000": 1000}


def _ufun(domain, tables, i, space):
    values = {name: {level: float(tables[i, k, level]) for level in range(tables.shape[2])}
              for k, name in enumerate(domain.issue_ids)}
    return LinearAdditiveUtilityFunction(values=values, weights={n: 1.0 for n in domain.issue_ids},
                                         outcome_space=space,
                                         reserved_value=float(domain.reservation[i]))


def _run(domain, protocol: str, seed: int) -> dict:
    random.seed(seed)
    np.random.seed(seed)
    tables = domain.tables(domain.bonuses)
    issues = [make_issue(list(range(tables.shape[2])), name=n) for n in domain.issue_ids]
    start = time.perf_counter()
    if protocol in SAO:
        mechanism = SAOMechanism(issues=issues, n_steps=100)
        negotiators = [SAO[protocol](name=p) for p in domain.party_ids]
    else:
        mechanism = VetoSTMechanism(issues=issues, n_steps=VETO[protocol])
        negotiators = [BinaryComparatorNegotiator(name=p) for p in domain.party_ids]
    for i, negotiator in enumerate(negotiators):
        mechanism.add(negotiator, preferences=_ufun(domain, tables, i, mechanism.outcome_space))
    state = mechanism.run()
    elapsed = time.perf_counter() - start
    text = None if state.agreement is None else [int(v) for v in state.agreement]
    return {"seed": seed, "text": text, "steps": int(state.step), "ms": elapsed * 1000}


def main() -> None:
    import negmas

    out = {"negmas": negmas.__version__, "python": sys.version.split()[0], "domains": {}}
    for issues in (3, 7):
        for incentive in (False, True):
            key = f"{issues} issues, incentive {'on' if incentive else 'off'}"
            out["domains"][key] = {
                protocol: [_run(benchmark_domain(issues, seed, incentive), protocol, seed)
                           for seed in range(20)]
                for protocol in (*SAO, *VETO)}
            print(key, file=sys.stderr)
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
