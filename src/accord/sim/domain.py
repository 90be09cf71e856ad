"""The simulation's negotiation domain: issues cut into levels, additive utilities per party.

A party's utility of a text (one level per issue) is a salience-weighted sum of per-issue values,
``U_i(x) = sum_k w_ik v_ik(x_k)`` with ``w_ik = s_ik / sum_k s_ik`` and the single-peaked
``v_ik(x) = 1 - |x - p_ik| / (max_k - min_k)`` around the party's stated position ``p_ik``
(mediation.md section 4, "Utility"). A conditional incentive adds ``credibility x value`` to its
beneficiary on the levels where its condition holds; because the condition is on one issue, the
utility stays additive, which is what makes the exact frontier of :mod:`accord.sim.metrics`
possible. Off-table regions of an issue are infeasible levels: no text may use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.model import Incentive, Role, Scenario


@dataclass(frozen=True)
class Bonus:
    """A conditional incentive in utility terms.

    ``beneficiary`` (a party index) gains ``value x credibility`` while the text's level on
    ``issue`` satisfies ``holds`` (a (L,) bool mask over levels). When the offer counts from is
    the plan's business (:class:`accord.sim.plan.Plan`).
    """

    id: str
    provider: str
    beneficiary: int
    issue: int
    holds: np.ndarray
    value: float
    credibility: float = 1.0

    def table(self, parties: int, issues: int) -> np.ndarray:
        """The (n, k, L) utility this bonus adds."""
        add = np.zeros((parties, issues, self.holds.size))
        add[self.beneficiary, self.issue] = self.credibility * self.value * self.holds
        return add


@dataclass(frozen=True)
class Domain:
    """Parties, issues cut into levels, and what every level is worth to every party.

    Attributes
    ----------
    party_ids, issue_ids : names, in index order.
    levels : (k, L) the value of each level on its issue's own scale.
    feasible : (k, L) bool; False on off-table levels.
    values : (n, k, L) salience-weighted value of each level to each party, without bonuses.
    reservation : (n,) the utility of no agreement (the status quo, unless given).
    capability : (n,) weights for a qualified-majority vote.
    bonuses : conditional incentives.
    red_lines : (n, k, L) bool, where a party's red line excludes a level; ``values`` there
        carry a penalty of ``RED_LINE_PENALTY`` so that no such text is ever signed.
    """

    party_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    levels: np.ndarray
    feasible: np.ndarray
    values: np.ndarray
    reservation: np.ndarray
    capability: np.ndarray
    bonuses: tuple[Bonus, ...] = ()
    red_lines: np.ndarray | None = None

    @property
    def parties(self) -> int:
        """Number of parties ``n``."""
        return len(self.party_ids)

    @property
    def issues(self) -> int:
        """Number of issues ``k``."""
        return len(self.issue_ids)

    def public(self, active: Sequence[Bonus] = ()) -> np.ndarray:
        """What everyone knows of the tables: the incentives on offer and the red lines."""
        known = self.tables(active) - self.values
        if self.red_lines is not None:
            known = known - RED_LINE_PENALTY * self.red_lines
        return known

    def tables(self, active: Sequence[Bonus] = ()) -> np.ndarray:
        """The (n, k, L) value tables with the ``active`` bonuses added."""
        total = self.values.copy()
        for bonus in active:
            total += bonus.table(self.parties, self.issues)
        return total


def utilities(tables: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """Utilities of texts: ``texts`` (..., k) level indices -> (..., n)."""
    k = tables.shape[1]
    per_issue = tables[:, np.arange(k), texts]  # (n, ..., k)
    return np.moveaxis(per_issue.sum(axis=-1), 0, -1)


def from_scenario(scenario: Scenario, *, levels: int = 11, position: np.ndarray | None = None,
                  salience: np.ndarray | None = None, capability: np.ndarray | None = None,
                  incentives: Sequence[Incentive] = ()) -> Domain:
    """The domain of a scenario's parties (actors with role ``party``).

    ``position``, ``salience`` and ``capability`` (all actors x all issues, on each issue's own
    scale) replace the scenario's numbers, for draws over uncertain inputs. Issues on which no
    party has a stance are left out. ``incentives`` become bonuses (see :func:`_bonuses`).
    """
    arrays = ScenarioArrays.from_scenario(scenario)
    actor_ids, issue_all, mask = list(arrays.actor_ids), list(arrays.issue_ids), arrays.mask
    pos = arrays.position if position is None else np.where(mask, position, arrays.position)
    sal = arrays.salience if salience is None else np.where(mask, salience, arrays.salience)
    cap = arrays.capability if capability is None else capability
    rows = [j for j, a in enumerate(scenario.actors) if a.role == Role.party and mask[j].any()]
    cols = [k for k in range(len(issue_all)) if mask[rows, k].any()]
    issues = [scenario.issues[k] for k in cols]
    grid = np.array([np.linspace(i.scale.min, i.scale.max, levels) for i in issues])
    feasible = np.array([[i.off_table_at(v) is None for v in row] for i, row in zip(issues, grid)])
    for issue, row in zip(issues, feasible):
        if not row.any():
            j = issue_all.index(issue.id)
            raise InputError("the off-table regions leave no level of the issue to agree on",
                             None, None, f"issues[{j}].off_table", issue.id,
                             f"at least one of the {levels} levels of the scale outside them")
    span = np.array([i.scale.max - i.scale.min for i in issues])
    p, s, m = pos[np.ix_(rows, cols)], sal[np.ix_(rows, cols)], mask[np.ix_(rows, cols)]
    weight = np.where(m, s, 0.0)
    weight = weight / np.maximum(weight.sum(axis=1, keepdims=True), 1e-12)
    values = weight[:, :, None] * (1.0 - np.abs(grid[None] - p[:, :, None]) / span[None, :, None])
    parties = tuple(actor_ids[j] for j in rows)
    red = _red_lines(scenario, list(parties), issues, grid)
    values = values - RED_LINE_PENALTY * red
    sq = np.array([(i.scale.min + i.scale.max) / 2 if i.status_quo is None else i.status_quo
                   for i in issues])
    reservation = (weight * (1.0 - np.abs(sq[None] - p) / span[None])).sum(axis=1)
    issue_ids = tuple(i.id for i in issues)
    bonuses = tuple(b for inc in incentives
                    for b in _bonuses(scenario, inc, parties, issue_ids, grid, weight, p, span))
    return Domain(parties, issue_ids, grid, feasible, values, reservation, cap[rows], bonuses, red)


RED_LINE_PENALTY = 2.0  # more than any text can be worth: a text past a red line is never signed


def _red_lines(scenario: Scenario, parties: list[str], issues, grid: np.ndarray) -> np.ndarray:
    """(n, k, L) True where a party's red line excludes the level (mediation.md section 4:
    red lines are hard constraints; here a penalty no text can outweigh, so they also show in
    the metrics)."""
    out = np.zeros((len(parties), len(issues), grid.shape[1]), dtype=bool)
    col = {issue.id: k for k, issue in enumerate(issues)}
    for stance in scenario.stances:
        line = stance.red_line
        if line is None or stance.actor not in parties or stance.issue not in col:
            continue
        k = col[stance.issue]
        allowed = grid[k] >= line.value if line.op == ">=" else grid[k] <= line.value
        out[parties.index(stance.actor), k] = ~allowed
    return out


def _bonuses(scenario: Scenario, inc: Incentive, parties: tuple[str, ...], issue_ids: tuple[str, ...], grid: np.ndarray,
             weight: np.ndarray, p: np.ndarray, span: np.ndarray) -> list[Bonus]:
    """A declared incentive as bonuses: what the provider's move on its issue is worth to each
    party, paid while the condition holds on the text.

    The provider's move from the status quo to its promised ``position`` on ``inc.issue`` is worth
    ``w_ik (v_ik(position) - v_ik(status quo))`` to a party; parties it would hurt get nothing.
    Several providers promising moves on the same issue share it by capability, so that three
    sanction regimes easing together are not counted three times.
    """
    if inc.position is None or inc.when.issue not in issue_ids or inc.issue not in issue_ids:
        return []
    k, c = issue_ids.index(inc.issue), issue_ids.index(inc.when.issue)
    issue = scenario.issue(inc.issue)
    sq = issue.status_quo if issue.status_quo is not None else (issue.scale.min + issue.scale.max) / 2
    same = [i for i in scenario.incentives if i.issue == inc.issue and i.position is not None]
    share = scenario.actor(inc.actor).capability / sum(scenario.actor(i.actor).capability
                                                      for i in same)
    value = weight[:, k] * (np.abs(sq - p[:, k]) - np.abs(inc.position - p[:, k])) / span[k]
    holds = grid[c] >= inc.when.threshold if inc.when.op == ">=" else grid[c] <= inc.when.threshold
    return [Bonus(inc.id, inc.actor, i, c, holds, float(share * value[i]), inc.credibility)
            for i in range(len(parties)) if value[i] > 1e-12]


GOVERNMENT_PRIORITY = {3: "sanctions_relief_conditions", 7: "sanctions_relief"}
OPPOSITION_PRIORITY = "electoral_guarantees"
BENCHMARK_ISSUES = {
    3: ("electoral_guarantees", "political_rights", "sanctions_relief_conditions"),
    7: ("political_rights", "electoral_guarantees", "sanctions_relief", "rule_of_law",
        "coexistence", "social_protection", "implementation"),
}


def benchmark_domain(issues: int, seed: int, incentive: bool = False) -> Domain:
    """The government-opposition domain of mediation.md section 3.1, rebuilt.

    Every issue has 11 levels (0, 10, ..., 100); level 0 is the government's ideal and 100 the
    opposition's. Saliences are Dirichlet draws (alpha 3 on the priority issue: sanctions for G,
    elections for O; 1 elsewhere); values are linear, ``v_G = 1 - x/100`` and ``v_O = x/100``;
    reservation values are U(0.15, 0.35). With ``incentive``, G gains 0.15 once electoral
    guarantees reach 70. Draws come from ``numpy.random.default_rng(seed)`` in that order.
    """
    names = BENCHMARK_ISSUES[issues]
    rng = np.random.default_rng(seed)
    alpha_g = np.where(np.array(names) == GOVERNMENT_PRIORITY[issues], 3.0, 1.0)
    alpha_o = np.where(np.array(names) == OPPOSITION_PRIORITY, 3.0, 1.0)
    weight = np.stack([rng.dirichlet(alpha_g), rng.dirichlet(alpha_o)])
    reservation = rng.uniform(0.15, 0.35, size=2)
    grid = np.tile(np.linspace(0.0, 100.0, 11), (issues, 1))
    value = np.stack([1.0 - grid / 100.0, grid / 100.0])
    values = weight[:, :, None] * value
    elections = names.index(OPPOSITION_PRIORITY)
    bonuses = (Bonus("elections_bonus", "third_party", 0, elections, grid[elections] >= 70.0,
                     0.15),) if incentive else ()
    return Domain(("government", "opposition"), names, grid, np.ones_like(grid, dtype=bool),
                  values, reservation, np.ones(2), bonuses)


def many_party_domain(parties: int, seed: int, issues: int = 7) -> Domain:
    """Random single-peaked parties on the 11-level domain (mediation.md section 3.4).

    Ideals uniform on the levels, Dirichlet(1) saliences, reservation values U(0.15, 0.35).
    """
    rng = np.random.default_rng(seed)
    grid = np.tile(np.linspace(0.0, 100.0, 11), (issues, 1))
    weight = rng.dirichlet(np.ones(issues), size=parties)
    ideal = rng.integers(0, 11, size=(parties, issues)) * 10.0
    values = weight[:, :, None] * (1.0 - np.abs(grid[None] - ideal[:, :, None]) / 100.0)
    reservation = rng.uniform(0.15, 0.35, size=parties)
    names = tuple(f"party_{i:02d}" for i in range(parties))
    return Domain(names, tuple(f"issue_{k}" for k in range(issues)), grid,
                  np.ones_like(grid, dtype=bool), values, reservation, np.ones(parties))
