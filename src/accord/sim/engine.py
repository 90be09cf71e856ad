"""Play a negotiation out round by round (mediation.md section 4).

Each round: the events scheduled for it (gestures, incentive offers, shocks) take effect; parties
who walked out decide whether to return; the protocol runs (the mediator's single text, or
alternating offers); a straw poll asks who would sign the text now; then each party decides
whether to stay. When the mediator can improve the text no further, or after the last round, the
package is put to a final vote: an agreement needs every party at the table, each with an
effective utility at least its reservation value (raised by any shock to its outside option).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.sim.domain import Domain, utilities
from accord.sim.mediator import MediatorParams, SingleText
from accord.sim.metrics import OutcomeMetrics, measure, pareto_frontier
from accord.sim.parties import (
    PartyParams,
    PartyState,
    agreement_chance,
    aspiration,
    effective,
    gesture,
    settle_reciprocity,
    stay_value,
    walks_out,
)
from accord.sim.plan import Plan
from accord.sim.protocols import AlternatingOffers

PROTOCOLS = ("single-text", "alternating")


@dataclass(frozen=True)
class SimParams:
    """Everything that shapes a run besides the domain and the plan."""

    protocol: str = "single-text"
    party: PartyParams = field(default_factory=PartyParams)
    mediator: MediatorParams = field(default_factory=MediatorParams)
    offers_per_round: int = 40
    metrics: bool = True


@dataclass
class RoundRecord:
    """The table at the end of one round."""

    index: int
    text: np.ndarray
    utility: np.ndarray
    effective: np.ndarray
    accepting: np.ndarray
    confidence: np.ndarray
    present: np.ndarray
    aspiration: np.ndarray
    drafts: int = 0
    adopted: int = 0
    locked: list[int] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


@dataclass
class SimRun:
    """One simulated negotiation."""

    domain: Domain
    plan: Plan
    params: SimParams
    seed: int
    rounds: list[RoundRecord] = field(default_factory=list)
    agreement: bool = False
    agreed_round: int | None = None
    text: np.ndarray | None = None
    utility: np.ndarray | None = None
    paid: dict[str, float] = field(default_factory=dict)
    locked: dict[int, int] = field(default_factory=dict)
    walkouts: list[tuple[int, str]] = field(default_factory=list)
    returns: list[tuple[int, str]] = field(default_factory=list)
    metrics: OutcomeMetrics | None = None
    steps: int = 0
    outcome: str = ""


def simulate(domain: Domain, plan: Plan, params: SimParams = SimParams(), seed: int = 0) -> SimRun:
    """Play ``plan`` out on ``domain``; seeded, so the same inputs give the same run."""
    rng = np.random.default_rng(seed)
    run = SimRun(domain, plan, params, seed)
    state = PartyState.start(domain.parties, params.party)
    index = {p: i for i, p in enumerate(domain.party_ids)}
    table = _Table(domain, plan, params, state)
    finished = False
    for r in range(len(plan.rounds)):
        events = _open_round(r, plan, table, state, index, params.party)
        events += _returns(r, table, state, params.party, run)
        events += _exits(r, table, state, params.party, run)
        done = table.play(r, rng) if state.present.sum() >= 2 else False
        record = table.record(r, events)
        run.rounds.append(record)
        vote = done if params.protocol == "alternating" else done or r == len(plan.rounds) - 1
        if vote and state.present.all() and record.accepting.all():
            finished = True
            run.agreed_round = r
            break
    _close(run, table, state, finished)
    return run


class _Table:
    """The protocol in play, with the bonuses in force."""

    def __init__(self, domain: Domain, plan: Plan, params: SimParams, state: PartyState):
        self.domain, self.plan, self.params, self.state = domain, plan, params, state
        self.active: list = []
        self.total = len(plan.rounds) * (params.mediator.budget if params.protocol == "single-text"
                                         else params.offers_per_round)
        self.mediator = SingleText.open(params.mediator, domain.feasible, domain.parties)
        self.offers = (AlternatingOffers.open(domain.tables(), domain.feasible)
                       if params.protocol == "alternating" else None)
        self.last: RoundRecord | None = None
        self.styles = params.party.styles_for(domain.party_ids)

    @property
    def tables(self) -> np.ndarray:
        return self.domain.tables(self.active)

    @property
    def text(self) -> np.ndarray:
        if self.offers is None or self.offers.offer is None:
            return self.mediator.text
        return self.offers.offer

    def activate(self, bonuses: list) -> None:
        self.active.extend(bonuses)
        if self.offers is not None:
            self.offers.refresh(self.tables, self.domain.feasible)

    def play(self, r: int, rng: np.random.Generator) -> bool:
        d, s = self.domain, self.state
        if self.params.protocol == "alternating":
            return self.offers.run_round(self.tables, d.reservation + s.outside, s.present,
                                         self.params.party, self.styles,
                                         self.params.offers_per_round, self.total)
        known = d.public(self.active)
        return self.mediator.run_round(r, self.tables, known, d.feasible, s.present,
                                       s.confidence(), d.capability, self.params.party,
                                       self.total, rng)

    def record(self, r: int, events: list[str]) -> RoundRecord:
        """The table after round ``r``; a party accepts if the text meets its aspiration now
        (single text) or its current target (alternating offers). Implementation risk discounts
        a deal and its aspiration alike, so it does not change who accepts; it changes the value
        of staying at the table."""
        d, s = self.domain, self.state
        tables = self.tables
        utility = utilities(tables, self.text)
        floor = d.reservation + s.outside
        eff = effective(utility, floor, s.confidence())
        if self.offers is None:
            best = np.where(d.feasible, tables, -np.inf).max(axis=2).sum(axis=1)
            t = (r + 1) / len(self.plan.rounds)
            want = aspiration(best, floor, t, self.styles)
        else:
            want = np.maximum(self.offers.targets, floor)
        drafts = [x for x in self.mediator.drafts if x.round == r]
        locked = [k for k, at in self.mediator.locked_at.items() if at == r]
        accepting = (utility >= want - 1e-12) & s.present
        self.last = RoundRecord(r, self.text.copy(), utility, eff, accepting,
                                s.confidence().copy(), s.present.copy(), want, len(drafts),
                                sum(x.adopted for x in drafts), locked, events)
        return self.last


def _open_round(r: int, plan: Plan, table: _Table, state: PartyState, index: dict[str, int],
                params: PartyParams) -> list[str]:
    events = []
    authors = []
    for g in plan.gestures:
        if g.round == r and state.present[index[g.author]]:
            gesture(state, index[g.author], params)
            state.pending_gestures.append((index[g.author], r))
            authors.append(index[g.author])
            events.append(f"gesture: {g.label}")
    for author, made in settle_reciprocity(state, r, authors, params):
        events.append(f"{table.domain.party_ids[author]}'s gesture of round {made + 1} "
                      "not returned: its trust falls")
    state.outside *= 0.5 ** (1.0 / params.shock_half_life)
    for e in plan.effects:
        if e.round == r:
            i = index[e.party]
            state.outside[i] += e.outside_option
            others = np.arange(len(state.present)) != i
            state.trust[i, others] = np.clip(state.trust[i, others] + e.trust, 0.0, 1.0)
            events.append(f"shock: {e.label} ({e.party}: outside option {e.outside_option:+.2f}, "
                          f"trust {e.trust:+.2f})")
    new = [b for b in table.domain.bonuses if plan.offer_round(b.id) == r]
    if new:
        table.activate(new)
        for offer in dict.fromkeys(b.id for b in new):
            worth = ", ".join(f"{b.credibility * b.value:.3f} to {table.domain.party_ids[b.beneficiary]}"
                              for b in new if b.id == offer)
            events.append(f"incentive offered: {offer} (worth {worth})")
    return events


def _returns(r: int, table: _Table, state: PartyState, params: PartyParams, run: SimRun) -> list[str]:
    if table.last is None or state.present.all():
        return []
    value = _stay_values(table, state, params)
    back = ~state.present & ~walks_out(value, state.outside, params)
    for i in np.flatnonzero(back):
        state.present[i] = True
        run.returns.append((r, table.domain.party_ids[i]))
    return [f"{table.domain.party_ids[i]} returns to the table" for i in np.flatnonzero(back)]


def _stay_values(table: _Table, state: PartyState, params: PartyParams) -> np.ndarray:
    last = table.last
    chance = agreement_chance(int(last.accepting.sum()), int(state.present.sum()))
    return stay_value(chance, state.confidence(), last.utility,
                      table.domain.reservation, params)


def _exits(r: int, table: _Table, state: PartyState, params: PartyParams, run: SimRun) -> list[str]:
    if table.last is None:
        return []
    leave = state.present & walks_out(_stay_values(table, state, params), state.outside, params)
    for i in np.flatnonzero(leave):
        state.present[i] = False
        run.walkouts.append((r, table.domain.party_ids[i]))
    return [f"{table.domain.party_ids[i]} walks out" for i in np.flatnonzero(leave)]


def _close(run: SimRun, table: _Table, state: PartyState, finished: bool) -> None:
    run.locked = dict(table.mediator.locked_at)
    run.steps = table.mediator.proposals if table.offers is None else table.offers.steps
    run.text = table.text.copy()
    run.utility = utilities(table.tables, run.text)
    run.agreement = finished
    if not finished:
        absent = [p for p, here in zip(run.domain.party_ids, state.present) if not here]
        run.outcome = ("breakdown: " + ", ".join(absent) + " away from the table" if absent
                       else "no agreement: the package vote failed")
        return
    run.outcome = f"agreement in round {run.agreed_round + 1}"
    for b in table.active:
        if b.holds[run.text[b.issue]]:
            run.paid[b.id] = run.paid.get(b.id, 0.0) + b.credibility * b.value
    if run.params.metrics:
        frontier = pareto_frontier(table.tables, run.domain.feasible)
        run.metrics = measure(run.utility, run.domain.reservation, frontier)
