"""The mediator's single negotiating text (mediation.md sections 2.1, 2.2 and 4).

Fisher's one-text procedure and Raiffa's negotiation analysis: the mediator drafts a neutral text,
asks every party for criticism rather than concessions, revises, and at the end puts the whole
package to one vote. Here the revision is *informed* (Ehtamo et al. 2001, jointly improving
directions): the mediator keeps a model of each party's values learned from critiques (ideal
level and value per level on each criticised issue) and proposes the move it expects every party
to gain from most, a log-roll of up to ``max_step`` levels on one or two issues. Parties vote
truthfully with their real utilities; a vetoed draft is criticised, which corrects the model.
When hill-climbing stalls early in the talks, the mediator also tries welfare-improving drafts
that someone expects to lose from and, like Klein et al.'s (2003) annealing mediator, adopts a
vetoed one with a probability that falls to zero (temperature). Issues nobody criticises for
``lock_after`` rounds are locked: partial agreements, irreversible, as the 2021 memorandum allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.sim.parties import PartyParams, critique, vote_yes


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

    The first draft is neutral: each issue's middle level, moved to the nearest feasible one.
    """

    max_step: int = 3
    budget: int = 10
    majority: float = 1.0
    temperature: float = 0.2
    anneal_share: float = 0.25
    lock_after: int = 2


@dataclass
class Draft:
    """One draft put to the parties."""

    round: int
    text: np.ndarray
    yes: np.ndarray
    adopted: bool
    annealed: bool = False


@dataclass
class SingleText:
    """The mediator's state: the text, its model of the parties, locks and history."""

    params: MediatorParams
    text: np.ndarray
    ideal: np.ndarray
    slope: np.ndarray
    locked: np.ndarray
    quiet: np.ndarray
    proposals: int = 0
    drafts: list[Draft] = field(default_factory=list)
    locked_at: dict[int, int] = field(default_factory=dict)

    @classmethod
    def open(cls, params: MediatorParams, feasible: np.ndarray, parties: int) -> SingleText:
        """A neutral first draft and a mediator that knows nothing of the parties yet."""
        k, levels = feasible.shape
        middle = (levels - 1) / 2
        distance = np.abs(np.arange(levels)[None] - middle) + np.where(feasible, 0, np.inf)
        text = np.argmin(distance, axis=1)
        return cls(params, text, np.full((parties, k), -1), np.zeros((parties, k)),
                   np.zeros(k, dtype=bool), np.zeros(k, dtype=int))

    def learn(self, party: int, notes: list[tuple[int, int, float]]) -> None:
        """Record a party's critique: its ideal level and value per level on each issue named."""
        for issue, ideal, slope in notes:
            self.ideal[party, issue], self.slope[party, issue] = ideal, slope

    def model(self, bonus_tables: np.ndarray) -> np.ndarray:
        """The mediator's (n, k, L) estimate of the parties' values: a tent around each learned
        ideal, zero where nothing is known, plus what is public (incentives, red lines)."""
        levels = np.arange(bonus_tables.shape[2])
        tent = -self.slope[:, :, None] * np.abs(levels[None, None] - self.ideal[:, :, None])
        return np.where(self.ideal[:, :, None] >= 0, tent, 0.0) + bonus_tables

    def run_round(self, index: int, tables: np.ndarray, bonus_tables: np.ndarray,
                  feasible: np.ndarray, present: np.ndarray, confidence: np.ndarray,
                  capability: np.ndarray, party: PartyParams, total_budget: int,
                  rng: np.random.Generator) -> bool:
        """One round of shuttle diplomacy; True if the text could not be improved further."""
        base = tables - bonus_tables  # what the parties criticise from: their own stances
        criticised = np.zeros(len(self.text), dtype=bool)
        for i in np.flatnonzero(present):
            notes = critique(base, feasible, self.text, i, party.critique_issues)
            self.learn(i, notes)
            criticised[[n[0] for n in notes]] = True
        self._lock(index, criticised)
        tabu: set[tuple[int, int]] = set()
        for _ in range(self.params.budget):
            temperature = self._temperature(total_budget)
            choice = self._choose(self.model(bonus_tables), feasible, present, capability, tabu,
                                  temperature > 0)
            if choice is None:
                return True
            pair, proposal, pareto = choice
            self.proposals += 1
            gain = _gains(tables, self.text, proposal)
            yes = vote_yes(gain, confidence, party.epsilon) & present
            share = capability[yes].sum() / capability[present].sum()
            adopted = share >= self.params.majority - 1e-12
            annealed = not adopted and not pareto and rng.random() < temperature
            self.drafts.append(Draft(index, proposal, yes, adopted or annealed, annealed))
            if adopted or annealed:
                self.text, tabu = proposal, set()
                continue
            tabu.add(pair)
            for i in np.flatnonzero(present & ~yes):
                self.learn(i, critique(base, feasible, self.text, i, party.critique_issues,
                                       against=proposal))
        return False

    def _temperature(self, total_budget: int) -> float:
        horizon = max(1.0, self.params.anneal_share * total_budget)
        return self.params.temperature * max(0.0, 1.0 - self.proposals / horizon) ** 2

    def _choose(self, model: np.ndarray, feasible: np.ndarray, present: np.ndarray,
                capability: np.ndarray, tabu: set[tuple[int, int]], annealing: bool):
        """The best draft under the mediator's model: ((move, move), text, expected Pareto)."""
        target, gain = _move_gains(model[present], self.text, feasible, self.locked,
                                   self.params.max_step)
        moves = gain.shape[1]
        issue = np.append(np.repeat(np.arange(len(self.text)), 2 * self.params.max_step),
                          len(self.text))
        pair = gain[:, :, None] + gain[:, None, :]
        allowed = issue[:, None] < issue[None, :]
        for a, b in tabu:
            allowed[a, b] = False
        worst, total = pair.min(axis=0), pair.sum(axis=0)
        if self.params.majority < 1.0:
            weight = capability[present][:, None, None]
            share = (weight * (pair >= 0.0)).sum(axis=0) / weight.sum()
            ok = allowed & (share >= self.params.majority) & (total > 1e-12)
            score = np.where(ok, total, -np.inf)
            pareto_ok = ok
        else:
            pareto_ok = allowed & (worst > 1e-12)
            score = np.where(pareto_ok, worst + 1e-6 * total, -np.inf)
            if annealing and not pareto_ok.any():
                score = np.where(allowed & (total > 1e-12), total - 1.0, -np.inf)
        if not np.isfinite(score).any():
            return None
        a, b = np.unravel_index(np.argmax(score), score.shape)
        proposal = self.text.copy()
        for m in (a, b):
            if m < moves - 1:
                proposal[issue[m]] = target[m]
        return (int(a), int(b)), proposal, bool(pareto_ok[a, b])

    def _lock(self, index: int, criticised: np.ndarray) -> None:
        if self.params.lock_after <= 0:
            return
        self.quiet = np.where(criticised, 0, self.quiet + 1)
        for issue in np.flatnonzero((self.quiet >= self.params.lock_after) & ~self.locked):
            self.locked[issue] = True
            self.locked_at[int(issue)] = index


def _move_gains(model: np.ndarray, text: np.ndarray, feasible: np.ndarray, locked: np.ndarray,
                max_step: int) -> tuple[np.ndarray, np.ndarray]:
    """Every one-issue move of up to ``max_step`` levels, plus "no move" last: target levels (M,)
    and the model's gain for each present party (n, M); invalid moves gain -inf."""
    k, levels = feasible.shape
    steps = np.concatenate([np.arange(-max_step, 0), np.arange(1, max_step + 1)])
    target = text[:, None] + steps[None, :]
    inside = (target >= 0) & (target < levels)
    clipped = np.clip(target, 0, levels - 1)
    valid = inside & feasible[np.arange(k)[:, None], clipped] & ~locked[:, None]
    rows = np.arange(k)[:, None]
    gain = model[:, rows, clipped] - model[:, np.arange(k), text][:, :, None]
    gain = np.where(valid[None], gain, -np.inf).reshape(model.shape[0], -1)
    gain = np.concatenate([gain, np.zeros((model.shape[0], 1))], axis=1)
    return np.append(clipped.ravel(), -1), gain


def _gains(tables: np.ndarray, text: np.ndarray, proposal: np.ndarray) -> np.ndarray:
    """True utility change of every party from ``text`` to ``proposal`` (n,)."""
    k = np.arange(len(text))
    return tables[:, k, proposal].sum(axis=1) - tables[:, k, text].sum(axis=1)
