"""Checks that need the whole scenario: every reference resolves, every number is on its scale."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from accord.scenario.model import Scenario

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One broken cross-reference or off-scale value, located by its path in the document."""

    loc: Loc
    message: str
    value: object = None
    accepted: str | None = None


def problems(scenario: Scenario) -> Iterator[Problem]:
    """Yield every cross-reference problem in ``scenario``, in document order."""
    actors = {a.id for a in scenario.actors}
    issues = {i.id: i for i in scenario.issues}
    yield from _stance_problems(scenario, actors, issues)
    for n, event in enumerate(scenario.events):
        if event.actor not in actors:
            yield _unknown(("events", n, "actor"), "actor", event.actor, actors)
        if event.issue is not None and event.issue not in issues:
            yield _unknown(("events", n, "issue"), "issue", event.issue, issues)
    for n, inc in enumerate(scenario.incentives):
        yield from _incentive_problems(n, inc, actors, issues)
    incentives = {i.id for i in scenario.incentives}
    for n, shock in enumerate(scenario.shocks):
        yield from _shock_problems(n, shock, actors, issues, incentives)
    if scenario.agreement is not None:
        for m, party in enumerate(scenario.agreement.parties):
            if party not in actors:
                yield _unknown(("agreement", "parties", m), "actor", party, actors)
        for m, cond in enumerate(scenario.agreement.conditions):
            if cond.issue not in issues:
                yield _unknown(("agreement", "conditions", m, "issue"), "issue", cond.issue, issues)


def _unknown(loc: Loc, kind: str, value: str, known) -> Problem:
    choices = ", ".join(sorted(known)) or "none defined"
    return Problem(loc, f"unknown {kind}", value, f"one of the {kind} ids: {choices}")


def _stance_problems(scenario, actors, issues) -> Iterator[Problem]:
    seen: set[tuple[str, str]] = set()
    for n, stance in enumerate(scenario.stances):
        at = ("stances", n)
        if stance.actor not in actors:
            yield _unknown((*at, "actor"), "actor", stance.actor, actors)
        if stance.issue not in issues:
            yield _unknown((*at, "issue"), "issue", stance.issue, issues)
            continue
        key = (stance.actor, stance.issue)
        if key in seen:
            yield Problem(at, f"second stance of '{stance.actor}' on '{stance.issue}'", None,
                          "one stance per actor and issue")
        seen.add(key)
        scale = issues[stance.issue].scale
        span = f"a number from {scale.min:g} to {scale.max:g} (the scale of '{stance.issue}')"
        if not scale.contains(stance.position):
            yield Problem((*at, "position"), "position outside the issue's scale",
                          stance.position, span)
        line = stance.red_line
        if line is not None and not scale.contains(line.value):
            yield Problem((*at, "red_line", "value"), "red line outside the issue's scale",
                          line.value, span)
        elif line is not None and not (stance.position >= line.value if line.op == ">="
                                       else stance.position <= line.value):
            yield Problem((*at, "red_line"), "the red line excludes the actor's own position",
                          f"{line.op} {line.value:g}", f"a limit that admits {stance.position:g}")
        unc = stance.uncertainty
        if unc is not None:
            if not (scale.contains(unc.low) and scale.contains(unc.high)):
                yield Problem((*at, "uncertainty"), "uncertainty range outside the issue's scale",
                              [unc.low, unc.high], span)
            elif not unc.low <= stance.position <= unc.high:
                yield Problem((*at, "uncertainty"), "uncertainty range excludes the position",
                              [unc.low, unc.high], f"low <= {stance.position:g} <= high")
            if unc.salience_low is not None and not (
                unc.salience_low <= stance.salience <= unc.salience_high
            ):
                yield Problem((*at, "uncertainty"), "salience range excludes the salience",
                              [unc.salience_low, unc.salience_high],
                              f"salience_low <= {stance.salience:g} <= salience_high")


def _incentive_problems(n, inc, actors, issues) -> Iterator[Problem]:
    at = ("incentives", n)
    if inc.actor not in actors:
        yield _unknown((*at, "actor"), "actor", inc.actor, actors)
    for loc, issue_id in (((*at, "issue"), inc.issue), ((*at, "when", "issue"), inc.when.issue)):
        if issue_id not in issues:
            yield _unknown(loc, "issue", issue_id, issues)
    if inc.issue in issues and inc.position is not None:
        scale = issues[inc.issue].scale
        if not scale.contains(inc.position):
            yield Problem((*at, "position"), "position outside the issue's scale", inc.position,
                          f"a number from {scale.min:g} to {scale.max:g}")
    if inc.when.issue in issues:
        scale = issues[inc.when.issue].scale
        if not scale.contains(inc.when.threshold):
            yield Problem((*at, "when", "threshold"), "threshold outside the issue's scale",
                          inc.when.threshold, f"a number from {scale.min:g} to {scale.max:g}")


def _shock_problems(n, shock, actors, issues, incentives) -> Iterator[Problem]:
    at = ("shocks", n)
    for m, actor in enumerate(shock.leave):
        if actor not in actors:
            yield _unknown((*at, "leave", m), "actor", actor, actors)
    for m, change in enumerate(shock.changes):
        if change.actor is not None and change.actor not in actors:
            yield _unknown((*at, "changes", m, "actor"), "actor", change.actor, actors)
        if change.issue is not None and change.issue not in issues:
            yield _unknown((*at, "changes", m, "issue"), "issue", change.issue, issues)
    for m, inc in enumerate(shock.incentives):
        if inc not in incentives:
            yield _unknown((*at, "incentives", m), "incentive", inc, incentives)
    for m, effect in enumerate(shock.effects):
        if effect.actor not in actors:
            yield _unknown((*at, "effects", m, "actor"), "actor", effect.actor, actors)
