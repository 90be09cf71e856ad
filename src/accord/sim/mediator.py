"""The mediator's single negotiating text (mediation.md sections 2.1, 2.2 and 4), batched over
draws.

Fisher's one-text procedure and Raiffa's negotiation analysis: the mediator drafts a neutral
text, asks every party for criticism rather than concessions, revises, and at the end puts the
whole package to one vote. The first draft splits the difference: on each issue the mean of the
parties' stated positions. Revisions are *informed* (Ehtamo et al. 2001, jointly improving
directions): the mediator keeps a model of each party's values learned from critiques (ideal
level and value per level on each criticised issue) and proposes the draft it expects to raise
the parties' joint utility most while every party gains. On few issues it searches every text
within ``max_step`` levels of the current one on every issue (``box_limit`` texts at most: three
issues leave little to log-roll, so the whole neighbourhood is worth searching); on more, moves
of up to ``max_step`` levels on one or two issues (log-rolls). It never drafts a level the
stakeholders do not support (:mod:`accord.sim.support`) or past a public red line. Parties vote
truthfully; a vetoed draft is criticised, which corrects the model. When no draft is expected to
please everyone early in the talks, the mediator tries one that raises the joint utility and,
like Klein et al.'s (2003) annealing mediator, adopts it over a veto with a probability that falls
to zero. Issues nobody criticises for ``lock_after`` rounds are locked: partial agreements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.sim.domain import Domain, utilities
from accord.sim.drafts import box, choose
from accord.sim.parties import PartyParams, critique


@dataclass(frozen=True)
class MediatorParams:
    """How the mediator works.

    Attributes
    ----------
    max_step : largest move, in levels, on one issue in one draft.
    budget : drafts the mediator may put to the parties in one round.
    majority : share of present capability whose yes adopts a draft (1 = unanimity).
    temperature : probability of adopting a vetoed welfare-improving draft at the start.
    anneal_share : share of the whole draft budget over which the temperature falls to zero.
    lock_after : rounds without criticism after which an issue is locked (0 = never lock).
    box_limit : search every text within ``max_step`` of the current one when there are at
        most this many (otherwise moves on one or two issues).
    """

    max_step: int = 3
    budget: int = 10
    majority: float = 1.0
    temperature: float = 0.2
    anneal_share: float = 0.25
    lock_after: int = 2
    box_limit: int = 2401


class SingleText:
    """The mediator's state over a batch of draws: the text, its model of the parties, locks,
    and the drafts put so far (``drafts``: text (B, D, k), yes (B, D, n), adopted and made
    (B, D), one slot per draft of the whole calendar)."""

    def __init__(self, params: MediatorParams, domain: Domain, rounds: int):
        self.params, self.domain = params, domain
        b, n, k = domain.draws, domain.parties, domain.issues
        self.text = neutral(domain)
        self.ideal = np.full((b, n, k), -1)
        self.slope = np.zeros((b, n, k))
        self.locked = np.zeros((b, k), dtype=bool)
        self.quiet = np.zeros((b, k), dtype=int)
        self.locked_at = np.full((b, k), -1)
        self.proposals = np.zeros(b, dtype=int)
        self.box = box(k, params.max_step) if (2 * params.max_step + 1) ** k <= params.box_limit \
            else None
        slots = rounds * params.budget
        self.rejected = np.full((b, slots), -1)  # candidates vetoed since the last adoption
        self.drafts = {"text": np.zeros((b, slots, k), dtype=int),
                       "yes": np.zeros((b, slots, n), dtype=bool),
                       "adopted": np.zeros((b, slots), dtype=bool),
                       "made": np.zeros((b, slots), dtype=bool)}

    def learn(self, notes: tuple[np.ndarray, ...], who: np.ndarray) -> None:
        """Record critiques (from :func:`~accord.sim.parties.critique`) of the parties ``who``
        (B, n)."""
        issue, ideal, slope, named = notes
        use = named & who[:, :, None]
        for target, new in ((self.ideal, ideal), (self.slope, slope)):
            old = np.take_along_axis(target, issue, axis=2)
            np.put_along_axis(target, issue, np.where(use, new, old), axis=2)

    def model(self, public: np.ndarray) -> np.ndarray:
        """The mediator's (B, n, k, L) estimate of the parties' values: a tent around each
        learned ideal, zero where nothing is known, plus what is public."""
        levels = np.arange(public.shape[3])
        tent = -self.slope[..., None] * np.abs(levels - self.ideal[..., None])
        return np.where(self.ideal[..., None] >= 0, tent, 0.0) + public

    def run_round(self, index: int, tables: np.ndarray, public: np.ndarray, present: np.ndarray,
                  confidence: np.ndarray, active: np.ndarray, party: PartyParams,
                  uniforms: np.ndarray) -> np.ndarray:
        """One round of shuttle diplomacy for the ``active`` draws; returns (B,) True where the
        text could not be improved further. ``uniforms`` (B, budget) drive the annealing."""
        d = self.domain
        base = d.values  # what the parties criticise from: their own stances
        notes = critique(base, d.feasible, self.text, party.critique_issues)
        who = present & active[:, None]
        self.learn(notes, who)
        named = np.zeros(d.values.shape[:3], dtype=bool)
        np.put_along_axis(named, notes[0], notes[3] & who[:, :, None], axis=2)
        self._lock(index, named.any(axis=1), active)
        stalled = ~active.copy()
        total_budget = self.drafts["made"].shape[1]
        for slot in range(index * self.params.budget, (index + 1) * self.params.budget):
            live = ~stalled
            if not live.any():
                break
            temperature = self.params.temperature * np.maximum(
                0.0, 1.0 - self.proposals / max(1.0, self.params.anneal_share * total_budget)) ** 2
            choice, proposal, pareto, exists = choose(
                self.model(public), self.text, self._allowed(), self.locked, present,
                d.capability, self.rejected, temperature > 0, live, self.params, self.box)
            stalled |= live & ~exists
            put = live & exists
            gain = utilities(tables, proposal) - utilities(tables, self.text)
            yes = (confidence * gain > party.epsilon) & present
            cap = d.capability
            share = (cap * yes).sum(axis=1) / np.maximum((cap * present).sum(axis=1), 1e-12)
            adopted = put & (share >= self.params.majority - 1e-12)
            annealed = put & ~adopted & ~pareto & (uniforms[:, slot - index * self.params.budget]
                                                   < temperature)
            moved = adopted | annealed
            self.proposals += put
            self._record(slot, put, proposal, yes, moved)
            rejected = put & ~moved
            self.rejected[moved] = -1
            self.rejected[rejected, slot] = choice[rejected]
            self.text = np.where(moved[:, None], proposal, self.text)
            if rejected.any():
                against = critique(base, d.feasible, self.text, party.critique_issues, proposal)
                self.learn(against, present & ~yes & rejected[:, None])
        return stalled & active

    def _record(self, slot: int, put, proposal, yes, moved) -> None:
        self.drafts["made"][:, slot] = put
        self.drafts["text"][put, slot] = proposal[put]
        self.drafts["yes"][put, slot] = yes[put]
        self.drafts["adopted"][:, slot] = moved & put

    def _allowed(self) -> np.ndarray:
        """(B, k, L) levels a draft may use: feasible, supported, within no public red line."""
        d = self.domain
        ok = d.feasible[None] & d.supported
        if d.red_lines is not None:
            ok = ok & ~d.red_lines.any(axis=0)[None]
        return ok

    def _lock(self, index: int, criticised: np.ndarray, active: np.ndarray) -> None:
        if self.params.lock_after <= 0:
            return
        self.quiet = np.where(active[:, None], np.where(criticised, 0, self.quiet + 1), self.quiet)
        new = (self.quiet >= self.params.lock_after) & ~self.locked & active[:, None]
        self.locked |= new
        self.locked_at = np.where(new, index, self.locked_at)


def neutral(domain: Domain) -> np.ndarray:
    """(B, k) the first draft: on each issue the level nearest the mean of the parties' stated
    positions, among the levels a draft may use (feasible, supported, within red lines)."""
    ok = domain.feasible[None] & domain.supported
    if domain.red_lines is not None:
        free = ok & ~domain.red_lines.any(axis=0)[None]
        ok = np.where(free.any(axis=2, keepdims=True), free, ok)
    middle = np.nanmean(domain.position, axis=1)  # (B, k); parties with a stance only
    levels = np.arange(domain.feasible.shape[1])
    distance = np.abs(levels - middle[..., None]) + np.where(ok, 0.0, np.inf)
    return np.argmin(distance, axis=2)
