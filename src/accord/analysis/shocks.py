"""Shocks and what-ifs: actors walk out, numbers change, conditional incentives switch on.

A conditional incentive ("the US moves to 50 on sanctions relief once electoral guarantees reach
60") is evaluated draw by draw against the model's own forecast: run the model, switch the
incentive on in the draws where its condition holds, run again, until no new incentive fires
(at most ``PASSES`` times). Once on, an incentive stays on. With credibility ``c`` the actor moves
``c`` of the way to the promised position (and salience).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError

from accord.models.base import Forecast
from accord.models.parameters import run_model
from accord.models.registry import ModelSpec
from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.changes import apply_changes, remove_actor
from accord.scenario.errors import InputError
from accord.scenario.model import Change, Scenario, Shock

PASSES = 5


@dataclass(frozen=True)
class IncentiveArrays:
    """An incentive in array terms (unit scale), for batched evaluation."""

    actor: int
    issue: int
    position: float
    salience: float
    when_issue: int
    at_least: bool
    threshold: float
    credibility: float


def apply_shock(scenario: Scenario, shock: Shock) -> tuple[Scenario, tuple[IncentiveArrays, ...]]:
    """The scenario after ``shock``, and the incentives it switches on (as arrays)."""
    shocked = scenario
    for actor in shock.leave:
        shocked = remove_actor(shocked, actor)
    if shock.changes:
        shocked = apply_changes(shocked, shock.changes, f"shock {shock.id}")
    incentives = tuple(incentive_arrays(shocked, inc) for inc in shock.incentives)
    return shocked, tuple(i for i in incentives if i is not None)


def incentive_arrays(scenario: Scenario, incentive_id: str) -> IncentiveArrays | None:
    """Array form of a declared incentive; None if its actor has left the table."""
    inc = next((i for i in scenario.incentives if i.id == incentive_id), None)
    if inc is None:
        raise InputError("unknown incentive", None, None, "--shock", incentive_id,
                         ", ".join(i.id for i in scenario.incentives) or "none declared")
    arrays = ScenarioArrays.from_scenario(scenario)
    if inc.actor not in arrays.actor_ids:
        return None
    i, j = arrays.actor_ids.index(inc.actor), arrays.issue_ids.index(inc.issue)
    if not arrays.mask[i, j]:
        raise InputError(f"incentive '{inc.id}' moves '{inc.actor}' on '{inc.issue}', where it "
                         "has no stance", None, None, "incentives", inc.id,
                         "an incentive on an issue its actor takes part in")
    w = arrays.issue_ids.index(inc.when.issue)
    span_j = arrays.high[j] - arrays.low[j]
    position = np.nan if inc.position is None else (inc.position - arrays.low[j]) / span_j
    threshold = (inc.when.threshold - arrays.low[w]) / (arrays.high[w] - arrays.low[w])
    return IncentiveArrays(i, j, position, np.nan if inc.salience is None else inc.salience, w,
                           inc.when.op == ">=", threshold, inc.credibility)


def run_with_incentives(spec: ModelSpec, batch: Batch, params: dict,
                        incentives: tuple[IncentiveArrays, ...]) -> Forecast:
    """Run a model, switching incentives on draw by draw where their conditions hold."""
    result = run_model(spec, batch, dict(params))
    on = np.zeros((batch.draws, len(incentives)), bool)
    for _ in range(PASSES):
        fire = np.column_stack([_holds(result.outcome, inc) for inc in incentives]) & ~on
        if not fire.any():
            break
        on |= fire
        batch = _switch_on(batch, incentives, on)
        result = run_model(spec, batch, dict(params))
    result.diagnostics["incentives_on"] = on
    return result


def _holds(outcome: np.ndarray, inc: IncentiveArrays) -> np.ndarray:
    value = outcome[:, inc.when_issue]
    return value >= inc.threshold - 1e-12 if inc.at_least else value <= inc.threshold + 1e-12


def _switch_on(batch: Batch, incentives, on: np.ndarray) -> Batch:
    position, salience = batch.position.copy(), batch.salience.copy()
    for m, inc in enumerate(incentives):
        rows = on[:, m]
        if not np.isnan(inc.position):
            old = batch.position[rows, inc.actor, inc.issue]
            position[rows, inc.actor, inc.issue] = old + inc.credibility * (inc.position - old)
        if not np.isnan(inc.salience):
            old = batch.salience[rows, inc.actor, inc.issue]
            salience[rows, inc.actor, inc.issue] = old + inc.credibility * (inc.salience - old)
    return Batch(batch.capability, position, salience, batch.mask, batch.status_quo)


_EXPRESSIONS = (
    (re.compile(r"^leave=(?P<actor>[\w.\-]+)$"), "leave"),
    (re.compile(r"^incentive=(?P<incentive>[\w.\-]+)$"), "incentive"),
    (re.compile(r"^(?P<actor>[\w.\-]+)\.capability=(?P<value>[-+0-9.eE]+)$"), "capability"),
    (re.compile(r"^(?P<issue>[\w.\-]+)\.status_quo=(?P<value>[-+0-9.eE]+)$"), "status_quo"),
    (re.compile(r"^(?P<actor>[\w\-]+)\.(?P<issue>[\w\-]+)\.(?P<field>position|salience)"
                r"=(?P<value>[-+0-9.eE]+)$"), "stance"),
)
SHOCK_FORMS = ("a declared shock id, leave=ACTOR, incentive=ID, ACTOR.capability=X, "
               "ISSUE.status_quo=X, or ACTOR.ISSUE.position=X / ACTOR.ISSUE.salience=X")


def parse_shock(scenario: Scenario, text: str) -> Shock:
    """A shock from the command line: a declared shock's id, or one of ``SHOCK_FORMS``."""
    declared = {s.id: s for s in scenario.shocks}
    if text in declared:
        return declared[text]
    for pattern, kind in _EXPRESSIONS:
        m = pattern.match(text.strip())
        if not m:
            continue
        g = m.groupdict()
        try:
            if kind == "leave":
                return Shock(id="cli", label=text, leave=[g["actor"]])
            if kind == "incentive":
                return Shock(id="cli", label=text, incentives=[g["incentive"]])
            value = float(g["value"])
            if kind == "capability":
                change = Change(actor=g["actor"], capability=value)
            elif kind == "status_quo":
                change = Change(issue=g["issue"], status_quo=value)
            else:
                change = Change(actor=g["actor"], issue=g["issue"], **{g["field"]: value})
            return Shock(id="cli", label=text, changes=[change])
        except ValidationError as exc:
            problem = exc.errors()[0]["msg"]
            raise InputError(f"invalid shock ({problem})", None, None, "--shock", text,
                             SHOCK_FORMS) from None
    raise InputError("cannot read this shock", None, None, "--shock", text, SHOCK_FORMS)


def check_shock(scenario: Scenario, shock: Shock) -> None:
    """Raise a clear error if a command-line shock names unknown actors, issues or incentives."""
    actors = {a.id for a in scenario.actors}
    issues = {i.id for i in scenario.issues}
    for actor in shock.leave + [c.actor for c in shock.changes if c.actor]:
        if actor not in actors:
            raise InputError("unknown actor", None, None, "--shock", actor, ", ".join(actors))
    for issue in (c.issue for c in shock.changes if c.issue):
        if issue not in issues:
            raise InputError("unknown issue", None, None, "--shock", issue, ", ".join(issues))
