"""A simulation as a JSON document (docs/simulate.schema.json): the run round by round and the
summaries over drawn seeds."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
from pydantic import BaseModel

from accord.scenario.model import Role, Scenario
from accord.sim.domain import Domain
from accord.sim.engine import SimRun
from accord.sim.summary import Summary


class PartyRow(BaseModel):
    """One party at the end of a round."""

    utility: float
    effective: float
    aspiration: float
    accepting: bool
    trust: float
    present: bool


class RoundRow(BaseModel):
    """The table at the end of one round."""

    round: int
    date: str | None
    venue: str
    label: str
    text: dict[str, float]
    parties: dict[str, PartyRow]
    drafts: int
    adopted: int
    locked: list[str]
    events: list[str]


class PartialAgreement(BaseModel):
    """An issue locked before the end: the round it was locked and its value."""

    round: int
    value: float


class RunDoc(BaseModel):
    """One simulated negotiation."""

    seed: int
    outcome: str
    agreement: bool
    agreed_round: int | None
    text: dict[str, float]
    utility: dict[str, float]
    reservation: dict[str, float]
    partial_agreements: dict[str, PartialAgreement]
    incentives_paid: dict[str, float]
    walkouts: list[dict[str, object]]
    returns: list[dict[str, object]]
    metrics: dict[str, float | None] | None
    steps: int
    rounds: list[RoundRow]


class SimulationDoc(BaseModel):
    """``accord simulate --format json``."""

    scenario: str
    protocol: str
    mediator: str | None
    parties: list[str]
    issues: list[str]
    notes: list[str]
    run: RunDoc
    seeds: int
    summary: dict[str, dict[str, object]]


def document(scenario: Scenario, run: SimRun, summaries: dict[str, Summary],
             notes: list[str]) -> SimulationDoc:
    """The JSON document of a simulation."""
    mediator = next((a.name for a in scenario.actors if a.role == Role.mediator), None)
    return SimulationDoc(
        scenario=scenario.id, protocol=run.params.protocol, mediator=mediator,
        parties=list(run.domain.party_ids),
        issues=list(run.domain.issue_ids), notes=notes, run=run_doc(run),
        seeds=next(iter(summaries.values())).runs if summaries else 0,
        summary={label: asdict(s) for label, s in summaries.items()})


def run_doc(run: SimRun) -> RunDoc:
    """One run as a document."""
    d = run.domain
    text = _text(d, run.text)
    metrics = None if run.metrics is None else asdict(run.metrics)
    return RunDoc(
        seed=run.seed, outcome=run.outcome, agreement=run.agreement,
        agreed_round=None if run.agreed_round is None else run.agreed_round + 1, text=text,
        utility=dict(zip(d.party_ids, map(float, run.utility))),
        reservation=dict(zip(d.party_ids, map(float, d.reservation))),
        partial_agreements={d.issue_ids[k]: PartialAgreement(round=r + 1, value=text[d.issue_ids[k]])
                            for k, r in run.locked.items()},
        incentives_paid=run.paid,
        walkouts=[{"round": r + 1, "party": p} for r, p in run.walkouts],
        returns=[{"round": r + 1, "party": p} for r, p in run.returns],
        metrics=metrics, steps=run.steps, rounds=[_round_row(run, r) for r in run.rounds])


def _round_row(run: SimRun, record) -> RoundRow:
    d, spec = run.domain, run.plan.rounds[record.index]
    parties = {p: PartyRow(utility=float(record.utility[i]), effective=float(record.effective[i]),
                           aspiration=float(record.aspiration[i]), accepting=bool(record.accepting[i]), trust=float(record.confidence[i]),
                           present=bool(record.present[i]))
               for i, p in enumerate(d.party_ids)}
    return RoundRow(round=record.index + 1, date=None if spec.date is None else spec.date.isoformat(),
                    venue=spec.venue, label=spec.label, text=_text(d, record.text), parties=parties,
                    drafts=record.drafts, adopted=record.adopted,
                    locked=[d.issue_ids[k] for k in record.locked], events=record.events)


def _text(domain: Domain, text: np.ndarray) -> dict[str, float]:
    return {issue: float(domain.levels[k, text[k]]) for k, issue in enumerate(domain.issue_ids)}
