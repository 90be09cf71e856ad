"""Alternating offers with many parties and exit: the baseline protocol (mediation.md 1.5, 4),
batched over draws.

The parties speak in a ring. The speaker offers a text; everyone else accepts it if it is worth
at least their current target (effective utility, as in :mod:`accord.sim.parties`); the offer is
agreed once all present parties accept it. Targets follow a time-dependent concession curve from
the party's best down to its no-deal value, ``target(t) = R + (U_best - R)(1 - t^e)`` (NegMAS's
PolyAspiration; ``t`` the share of all offers made), or tit-for-tat: concede what the others
conceded, in one's own utility, plus a small kindness. An offer is the text on the party's
concession ladder worth the least to it that still meets its target. A ladder starts at the
party's ideal and, one level at a time, gives up what costs it least, moving toward where the
others opened (their ideals, revealed by their first offers) and stopping there: parties know
nothing else of each other. Near the deadline every target approaches the party's no-deal value,
and a text near the middle of everyone's openings is then acceptable to all, which is why the
ring converges with fifty parties as well as two (mediation.md 3.4).
"""

from __future__ import annotations

import numpy as np

from accord.sim.domain import utilities
from accord.sim.parties import PartyParams, effective


def ideals(tables: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """(B, n, k) every party's best level on every issue: its opening offer."""
    return np.argmax(np.where(feasible[None, None], tables, -np.inf), axis=3)


def ladders(tables: np.ndarray, feasible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every party's concession ladder: texts (B, n, m, k) from its ideal down (padded with the
    last rung) and their utilities to the party (B, n, m)."""
    b, n, k, levels = tables.shape
    values = np.where(feasible[None, None], tables, -np.inf)
    opening = ideals(tables, feasible)
    others = (opening.sum(axis=1, keepdims=True) - opening) / max(n - 1, 1)
    goal = np.round(others).astype(int)
    text = opening.copy()
    rungs = [text.copy()]
    bi, ni, ki = np.ogrid[:b, :n, :k]
    for _ in range(k * (levels - 1)):
        step = np.sign(goal - text)
        nxt = np.clip(text + step, 0, levels - 1)
        cost = values[bi, ni, ki, text] - values[bi, ni, ki, nxt]
        ok = (step != 0) & np.isfinite(values[bi, ni, ki, nxt])
        cost = np.where(ok, cost, np.inf)
        issue = np.argmin(cost, axis=2)
        moving = ok.any(axis=2)
        if not moving.any():
            break
        text = text.copy()
        chosen = np.take_along_axis(nxt, issue[..., None], axis=2)[..., 0]
        current = np.take_along_axis(text, issue[..., None], axis=2)[..., 0]
        np.put_along_axis(text, issue[..., None], np.where(moving, chosen, current)[..., None], 2)
        rungs.append(text)
    texts = np.stack(rungs, axis=2)  # (B, n, m, k)
    own = utilities(tables, texts.reshape(b, -1, k)).reshape(b, n, -1, n)
    return texts, own[:, np.arange(n), :, np.arange(n)].transpose(1, 0, 2)


class AlternatingOffers:
    """State of a multilateral alternating-offers negotiation over a batch of draws."""

    def __init__(self, tables: np.ndarray, feasible: np.ndarray, total: int):
        self.feasible, self.total = feasible, total
        self.refresh(tables)
        b, n = self.own.shape[:2]
        self.targets = self.own[:, :, 0].copy()
        self.seen = np.full((b, n), np.nan)
        self.speaker = np.zeros(b, dtype=int)
        self.offer = self.texts[:, 0, 0].copy()
        self.steps = np.zeros(b, dtype=int)

    def refresh(self, tables: np.ndarray) -> None:
        """Recompute the ladders after the parties' values changed (an incentive was offered)."""
        self.texts, self.own = ladders(tables, self.feasible)

    def run_round(self, tables: np.ndarray, floor: np.ndarray, present: np.ndarray,
                  confidence: np.ndarray, exponent: np.ndarray, tft: np.ndarray,
                  active: np.ndarray, params: PartyParams, budget: int) -> np.ndarray:
        """Up to ``budget`` offers in the ``active`` draws; (B,) True where an offer was
        accepted by every present party."""
        b, n = present.shape
        done = np.zeros(b, dtype=bool)
        rows = np.arange(b)
        best = effective(self.own[:, :, 0], floor, confidence, params.exposure)
        for _ in range(budget):
            live = active & ~done
            if not live.any():
                break
            self.steps += live
            t = (self.steps + 1) / (self.total + 1)
            curve = floor + np.maximum(best - floor, 0.0) * (1.0 - t[:, None] ** exponent)
            targets = np.where(tft, np.maximum(floor, self.targets), curve)
            self.targets = np.where(live[:, None], targets, self.targets)
            self.speaker = np.where(live, _next_present(self.speaker, present), self.speaker)
            own = effective(self.own[rows, self.speaker], floor[rows, self.speaker][:, None],
                            confidence[rows, self.speaker][:, None], params.exposure)
            meets = own >= self.targets[rows, self.speaker][:, None] - 1e-12
            last = np.where(meets.any(axis=1), meets.shape[1] - 1 - np.argmax(meets[:, ::-1], 1), 0)
            offer = self.texts[rows, self.speaker, last]
            self.offer = np.where(live[:, None], offer, self.offer)
            value = effective(utilities(tables, self.offer), floor, confidence, params.exposure)
            accepted = ((value >= self.targets - 1e-12) | ~present).all(axis=1) & live
            done |= accepted
            self._reciprocate(value, params, tft, live & ~accepted)
            self.speaker = np.where(live & ~accepted, (self.speaker + 1) % n, self.speaker)
        return done

    def _reciprocate(self, value: np.ndarray, params: PartyParams, tft: np.ndarray,
                     live: np.ndarray) -> None:
        """Tit-for-tat listeners concede what the speaker's offer conceded to them, plus
        kindness (once they have seen an earlier offer to compare with)."""
        n = value.shape[1]
        listeners = (np.arange(n)[None] != self.speaker[:, None]) & tft & live[:, None]
        seen = ~np.isnan(self.seen)
        conceded = np.where(seen, np.maximum(0.0, value - np.nan_to_num(self.seen)), 0.0)
        self.targets = self.targets - np.where(listeners & seen, conceded + params.kindness, 0.0)
        self.seen = np.where(listeners, value, self.seen)


def _next_present(speaker: np.ndarray, present: np.ndarray) -> np.ndarray:
    """The first present party at or after ``speaker`` in the ring."""
    n = present.shape[1]
    order = (speaker[:, None] + np.arange(n)) % n
    here = np.take_along_axis(present, order, axis=1)
    return order[np.arange(len(speaker)), np.argmax(here, axis=1)]
