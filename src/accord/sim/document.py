"""A simulation as a JSON document (docs/simulate.schema.json): the run on the coded numbers
round by round, told in plain words, and the drawn runs per variant with what each kind of event
changed.

Utilities are on [0, 1] in the numeric fields (1 = the party's ideal text) and in points out of
100 in the sentences; trust is the chance a party puts on the others honouring a deal.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
from pydantic import BaseModel

from accord.scenario.model import Role
from accord.sim.narrate import Narrator, Objection, share_words
from accord.sim.scenario import Played, Simulation
from accord.sim.summary import Summary, breakdowns, effect, summarise, wilson
from accord.sim.words import actor_name, issue_name, listing

MEASURES = {
    "agreement": "share of draws that end in an agreement, with its Wilson 95% interval",
    "walkout": "share of draws in which a party walked out at some point",
    "welfare_share": "the agreements' joint utility (sum over parties) as a share of the best "
                     "any text offers",
    "left_on_table": "the most every party could still have gained at once by another text, "
                     "in points of 100 (its ideal); a range where it is bracketed (more than two "
                     "parties), exact otherwise",
}


class PartyRow(BaseModel):
    """One party at the end of a round (utilities on [0, 1]; trust = the chance it puts on the
    others honouring a deal)."""

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
    reading: dict[str, str]
    parties: dict[str, PartyRow]
    drafts: int
    adopted: int
    locked: list[str]
    events: list[str]
    objections: list[Objection]
    narration: list[str]


class PartialAgreement(BaseModel):
    """An issue locked before the end: the round it was locked and its value."""

    round: int
    value: float


class RunDoc(BaseModel):
    """One simulated negotiation on the coded numbers."""

    seed: int
    outcome: str
    agreement: bool
    agreed_round: int | None
    text: dict[str, float]
    reading: dict[str, str]
    utility: dict[str, float]
    reservation: dict[str, float]
    partial_agreements: dict[str, PartialAgreement]
    incentives_paid: dict[str, bool]
    walkouts: list[dict[str, object]]
    returns: list[dict[str, object]]
    flags: list[str]
    metrics: dict[str, float | None] | None
    steps: int
    rounds: list[RoundRow]


class RateDoc(BaseModel):
    """A measured frequency with its Wilson 95% interval."""

    value: float
    low: float
    high: float
    count: int
    draws: int


class VariantDoc(BaseModel):
    """The drawn runs of one variant of the plan."""

    draws: int
    agreement: RateDoc
    walkout: RateDoc
    agreed_by_round: list[float]
    welfare_share: float | None
    left_on_table: list[float] | None
    incentive_paid: float | None
    issues: dict[str, list[float]]
    breakdowns: dict[str, int]


class EffectDoc(BaseModel):
    """What a kind of event changed, paired by draw: the agreement rate as planned minus
    without those events (``variant``), with its 95% interval; ``gained`` draws agree only with
    the events, ``lost`` only without them."""

    variant: str
    change: float
    low: float
    high: float
    gained: int
    lost: int
    sentence: str


class SimulationDoc(BaseModel):
    """``accord simulate --format json``."""

    scenario: str
    protocol: str
    mediator: str | None
    parties: list[str]
    issues: list[str]
    notes: list[str]
    measures: dict[str, str]
    uncertainty: dict[str, float | bool]
    run: RunDoc
    seeds: int
    summary: dict[str, VariantDoc]
    effects: list[EffectDoc]
    narration: list[str]


def document(sim: Simulation) -> SimulationDoc:
    """The JSON document of a simulation."""
    scenario, shown = sim.scenario, sim.shown
    mediator = next((a.name for a in scenario.actors if a.role == Role.mediator), None)
    summaries = {name: summarise(p.outcome, p.metrics) for name, p in sim.variants.items()}
    effects = _effects(sim) if "as planned" in sim.variants else []
    return SimulationDoc(
        scenario=scenario.id, protocol=sim.params.protocol, mediator=mediator,
        parties=list(shown.outcome.domain.party_ids),
        issues=list(shown.outcome.domain.issue_ids), notes=list(sim.plan.notes),
        measures=MEASURES, uncertainty=asdict(sim.uncertainty), run=run_doc(sim, shown),
        seeds=sim.draws if sim.variants else 0,
        summary={name: _variant(s) for name, s in summaries.items()},
        effects=effects, narration=_headline(sim, summaries, effects))


def run_doc(sim: Simulation, shown: Played) -> RunDoc:
    """The run on the coded numbers as a document."""
    o, tell = shown.outcome, Narrator(sim.scenario, shown.outcome, rule=sim.rule)
    d = o.domain
    text = _text(d, o.text[0])
    metrics = None
    if shown.metrics is not None and o.agreement[0]:
        metrics = {k: (None if np.isnan(v[0]) else float(v[0]))
                   for k, v in asdict(shown.metrics).items()}
    played = [r for r in range(o.rounds["played"].shape[1]) if o.rounds["played"][0, r]]
    return RunDoc(
        seed=sim.seed, outcome=tell.outcome_sentence(), agreement=bool(o.agreement[0]),
        agreed_round=int(o.agreed_round[0]) + 1 if o.agreement[0] else None, text=text,
        reading=tell.text_reading(o.text[0]),
        utility=dict(zip(d.party_ids, map(float, o.utility[0]))),
        reservation=dict(zip(d.party_ids, map(float, d.reservation[0]))),
        partial_agreements={d.issue_ids[k]: PartialAgreement(round=int(r) + 1,
                                                             value=text[d.issue_ids[k]])
                            for k, r in enumerate(o.locked_at[0]) if r >= 0},
        incentives_paid={b.id: bool(o.paid[0, j]) for j, b in enumerate(d.bonuses)
                         if o.events.offer_round[0, j] >= 0},
        walkouts=[{"round": r + 1, "party": d.party_ids[i], "reason": tell.walkout(r, i)}
                  for r in played for i in np.flatnonzero(o.rounds["walkout"][0, r])],
        returns=[{"round": r + 1, "party": d.party_ids[i]}
                 for r in played for i in np.flatnonzero(o.rounds["returned"][0, r])],
        flags=tell.flags(o.text[0]), metrics=metrics, steps=int(o.steps[0]),
        rounds=[_round_row(sim, tell, r) for r in played])


def _round_row(sim: Simulation, tell: Narrator, r: int) -> RoundRow:
    o = tell.outcome
    rec, d, spec = o.rounds, o.domain, sim.plan.rounds[r]
    parties = {p: PartyRow(utility=float(rec["utility"][0, r, i]),
                           effective=float(rec["effective"][0, r, i]),
                           aspiration=float(rec["aspiration"][0, r, i]),
                           accepting=bool(rec["accepting"][0, r, i]),
                           trust=float(rec["confidence"][0, r, i]),
                           present=bool(rec["present"][0, r, i]))
               for i, p in enumerate(d.party_ids)}
    events = tell.events(r)
    objections = tell.objections(r)
    locked = [d.issue_ids[k] for k in np.flatnonzero(o.locked_at[0] == r)]
    story = list(events)
    if sim.params.protocol == "single-text" and rec["drafts"][0, r]:
        drafts, adopted = int(rec["drafts"][0, r]), int(rec["adopted"][0, r])
        story.append(f"The mediator put {drafts} draft{'s' * (drafts != 1)} to the parties; "
                     f"{adopted} {'was' if adopted == 1 else 'were'} adopted.")
    story.append(tell.text_story(r))
    if locked:
        story.append(f"Locked as partial agreements (no one has criticised them for two "
                     f"rounds): {listing([issue_name(k) for k in locked])}.")
    story += tell.flags(rec["text"][0, r])
    signing = [tell.names[i] for i in range(d.parties) if rec["accepting"][0, r, i]]
    if signing:
        story.append(f"{listing(signing)} would sign this text.")
    story += [x.sentence for x in objections]
    return RoundRow(
        round=r + 1, date=None if spec.date is None else spec.date.isoformat(),
        venue=spec.venue, label=spec.label, text=_text(d, rec["text"][0, r]),
        reading=tell.text_reading(rec["text"][0, r]), parties=parties,
        drafts=int(rec["drafts"][0, r]), adopted=int(rec["adopted"][0, r]), locked=locked,
        events=events, objections=objections, narration=story)


def _variant(s: Summary) -> VariantDoc:
    gap = None if s.gap_low is None else [s.gap_low, s.gap_high]
    return VariantDoc(draws=s.draws, agreement=RateDoc(**asdict(s.agreement)),
                      walkout=RateDoc(**asdict(s.walkout)),
                      agreed_by_round=list(s.agreed_by_round), welfare_share=s.welfare_share,
                      left_on_table=gap, incentive_paid=s.incentive_paid,
                      issues={k: list(v) for k, v in s.issues.items()},
                      breakdowns=s.breakdowns)


WHAT = {"no gestures": "the gestures", "no incentives": "the incentives",
        "no gestures or incentives": "the gestures and incentives together",
        "no shocks": "the shocks", "no events": "all the events together"}


def _effects(sim: Simulation) -> list[EffectDoc]:
    """What each kind of event changed, paired by draw, in words."""
    planned = sim.variants["as planned"].outcome
    out = []
    for name, played in sim.variants.items():
        if name == "as planned":
            continue
        without = played.outcome
        e = effect(planned.agreement, without.agreement)
        what = WHAT.get(name, name)
        what = what[0].upper() + what[1:]
        if e.low * e.high > 0:
            low, high = sorted((abs(e.low), abs(e.high)))
            verb = "raise" if e.change > 0 else "lower"
            sentence = (f"{what} {verb} the chance of agreement by {100 * abs(e.change):.0f} "
                        f"points [{100 * low:.0f}–{100 * high:.0f}]")
        else:
            sentence = (f"{what} change the chance of agreement by {100 * e.change:+.0f} points "
                        f"[{100 * e.low:+.0f} to {100 * e.high:+.0f}; the interval includes no "
                        "change]")
        sentence += f": {_agree(planned)} as planned, {_agree(without)} without them."
        if e.gained:
            only = planned.agreement & ~without.agreement
            sentence += (f" In the {_draws(e.gained)} only with them, without them "
                         f"{_why(without, only, sim.scenario)}.")
        if e.lost:
            only = without.agreement & ~planned.agreement
            sentence += (f" In the {_draws(e.lost)} only without them, with them "
                         f"{_why(planned, only, sim.scenario)}.")
        out.append(EffectDoc(variant=name, change=e.change, low=e.low, high=e.high,
                             gained=e.gained, lost=e.lost, sentence=sentence))
    return out


def _draws(count: int) -> str:
    return "draw that agrees" if count == 1 else f"{count} draws that agree"


def _why(outcome, which: np.ndarray | None, scenario) -> str:
    """The two commonest reasons the talks failed in draws ``which``, with actors' names."""
    out = []
    for why, n in list(breakdowns(outcome, which).items())[:2]:
        party = next((p for p in outcome.domain.party_ids if why.startswith(p + " ")), None)
        if party is not None:
            why = actor_name(scenario, party) + why[len(party):]
        out.append(f"{why} ({n})")
    return listing(out)


def _agree(outcome) -> str:
    rate = wilson(int(outcome.agreement.sum()), len(outcome.agreement))
    return share_words(rate.value, rate.low, rate.high)


def _headline(sim: Simulation, summaries: dict[str, Summary],
              effects: list[EffectDoc]) -> list[str]:
    if "as planned" not in summaries:
        return []
    s = summaries["as planned"]
    lines = [f"Over {s.draws} draws of what the scenario leaves uncertain, the talks end in an "
             f"agreement in {share_words(s.agreement.value, s.agreement.low, s.agreement.high)} "
             f"of them; a party walks out in {s.walkout.value:.0%}."]
    if s.breakdowns:
        planned = sim.variants["as planned"].outcome
        lines.append(f"Where they fail (draws): {_why(planned, None, sim.scenario)}.")
    return lines + [e.sentence for e in effects]


def _text(domain, text: np.ndarray) -> dict[str, float]:
    return {issue: float(domain.levels[k, text[k]]) for k, issue in enumerate(domain.issue_ids)}
