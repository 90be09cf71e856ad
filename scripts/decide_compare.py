"""Both check_nbs readings of the exchange model against decide-exchange-model's runs.

For ``nbs_outcome`` = running and round_start, over 10 tie-breaking seeds on the three decide
files: the mean difference in exchanges per round (all ten rounds), the mean absolute difference
of round-1 and round-10 voting outcomes (0-100), and how many round-1 outcomes agree to the
printed decimal. Run from the repository root: python scripts/decide_compare.py
"""

import numpy as np

from accord.models import get
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.formats import read_file

FILES = [("sample_data", "sample_data.txt"), ("copenhagen", "copenhagen.csv"), ("cop21", "cop21.csv")]
ref: dict[str, dict[str, list[str]]] = {}
for line in open("../shared/data/decide/reference_equal_gain_summary.md"):
    cells = [c.strip() for c in line.split("|")[1:-1]]
    if len(cells) == 7 and cells[0] in dict(FILES):
        ref.setdefault(cells[0], {})[cells[1].rsplit(" [", 1)[0]] = cells
for variant in ("running", "round_start"):
    count_error, first, tenth, exact = [], [], [], 0
    for name, file in FILES:
        arrays = ScenarioArrays.from_scenario(read_file(f"../shared/data/decide/{file}").scenario)
        counts_ref = np.array([int(v) for v in next(iter(ref[name].values()))[6].split("/")])
        scale = arrays.high - arrays.low
        for seed in range(10):
            result = get("exchange")(arrays.batch(), seed=seed, nbs_outcome=variant)
            counts = np.array([len(r) for r in result.diagnostics["exchanges"][0]])
            count_error.append(np.abs(counts - counts_ref).mean())
            vote = arrays.to_scale(result.round_outcomes[0])
            for j, issue in enumerate(arrays.issue_ids):
                r1, r10 = float(ref[name][issue][4]), float(ref[name][issue][5])
                first.append(abs(vote[1, j] - r1) / scale[j] * 100)
                tenth.append(abs(vote[10, j] - r10) / scale[j] * 100)
                exact += abs(vote[1, j] - r1) <= 0.05
    print(f"{variant:12s} exchanges per round off by {np.mean(count_error):.2f}; outcomes off by "
          f"{np.mean(first):.2f} (round 1), {np.mean(tenth):.2f} (round 10); "
          f"{exact / 10:.1f} of 26 round-1 outcomes exact")
