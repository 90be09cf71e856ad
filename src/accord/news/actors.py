"""Names the scenario does not know, scored as candidate actors (a person or an organisation).

A capitalised name of two to four words is a candidate. Evidence for and against it being an
actor is added up (weights in ``EVIDENCE``): it speaks (is quoted, or said/told something), it
carries a role ("opposition leader Freddy Guevara", "his predecessor, Donald Trump"), it ends like
an organisation ("... University", "... Party"); or it ends like a document or an agreement
("National Salvation Agreement"), a field of study ("Political Studies"), it stands in quotation
marks (a title), or it follows "in", "at" or "from" (a place). Only candidates scoring at least
``THRESHOLD`` are proposed as new actors; the others are listed with their score and reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

THRESHOLD = 1.0
EVIDENCE = {"quoted": 2.0, "speaks": 1.5, "role": 1.5, "organisation": 1.5, "person-like": 0.5,
            "document": -3.0, "field of study": -3.0, "in quotation marks": -1.5, "place": -1.5,
            "time": -3.0}

NAME = re.compile(r"\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+){1,3})\b")
ORGANISATION = set("""party council ministry university union movement front committee commission
assembly government agency army court church bank institute foundation association alliance
coalition platform group organization organisation office federation forces guard police
congress parliament senate tribunal company corporation network centre center fund
programme""".split())
DOCUMENT = set("""agreement agreements accord accords memorandum treaty plan act law declaration
protocol pact charter constitution resolution report deal convention framework roadmap statute
decree bill strategy document agenda manifesto""".split())
FIELD = set("""studies science sciences economics politics history relations sociology philosophy
engineering medicine journalism humanities anthropology psychology mathematics""".split())
TIME = set("""monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december""".split())
ROLE = re.compile(r"\b(leader|president|minister|director|spokes(?:man|woman|person)|envoy|"
                  r"ambassador|chief|head|negotiator|official|senator|governor|mayor|general|"
                  r"commander|secretary|figure|activist|analyst|predecessor|successor|lawyer|"
                  r"deputy|lawmaker|candidate|founder|chairman|chairwoman|professor|Mr\.?|Mrs\.?|"
                  r"Ms\.?|Dr\.?)\W{0,3}(?:\w+\W{1,3}){0,1}$", re.I)
SPEAKS_AFTER = re.compile(r"^\W{0,3}(said|says|told|added|announced|stated|wrote|argued|warned|"
                          r"insisted|explained)\b", re.I)
SPEAKS_BEFORE = re.compile(r"\b(said|says|according to|told|added)\W{0,3}$", re.I)
PLACE_BEFORE = re.compile(r"\b(in|at|from|near|to)\s+(the\s+)?$", re.I)
QUOTE_MARKS = "“\"‘«"
LEADING = set("""the a an in on at for but and this that these those his her their its our when
while after before just as if with by from of to""".split())


@dataclass
class Candidate:
    """A name the scenario does not know, its score as an actor and the evidence."""

    name: str
    score: float
    kind: str  # person, organisation, document, field of study, place, time or unknown
    reasons: list[str] = field(default_factory=list)

    @property
    def proposed(self) -> bool:
        """Whether the name is proposed as a new actor."""
        return self.score >= THRESHOLD


def candidates(paragraphs: list[str], known: list[str], speakers: list[str]) -> list[Candidate]:
    """Every unknown capitalised name in ``paragraphs``, scored (known: mentions' texts)."""
    known_text = {k.lower() for k in known}
    found: dict[str, set[str]] = {}
    for paragraph in paragraphs:
        for m in NAME.finditer(paragraph):
            name = _without_article(m.group(1))
            if name is None or any(k in name.lower() or name.lower() in k for k in known_text):
                continue
            found.setdefault(name, set()).update(_evidence(paragraph, m, name, speakers))
    return [_score(name, reasons) for name, reasons in found.items()]


def _without_article(name: str) -> str | None:
    """The name without a leading capitalised function word ("The", "In", ...), if two words
    or more remain."""
    words = name.split()
    while words and words[0].lower() in LEADING:
        words.pop(0)
    return " ".join(words) if len(words) >= 2 else None


def _evidence(text: str, m: re.Match, name: str, speakers: list[str]) -> set[str]:
    before, after = text[max(0, m.start() - 40):m.start()], text[m.end():m.end() + 30]
    words = name.lower().split()
    found = set()
    if name in speakers:
        found.add("quoted")
    if SPEAKS_AFTER.search(after) or SPEAKS_BEFORE.search(before):
        found.add("speaks")
    if ROLE.search(before):
        found.add("role")
    if words[-1] in ORGANISATION:
        found.add("organisation")
    if words[-1] in DOCUMENT:
        found.add("document")
    if words[-1] in FIELD:
        found.add("field of study")
    if any(w in TIME for w in words):
        found.add("time")
    if before.rstrip()[-1:] and before.rstrip()[-1] in QUOTE_MARKS:
        found.add("in quotation marks")
    if PLACE_BEFORE.search(before):
        found.add("place")
    if not found & {"organisation", "document", "field of study", "time"} and len(words) <= 4:
        found.add("person-like")
    return found


def _score(name: str, reasons: set[str]) -> Candidate:
    score = sum(EVIDENCE[r] for r in reasons)
    kinds = ["document", "field of study", "time", "organisation", "place"]
    kind = next((k for k in kinds if k in reasons), None)
    if kind is None:
        kind = "person" if reasons & {"quoted", "speaks", "role"} else "unknown"
    return Candidate(name, round(score, 2), kind, sorted(reasons))
