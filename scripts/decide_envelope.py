"""How much of the gap to decide-exchange-model's runs random tie-breaking can explain.

Round 1 starts from the same positions in both programs, so there the question has an exact
answer: this script follows every way the equal-gain model can break the ties it meets in round 1
(each tie is a branch; all branches are enumerated) and reports, per issue, the range of voting
outcomes over all of them and whether decide's value (``reference_equal_gain_summary.md``) lies in
it; likewise for the number of exchanges. After ten rounds the branches are too many to
enumerate, so round 10 is sampled with 40 tie-breaking seeds.

Run from the repository root: python scripts/decide_envelope.py
"""

import numpy as np

from accord.models import get
from accord.models.exchange import play_round
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.formats import read_file

FILES = [("sample_data", "sample_data.txt"), ("copenhagen", "copenhagen.csv"), ("cop21", "cop21.csv")]
HALF_DECIMAL = 0.05  # the reference prints one decimal of each issue's own scale


class Scripted:
    """Stands in for the generator: takes the tie choices of a script, then the first option."""

    def __init__(self, script: list[int]):
        self.script, self.options = script, []

    def choice(self, tied):
        pick = self.script[len(self.options)] if len(self.options) < len(self.script) else 0
        self.options.append(len(tied))
        return tied[pick]


def round_one_paths(arrays: ScenarioArrays) -> tuple[np.ndarray, np.ndarray]:
    """Round-1 voting outcomes (on the issue scales) and exchange counts of every tie path."""
    batch = arrays.batch()
    c, x0, s, mask = batch.capability[0], batch.position[0], batch.salience[0], batch.mask
    w = c[:, None] * s * mask
    x = np.where(mask, x0, np.nan)
    outcomes, counts, pending = [], [], [[]]
    while pending:
        script = pending.pop()
        chooser = Scripted(script)
        y, executed, _ = play_round(x, s, w, mask, 0.0, chooser, frozen=True)
        y = np.nan_to_num(y)
        outcomes.append(arrays.to_scale((w * y).sum(0) / w.sum(0)))
        counts.append(len(executed))
        for depth in range(len(script), len(chooser.options)):
            for alternative in range(1, chooser.options[depth]):
                pending.append(script + [0] * (depth - len(script)) + [alternative])
    return np.array(outcomes), np.array(counts)


def reference() -> dict:
    rows = {}
    for line in open("../shared/data/decide/reference_equal_gain_summary.md"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] in dict(FILES):
            rows[cells[0], cells[1].split(" [")[0]] = (float(cells[4]), float(cells[5]),
                                                       int(cells[6].split("/")[0]))
    return rows


def main() -> None:
    ref = reference()
    inside1 = inside10 = total = 0
    for name, file in FILES:
        arrays = ScenarioArrays.from_scenario(read_file(f"../shared/data/decide/{file}").scenario)
        paths, counts = round_one_paths(arrays)
        sampled = np.array([arrays.to_scale(get("exchange")(arrays.batch(), seed=seed)
                                            .round_outcomes[0]) for seed in range(40)])
        decide_count = ref[name, arrays.issue_ids[0]][2]
        r1 = np.array([ref[name, issue][0] for issue in arrays.issue_ids])
        best = (np.abs(paths - r1) <= HALF_DECIMAL + 1e-9).sum(axis=1).max()
        print(f"{name}: {len(paths)} tie paths in round 1; exchanges {counts.min()}-{counts.max()}"
              f" (decide {decide_count}); the best path agrees on {best} of {len(r1)} issues")
        for j, issue in enumerate(arrays.issue_ids):
            v1, v10, _ = ref[name, issue]
            lo1, hi1 = paths[:, j].min(), paths[:, j].max()
            lo10, hi10 = sampled[:, 10, j].min(), sampled[:, 10, j].max()
            in1 = lo1 - HALF_DECIMAL <= v1 <= hi1 + HALF_DECIMAL
            in10 = lo10 - HALF_DECIMAL <= v10 <= hi10 + HALF_DECIMAL
            inside1, inside10, total = inside1 + in1, inside10 + in10, total + 1
            print(f"  {issue:22s} r1 {v1:5.1f} in [{lo1:5.1f}, {hi1:5.1f}] {'yes' if in1 else 'no ':3s}"
                  f"   r10 {v10:5.1f} in [{lo10:5.1f}, {hi10:5.1f}] {'yes' if in10 else 'no'}")
    print(f"decide's round-1 outcome reachable by tie-breaking on {inside1} of {total} issues; "
          f"round 10 inside 40 seeds' range on {inside10} of {total}")


if __name__ == "__main__":
    main()
