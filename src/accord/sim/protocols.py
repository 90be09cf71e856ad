"""Alternating offers with many parties and exit: the baseline protocol (mediation.md 1.5, 4).

The parties speak in a ring. The speaker offers a text; everyone else accepts it if it gives them
at least their current target utility; the offer is agreed once all present parties accept it.
Targets follow a time-dependent concession curve, ``target(t) = r + (U_max - r)(1 - t^e)`` with
``e`` = 4 (Boulware), 2 (aspiration), 1 (linear), 0.25 (Conceder), ``t`` the share of the
negotiation elapsed (NegMAS's PolyAspiration); or tit-for-tat: concede what the others conceded,
in one's own utility, plus a small kindness. An offer is the text on the party's concession
ladder with the least utility still above its target (NegMAS offers the worst outcome above the
target). A ladder starts at the party's ideal and, one level at a time, gives up the issue that
costs it least, moving toward where the others opened (their ideals, revealed by their first
offers) and stopping there: parties know nothing else of each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.sim.domain import utilities
from accord.sim.parties import STYLE_EXPONENTS, PartyParams


def ideals(tables: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """Every party's best level on every issue (n, k): its opening offer."""
    return np.argmax(np.where(feasible, tables, -np.inf), axis=2)


def ladder(tables: np.ndarray, feasible: np.ndarray, party: int) -> tuple[np.ndarray, np.ndarray]:
    """A party's concession ladder: texts (m, k) from its ideal down, and its utilities (m,)."""
    values = np.where(feasible, tables[party], -np.inf)
    k = feasible.shape[0]
    opening = ideals(tables, feasible)
    text = opening[party].copy()
    others = np.delete(opening, party, axis=0).mean(axis=0)
    texts = [text.copy()]
    while True:
        step = np.sign(np.round(others) - text).astype(int)
        nxt = text + step
        ok = (step != 0) & np.isfinite(values[np.arange(k), nxt])
        if not ok.any():
            break
        loss = np.where(ok, values[np.arange(k), text] - values[np.arange(k), nxt], np.inf)
        issue = int(np.argmin(loss))
        text = text.copy()
        text[issue] = nxt[issue]
        texts.append(text)
    texts = np.array(texts)
    return texts, utilities(tables, texts)[:, party]


@dataclass
class AlternatingOffers:
    """State of a multilateral alternating-offers negotiation."""

    ladders: list[tuple[np.ndarray, np.ndarray]]
    targets: np.ndarray
    seen: np.ndarray
    speaker: int = 0
    offer: np.ndarray | None = None
    steps: int = 0

    @classmethod
    def open(cls, tables: np.ndarray, feasible: np.ndarray) -> AlternatingOffers:
        """Every party starts at its ideal."""
        ladders = [ladder(tables, feasible, i) for i in range(tables.shape[0])]
        best = np.array([u[0] for _, u in ladders])
        return cls(ladders, best, np.full(len(ladders), np.nan))

    def refresh(self, tables: np.ndarray, feasible: np.ndarray) -> None:
        """Recompute the ladders after the parties' values changed (an incentive was offered)."""
        self.ladders = [ladder(tables, feasible, i) for i in range(tables.shape[0])]

    def run_round(self, tables: np.ndarray, reservation: np.ndarray, present: np.ndarray,
                  params: PartyParams, styles: list[str], budget: int, total: int) -> bool:
        """Up to ``budget`` offers; True once an offer is accepted by every present party.
        ``styles`` gives each party's concession style."""
        tft = np.array([style == "tit_for_tat" for style in styles])
        n = len(present)
        for _ in range(budget):
            t = (self.steps + 1) / (total + 1)
            self.steps += 1
            self._update_targets(reservation, styles, tft, t)
            while not present[self.speaker]:
                self.speaker = (self.speaker + 1) % n
            texts, own = self.ladders[self.speaker]
            above = np.flatnonzero(own >= self.targets[self.speaker] - 1e-12)
            self.offer = texts[above[-1]] if above.size else texts[0]
            utility = utilities(tables, self.offer)
            if (utility[present] >= self.targets[present] - 1e-12).all():
                return True
            self._reciprocate(utility, params, tft)
            self.speaker = (self.speaker + 1) % n
        return False

    def _reciprocate(self, utility: np.ndarray, params: PartyParams, tft: np.ndarray) -> None:
        """Tit-for-tat listeners concede what the speaker's offer conceded to them, plus
        kindness (only once they have seen an earlier offer to compare with)."""
        listeners = (np.arange(len(utility)) != self.speaker) & tft
        conceded = np.where(np.isnan(self.seen), 0.0, np.maximum(0.0, utility - self.seen))
        step = np.where(listeners & ~np.isnan(self.seen), conceded + params.kindness, 0.0)
        self.targets = self.targets - step
        self.seen = np.where(listeners, utility, self.seen)

    def _update_targets(self, reservation: np.ndarray, styles: list[str], tft: np.ndarray,
                        t: float) -> None:
        best = np.array([u[0] for _, u in self.ladders])
        floor = np.maximum(reservation, np.array([u[-1] for _, u in self.ladders]))
        exponent = np.array([STYLE_EXPONENTS.get(style, 1.0) for style in styles])
        curve = floor + (best - floor) * (1.0 - t ** exponent)
        self.targets = np.where(tft, np.maximum(floor, self.targets), curve)
