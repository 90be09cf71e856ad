"""KTAB's SMP scenario CSV (``SMPModel::csvRead``; see shared/models/smp.md section 2.1).

Line 1: name, description, number of actors, number of dimensions. Line 2: a header whose
position columns name the dimensions. Then one row per actor: name, description, capability,
and a position (0-100) and salience (0-100) per dimension; an actor's saliences sum to at most 100.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from accord.scenario import limits
from accord.scenario.errors import InputError
from accord.scenario.formats.common import (
    Slugs,
    check_delimiter,
    csv_rows,
    fmt,
    number,
    slugify,
    text_cell,
)
from accord.scenario.model import Actor, Issue, Scale, Scenario, Stance

NAME = "ktab"
SALIENCE_SUM_TOLERANCE = 1e-6
NAME_LENGTH = 25  # KTAB's longest actor name


def looks_like(text: str) -> bool:
    """KTAB files start with name, description, actor count and dimension count."""
    try:
        rows = _rows("\n".join(text.splitlines()[:2]), "<probe>")
    except InputError:
        return False
    return len(rows) >= 2 and len(rows[0]) >= 4 and all(
        re.fullmatch(r"\d+", v) for v in rows[0][2:4]
    ) and rows[1][:1] == ["Actor"]


def _rows(text: str, path) -> list[list[str]]:
    rows = csv_rows(text, path, skipinitialspace=True)
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    return rows


def read(text: str, path: str | Path = "<ktab>") -> Scenario:
    """Read a KTAB CSV scenario."""
    lines = text.splitlines()
    check_delimiter(lines[0], ",", path, 1, "KTAB CSV")
    rows = _rows(text, path)
    head = rows[0]
    if len(head) < 4:
        raise InputError("the first line needs name, description, actor count, dimension count",
                         path, 1, value=",".join(head), accepted="e.g. 'Name,Description,7,3,'")
    n_actors = _count(head[2], path, "number of actors")
    n_dims = _count(head[3], path, "number of dimensions")
    limits.check_counts(n_actors, n_dims, n_actors * n_dims, path)
    header = rows[1] if len(rows) > 1 else []
    width = 3 + 2 * n_dims
    if len(header) < width:
        raise InputError(f"the header has {len(header)} columns, {n_dims} dimensions need {width}",
                         path, 2, accepted="Actor, Description, Influence, then position and "
                         "salience headers per dimension")
    body = [(i + 3, r) for i, r in enumerate(rows[2:]) if r]
    if len(body) != n_actors:
        raise InputError(f"line 1 announces {n_actors} actors but {len(body)} rows follow", path, 1,
                         accepted="an actor count equal to the number of actor rows")
    issues, slugs = [], Slugs()
    for d in range(n_dims):
        name = header[3 + 2 * d] or f"Dimension {d + 1}"
        issues.append(Issue(id=slugs(name), name=name, scale=Scale(min=0, max=100)))
    actors, stances, slugs = [], [], Slugs()
    for line, row in body:
        actor, actor_stances = _actor_row(row, line, width, issues, slugs, path)
        actors.append(actor)
        stances.extend(actor_stances)
    return Scenario(accord=1, id=slugify(head[0]), name=head[0] or "KTAB scenario",
                    description=head[1], actors=actors, issues=issues, stances=stances)


def _count(text: str, path, what: str) -> int:
    if not re.fullmatch(r"[0-9]{1,9}", text) or int(text) < 1:
        raise InputError(f"{what} is not a positive whole number", path, 1, what, text,
                         "a whole number of at least 1")
    return int(text)


def _actor_row(row, line, width, issues, slugs, path):
    if len(row) != width:
        raise InputError(f"this row has {len(row)} fields", path, line, value=",".join(row)[:60],
                         accepted=f"{width} fields: name, description, capability, "
                         "then position and salience per dimension")
    name = row[0]
    if not 1 <= len(name) <= NAME_LENGTH:
        raise InputError(f"actor names must be 1 to {NAME_LENGTH} characters", path, line,
                         "Actor", name, f"a name of 1 to {NAME_LENGTH} characters")
    capability = number(row[2], path, line, "capability", "a number greater than 0")
    if not 0 < capability <= 1e8:
        raise InputError("capability out of range", path, line, "capability", row[2],
                         "a number greater than 0 and at most 1e8")
    actor = Actor(id=slugs(name), name=name, description=row[1], capability=capability)
    stances, total = [], 0.0
    for d, issue in enumerate(issues):
        pos = number(row[3 + 2 * d], path, line, f"{issue.name}", "a number from 0 to 100")
        sal = number(row[4 + 2 * d], path, line, f"salience of {issue.name}",
                     "a number from 0 to 100")
        for value, what in ((pos, issue.name), (sal, f"salience of {issue.name}")):
            if not 0 <= value <= 100:
                raise InputError("value outside 0-100", path, line, what, value,
                                 "a number from 0 to 100")
        total += sal
        stances.append(Stance(actor=actor.id, issue=issue.id, position=pos, salience=sal / 100))
    if total > 100 + SALIENCE_SUM_TOLERANCE:
        raise InputError(f"saliences of '{name}' sum to {total:g}, over 100", path, line,
                         accepted="saliences that sum to at most 100 across dimensions")
    return actor, stances


def write(scenario: Scenario) -> tuple[str, list[str]]:
    """Write a scenario as KTAB CSV. Returns the text and notes on what KTAB cannot hold."""
    notes: list[str] = []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([text_cell(scenario.name), text_cell(scenario.description),
                     len(scenario.actors), len(scenario.issues), ""])
    header = ["Actor", "Description", "Influence"]
    for issue in scenario.issues:
        header += [text_cell(issue.name), text_cell(_salience_header(issue.name))]
    writer.writerow(header)
    lookup = {(s.actor, s.issue): s for s in scenario.stances}
    masked = rescaled = squeezed = 0
    names = short_names([a.name for a in scenario.actors], notes)
    for actor, short in zip(scenario.actors, names):
        cells, sal = [], []
        for issue in scenario.issues:
            stance = lookup.get((actor.id, issue.id))
            lo, hi = issue.scale.min, issue.scale.max
            rescaled += (lo, hi) != (0, 100)
            if stance is None:
                masked += 1
                cells.append(50.0)
                sal.append(0.0)
            else:
                cells.append((stance.position - lo) / (hi - lo) * 100)
                sal.append(stance.salience * 100)
        if sum(sal) > 100 + SALIENCE_SUM_TOLERANCE:
            squeezed += 1
            sal = [s * 100 / sum(sal) for s in sal]
        row = [text_cell(short), text_cell(actor.description), fmt(actor.capability)]
        for p, s in zip(cells, sal):
            row += [fmt(p), fmt(s)]
        writer.writerow(row)
    if masked:
        notes.append(f"KTAB CSV has no 'no stance': {masked} missing stances written as "
                     "salience 0 at position 50")
    if rescaled:
        notes.append("KTAB CSV positions are on 0-100: other scales were rescaled linearly")
    if squeezed:
        notes.append(f"KTAB saliences sum to at most 100 per actor: {squeezed} actors' saliences "
                     "were scaled down proportionally")
    return out.getvalue(), notes


def short_names(names: list[str], notes: list[str]) -> list[str]:
    """Names of at most 25 characters, all different: a longer name is cut and, where two would
    then coincide, ends in ``~2``, ``~3``...; a note lists what was shortened."""
    taken = {n for n in names if len(n) <= NAME_LENGTH}
    out, changed = [], []
    for name in names:
        short, n = name[:NAME_LENGTH], 1
        if len(name) > NAME_LENGTH:
            while short in taken:
                n += 1
                short = f"{name[:NAME_LENGTH - len(str(n)) - 1]}~{n}"
            taken.add(short)
            changed.append(f"'{name}' -> '{short}'")
        out.append(short)
    if changed:
        notes.append(f"KTAB actor names hold at most {NAME_LENGTH} characters: {len(changed)} "
                     f"shortened ({'; '.join(changed[:3])}{'; ...' if len(changed) > 3 else ''})")
    return out


def _salience_header(name: str) -> str:
    if name.endswith("Position"):
        return name[: -len("Position")] + "Salience"
    match = re.fullmatch(r"Pstn(\d+)", name)
    return f"Sal{match.group(1)}" if match else f"{name} Salience"
