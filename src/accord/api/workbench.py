"""What the browser workspace asks of Accord beyond :class:`~accord.api.negotiation.Negotiation`:
a scenario from uploaded bytes, the edits of the actor and stance grid, news proposals taken one
at a time, and which models are quick enough to rerun on every keystroke.

Every edit returns a new scenario validated as a file is (:func:`yaml_format.validate`), so a
bad value gives the command line's one-line error (field, value, what is accepted) and the
scenario being edited is left as it was.

>>> from accord.api import load
>>> talks = load("venezuela-2021")
>>> edited, label = set_stance(talks.scenario, "government", "covid_vaccines", "90", "0.5")
>>> label
'government on covid_vaccines: position 80 → 90, salience 0.6 → 0.5'
>>> set_stance(talks.scenario, "government", "covid_vaccines", "90", "1.5", "my-talks")
Traceback (most recent call last):
...
accord.scenario.errors.InputError: my-talks: stances[11].salience: Input should be less than or equal to 1 (got 1.5); accepted: a number from 0 to 1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.api.negotiation import Negotiation
from accord.models import MODELS
from accord.scenario.changes import _drop_stale_uncertainty
from accord.scenario.errors import InputError
from accord.scenario.formats import read_string
from accord.scenario.formats.files import decode
from accord.scenario.formats.yaml_format import validate
from accord.scenario.model import Scenario

if TYPE_CHECKING:
    from accord.api.news import Article

MAX_UPLOAD = 2_000_000


def load_text(data: bytes | str, name: str, format: str | None = None) -> Negotiation:
    """A scenario from a file's bytes (or text) in any format Accord reads; ``name`` (the
    file's name) tells the format where ``format`` does not, and names it in errors."""
    if len(data) > MAX_UPLOAD:
        raise InputError(f"file is too large ({len(data):,} bytes)", name,
                         accepted=f"at most {MAX_UPLOAD:,} bytes")
    text = decode(data, name) if isinstance(data, bytes) else data
    if not text.strip():
        raise InputError("the file is empty", name, accepted="a scenario with actors and issues")
    loaded = read_string(text, name, format or None)
    return Negotiation(loaded.scenario, loaded.parameters, loaded.notes)


def model_groups() -> tuple[list[str], list[str]]:
    """The registered models in two groups, each in registry order: those computed at once
    (milliseconds) and those that run in rounds (a tenth of a second and more)."""
    return ([n for n, spec in MODELS.items() if not spec.rounds],
            [n for n, spec in MODELS.items() if spec.rounds])


def set_stance(scenario: Scenario, actor: str, issue: str, position: str, salience: str,
               where: str = "<workspace>") -> tuple[Scenario, str]:
    """The actor's stance on the issue set to ``position`` and ``salience`` (as typed); both
    empty: the actor takes no part in the issue. Returns the scenario and what changed."""
    data = scenario.model_dump()
    if actor not in {a["id"] for a in data["actors"]}:
        raise _unknown("actor", actor, [a["id"] for a in data["actors"]], where)
    if issue not in {i["id"] for i in data["issues"]}:
        raise _unknown("issue", issue, [i["id"] for i in data["issues"]], where)
    stances = data["stances"]
    found = next((s for s in stances if s["actor"] == actor and s["issue"] == issue), None)
    pos, sal = _typed(position), _typed(salience)
    if pos is None and sal is None:
        if found is None:
            return scenario, ""
        stances.remove(found)
        return validate(data, where), f"{actor} leaves {issue}"
    if pos is None or sal is None:
        index = stances.index(found) if found is not None else len(stances)
        missing = "position" if pos is None else "salience"
        raise InputError("a stance needs both a position and a salience", where, None,
                         f"stances[{index}].{missing}", None,
                         "a number, or both fields empty to take the actor off this issue")
    if found is None:
        stances.append({"actor": actor, "issue": issue, "position": pos, "salience": sal})
        label = f"{actor} joins {issue}: position {_show(pos)}, salience {_show(sal)}"
    else:
        label = (f"{actor} on {issue}: position {_show(found['position'])} → {_show(pos)}, "
                 f"salience {_show(found['salience'])} → {_show(sal)}")
        found.update(position=pos, salience=sal)
        if isinstance(pos, float) and isinstance(sal, float):
            _drop_stale_uncertainty(found)
    return validate(data, where), label


def set_actor(scenario: Scenario, actor: str, field: str, value: str,
              where: str = "<workspace>") -> tuple[Scenario, str]:
    """One of an actor's ``name``, ``role`` or ``capability`` set to ``value`` (as typed)."""
    if field not in ("name", "role", "capability"):
        raise InputError("not an editable field", where, None, "field", field,
                         "name, role or capability")
    data = scenario.model_dump(mode="json")
    found = next((a for a in data["actors"] if a["id"] == actor), None)
    if found is None:
        raise _unknown("actor", actor, [a["id"] for a in data["actors"]], where)
    old = found[field]
    found[field] = _typed(value) if field == "capability" else value
    return validate(data, where), f"{actor}: {field} {_show(old)} → {_show(found[field])}"


def set_status_quo(scenario: Scenario, issue: str, value: str,
                   where: str = "<workspace>") -> tuple[Scenario, str]:
    """The issue's status quo set to ``value`` (empty: unknown)."""
    data = scenario.model_dump()
    found = next((i for i in data["issues"] if i["id"] == issue), None)
    if found is None:
        raise _unknown("issue", issue, [i["id"] for i in data["issues"]], where)
    old, found["status_quo"] = found["status_quo"], _typed(value)
    return validate(data, where), (f"{issue}: status quo {_show(old)} → "
                                   f"{_show(found['status_quo'])}")


def add_actor(scenario: Scenario, actor: str, name: str, role: str, capability: str,
              where: str = "<workspace>") -> tuple[Scenario, str]:
    """A new actor, without stances yet."""
    data = scenario.model_dump(mode="json")
    if any(a["id"] == actor.strip() for a in data["actors"]):
        raise InputError("an actor with this id exists", where, None,
                         f"actors[{len(data['actors'])}].id", actor, "a new id")
    data["actors"].append({"id": actor, "name": name, "role": role,
                           "capability": _typed(capability)})
    return validate(data, where), f"added actor {actor.strip()}"


def remove_actor(scenario: Scenario, actor: str,
                 where: str = "<workspace>") -> tuple[Scenario, str]:
    """The scenario without ``actor``: its stances, events and incentives go with it, and it
    is taken out of the shocks and the agreement's parties that name it."""
    data = scenario.model_dump()
    if actor not in {a["id"] for a in data["actors"]}:
        raise _unknown("actor", actor, [a["id"] for a in data["actors"]], where)
    if len(data["actors"]) == 1:
        raise InputError("a scenario needs at least one actor", where, None, "actors", actor,
                         "another actor added first")
    gone = {i["id"] for i in data["incentives"] if i["actor"] == actor}
    data["actors"] = [a for a in data["actors"] if a["id"] != actor]
    for key in ("stances", "events", "incentives"):
        data[key] = [x for x in data[key] if x["actor"] != actor]
    for shock in data["shocks"]:
        shock["leave"] = [a for a in shock["leave"] if a != actor]
        shock["changes"] = [c for c in shock["changes"] if c["actor"] != actor]
        shock["effects"] = [e for e in shock["effects"] if e["actor"] != actor]
        shock["incentives"] = [i for i in shock["incentives"] if i not in gone]
    if data["agreement"]:
        data["agreement"]["parties"] = [p for p in data["agreement"]["parties"] if p != actor]
    return validate(data, where), f"removed actor {actor}"


def proposals(article: Article) -> list[tuple[str, dict]]:
    """An article's proposed update as separate items, ``(kind, payload)``: events to record,
    actors to add, and stances to review (evidence only: a coder sets the numbers)."""
    if article.update is None:
        return []
    update = article.update
    return ([("event", e) for e in update.events]
            + [("actor", a.model_dump()) for a in update.actors]
            + [("stance", s.model_dump()) for s in update.stances])


def accept(scenario: Scenario, kind: str, payload: dict) -> tuple[Scenario, str]:
    """The scenario with one proposed item applied (a stance review changes nothing)."""
    from accord.news.update import NewActor, Update
    from accord.news.update import apply as apply_update

    if kind == "event":
        update = Update(events=[payload], actors=[], stances=[])
        label = f"news: event {payload.get('type')} by {payload.get('actor')} recorded"
    elif kind == "actor":
        update = Update(events=[], actors=[NewActor(**payload)], stances=[])
        label = f"news: actor {payload.get('id')} added"
    else:
        return scenario, ""
    return apply_update(scenario, update)[0], label


def _typed(value: str | float | None) -> float | str | None:
    """A number where the text is one; the text itself otherwise (validation names it)."""
    if value is None or isinstance(value, float):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _unknown(kind: str, value: str, known: list[str], where: str) -> InputError:
    return InputError(f"unknown {kind} (removed in another tab?)", where, None, kind, value,
                      ", ".join(known))


def _show(value) -> str:
    return "none" if value is None else f"{value:g}" if isinstance(value, float) else str(value)

