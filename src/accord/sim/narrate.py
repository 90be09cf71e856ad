"""The simulation told in plain words, round by round: what was on the table, what happened,
who would not sign and why, and why a party walked out (:mod:`accord.sim.words` for the units).

Every sentence is computed from the run's recorded state, so that the report and the JSON say
the same thing and the renderers compute nothing.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel

from accord.scenario.model import Scenario
from accord.sim.domain import Domain
from accord.sim.engine import Outcome
from accord.sim.support import SupportRule, backing
from accord.sim.words import actor_name, issue_name, listing, points, reading, style


class Objection(BaseModel):
    """Why a party would not sign a round's text: the issue it objects to most, its level in
    the text, the level at which the party would sign other things equal (None if no level of
    that issue alone would do), why, and all of it as a sentence."""

    party: str
    issue: str | None
    text: float | None
    needs: float | None
    reason: str
    sentence: str


class Narrator:
    """Sentences about draw ``draw`` of an outcome of ``scenario``."""

    def __init__(self, scenario: Scenario, outcome: Outcome, draw: int = 0,
                 rule: SupportRule = SupportRule()):
        self.scenario, self.outcome, self.d, self.rule = scenario, outcome, draw, rule
        self.domain: Domain = outcome.domain
        self.names = [actor_name(scenario, p) for p in self.domain.party_ids]

    def value(self, k: int, level: int) -> float:
        return float(self.domain.levels[k, level])

    def text_reading(self, text: np.ndarray) -> dict[str, str]:
        """Every issue's level in the scale's words."""
        return {issue: reading(self.scenario.issue(issue), self.value(k, text[k]))
                for k, issue in enumerate(self.domain.issue_ids)}

    def text_story(self, r: int) -> str:
        """The text on the table after round ``r`` in words: every issue in the first round,
        the issues that moved since the round before afterwards."""
        text = self.outcome.rounds["text"][self.d, r]
        before = self.outcome.rounds["text"][self.d, r - 1] if r else None
        parts = []
        for k, issue in enumerate(self.domain.issue_ids):
            if before is not None and before[k] == text[k]:
                continue
            words = reading(self.scenario.issue(issue), self.value(k, text[k]))
            move = "" if before is None else f"from {self.value(k, before[k]):g} to "
            parts.append(f"{issue_name(issue)} {move}{self.value(k, text[k]):g}"
                         + (f" ({words})" if words else ""))
        if before is None:
            return "On the table: " + "; ".join(parts) + "."
        return ("The text moves: " + "; ".join(parts) + ".") if parts else \
            "The text does not move."

    def events(self, r: int) -> list[str]:
        """What happened at the opening of round ``r``: gestures and returns, shocks, offers,
        walk-outs and returns to the table."""
        out = self._gestures(r) + self._shocks(r) + self._offers(r)
        rec, d = self.outcome.rounds, self.d
        for i in np.flatnonzero(rec["walkout"][d, r]):
            out.append(self.walkout(r, i))
        for i in np.flatnonzero(rec["returned"][d, r]):
            out.append(f"{self.names[i]} returns to the table: leaving no longer pays more than "
                       "staying.")
        return out

    def _gestures(self, r: int) -> list[str]:
        out, ev, d = [], self.outcome.events, self.d
        conf = self.outcome.rounds["confidence"][d, r]
        for g, gesture in enumerate(self.outcome.plan.gestures):
            author = self.domain.party_ids.index(gesture.author)
            who = self.names[author]
            if gesture.round == r and ev.made[d, g]:
                others = [self.names[j] for j in range(len(self.names)) if j != author]
                out.append(f"{who} makes a gesture: {gesture.label}. {listing(others)} now "
                           f"put{'s' if len(others) == 1 else ''} more trust in it.")
            for j in np.flatnonzero(ev.returned[d, g] == r):
                out.append(f"{self.names[j]} returns {who}'s gesture of round "
                           f"{gesture.round + 1}: {who} trusts it more (it now puts "
                           f"{conf[author]:.0%} on the others honouring a deal).")
            for j in np.flatnonzero(ev.lapsed[d, g] == r):
                out.append(f"{self.names[j]} has not returned {who}'s gesture of round "
                           f"{gesture.round + 1}: {who} trusts it less (it now puts "
                           f"{conf[author]:.0%} on the others honouring a deal).")
        return out

    def _shocks(self, r: int) -> list[str]:
        out, ev, d = [], self.outcome.events, self.d
        for j, shock in enumerate(self.outcome.plan.shocks):
            if ev.shock_round[d, j] != r:
                continue
            scale = ev.shock_scale[d, j]
            parts = []
            for party, outside, trust in shock.effects:
                who = actor_name(self.scenario, party)
                if outside:
                    parts.append(f"leaving the table now pays {who} {points(outside * scale)} "
                                 "points (of 100 = its ideal text)")
                if trust:
                    change = "falls" if trust < 0 else "rises"
                    parts.append(f"{who}'s trust in the others {change} by "
                                 f"{points(abs(trust) * scale)} points")
            out.append(f"Shock: {shock.label}" + (f"; {listing(parts)}." if parts else "."))
        return out

    def _offers(self, r: int) -> list[str]:
        out, ev, d = [], self.outcome.events, self.d
        offered = ev.offer_round[d]
        seen = set()
        for b, bonus in enumerate(self.domain.bonuses):
            if offered[b] != r or bonus.id in seen:
                continue
            seen.add(bonus.id)
            inc = next((i for i in self.scenario.incentives if i.id == bonus.id), None)
            if inc is None:
                continue
            worth = [f"{b2.credibility * b2.points[d]:.0f} points of "
                     f"{issue_name(self.domain.issue_ids[b2.moved])} to "
                     f"{self.names[b2.beneficiary]}"
                     for b2 in self.domain.bonuses if b2.id == bonus.id
                     and b2.points is not None and b2.credibility * b2.points[d] >= 0.5]
            bound = "or more" if inc.when.op == ">=" else "or less"
            out.append(f"Offer: {actor_name(self.scenario, inc.actor)} would move "
                       f"{issue_name(inc.issue)} to {inc.position:g} if the text puts "
                       f"{issue_name(inc.when.issue)} at {inc.when.threshold:g} {bound} "
                       f"(credible at {inc.credibility:.0%}): worth as much as "
                       f"{listing(worth) or 'nothing'}.")
        return out

    def walkout(self, r: int, i: int) -> str:
        """Why party ``i`` walked out at the opening of round ``r``."""
        rec, d, kappa = self.outcome.rounds, self.d, self.outcome.params.party.exposure
        params = self.outcome.params.party
        prev = max(r - 1, 0)
        u, base = rec["utility"][d, prev, i], self.domain.reservation[d, i]
        p = rec["confidence"][d, r, i]
        outside = rec["floor"][d, r, i] - base
        chance = (1 + rec["accepting"][d, prev].sum()) / (2 + rec["present"][d, prev].sum())
        surplus = max(p * (u - base) - (1 - p) * kappa, 0.0)
        return (f"{self.names[i]} walks out: leaving pays it {points(outside)} points at home, "
                f"less {points(params.audience_cost)} for being seen to leave, while staying was "
                f"worth {points(chance * surplus)}: the text gives it {points(u - base)} points "
                f"more than no deal, but it puts only {p:.0%} on the others honouring a deal (one "
                f"they do not honour would leave it {points(kappa)} points worse off than no "
                f"deal) and sees a {chance:.0%} chance of agreement.")

    def objections(self, r: int) -> list[Objection]:
        """Why each present party that would not sign round ``r``'s text holds out."""
        rec, d = self.outcome.rounds, self.d
        return [self.objection(r, i) for i in range(len(self.names))
                if rec["present"][d, r, i] and not rec["accepting"][d, r, i]]

    def objection(self, r: int, i: int) -> Objection:
        """What party ``i`` objects to in round ``r``'s text, and why."""
        rec, d, dom = self.outcome.rounds, self.d, self.domain
        kappa = self.outcome.params.party.exposure
        text, p = rec["text"][d, r], max(rec["confidence"][d, r, i], 1e-9)
        want, value = rec["aspiration"][d, r, i], rec["effective"][d, r, i]
        floor, u = rec["floor"][d, r, i], rec["utility"][d, r, i]
        needed = (want - value) / p  # more raw utility it needs
        issue, level = self._fix(i, text, needed)
        name = self.names[i]
        rounds = rec["played"].shape[1]
        if value < floor - 1e-12:
            why = (f"the text gives it {points(u)} of 100 and no deal {points(floor)}; counting "
                   f"the risk that the others do not honour a deal (it puts {p:.0%} on them "
                   "doing so), it is better off without one")
        else:
            held = (want - (1 - p) * (floor - kappa)) / p
            digits = 0 if points(held) != points(u) else 1
            why = (f"it is round {r + 1} of {rounds} and it {style(self.outcome.exponent[d, i])}: "
                   f"it still holds out for {100 * held:.{digits}f} of 100 and the text gives it "
                   f"{100 * u:.{digits}f}")
        if issue is None:
            sentence = f"{name} would not sign: {why}."
            return Objection(party=name, issue=None, text=None, needs=None, reason=why,
                             sentence=sentence)
        now = self.value(issue, text[issue])
        ideal = int(np.argmax(np.where(dom.feasible[issue], dom.values[d, i, issue], -np.inf)))
        word = "below" if ideal > text[issue] else "above"
        label = issue_name(dom.issue_ids[issue])
        if level is None:
            sentence = (f"{name} holds out: {why}. What it cares most about, {label}, stands at "
                        f"{now:g} (it wants {self.value(issue, ideal):g}); no level of it alone "
                        "would bring it to sign.")
            return Objection(party=name, issue=dom.issue_ids[issue], text=now, needs=None,
                             reason=why, sentence=sentence)
        target = self.value(issue, level)
        sentence = (f"{name} rejects {label} {word} {target:g} (the text has {now:g}), because "
                    f"{why}.")
        return Objection(party=name, issue=dom.issue_ids[issue], text=now, needs=target,
                         reason=why, sentence=sentence)

    def _fix(self, i: int, text: np.ndarray, needed: float) -> tuple[int | None, int | None]:
        """The issue party ``i`` cares most about among those where the text is off its best
        level, and the level there that would give it ``needed`` more utility (None: none
        would)."""
        dom, d = self.domain, self.d
        values = np.where(dom.feasible, dom.values[d, i], -np.inf)
        ideal = np.argmax(values, axis=1)
        k = np.arange(dom.issues)
        room = values[k, ideal] - values[k, text]
        off = np.flatnonzero(room > 1e-12)
        if off.size == 0:
            return None, None
        slope = room[off] / np.maximum(np.abs(ideal[off] - text[off]), 1)
        issue = int(off[np.argmax(slope)])
        step = int(np.sign(ideal[issue] - text[issue]))
        for level in range(text[issue] + step, ideal[issue] + step, step):
            if dom.feasible[issue, level] and \
                    values[issue, level] - values[issue, text[issue]] >= needed - 1e-12:
                return issue, level
        return issue, None

    def flags(self, text: np.ndarray) -> list[str]:
        """Levels of a text beyond what the stakeholders support, with who backs them."""
        dom, d = self.domain, self.d
        out = []
        for k, issue_id in enumerate(dom.issue_ids):
            if dom.supported[d, k, text[k]]:
                continue
            issue = self.scenario.issue(issue_id)
            level = self.value(k, text[k])
            holders = [(s.actor, s.position) for s in self.scenario.stances if s.issue == issue_id]
            positions = np.array([[pos for _, pos in holders]])[..., None]
            sq = issue.status_quo if issue.status_quo is not None else \
                (issue.scale.min + issue.scale.max) / 2
            backed = backing(np.array([[level]]), np.array([sq]),
                             np.array([issue.scale.max - issue.scale.min]), positions,
                             np.ones((len(holders), 1), bool), self.rule.margin)[0, :, 0, 0]
            yes = [actor_name(self.scenario, a) for (a, _), b in zip(holders, backed) if b]
            no = [f"{actor_name(self.scenario, a)} ({pos:g})"
                  for (a, pos), b in zip(holders, backed) if not b]
            out.append(f"{issue_name(issue_id).capitalize()} at {level:g} goes beyond what "
                       f"the stakeholders support: only {listing(yes) or 'no one'} want that much; "
                       f"{listing(no)} stand well short of it.")
        return out

    def outcome_sentence(self) -> str:
        """How the run ended, in words."""
        o, d = self.outcome, self.d
        if o.agreement[d]:
            return f"agreement in round {o.agreed_round[d] + 1}"
        last = o.rounds["present"][d, -1]
        away = [self.names[i] for i in np.flatnonzero(~last)]
        if away:
            return f"breakdown: {listing(away)} away from the table"
        refuse = [self.names[i] for i in np.flatnonzero(~o.rounds["accepting"][d, -1])]
        return f"no agreement: {listing(refuse)} would not sign the final text"


def share_words(value: float, low: float, high: float) -> str:
    """"39% [35–43%]"."""
    if math.isnan(value):
        return "–"
    return f"{100 * value:.0f}% [{100 * low:.0f}–{100 * high:.0f}%]"
