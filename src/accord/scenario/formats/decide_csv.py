"""decide-exchange-model's input files (shared/models/exchange.md section A.3).

Each row starts with a type code: ``#A`` actor (id, name, comment), ``#P`` issue (id, name,
description), ``#M`` scale anchor (issue, position, meaning; the scale runs from the lowest to the
highest anchor, 0-100 when none is given), ``#D`` stance (actor, issue, position, salience, power,
comment), ``#/`` comment, ``#O`` free description. Shipped files are tab-separated with text in
single quotes; ';' and ',' are accepted too. Written by us: tabs and single quotes, as shipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from accord.scenario import limits
from accord.scenario.errors import InputError
from accord.scenario.formats.common import (
    Slugs,
    csv_rows,
    fmt,
    name_of,
    number,
    slugify,
)
from accord.scenario.model import Actor, Issue, Scale, Scenario, Stance

NAME = "decide"
TYPES = {"#A", "#P", "#M", "#D", "#/", "#O"}


def looks_like(text: str) -> bool:
    """decide files start every row with a quoted or bare type code such as '#A'."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first.lstrip().lstrip("'\"").startswith(("#A", "#P", "#M", "#D", "#/", "#O"))


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    for candidate in ("\t", ";", ","):
        if candidate in first:
            return candidate
    return "\t"


@dataclass
class _Parsed:
    actors: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    issues: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    anchors: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    description: list[str] = field(default_factory=list)


def read(text: str, path: str | Path = "<decide>") -> tuple[Scenario, list[str]]:
    """Read a decide input file. Returns the scenario and notes on how it was read."""
    parsed = _parse(text, path)
    if not parsed.actors or not parsed.issues:
        raise InputError("no '#A' actor rows or no '#P' issue rows", path,
                         accepted="at least one #A row and one #P row")
    limits.check_counts(len(parsed.actors), len(parsed.issues), len(parsed.rows), path)
    salience_scale = 100.0 if any(_sal(r, path, ln) > 1 for ln, r in parsed.rows) else 1.0
    notes = [f"saliences read on 0-{salience_scale:g}"]
    issues, ids = _issues(parsed, path)
    actor_ids, slugs = {}, Slugs()
    for key in parsed.actors:
        actor_ids[key] = slugs(key)
    stances, power = _stances(parsed, path, issues, ids, actor_ids, salience_scale)
    actors = []
    for key, (line, fields) in parsed.actors.items():
        if key not in power:
            raise InputError(f"actor '{key}' has no '#D' rows, so no power", path, line,
                             accepted="at least one #D row per actor")
        actors.append(Actor(id=actor_ids[key], name=(fields[1] if len(fields) > 1 else "") or key,
                            description=fields[2] if len(fields) > 2 else "",
                            capability=power[key][0]))
    name = name_of(path, "decide")
    return Scenario(accord=1, id=slugify(name), name=name,
                    description="\n".join(parsed.description), actors=actors,
                    issues=list(issues.values()), stances=stances), notes


def _parse(text: str, path) -> _Parsed:
    parsed = _Parsed()
    lines = csv_rows(text, path, delimiter=_delimiter(text), quotechar="'", skipinitialspace=True)
    for line, row in enumerate(lines, start=1):
        row = [f.strip().strip("'\"") for f in row]
        while row and row[-1] == "" and len(row) > 1:
            row.pop()
        if not row or row == [""]:
            continue
        kind, fields = row[0], row[1:]
        if kind not in TYPES:
            raise InputError("unknown row type", path, line, "type", kind,
                             "rows starting with #A, #P, #M, #D, #/ or #O, separated by tabs")
        _collect(parsed, kind, fields, line, path)
    return parsed


def _collect(parsed: _Parsed, kind: str, fields: list[str], line: int, path) -> None:
    need = {"#A": 1, "#P": 1, "#M": 2, "#D": 5}.get(kind, 0)
    if len(fields) < need:
        raise InputError(f"a {kind} row needs at least {need} fields, this one has {len(fields)}",
                         path, line, accepted=_SHAPES[kind])
    if kind in ("#A", "#P"):
        table = parsed.actors if kind == "#A" else parsed.issues
        if fields[0] in table:
            raise InputError(f"duplicate {kind} id", path, line, "id", fields[0], "unique ids")
        table[fields[0]] = (line, fields)
    elif kind == "#M":
        value = number(fields[1], path, line, "position")
        parsed.anchors.setdefault(fields[0], []).append((value, fields[2] if len(fields) > 2 else ""))
    elif kind == "#D":
        parsed.rows.append((line, fields))
    elif kind == "#O":
        parsed.description.append(" ".join(fields))


_SHAPES = {
    "#A": "'#A' id name [comment]",
    "#P": "'#P' id [name] [description]",
    "#M": "'#M' issue position [meaning]",
    "#D": "'#D' actor issue position salience power [comment]",
}


def _sal(fields: list[str], path, line: int) -> float:
    return number(fields[3], path, line, "salience", "a number from 0 to 100")


def _issues(parsed: _Parsed, path):
    issues, ids, slugs = {}, {}, Slugs()
    for key, (line, fields) in parsed.issues.items():
        anchors = parsed.anchors.get(key, [])
        values = [v for v, _ in anchors]
        lo, hi = (min(values), max(values)) if values else (0.0, 100.0)
        if hi <= lo:
            raise InputError(f"issue '{key}' has a scale of zero width ({lo:g} to {hi:g})", path,
                             line, accepted="#M rows with at least two different positions")
        labels = {v: label for v, label in anchors if label}
        ids[key] = slugs(key)
        name = (fields[1] if len(fields) > 1 else "") or key
        issues[key] = Issue(id=ids[key], name=name,
                            description=fields[2] if len(fields) > 2 else "",
                            scale=Scale(min=lo, max=hi, anchors=labels))
    unknown = set(parsed.anchors) - set(parsed.issues)
    if unknown:
        raise InputError("'#M' row for an issue with no '#P' row", path, None, "issue",
                         sorted(unknown)[0], "issues declared with #P")
    return issues, ids


def _stances(parsed, path, issues, ids, actor_ids, salience_scale):
    stances, power, seen = [], {}, set()
    for line, f in parsed.rows:
        actor, issue = f[0], f[1]
        if actor not in parsed.actors:
            raise InputError("unknown actor", path, line, "actor", actor,
                             "an actor declared with #A: " + ", ".join(parsed.actors))
        if issue not in parsed.issues:
            raise InputError("unknown issue", path, line, "issue", issue,
                             "an issue declared with #P: " + ", ".join(parsed.issues))
        if (actor, issue) in seen:
            raise InputError(f"second '#D' row for '{actor}' on '{issue}'", path, line,
                             accepted="one #D row per actor and issue")
        seen.add((actor, issue))
        scale = issues[issue].scale
        pos = number(f[2], path, line, "position")
        if not scale.contains(pos):
            raise InputError("position outside the issue's #M range", path, line, "position", pos,
                             f"a number from {scale.min:g} to {scale.max:g}")
        sal = _sal(f, path, line)
        pwr = number(f[4], path, line, "power", "a number from 0 (excluded) to 100")
        if not 0 <= sal <= 100:
            raise InputError("salience outside 0-100", path, line, "salience", sal,
                             "a number from 0 to 100")
        if not 0 < pwr <= 100:
            raise InputError("power outside (0, 100]", path, line, "power", pwr,
                             "a number greater than 0 and at most 100")
        if actor in power and power[actor][0] != pwr:
            raise InputError(f"power of '{actor}' differs between issues ({power[actor][0]:g} on "
                             f"line {power[actor][1]}, {pwr:g} here)", path, line, "power", pwr,
                             "one power per actor (Accord holds one capability per actor)")
        power.setdefault(actor, (pwr, line))
        stances.append(Stance(actor=actor_ids[actor], issue=ids[issue], position=pos,
                              salience=sal / salience_scale,
                              rationale=f[5] if len(f) > 5 else ""))
    return stances, power


def write(scenario: Scenario) -> tuple[str, list[str]]:
    """Write a scenario as a decide input file (tabs, single quotes)."""
    def q(text: str) -> str:
        return "'" + str(text).replace("'", "’").replace("\t", " ").replace("\n", " ") + "'"

    lines = [f"'#O'\t{q(line)}" for line in scenario.description.splitlines() if line.strip()]
    for actor in scenario.actors:
        lines.append("\t".join(["'#A'", q(actor.id), q(actor.name), q(actor.description)]))
    for issue in scenario.issues:
        lines.append("\t".join(["'#P'", q(issue.id), q(issue.name), q(issue.description)]))
        points = {issue.scale.min: "", issue.scale.max: "", **issue.scale.anchors}
        for value in sorted(points):
            meaning = f"\t{q(points[value])}" if points[value] else ""
            lines.append(f"'#M'\t{q(issue.id)}\t{fmt(value)}{meaning}")
    top = max(a.capability for a in scenario.actors)
    factor = 100 / top if top > 100 else 1.0
    capability = {a.id: a.capability * factor for a in scenario.actors}
    for s in scenario.stances:
        comment = f"\t{q(s.rationale)}" if s.rationale else ""
        lines.append("\t".join(["'#D'", q(s.actor), q(s.issue), fmt(s.position), fmt(s.salience),
                                fmt(capability[s.actor])]) + comment)
    notes = []
    if factor != 1.0:
        notes.append("decide reads power on 0-100: capabilities were scaled so the largest is 100")
    return "\n".join(lines) + "\n", notes
