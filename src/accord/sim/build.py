"""A scenario's negotiation domain for a batch of drawn inputs.

The parties are the actors with role ``party`` and at least one stance; the issues those on
which some party has a stance. Each issue is cut into ``levels`` equally spaced levels of its
scale. A party's reservation value is its utility of the status quo (the middle of the scale
where it is unknown) plus the drawn shift. Incentives become bonuses (:func:`bonuses`); the
levels the stakeholders support come from :mod:`accord.sim.support`.
"""

from __future__ import annotations

import numpy as np

from accord.scenario.arrays import ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.model import Incentive, Role, Scenario
from accord.sim.domain import RED_LINE_PENALTY, Bonus, Domain, value_tables
from accord.sim.inputs import Inputs
from accord.sim.support import SupportRule, supported


def party_ids(scenario: Scenario) -> tuple[str, ...]:
    """The parties of a simulation: actors with role ``party`` and a stance."""
    with_stance = {s.actor for s in scenario.stances}
    return tuple(a.id for a in scenario.actors if a.role == Role.party and a.id in with_stance)


def domain(scenario: Scenario, inputs: Inputs, levels: int = 11,
           rule: SupportRule = SupportRule(), incentives: bool = True) -> Domain:
    """The domain of ``scenario`` for every draw of ``inputs``."""
    arrays = ScenarioArrays.from_scenario(scenario)
    parties = party_ids(scenario)
    rows = [arrays.actor_ids.index(p) for p in parties]
    cols = [k for k in range(len(arrays.issue_ids)) if arrays.mask[rows, k].any()]
    issues = [scenario.issues[k] for k in cols]
    grid = np.array([np.linspace(i.scale.min, i.scale.max, levels) for i in issues])
    feasible = _feasible(issues, grid, [arrays.issue_ids.index(i.id) for i in issues])
    span = arrays.high[cols] - arrays.low[cols]
    mask = arrays.mask[np.ix_(rows, cols)]
    pos = inputs.position[:, rows][:, :, cols]
    weight = np.where(mask[None], inputs.salience[:, rows][:, :, cols], 0.0)
    weight = weight / np.maximum(weight.sum(axis=2, keepdims=True), 1e-12)
    red = _red_lines(scenario, parties, [i.id for i in issues], grid)
    values = value_tables(weight, pos, grid, span) - RED_LINE_PENALTY * red[None]
    known = arrays.status_quo[cols]
    sq = np.where(np.isnan(known), grid.mean(axis=1), known)
    reservation = (weight * (1.0 - np.abs(sq - pos) / span)).sum(axis=2)
    reservation = np.clip(reservation + inputs.reservation_shift, 0.0, 1.0)
    backed = supported(grid, known, span, inputs.position[:, :, cols],
                       inputs.salience[:, :, cols], arrays.mask[:, cols], rule)
    backed = np.where((backed & feasible).any(axis=2, keepdims=True), backed, True)
    in_levels = np.where(mask[None], (pos - grid[:, 0]) / span * (levels - 1), np.nan)
    offers = scenario.incentives if incentives else []
    found = tuple(b for inc in offers
                  for b in bonuses(scenario, inc, parties, [i.id for i in issues], grid, weight,
                                   pos, span))
    return Domain(parties, tuple(i.id for i in issues), grid, feasible, values, reservation,
                  inputs.capability[:, rows], in_levels, backed, found, red)


def _feasible(issues, grid: np.ndarray, index: list[int]) -> np.ndarray:
    feasible = np.array([[i.off_table_at(v) is None for v in row] for i, row in zip(issues, grid)])
    for issue, row, j in zip(issues, feasible, index):
        if not row.any():
            raise InputError("the off-table regions leave no level of the issue to agree on",
                             None, None, f"issues[{j}].off_table", issue.id,
                             f"at least one of the {grid.shape[1]} levels of the scale outside "
                             "them")
    return feasible


def _red_lines(scenario: Scenario, parties: tuple[str, ...], issues: list[str],
               grid: np.ndarray) -> np.ndarray:
    """(n, k, L) True where a party's red line excludes the level (mediation.md section 4:
    red lines are hard constraints; here a penalty no text can outweigh)."""
    out = np.zeros((len(parties), len(issues), grid.shape[1]), dtype=bool)
    for stance in scenario.stances:
        line = stance.red_line
        if line is None or stance.actor not in parties or stance.issue not in issues:
            continue
        k = issues.index(stance.issue)
        allowed = grid[k] >= line.value if line.op == ">=" else grid[k] <= line.value
        out[parties.index(stance.actor), k] = ~allowed
    return out


def bonuses(scenario: Scenario, inc: Incentive, parties: tuple[str, ...], issue_ids: list[str],
            grid: np.ndarray, weight: np.ndarray, pos: np.ndarray, span: np.ndarray,
            ) -> list[Bonus]:
    """A declared incentive as bonuses: what the provider's move on its issue is worth to each
    party, paid while the condition holds on the text.

    The provider's move from the status quo to its promised ``position`` on ``inc.issue`` is
    worth ``w_ik (|sq - p_ik| - |position - p_ik|) / span_k`` to party i (nothing where it would
    hurt). Several providers promising moves on the same issue share it by capability, so that
    three sanction regimes easing together are not counted three times.
    """
    if inc.position is None or inc.when.issue not in issue_ids or inc.issue not in issue_ids:
        return []
    k, c = issue_ids.index(inc.issue), issue_ids.index(inc.when.issue)
    issue = scenario.issue(inc.issue)
    sq = issue.status_quo
    sq = (issue.scale.min + issue.scale.max) / 2 if sq is None else sq
    same = [i for i in scenario.incentives if i.issue == inc.issue and i.position is not None]
    share = scenario.actor(inc.actor).capability / sum(scenario.actor(i.actor).capability
                                                      for i in same)
    points = share * np.maximum(np.abs(sq - pos[:, :, k]) - np.abs(inc.position - pos[:, :, k]), 0)
    value = weight[:, :, k] * points / span[k]
    holds = grid[c] >= inc.when.threshold if inc.when.op == ">=" else grid[c] <= inc.when.threshold
    return [Bonus(inc.id, inc.actor, i, c, holds, value[:, i], inc.credibility, k, points[:, i])
            for i in range(len(parties)) if (value[:, i] > 1e-12).any()]
