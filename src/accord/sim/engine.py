"""Play a negotiation out round by round (mediation.md section 4), for a batch of draws in
lockstep.

Each round: the events scheduled for it take effect (gestures and their returns, shocks,
incentive offers); parties who walked out decide whether to return, and those at the table
whether to stay; the protocol runs (the mediator's single text, or alternating offers); a straw
poll asks who would sign the text now. When the mediator can improve the text no further, or at
the last round, the package is put to a final vote: an agreement needs every party at the table,
each finding the text worth what it still holds out for (at the last round: its no-deal value).
Each draw plays on its own numbers and its own uniforms, so a batch gives the same runs as its
draws one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.sim.domain import Domain, best, utilities
from accord.sim.events import Events
from accord.sim.mediator import MediatorParams, SingleText
from accord.sim.parties import (
    PartyParams,
    PartyState,
    agreement_chance,
    aspiration,
    effective,
    stay_value,
    walks_out,
)
from accord.sim.plan import Plan
from accord.sim.protocols import AlternatingOffers

PROTOCOLS = ("single-text", "alternating")
RECORDED = ("text", "utility", "effective", "accepting", "confidence", "present", "aspiration",
            "floor", "drafts", "adopted", "played", "walkout", "returned")


@dataclass(frozen=True)
class SimParams:
    """Everything that shapes a run besides the domain and the plan."""

    protocol: str = "single-text"
    party: PartyParams = field(default_factory=PartyParams)
    mediator: MediatorParams = field(default_factory=MediatorParams)
    offers_per_round: int = 40

    def engine_uniforms(self, plan: Plan, parties: int) -> int:
        """Uniforms one draw's engine consumes: a return decision per gesture and party, and an
        annealing draw per draft slot."""
        return len(plan.gestures) * parties + len(plan.rounds) * self.mediator.budget


@dataclass
class Outcome:
    """A batch of simulated negotiations (B draws, R rounds). ``rounds`` holds the table at
    the end of every round, (B, R, ...) arrays named in ``RECORDED``; ``played`` is False for
    rounds after an agreement."""

    domain: Domain
    plan: Plan
    params: SimParams
    exponent: np.ndarray
    events: Events
    rounds: dict[str, np.ndarray]
    agreement: np.ndarray
    agreed_round: np.ndarray
    text: np.ndarray
    utility: np.ndarray
    paid: np.ndarray
    locked_at: np.ndarray
    steps: np.ndarray
    drafts: dict[str, np.ndarray] | None = None

    @property
    def walked_out(self) -> np.ndarray:
        """(B,) whether any party walked out at some point."""
        return self.rounds["walkout"].any(axis=(1, 2))


def simulate(domain: Domain, plan: Plan, params: SimParams, exponent: np.ndarray,
             shock_scale: np.ndarray, shock_days: np.ndarray, uniforms: np.ndarray) -> Outcome:
    """Play ``plan`` out on every draw of ``domain``.

    ``exponent`` (B, n) concession exponents; ``shock_scale`` and ``shock_days`` (B, all
    shocks of the scenario) each shock's drawn size factor and date shift; ``uniforms`` (B, U)
    the engine's own (:meth:`SimParams.engine_uniforms`).
    """
    b, n, rounds = domain.draws, domain.parties, len(plan.rounds)
    state = PartyState.start(b, n, params.party)
    events = Events.schedule(domain, plan, params.party, shock_scale, shock_days,
                             uniforms[:, :len(plan.gestures) * n])
    annealing = uniforms[:, len(plan.gestures) * n:]
    table = _Table(domain, plan, params, state, exponent, events)
    record = {name: [] for name in RECORDED}
    finished = np.zeros(b, dtype=bool)
    agreed_round = np.full(b, -1)
    last = None
    for r in range(rounds):
        table.activate(events.open_round(r, state, ~finished))
        back, leave = _presence(table, state, last, params.party, ~finished)
        active = ~finished & (state.present.sum(axis=1) >= 2)
        done = table.play(r, active, annealing)
        last = table.record(r, active, finished)
        vote = done if params.protocol == "alternating" else done | (r == rounds - 1)
        agreed = vote & active & state.present.all(axis=1) & last["accepting"].all(axis=1)
        for name in RECORDED:
            record[name].append({"walkout": leave, "returned": back}.get(name, last.get(name)))
        agreed_round = np.where(agreed, r, agreed_round)
        finished |= agreed
    agreement = agreed_round >= 0
    text = table.text.copy()
    utility = utilities(table.tables, text)
    paid = np.stack([agreement & table.active[:, j] & bonus.holds[text[:, bonus.issue]]
                     for j, bonus in enumerate(domain.bonuses)], axis=1) if domain.bonuses \
        else np.zeros((b, 0), dtype=bool)
    steps = table.mediator.proposals if table.offers is None else table.offers.steps
    return Outcome(domain, plan, params, exponent, events,
                   {k: np.stack(v, axis=1) for k, v in record.items()}, agreement, agreed_round,
                   text, utility, paid, table.mediator.locked_at, steps.copy(),
                   table.mediator.drafts if table.offers is None else None)


class _Table:
    """The protocol in play, with the bonuses in force."""

    def __init__(self, domain: Domain, plan: Plan, params: SimParams, state: PartyState,
                 exponent: np.ndarray, events: Events):
        self.domain, self.plan, self.params, self.state = domain, plan, params, state
        self.exponent = exponent
        self.active = np.zeros((domain.draws, len(domain.bonuses)), dtype=bool)
        self.tables = domain.values
        rounds = len(plan.rounds)
        self.mediator = SingleText(params.mediator, domain, rounds)
        self.offers = None
        if params.protocol == "alternating":
            self.offers = AlternatingOffers(self.tables, domain.feasible,
                                            rounds * params.offers_per_round)
        styles = params.party.styles_for(domain.party_ids)
        self.tft = np.array([s == "tit_for_tat" for s in styles])[None]

    @property
    def text(self) -> np.ndarray:
        return self.mediator.text if self.offers is None else self.offers.offer

    def activate(self, offered: np.ndarray) -> None:
        if not (offered & ~self.active).any():
            return
        self.active |= offered
        self.tables = self.domain.tables(self.active)
        if self.offers is not None:
            self.offers.refresh(self.tables)

    def floor(self) -> np.ndarray:
        return self.domain.reservation + self.state.outside

    def play(self, r: int, active: np.ndarray, annealing: np.ndarray) -> np.ndarray:
        s, p = self.state, self.params
        if self.offers is not None:
            return self.offers.run_round(self.tables, self.floor(), s.present, s.confidence(),
                                         self.exponent, self.tft, active, p.party,
                                         p.offers_per_round)
        budget = p.mediator.budget
        return self.mediator.run_round(r, self.tables, self.domain.public(self.active),
                                       s.present, s.confidence(), active, p.party,
                                       annealing[:, r * budget:(r + 1) * budget])

    def record(self, r: int, active: np.ndarray, finished: np.ndarray) -> dict[str, np.ndarray]:
        """The table after round ``r``; a party accepts if the text is worth at least what it
        holds out for now (single text) or its current target (alternating offers)."""
        s, d, kappa = self.state, self.domain, self.params.party.exposure
        utility = utilities(self.tables, self.text)
        floor, confidence = self.floor(), s.confidence()
        value = effective(utility, floor, confidence, kappa)
        if self.offers is None:
            top = effective(best(self.tables, d.feasible), floor, confidence, kappa)
            want = aspiration(top, floor, (r + 1) / len(self.plan.rounds), self.exponent)
        else:
            want = np.maximum(self.offers.targets, floor)
        made = self.mediator.drafts["made"]
        slots = slice(r * self.params.mediator.budget, (r + 1) * self.params.mediator.budget)
        return {"text": self.text.copy(), "utility": utility, "effective": value,
                "accepting": (value >= want - 1e-12) & s.present, "confidence": confidence,
                "present": s.present.copy(), "aspiration": want, "floor": floor,
                "drafts": made[:, slots].sum(axis=1),
                "adopted": self.mediator.drafts["adopted"][:, slots].sum(axis=1),
                "played": ~finished}


def _presence(table: _Table, state: PartyState, last: dict | None, params: PartyParams,
              open_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Returns and walk-outs at the opening of a round, from the last round's straw poll:
    (B, n) who came back and who left."""
    none = np.zeros_like(state.present)
    if last is None:
        return none, none
    chance = agreement_chance(last["accepting"], state.present)
    r = table.domain.reservation
    surplus = effective(last["utility"], r, state.confidence(), params.exposure) - r
    value = stay_value(chance, surplus, params)
    leaving = walks_out(value, state.outside, params) & open_[:, None]
    back = ~state.present & ~leaving & open_[:, None]
    state.present |= back
    leave = state.present & leaving & ~back
    state.present &= ~leave
    return back, leave
