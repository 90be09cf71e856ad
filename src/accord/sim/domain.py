"""The simulation's negotiation domain: issues cut into levels, additive utilities per party,
batched over draws of the uncertain inputs.

A party's utility of a text (one level per issue) is a salience-weighted sum of per-issue values,
``U_i(x) = sum_k w_ik v_ik(x_k)`` with ``w_ik = s_ik / sum_k s_ik`` and the single-peaked
``v_ik(x) = 1 - |x - p_ik| / (max_k - min_k)`` around the party's stated position ``p_ik``
(mediation.md section 4, "Utility"): 1 is the party's ideal text, 0 the worst imaginable. A
conditional incentive adds ``credibility x value`` to its beneficiary on the levels where its
condition holds; the condition is on one issue, so utilities stay additive, which is what makes
the exact frontier of :mod:`accord.sim.metrics` possible. Off-table regions are infeasible levels
and a party's red line makes the levels beyond it worthless to that party.

Every array has a leading axis of draws ``B`` (``B = 1`` for the benchmark domains and the run
on the coded numbers); ``levels``, ``feasible`` and ``red_lines`` are shared by all draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

RED_LINE_PENALTY = 2.0  # more than any text can be worth: a text past a red line is never signed


@dataclass(frozen=True)
class Bonus:
    """A conditional incentive in utility terms.

    ``beneficiary`` (a party index) gains ``value x credibility`` (``value`` per draw, (B,)) while
    the text's level on ``issue`` satisfies ``holds`` (a (L,) bool mask over levels). The value
    is what the provider's promised move on issue ``moved`` is worth to the beneficiary;
    ``points`` (B,) says the same as points of that issue's scale, for plain-language reports.
    When the offer counts from is the plan's business.
    """

    id: str
    provider: str
    beneficiary: int
    issue: int
    holds: np.ndarray
    value: np.ndarray
    credibility: float = 1.0
    moved: int = -1
    points: np.ndarray | None = None


@dataclass(frozen=True)
class Domain:
    """Parties, issues cut into levels, and what every level is worth to every party.

    Attributes
    ----------
    party_ids, issue_ids : names, in index order.
    levels : (k, L) the value of each level on its issue's own scale.
    feasible : (k, L) bool; False on off-table levels.
    values : (B, n, k, L) salience-weighted value of each level to each party, without bonuses
        (red-line levels carry a penalty of ``RED_LINE_PENALTY``).
    reservation : (B, n) the utility of no agreement.
    capability : (B, n) weights for a qualified-majority vote.
    position : (B, n, k) each party's stated position, in levels (fractional; NaN where it has
        no stance), for the neutral first draft.
    supported : (B, k, L) bool, the levels the stakeholders' positions support
        (:mod:`accord.sim.support`); everything where nothing is known.
    bonuses : conditional incentives.
    red_lines : (n, k, L) bool, where a party's red line excludes a level.
    """

    party_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    levels: np.ndarray
    feasible: np.ndarray
    values: np.ndarray
    reservation: np.ndarray
    capability: np.ndarray
    position: np.ndarray
    supported: np.ndarray
    bonuses: tuple[Bonus, ...] = ()
    red_lines: np.ndarray | None = None

    @property
    def draws(self) -> int:
        """Number of draws ``B``."""
        return self.values.shape[0]

    @property
    def parties(self) -> int:
        """Number of parties ``n``."""
        return len(self.party_ids)

    @property
    def issues(self) -> int:
        """Number of issues ``k``."""
        return len(self.issue_ids)

    def bonus_tables(self, active: np.ndarray | None = None) -> np.ndarray:
        """(B, n, k, L) what the bonuses flagged in ``active`` (B, nb) add; all if None."""
        out = np.zeros_like(self.values)
        for b, bonus in enumerate(self.bonuses):
            on = np.ones(self.draws, bool) if active is None else active[:, b]
            out[:, bonus.beneficiary, bonus.issue] += (
                (on * bonus.credibility * bonus.value)[:, None] * bonus.holds[None])
        return out

    def tables(self, active: np.ndarray | None = None) -> np.ndarray:
        """The (B, n, k, L) value tables with the ``active`` bonuses added (all if None)."""
        return self.values + self.bonus_tables(active) if self.bonuses else self.values

    def public(self, active: np.ndarray | None = None) -> np.ndarray:
        """What everyone knows of the tables: the incentives on offer and the red lines."""
        known = self.bonus_tables(active)
        if self.red_lines is not None:
            known = known - RED_LINE_PENALTY * self.red_lines[None]
        return known

    def take(self, index: np.ndarray | slice) -> Domain:
        """The domain of a subset of the draws."""
        bonuses = tuple(replace(b, value=b.value[index],
                                points=None if b.points is None else b.points[index])
                        for b in self.bonuses)
        return replace(self, values=self.values[index], reservation=self.reservation[index],
                       capability=self.capability[index], position=self.position[index],
                       supported=self.supported[index], bonuses=bonuses)


def stack(domains: Sequence[Domain]) -> Domain:
    """Domains with the same parties, issues and levels, as one batch of draws."""
    first = domains[0]
    bonuses = tuple(replace(b, value=np.concatenate([d.bonuses[j].value for d in domains]),
                            points=None if b.points is None else
                            np.concatenate([d.bonuses[j].points for d in domains]))
                    for j, b in enumerate(first.bonuses))
    return replace(first, bonuses=bonuses,
                   **{f: np.concatenate([getattr(d, f) for d in domains])
                      for f in ("values", "reservation", "capability", "position", "supported")})


def utilities(tables: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """Utilities of texts: ``tables`` (B, n, k, L), ``texts`` (B, ..., k) level indices ->
    (B, ..., n)."""
    b, n, k, levels = tables.shape
    shape = texts.shape
    flat = (texts.reshape(b, -1, k) + np.arange(k) * levels).reshape(b, 1, -1)
    picked = np.take_along_axis(tables.reshape(b, n, k * levels), np.broadcast_to(
        flat, (b, n, flat.shape[2])), axis=2)
    total = picked.reshape(b, n, -1, k).sum(axis=3)
    return np.moveaxis(total, 1, -1).reshape(*shape[:-1], n)


def best(tables: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """(B, n) every party's utility of its best feasible text."""
    return np.where(feasible[None, None], tables, -np.inf).max(axis=3).sum(axis=2)


def value_tables(weight: np.ndarray, position: np.ndarray, grid: np.ndarray,
                 span: np.ndarray) -> np.ndarray:
    """(B, n, k, L) ``w_ik (1 - |x_l - p_ik| / span_k)`` for weights and positions (B, n, k)."""
    return weight[..., None] * (1.0 - np.abs(grid[None, None] - position[..., None])
                                / span[None, None, :, None])
