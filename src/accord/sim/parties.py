"""Parties at the table: effective utility under implementation risk, votes, critiques, trust,
gestures, walk-outs and returns (mediation.md section 4, "Agent decision rules").

State is kept in arrays over parties: ``trust[i, j]`` is i's trust that j will implement what it
signs, ``present[i]`` whether i is at the table, ``outside[i]`` how much a shock has raised i's
outside option above its reservation value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class PartyParams:
    """Behaviour shared by all parties (any field may be overridden per run).

    Attributes
    ----------
    trust : initial trust in every other party, in [0, 1].
    epsilon : smallest effective gain for which a party votes yes to a change of text.
    critique_issues : how many issues a critique names (largest marginal loss first).
    audience_cost : a_i, the cost of being seen to walk out.
    round_cost : c_i, the cost of one more round at the table.
    gesture_trust : alpha_g, how much a gesture raises the others' trust in its author.
    reciprocity_window : rounds within which a gesture should be returned; if not, its author's
        trust in the others falls by alpha_g / 2.
    shock_half_life : rounds over which a shock's rise of the outside option halves.
    style : concession style: boulware, aspiration, linear, conceder, tit_for_tat. It sets
        what a party holds out for over time (:func:`aspiration`) and, in alternating offers,
        its targets.
    styles : per-party overrides of ``style``, as (party id, style) pairs.
    kindness : tit-for-tat's extra concession per round (utility).
    """

    trust: float = 0.5
    epsilon: float = 1e-4
    critique_issues: int = 3
    audience_cost: float = 0.05
    round_cost: float = 0.005
    gesture_trust: float = 0.1
    reciprocity_window: int = 2
    shock_half_life: float = 2.0
    style: str = "boulware"
    styles: tuple[tuple[str, str], ...] = ()
    kindness: float = 0.01

    def styles_for(self, parties: tuple[str, ...]) -> list[str]:
        """Each party's concession style."""
        chosen = dict(self.styles)
        return [chosen.get(p, self.style) for p in parties]


STYLE_EXPONENTS = {"boulware": 4.0, "aspiration": 2.0, "linear": 1.0, "conceder": 0.25}
STYLES = (*STYLE_EXPONENTS, "tit_for_tat")


@dataclass
class PartyState:
    """The mutable state of the parties during one run."""

    trust: np.ndarray
    present: np.ndarray
    outside: np.ndarray
    pending_gestures: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def start(cls, parties: int, params: PartyParams) -> PartyState:
        """Everyone at the table, trusting each other ``params.trust``."""
        trust = np.full((parties, parties), params.trust)
        np.fill_diagonal(trust, 1.0)
        return cls(trust, np.ones(parties, dtype=bool), np.zeros(parties))

    def confidence(self) -> np.ndarray:
        """p_i(tau): the probability i puts on the others implementing, the mean of its trust in
        them."""
        n = len(self.present)
        if n == 1:
            return np.ones(1)
        return (self.trust.sum(axis=1) - 1.0) / (n - 1)


def effective(utility: np.ndarray, reservation: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """U_eff = p U + (1 - p) r: a deal is only worth its utility if it is implemented."""
    return confidence * utility + (1.0 - confidence) * reservation


def vote_yes(gain: np.ndarray, confidence: np.ndarray, epsilon: float) -> np.ndarray:
    """Yes to a change of text iff the effective gain ``p (U' - U)`` exceeds epsilon."""
    return confidence * gain > epsilon


def critique(tables: np.ndarray, feasible: np.ndarray, text: np.ndarray, party: int,
             count: int, against: np.ndarray | None = None) -> list[tuple[int, int, float]]:
    """What a party criticises: up to ``count`` issues, largest loss first, as
    (issue, ideal level, value per level).

    Against the current ``text`` the loss on an issue is the distance of the text from the party's
    best level; against a proposal (``against``), the loss the proposal causes on each issue
    relative to the current text. The value per level is the party's true marginal value between
    the criticised level and its best one (truthful critiques).
    """
    values = np.where(feasible, tables[party], -np.inf)
    best = values.max(axis=1)
    ideal = np.argmax(values, axis=1)
    k = np.arange(len(text))
    point = text if against is None else against
    loss = best - values[k, point] if against is None else values[k, text] - values[k, against]
    named = [i for i in np.argsort(-loss, kind="stable")[:count] if loss[i] > 1e-12]
    out = []
    for issue in named:
        steps = abs(int(ideal[issue]) - int(point[issue]))
        slope = (best[issue] - values[issue, point[issue]]) / steps if steps else 0.0
        out.append((int(issue), int(ideal[issue]), float(slope)))
    return out


def stay_value(chance: float, confidence: np.ndarray, utility: np.ndarray,
               reservation: np.ndarray, params: PartyParams) -> np.ndarray:
    """EV_stay - r_i: the expected surplus of staying, P(agree) p_i max(U_i - r_i, 0) - c_i.

    A party can veto any package worse than no deal, so only the positive part of the text's
    surplus counts (mediation.md section 4, "Exit rule", with the veto made explicit).
    """
    return chance * confidence * np.maximum(utility - reservation, 0.0) - params.round_cost


def walks_out(value: np.ndarray, outside: np.ndarray, params: PartyParams) -> np.ndarray:
    """Leave iff EV_stay < o_i - a_i, i.e. the surplus of staying is below the outside option's
    rise minus the audience cost."""
    return value < outside - params.audience_cost


def aspiration(best: np.ndarray, floor: np.ndarray, t: float, styles: list[str]) -> np.ndarray:
    """The utility a party holds out for at time ``t`` in [0, 1]:
    ``floor + (best - floor)(1 - t^e)`` (NegMAS's PolyAspiration; tit-for-tat uses e = 1 here).

    In single-text talks this is the package a party would sign now; at the deadline (t = 1) it
    signs anything at least its reservation value.
    """
    exponent = np.array([STYLE_EXPONENTS.get(style, 1.0) for style in styles])
    return floor + (best - floor) * (1.0 - t ** exponent)


def agreement_chance(accepting: int, present: int) -> float:
    """P-hat(agree) from the last straw poll: (1 + parties accepting) / (2 + parties present)."""
    return (1.0 + accepting) / (2.0 + present)


def gesture(state: PartyState, author: int, params: PartyParams) -> None:
    """A goodwill gesture by ``author``: every other party trusts it ``alpha_g`` more."""
    others = np.arange(len(state.present)) != author
    state.trust[others, author] = np.minimum(1.0, state.trust[others, author] + params.gesture_trust)


def settle_reciprocity(state: PartyState, round_index: int, gestures_now: list[int],
                       params: PartyParams) -> list[tuple[int, int]]:
    """Gestures not returned within the window lower their author's trust in the others.

    ``pending_gestures`` holds (author, round); returns the (author, round) pairs that lapsed.
    """
    lapsed, still = [], []
    for author, made in state.pending_gestures:
        returned = any(g != author for g in gestures_now)
        if returned:
            continue
        if round_index - made >= params.reciprocity_window:
            others = np.arange(len(state.present)) != author
            state.trust[author, others] = np.maximum(
                0.0, state.trust[author, others] - params.gesture_trust / 2)
            lapsed.append((author, made))
        else:
            still.append((author, made))
    state.pending_gestures = still
    return lapsed
