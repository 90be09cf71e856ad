"""A plain table: ``actor,capability,position,salience[,issue]`` with a header row.

Saliences may be on 0-1 or 0-100: if any exceeds 1 the column is read as 0-100, and the reader
says so. Positions lie on 0-100 when they all fit, otherwise on their own minimum to maximum.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from accord.scenario import limits
from accord.scenario.errors import InputError
from accord.scenario.formats.common import (
    Slugs,
    check_delimiter,
    csv_rows,
    fmt,
    name_of,
    number,
    slugify,
    text_cell,
)
from accord.scenario.model import Actor, Issue, Scale, Scenario, Stance

NAME = "table"
COLUMNS = ("actor", "capability", "position", "salience")
ACCEPTED_HEADER = "a header 'actor,capability,position,salience' with an optional 'issue' column"


def looks_like(text: str) -> bool:
    """A header row naming the four required columns."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    names = {c.strip().lower() for c in first.split(",")}
    return set(COLUMNS) <= names


def read(text: str, path: str | Path = "<table>") -> tuple[Scenario, list[str]]:
    """Read an actor table. Returns the scenario and notes on how it was read."""
    lines = text.splitlines()
    check_delimiter(lines[0], ",", path, 1, "a table")
    rows = csv_rows(text, path, skipinitialspace=True)
    limits.check("rows", len(rows) - 1, "stances", path)
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in (*COLUMNS, "issue")]
    if missing or unknown:
        problem = f"missing column '{missing[0]}'" if missing else f"unknown column '{unknown[0]}'"
        raise InputError(problem, path, 1, value=",".join(rows[0]), accepted=ACCEPTED_HEADER)
    col = {name: header.index(name) for name in header}
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"this row has {len(row)} fields, the header {len(header)}", path,
                             line, accepted="one value per header column")
        records.append((line, row))
    if not records:
        raise InputError("the table has a header but no rows", path, 2,
                         accepted="one row per actor (and issue)")
    return _build(records, col, path)


def _build(records, col, path):
    values = []
    for line, row in records:
        cap = number(row[col["capability"]], path, line, "capability", "a number greater than 0")
        pos = number(row[col["position"]], path, line, "position")
        sal = number(row[col["salience"]], path, line, "salience", "a number from 0 to 100")
        if cap <= 0:
            raise InputError("capability must be positive", path, line, "capability", cap,
                             "a number greater than 0")
        if not 0 <= sal <= 100:
            raise InputError("salience outside 0-100", path, line, "salience", sal,
                             "a number from 0 to 1, or from 0 to 100")
        issue = row[col["issue"]].strip() if "issue" in col else "issue"
        values.append((line, row[col["actor"]].strip(), issue, cap, pos, sal))
    top = max(v[5] for v in values)
    scale_factor = 100.0 if top > 1 else 1.0
    notes = [f"saliences read on 0-{scale_factor:g} (largest value {top:g})"]
    actors, issues, stances = {}, {}, []
    actor_ids, issue_ids, seen = Slugs(), Slugs(), set()
    for line, name, issue_name, cap, pos, sal in values:
        if not name:
            raise InputError("empty actor name", path, line, "actor", accepted="a name")
        if name in actors and actors[name].capability != cap:
            raise InputError(f"capability of '{name}' differs between rows", path, line,
                             "capability", cap, "one capability per actor")
        if name not in actors:
            actors[name] = Actor(id=actor_ids(name), name=name, capability=cap)
        if issue_name not in issues:
            issues[issue_name] = issue_ids(issue_name or "issue")
        if (name, issue_name) in seen:
            raise InputError(f"second row for '{name}' on '{issue_name}'", path, line,
                             accepted="one row per actor and issue")
        seen.add((name, issue_name))
        stances.append(Stance(actor=actors[name].id, issue=issues[issue_name], position=pos,
                              salience=sal / scale_factor))
    limits.check_counts(len(actors), len(issues), len(stances), path)
    built = [Issue(id=iid, name=name or iid, scale=_scale([s.position for s in stances
                                                             if s.issue == iid]))
             for name, iid in issues.items()]
    name = name_of(path, "table")
    return Scenario(accord=1, id=slugify(name), name=name, actors=list(actors.values()),
                    issues=built, stances=stances), notes


def _scale(positions: list[float]) -> Scale:
    lo, hi = min(positions), max(positions)
    if lo >= 0 and hi <= 100:
        return Scale(min=0, max=100)
    return Scale(min=lo, max=hi if hi > lo else lo + 1)


def write(scenario: Scenario) -> tuple[str, list[str]]:
    """Write the scenario's stances as a table (saliences on 0-1)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    many = len(scenario.issues) > 1
    writer.writerow([*COLUMNS, "issue"] if many else COLUMNS)
    notes = ["a table holds no scales, status quo, roles, events or rationales"]
    actors = {a.id: a for a in scenario.actors}
    names = _row_names({a.id: a.name for a in scenario.actors}, "actor", notes)
    issue_names = _row_names({i.id: i.name for i in scenario.issues}, "issue", notes)
    for s in scenario.stances:
        row = [text_cell(names[s.actor]), fmt(actors[s.actor].capability), fmt(s.position),
               fmt(s.salience)]
        writer.writerow([*row, text_cell(issue_names[s.issue])] if many else row)
    return out.getvalue(), notes


def _row_names(names: dict[str, str], what: str, notes: list[str]) -> dict[str, str]:
    """Rows name actors and issues; where two share a name, their ids stand in, so that reading
    the table back does not merge them."""
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    shared = sorted({name for name, count in counts.items() if count > 1})
    if shared:
        more = ", ..." if len(shared) > 3 else ""
        notes.append(f"{what} names shared by several ids are written as their ids: "
                     + ", ".join(f"'{n}'" for n in shared[:3]) + more)
    return {key: key if counts[name] > 1 else name for key, name in names.items()}
