"""Parties at the table: effective utility under implementation risk, what they hold out for,
votes, critiques, trust, gestures, walk-outs and returns (mediation.md section 4, "Agent
decision rules"). Every array has a leading axis of draws ``B``.

**Trust.** ``trust[b, i, j]`` is i's belief that j will implement what it signs; i's
*confidence* ``p_i`` is its mean trust in the others. A signed deal that the others do not honour
leaves a party worse off than no deal: it has given ground in public for nothing, at a cost
``exposure``. So a deal is worth ``U_eff = p U + (1 - p)(R - exposure)`` to a party whose no-deal
value is ``R`` (its reservation value plus any rise of its outside option), and at the deadline
it signs only if ``U - R >= exposure (1 - p) / p``: the less it trusts, the more surplus it needs.

**Gestures** raise the others' trust in their author by ``gesture_trust``. Each recipient
returns a gesture in the next round with a probability equal to its trust in the author (drawn
per run); a return raises the author's trust in the returner by ``gesture_trust``, and a gesture
not returned within ``reciprocity_window`` rounds lowers the author's trust in that recipient by
half as much. In expectation both sides trust more, so gestures make agreement more likely.

**Outside options.** A shock raises a party's outside option (the value of leaving, fading with
a half-life of ``shock_half_life`` rounds) and changes its trust. A party walks out when the
expected surplus of staying, ``P(agree) max(U_eff - R, 0) - c``, falls below that rise minus its
audience cost; it returns when that no longer holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PartyParams:
    """Behaviour shared by all parties.

    Attributes
    ----------
    trust : initial trust in every other party, in [0, 1].
    exposure : what a deal the others do not honour costs a signatory, below no deal.
    epsilon : smallest effective gain for which a party votes yes to a change of text.
    critique_issues : how many issues a critique names (largest loss first).
    audience_cost : a_i, the cost of being seen to walk out.
    round_cost : c_i, the cost of one more round at the table.
    gesture_trust : alpha_g, how much a gesture (or its return) raises trust in its author.
    reciprocity_window : rounds within which a gesture should be returned.
    shock_half_life : rounds over which a shock's rise of the outside option halves.
    style : concession style for every party: boulware, aspiration, linear, conceder,
        tit_for_tat, or ``drawn`` (each drawn run draws each party's exponent, see
        :mod:`accord.sim.inputs`; a run on the coded numbers takes the draw's median, 1).
    styles : per-party overrides of ``style``, as (party id, style) pairs.
    kindness : tit-for-tat's extra concession per offer (utility).
    """

    trust: float = 0.5
    exposure: float = 0.1
    epsilon: float = 1e-4
    critique_issues: int = 3
    audience_cost: float = 0.05
    round_cost: float = 0.005
    gesture_trust: float = 0.1
    reciprocity_window: int = 2
    shock_half_life: float = 2.0
    style: str = "drawn"
    styles: tuple[tuple[str, str], ...] = ()
    kindness: float = 0.01

    def styles_for(self, parties: tuple[str, ...]) -> list[str]:
        """Each party's concession style."""
        chosen = dict(self.styles)
        return [chosen.get(p, self.style) for p in parties]

    def exponents(self, parties: tuple[str, ...], drawn: np.ndarray) -> np.ndarray:
        """(B, n) concession exponents: a fixed style's, or the drawn one (NaN in ``drawn``
        means the run draws none: the median of the draw, 1, steady concession)."""
        fixed = np.array([STYLE_EXPONENTS.get(s, np.nan) for s in self.styles_for(parties)])
        drawn = np.where(np.isnan(drawn), 1.0, drawn)
        return np.where(np.isnan(fixed), drawn, fixed)


STYLE_EXPONENTS = {"boulware": 4.0, "aspiration": 2.0, "linear": 1.0, "conceder": 0.25,
                   "tit_for_tat": 1.0}
STYLES = (*STYLE_EXPONENTS, "drawn")


@dataclass
class PartyState:
    """The mutable state of the parties during a batch of runs."""

    trust: np.ndarray
    present: np.ndarray
    outside: np.ndarray

    @classmethod
    def start(cls, draws: int, parties: int, params: PartyParams) -> PartyState:
        """Everyone at the table, trusting each other ``params.trust``."""
        trust = np.full((draws, parties, parties), params.trust)
        trust[:, np.arange(parties), np.arange(parties)] = 1.0
        return cls(trust, np.ones((draws, parties), dtype=bool), np.zeros((draws, parties)))

    def confidence(self) -> np.ndarray:
        """(B, n) p_i: the probability i puts on the others implementing, its mean trust in
        them."""
        n = self.trust.shape[1]
        if n == 1:
            return np.ones(self.trust.shape[:2])
        return (self.trust.sum(axis=2) - 1.0) / (n - 1)


def effective(utility: np.ndarray, floor: np.ndarray, confidence: np.ndarray,
              exposure: float) -> np.ndarray:
    """U_eff = p U + (1 - p)(R - exposure): a deal is worth its utility only if implemented."""
    return confidence * utility + (1.0 - confidence) * (floor - exposure)


def aspiration(best: np.ndarray, floor: np.ndarray, t: float | np.ndarray,
               exponent: np.ndarray) -> np.ndarray:
    """What a party holds out for at time ``t`` in [0, 1]: ``R + (U_best - R)(1 - t^e)``
    (NegMAS's PolyAspiration), on the effective scale; at the deadline, its no-deal value."""
    return floor + np.maximum(best - floor, 0.0) * (1.0 - np.asarray(t) ** exponent)


def critique(tables: np.ndarray, feasible: np.ndarray, text: np.ndarray, count: int,
             against: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """What every party criticises: up to ``count`` issues, largest loss first.

    Against the current ``text`` (B, k) the loss on an issue is the distance of the text from
    the party's best level; against a proposal (``against``), the loss the proposal causes on
    each issue relative to the text. Returns ``issue``, ``ideal`` (the party's best level) and
    ``slope`` (its true value per level between the criticised level and its best: truthful
    critiques), each (B, n, count), and ``named`` (B, n, count) whether the entry is a critique.
    """
    values = np.where(feasible[None, None], tables, -np.inf)
    top = values.max(axis=3)
    ideal = np.argmax(values, axis=3)  # (B, n, k)
    point = text if against is None else against
    at = _at(values, point)
    loss = top - at if against is None else _at(values, text) - at
    order = np.argsort(-loss, axis=2, kind="stable")[:, :, :count]
    named = np.take_along_axis(loss, order, axis=2) > 1e-12
    steps = np.abs(ideal - point[:, None, :])
    slope = np.where(steps > 0, (top - at) / np.maximum(steps, 1), 0.0)
    return (order, np.take_along_axis(ideal, order, 2), np.take_along_axis(slope, order, 2),
            named)


def _at(values: np.ndarray, text: np.ndarray) -> np.ndarray:
    """(B, n, k) each party's value of the levels of ``text`` (B, k)."""
    index = text[:, None, :, None].repeat(values.shape[1], axis=1)
    return np.take_along_axis(values, index, axis=3)[..., 0]


def stay_value(chance: np.ndarray, surplus: np.ndarray, params: PartyParams) -> np.ndarray:
    """The expected surplus of staying, ``P(agree) max(U_eff - R, 0) - c`` (mediation.md
    section 4, "Exit rule"; a party can veto any package worse than no deal, so only the
    positive part counts)."""
    return chance * np.maximum(surplus, 0.0) - params.round_cost


def walks_out(value: np.ndarray, outside: np.ndarray, params: PartyParams) -> np.ndarray:
    """Leave iff the surplus of staying is below the outside option's rise minus the audience
    cost."""
    return value < outside - params.audience_cost


def agreement_chance(accepting: np.ndarray, present: np.ndarray) -> np.ndarray:
    """(B, 1) P-hat(agree) from the last straw poll: (1 + parties accepting) / (2 + present)."""
    return ((1.0 + accepting.sum(axis=1)) / (2.0 + present.sum(axis=1)))[:, None]


def raise_trust(trust: np.ndarray, who: np.ndarray, author: int, amount: float) -> None:
    """Raise (or, negative, lower) the trust of parties ``who`` (B, n) in ``author``."""
    column = trust[:, :, author]
    trust[:, :, author] = np.clip(column + amount * who, 0.0, 1.0)
    trust[:, author, author] = 1.0
