"""The events of a batch of runs, round by round: gestures and their returns, shocks and
incentive offers, with what each did (mediation.md section 4, "Events").

The plan fixes what can happen; the draws fix when shocks fall (their dates are drawn), how
large they are, and whether a recipient returns a gesture. Everything that happened is kept
for the narration: which gestures were made, returned or left unreturned (and when), the round
each shock fell in and its size, and the round each incentive was offered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.sim.domain import Domain
from accord.sim.parties import PartyParams, PartyState, raise_trust
from accord.sim.plan import Plan


@dataclass
class Events:
    """What the plan's events do in each draw.

    Attributes
    ----------
    shock_round, shock_scale : (B, S) the round each of the plan's shocks falls in (-1: not
        played) and its size factor.
    offer_round : (B, nb) the round from which each bonus counts (-1: never).
    made : (B, G) whether each gesture was made (its author at the table).
    returned, lapsed : (B, G, n) the round each recipient returned the gesture, or the round it
        lapsed unreturned (-1: neither).
    """

    plan: Plan
    domain: Domain
    params: PartyParams
    shock_round: np.ndarray
    shock_scale: np.ndarray
    offer_round: np.ndarray
    made: np.ndarray
    returned: np.ndarray
    lapsed: np.ndarray
    chance: np.ndarray

    @classmethod
    def schedule(cls, domain: Domain, plan: Plan, params: PartyParams, shock_scale: np.ndarray,
                 shock_days: np.ndarray, uniforms: np.ndarray) -> Events:
        """Place the plan's events in every draw; ``uniforms`` (B, G n) decide returns."""
        b, n, g = domain.draws, domain.parties, len(plan.gestures)
        rounds = plan.shock_rounds(shock_days)
        scale = np.stack([shock_scale[:, s.index] for s in plan.shocks], axis=1) if plan.shocks \
            else np.ones((b, 0))
        offers = plan.offer_rounds([x.id for x in domain.bonuses], rounds)
        return cls(plan, domain, params, rounds, scale, offers, np.zeros((b, g), dtype=bool),
                   np.full((b, g, n), -1), np.full((b, g, n), -1), uniforms.reshape(b, g, n))

    def open_round(self, r: int, state: PartyState, live: np.ndarray) -> np.ndarray:
        """Apply round ``r``'s events in the ``live`` draws; returns (B, nb) the bonuses
        offered now (or earlier: all that count from this round on)."""
        index = {p: i for i, p in enumerate(self.domain.party_ids)}
        self._gestures(r, state, live, index)
        state.outside *= 0.5 ** (1.0 / self.params.shock_half_life)
        for j, shock in enumerate(self.plan.shocks):
            hit = live & (self.shock_round[:, j] == r)
            for party, outside, trust in shock.effects:
                i = index[party]
                size = hit * self.shock_scale[:, j]
                state.outside[:, i] += outside * size
                others = np.arange(len(index)) != i
                state.trust[:, i, others] = np.clip(
                    state.trust[:, i, others] + (trust * size)[:, None], 0.0, 1.0)
        return (self.offer_round >= 0) & (self.offer_round <= r) & live[:, None]

    def _gestures(self, r: int, state: PartyState, live: np.ndarray, index: dict) -> None:
        alpha, n = self.params.gesture_trust, len(index)
        for g, gesture in enumerate(self.plan.gestures):
            author = index[gesture.author]
            if gesture.round == r:
                self.made[:, g] = live & state.present[:, author]
                others = self.made[:, g][:, None] & (np.arange(n) != author)[None]
                raise_trust(state.trust, others, author, alpha)
                continue
            if gesture.round > r:
                continue
            coded = np.zeros((len(live), n), dtype=bool)
            for h, other in enumerate(self.plan.gestures):
                if other.round == r and other.author != gesture.author:
                    coded[:, index[other.author]] |= self.made[:, h]
            for j in range(n):
                if j == author:
                    continue
                pending = live & self.made[:, g] & (self.returned[:, g, j] < 0) \
                    & (self.lapsed[:, g, j] < 0)
                drawn = (r == gesture.round + 1) & state.present[:, j] \
                    & (self.chance[:, g, j] < state.trust[:, j, author])
                back = pending & (coded[:, j] | drawn)
                lapse = pending & ~back & (r - gesture.round >= self.params.reciprocity_window)
                self.returned[back, g, j] = r
                self.lapsed[lapse, g, j] = r
                change = alpha * back - alpha / 2 * lapse
                state.trust[:, author, j] = np.clip(state.trust[:, author, j] + change, 0.0, 1.0)
