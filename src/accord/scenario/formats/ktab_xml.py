"""KTAB's SMP scenario XML (``SMPModel::xmlRead``; shared/models/smp.md section 2.2 and
shared/data/ktab/smpSchema.xsd).

Where KTAB's own reader stops with a terse message or crashes, this one names the element and
its line: an empty ``<dCoord>``, a missing ``<capability>``, a count of coordinates that does
not match the dimensions, an unknown actor in ``<IdealAdjustment>``. A missing
``<IdealAdjustment>`` (which KTAB's code requires although the schema does not) means the
identity: ideals follow positions, as in a CSV run. Both the code's and the schema's spellings of
the model options are accepted (``Prop`` or ``Proportional``, ``None`` or ``No``).

The model options and the accommodation matrix are returned as parameters of the ``smp`` model;
a document type declaration is refused (no entity expansion).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.parsers import expat

from accord.scenario import limits
from accord.scenario.errors import InputError
from accord.scenario.formats.common import Slugs, slugify
from accord.scenario.model import Actor, Issue, Scale, Scenario, Stance

NAME = "ktab-xml"
OPTIONS = {  # KTAB element -> (smp parameter, {KTAB name: Accord name})
    "VictoryProbModel": ("victory", {"Linear": "linear", "Square": "square", "Quartic": "quartic",
                                     "Octic": "octic", "Binary": "binary"}),
    "PCEModel": ("pce", {"Conditional": "conditional", "MarkovIncentive": "markov_incentive",
                         "MarkovUniform": "markov_uniform"}),
    "StateTransitions": ("transitions", {"Deterministic": "deterministic",
                                         "Stochastic": "stochastic"}),
    "VotingRule": ("voting_rule", {"Binary": "binary", "PropBin": "prop_bin", "Prop": "prop",
                                   "Proportional": "prop", "PropCbc": "prop_cbc",
                                   "Cubic": "cubic", "ASymProsp": "asym_prosp"}),
    "BigRAdjust": ("big_r_adjust", {"Full": "full", "TwoThirds": "two_thirds", "Half": "half",
                                    "OneThird": "one_third", "None": "none", "No": "none"}),
    "BigRRange": ("big_r_range", {"Min": "min", "Mid": "mid", "Max": "max"}),
    "ThirdPartyCommit": ("third_party", {"NoCommit": "none", "SemiCommit": "semi",
                                         "FullCommit": "full"}),
    "InterVecBrgn": ("interpolation", {"S1P1": "s1p1", "S2P2": "s2p2", "S2PMax": "s2pmax"}),
    "BargnModel": ("bargain_model", {"InitOnlyInterp": "init_only",
                                     "InitRcvrInterp": "init_rcvr", "PWCompInterp": "pw_comp"}),
}


def looks_like(text: str) -> bool:
    """An XML document whose root is <Scenario>."""
    head = text.lstrip("\ufeff \t\r\n")[:500]
    return head.startswith("<") and "<Scenario" in head


def read(text: str, path: str | Path = "<ktab xml>") -> tuple[Scenario, list[str], dict]:
    """Read a KTAB XML scenario: the scenario, notes, and {"smp": parameters}."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise InputError("document type declarations are not accepted", path, None, None, None,
                         "a plain KTAB scenario XML")
    root, lines = _parse(text, path)
    doc = _Doc(path, lines)
    if root.tag != "Scenario":
        raise InputError("the root element is not <Scenario>", path, doc.line(root), None,
                         root.tag, "a KTAB scenario: <Scenario> with <Actors>")
    notes: list[str] = []
    params = _options(root, doc)
    seed = root.find("prngSeed")
    if seed is None or not (seed.text or "").strip():
        notes.append("no <prngSeed>: stochastic runs use seed 0")
    else:
        params["seed"] = doc.integer(seed, "prngSeed") % (2 ** 63)
    dims = _dimensions(root, doc)
    actors, stances, names = _actors(root, doc, dims)
    params["accommodation"] = _accommodation(root, doc, names, notes)
    name = (root.findtext("name") or "").strip() or "KTAB scenario"
    scenario = Scenario(accord=1, id=slugify(name), name=name,
                        description=(root.findtext("desc") or "").strip(), actors=actors,
                        issues=dims, stances=stances)
    return scenario, notes, {"smp": params}


def _parse(text: str, path):
    """Parse with expat, remembering the line each element starts on."""
    builder, lines = ET.TreeBuilder(), {}
    parser = expat.ParserCreate()

    def start(tag, attrs):
        lines[id(builder.start(tag, attrs))] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(text, True)
        root = builder.close()
    except (expat.ExpatError, AssertionError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError("not well-formed XML", path, line, None, None,
                         "a KTAB scenario XML document") from None
    return root, lines


class _Doc:
    """Element lookups that fail with the element's name and line."""

    def __init__(self, path, lines):
        self.path, self.lines = path, lines

    def line(self, element) -> int | None:
        return self.lines.get(id(element))

    def child(self, parent, tag: str, where: str):
        found = parent.find(tag)
        if found is None:
            raise InputError(f"<{where}> has no <{tag}>", self.path, self.line(parent), tag, None,
                             f"a <{tag}> element inside <{where}>")
        return found

    def text(self, element, where: str) -> str:
        value = (element.text or "").strip()
        if not value:
            raise InputError(f"<{element.tag}> is empty", self.path, self.line(element), where,
                             None, "a value")
        return value

    def number(self, element, where: str, low: float, high: float, accepted: str) -> float:
        raw = self.text(element, where)
        try:
            value = float(raw)
        except ValueError:
            raise InputError(f"<{element.tag}> is not a number", self.path, self.line(element),
                             where, raw, accepted) from None
        if not low <= value <= high:
            raise InputError(f"<{element.tag}> is out of range", self.path, self.line(element),
                             where, raw, accepted)
        return value

    def integer(self, element, where: str) -> int:
        raw = self.text(element, where)
        if not re.fullmatch(r"[0-9]{1,30}", raw):
            raise InputError(f"<{element.tag}> is not a whole number", self.path,
                             self.line(element), where, raw, "digits only")
        return int(raw)


def _options(root, doc: _Doc) -> dict:
    block = root.find("ModelParameters")
    if block is None:
        return {}
    params = {}
    for tag, (name, names) in OPTIONS.items():
        value = doc.text(doc.child(block, tag, "ModelParameters"), f"ModelParameters.{tag}")
        if value not in names:
            raise InputError(f"unknown {tag}", doc.path, doc.line(block.find(tag)),
                             f"ModelParameters.{tag}", value, ", ".join(names))
        params[name] = names[value]
    return params


def _dimensions(root, doc: _Doc) -> list[Issue]:
    block = doc.child(root, "Dimensions", "Scenario")
    names = [doc.text(d, "Dimensions.dName") for d in block.findall("dName")]
    if not names:
        raise InputError("<Dimensions> has no <dName>", doc.path, doc.line(block), "Dimensions",
                         None, "at least one <dName>")
    slugs = Slugs()
    return [Issue(id=slugs(n), name=n, scale=Scale(min=0, max=100)) for n in names]


def _actors(root, doc: _Doc, dims: list[Issue]):
    block = doc.child(root, "Actors", "Scenario")
    elements = block.findall("Actor")
    limits.check_counts(len(elements), len(dims), len(elements) * len(dims), doc.path)
    if len(elements) < 1:
        raise InputError("<Actors> has no <Actor>", doc.path, doc.line(block), "Actors", None,
                         "at least one <Actor>")
    actors, stances, names, slugs = [], [], [], Slugs()
    for n, element in enumerate(elements):
        where = f"Actors.Actor[{n}]"
        name = doc.text(doc.child(element, "name", "Actor"), f"{where}.name")
        cap = doc.number(doc.child(element, "capability", "Actor"), f"{where}.capability",
                         1e-300, 1e8, "a number greater than 0 and at most 1e8")
        desc = (element.findtext("description") or "").strip()
        actor = Actor(id=slugs(name), name=name, description=desc, capability=cap)
        coords = _vector(element, doc, "Position", "dCoord", len(dims), where)
        sals = _vector(element, doc, "Salience", "dSal", len(dims), where)
        if sum(sals) > 100 + 1e-6:
            raise InputError(f"the saliences of '{name}' sum to {sum(sals):g}, over 100",
                             doc.path, doc.line(element), f"{where}.Salience", sum(sals),
                             "saliences that sum to at most 100")
        actors.append(actor)
        names.append(name)
        stances += [Stance(actor=actor.id, issue=d.id, position=x, salience=s / 100)
                    for d, x, s in zip(dims, coords, sals)]
    return actors, stances, names


def _vector(actor, doc: _Doc, block: str, tag: str, dims: int, where: str) -> list[float]:
    parent = doc.child(actor, block, "Actor")
    items = parent.findall(tag)
    if len(items) != dims:
        raise InputError(f"<{block}> has {len(items)} <{tag}> for {dims} dimensions", doc.path,
                         doc.line(parent), f"{where}.{block}", len(items),
                         f"one <{tag}> per <dName>")
    return [doc.number(item, f"{where}.{block}.{tag}[{k}]", 0.0, 100.0, "a number from 0 to 100")
            for k, item in enumerate(items)]


def _accommodation(root, doc: _Doc, names: list[str], notes: list[str]) -> list[list[float]] | None:
    block = root.find("IdealAdjustment")
    if block is None:
        notes.append("no <IdealAdjustment>: ideals follow positions (KTAB's reader stops here)")
        return None
    n = len(names)
    matrix = [[float(i == j) for j in range(n)] for i in range(n)]
    for k, pair in enumerate(block.findall("iaPair")):
        where = f"IdealAdjustment.iaPair[{k}]"
        rows = []
        for tag in ("adjustingIdeal", "referencePos"):
            actor = doc.text(doc.child(pair, tag, "iaPair"), f"{where}.{tag}")
            if actor not in names:
                raise InputError("unknown actor", doc.path, doc.line(pair), f"{where}.{tag}",
                                 actor, ", ".join(names))
            rows.append(names.index(actor))
        matrix[rows[0]][rows[1]] = doc.number(doc.child(pair, "adjust", "iaPair"),
                                              f"{where}.adjust", 0.0, 1.0, "a number from 0 to 1")
    if any(sum(row) > 1 + 1e-9 for row in matrix):
        notes.append("some IdealAdjustment rows sum above 1; as in KTAB, an ideal then keeps "
                     "none of its old value")
    return matrix
