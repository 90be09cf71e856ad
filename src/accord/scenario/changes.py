"""Changes to a scenario: a stance moves, a salience or capability changes, the status quo shifts.

Used by backtest phases and by what-if shocks. A change names what it touches and carries its
evidence; applying changes returns a new, re-validated scenario and never edits the original.
"""

from __future__ import annotations

from accord.scenario.errors import InputError
from accord.scenario.formats.yaml_format import validate
from accord.scenario.model import Change, Scenario, Stance

__all__ = ["Change", "apply_changes", "remove_actor"]


def apply_changes(scenario: Scenario, changes: list[Change], where: str = "changes") -> Scenario:
    """A copy of ``scenario`` with ``changes`` applied in order, validated again."""
    data = scenario.model_dump()
    actors = {a["id"]: a for a in data["actors"]}
    issues = {i["id"]: i for i in data["issues"]}
    stances = {(s["actor"], s["issue"]): s for s in data["stances"]}
    for n, change in enumerate(changes):
        at = f"{where}[{n}]"
        if change.actor is not None and change.actor not in actors:
            raise InputError("unknown actor", None, None, f"{at}.actor", change.actor,
                             ", ".join(actors))
        if change.issue is not None and change.issue not in issues:
            raise InputError("unknown issue", None, None, f"{at}.issue", change.issue,
                             ", ".join(issues))
        if change.actor and change.issue:
            stance = stances.get((change.actor, change.issue))
            if stance is None:
                if change.position is None or change.salience is None:
                    raise InputError("a new stance needs both position and salience", None, None,
                                     at, accepted="position and salience")
                stance = Stance(actor=change.actor, issue=change.issue, position=change.position,
                                salience=change.salience).model_dump()
                data["stances"].append(stance)
                stances[(change.actor, change.issue)] = stance
            for key in ("position", "salience"):
                if getattr(change, key) is not None:
                    stance[key] = getattr(change, key)
            _drop_stale_uncertainty(stance)
            if change.rationale:
                stance["rationale"] = change.rationale
        elif change.actor:
            actors[change.actor]["capability"] = change.capability
        else:
            issues[change.issue]["status_quo"] = change.status_quo
    return validate(data, f"<{where}>")


def remove_actor(scenario: Scenario, actor: str) -> Scenario:
    """A copy of ``scenario`` without ``actor``: it leaves the table (its stances go with it)."""
    if actor not in {a.id for a in scenario.actors}:
        raise InputError("unknown actor", None, None, "actor", actor,
                         ", ".join(a.id for a in scenario.actors))
    data = scenario.model_dump()
    data["actors"] = [a for a in data["actors"] if a["id"] != actor]
    data["stances"] = [s for s in data["stances"] if s["actor"] != actor]
    data["events"] = [e for e in data["events"] if e["actor"] != actor]
    data["incentives"] = [i for i in data["incentives"] if i["actor"] != actor]
    data["shocks"] = []  # what-ifs of the full table; they do not apply once someone has left
    if data["agreement"] and actor in data["agreement"]["parties"]:
        data["agreement"] = None  # judged against the original scenario's definition
    return validate(data, f"<without {actor}>")


def _drop_stale_uncertainty(stance: dict) -> None:
    """A changed stance keeps its uncertainty only where the range still holds the new values."""
    unc = stance.get("uncertainty")
    if not unc:
        return
    fits = unc["low"] <= stance["position"] <= unc["high"]
    if unc.get("salience_low") is not None:
        fits &= unc["salience_low"] <= stance["salience"] <= unc["salience_high"]
    if not fits:
        stance["uncertainty"] = None
