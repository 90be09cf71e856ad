"""Negotiations whose outcome is known, shipped inside the package (see data/casesets/NOTICE.md).

- ``deu3``: DEU III (Arregui & Perarnaud 2021, doi:10.34810/data53, CC BY 4.0): 141 EU
  legislative proposals; one scenario per proposal, scored on each issue's actual outcome.
- ``venezuela``: the built-in Venezuela scenario as of three phases (Aug 2021, Nov 2022, Oct 2023),
  scored on what each issue came to by the end of 2024.
- ``bdm``: the emission-standards case of Bueno de Mesquita (1994); actual outcome 8.833.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

import yaml

from accord.analysis import council
from accord.scenario.catalog import load
from accord.scenario.changes import Change, apply_changes
from accord.scenario.errors import InputError
from accord.scenario.formats import read_string
from accord.scenario.model import Actor, Issue, Role, Scenario, Stance

Capability = Literal["equal", "council", "nice", "gdp"]
CAPABILITIES = ("equal", "council", "nice", "gdp")
NICE_VOTES = council.NICE
MIN_ACTORS = 3
INSTITUTIONS = {"com": "European Commission", "ep": "European Parliament"}
PUBLISHED_COMPROMISE_COUNCIL_MAE = 22.99  # the published comparison, treaty-dated Council votes


@dataclass
class Case:
    """A scenario and the real outcome of (some of) its issues, on each issue's scale."""

    case_set: str
    id: str
    scenario: Scenario
    outcomes: dict[str, float]
    notes: dict[str, str] = field(default_factory=dict)


def _text(name: str) -> str:
    return (resources.files("accord") / "data" / "casesets" / name).read_text(encoding="utf-8")


def deu3(capability: Capability = "equal") -> list[Case]:
    """DEU III, one case per proposal.

    Capabilities: ``equal`` (1 each); ``council``, the Council votes of the treaty in force on the
    proposal's date (:mod:`accord.analysis.council`: Amsterdam, the 2004 accession weights, Nice,
    or Lisbon's double majority); ``nice``, the Nice votes whatever the date; or ``gdp`` (the GDP
    row on line 2 of the file, where its maintainer gave both institutions Germany's 4.1). Under
    ``council`` and ``nice`` the Commission and the Parliament get the largest state's weight,
    as agenda-setter and co-legislator. Positions and saliences are on 0-100; an actor with a
    position but no salience takes no part in the issue (as in the published baselines). An issue
    is scored when it has an outcome and at least ``MIN_ACTORS`` actors with a position and a
    salience: the rule that gives the 351 scoreable issues of
    shared/data/deu3/baseline_forecasts.csv (two issues have only two actors).
    """
    if capability not in CAPABILITIES:
        raise InputError("unknown capability option", None, None, "--capability", capability,
                         ", ".join(CAPABILITIES))
    rows = list(csv.reader(io.StringIO(_text("deu3.tsv"), newline=""), delimiter="\t"))
    header, gdp_row, body = rows[0], rows[1], rows[2:]
    actors = [c[1:] for c in header if c.startswith("p") and c[1:] in (*INSTITUTIONS, *NICE_VOTES)]
    gdp = dict(zip(header, gdp_row))
    proposals: dict[str, list[dict]] = {}
    for line, row in enumerate(body, start=3):
        record = dict(zip(header, row))
        record["_line"] = line
        proposals.setdefault(record["prnr"], []).append(record)
    cases = []
    for records in proposals.values():
        weight = _weights(records[0], actors, capability, gdp)
        if (case := _deu3_case(records, actors, weight)) is not None:
            cases.append(case)
    return cases


def _weights(record: dict, actors: list[str], option: str, gdp: dict) -> dict[str, float]:
    if option == "equal":
        return dict.fromkeys(actors, 1.0)
    if option == "gdp":
        return {a: float(gdp["p" + a]) for a in actors}
    if option == "nice":
        return {a: float(NICE_VOTES.get(a, max(NICE_VOTES.values()))) for a in actors}
    date = council.proposal_date(record["intro"], f"deu3.tsv:{record['_line']}")
    return council.capabilities(date, actors)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _deu3_case(records, actors, weight) -> Case | None:
    issues, stances, outcomes = [], [], {}
    for r in records:
        issue_stances = []
        for a in actors:
            pos, sal = _number(r["p" + a]), _number(r["s" + a])
            if pos is not None and sal is not None:
                issue_stances.append(Stance(actor=a, issue=r["isnr"], position=pos,
                                            salience=sal / 100))
        if not issue_stances:
            continue
        issues.append(Issue(id=r["isnr"], name=r["isnr"], status_quo=_number(r["rp"]),
                            description=f"DEU III line {r['_line']}"))
        stances += issue_stances
        if _number(r["out"]) is not None and len(issue_stances) >= MIN_ACTORS:
            outcomes[r["isnr"]] = _number(r["out"])
    if not issues:
        return None
    present = {s.actor for s in stances}
    scenario = Scenario(
        accord=1, id=records[0]["prnr"], name=records[0]["prname"] or records[0]["prnr"],
        description=f"DEU III proposal {records[0]['prnr']} ({records[0]['proc']}, "
                    f"{records[0]['counvte']})",
        actors=[Actor(id=a, name=INSTITUTIONS.get(a, a.upper()), capability=weight[a],
                      role=Role.party) for a in actors if a in present],
        issues=issues, stances=stances)
    return Case("deu3", scenario.id, scenario, outcomes)


def venezuela() -> list[Case]:
    """The Venezuela talks as of each phase, scored on outcomes not yet resolved at its date."""
    spec = yaml.safe_load(_text("venezuela.yaml"))
    base = load(spec["base"]).scenario
    cases = []
    for phase in spec["phases"]:
        changes = [Change.model_validate(c) for c in phase["changes"]]
        scenario = apply_changes(base, changes, f"phase {phase['id']}")
        as_of = phase["as_of"]
        scenario = scenario.model_copy(update={"as_of": as_of, "id": f"venezuela-{phase['id']}",
                                               "name": f"{base.name}: {phase['label']}"})
        outcomes, notes = {}, {}
        for issue, o in spec["outcomes"].items():
            resolved = o.get("resolved")
            if resolved is None or resolved > as_of:
                outcomes[issue] = float(o["value"])
                notes[issue] = f"{o['status']}: {o['rationale']}"
        cases.append(Case("venezuela", phase["id"], scenario, outcomes, notes))
    return cases


def bdm() -> list[Case]:
    """The emission-standards case (BDM 1994): actual outcome 8.833."""
    loaded = read_string(_text("bdm_emission.csv"), "bdm_emission.csv", "table")
    return [Case("bdm", "emission", loaded.scenario, {"issue": 8.833},
                 {"issue": "EC emission standards for cars; outcome per BDM (1994) p. 98"})]


CASE_SETS = {"deu3": deu3, "venezuela": venezuela, "bdm": bdm}


def load_case_set(name: str, capability: Capability = "equal") -> list[Case]:
    """The cases of a named case set."""
    if name not in CASE_SETS:
        raise InputError("unknown case set", None, None, "CASESET", name,
                         ", ".join(CASE_SETS) + " or all")
    return deu3(capability) if name == "deu3" else CASE_SETS[name]()
