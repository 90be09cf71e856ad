"""The exchange model's readings of decide-exchange-model's description against decide's runs.

For the default (decide's rules R1-R5 in float64) and the readings of decide's description that
Accord also offers, over decide's three inputs and ten rounds: the mean absolute difference of the
voting outcomes from decide's ties-first runs (0-100 scales; also round 1 alone) and of the
number of exchanges per round; the decide preset, for comparison, is exact.
Run from the repository root: python scripts/decide_compare.py
"""

import csv
import json

import numpy as np

from accord.models import get
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.formats import read_file

FILES = {"sample_data": "sample_data.txt", "copenhagen": "copenhagen.csv", "cop21": "cop21.csv"}
READINGS = {
    "decide preset (decimal arithmetic, decide's tie order)": dict(preset="decide"),
    "default: decide's rules in float64": {},
    "nbs_outcome=round_start": dict(nbs_outcome="round_start"),
    "nbs_outcome=running": dict(nbs_outcome="running"),
    "move_cap=executed": dict(move_cap="executed"),
    "nbs_outcome=round_start, move_cap=executed (before decide's rules)":
        dict(nbs_outcome="round_start", move_cap="executed"),
}


def reference(name: str):
    folder = f"../shared/data/decide/reference/{name}"
    runs = json.load(open(f"{folder}/rounds_ties_first.json"))
    outcomes = {(int(r["round"]), r["issue"]): float(r["voting_outcome_after_exchanges"])
                for r in csv.DictReader(open(f"{folder}/outcomes.csv"))
                if r["ties"] == "ties-first"}
    return runs, outcomes


def main() -> None:
    print("reading | outcomes off (all rounds) | round 1 | exchanges per round off")
    for label, params in READINGS.items():
        off, first, counts = [], [], []
        for name, file in FILES.items():
            scenario = read_file(f"../shared/data/decide/{file}").scenario
            arrays = ScenarioArrays.from_scenario(scenario)
            runs, outcomes = reference(name)
            result = get("exchange")(arrays.batch(), **params)
            vote = arrays.to_scale(result.round_outcomes[0])
            span = arrays.high - arrays.low
            for k in range(1, 11):
                expected = np.array([outcomes[k, issue] for issue in runs["issues"]])
                off.extend(np.abs(vote[k] - expected) / span * 100)
                if k == 1:
                    first.extend(np.abs(vote[k] - expected) / span * 100)
            executed = [len(r["executed"]) for r in runs["rounds"]]
            counts.extend(np.abs(result.diagnostics["executed"][0] - executed))
        print(f"{label} | {np.mean(off):.2f} | {np.mean(first):.2f} | {np.mean(counts):.2f}")


if __name__ == "__main__":
    main()
