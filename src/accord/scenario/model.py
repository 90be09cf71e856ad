"""The scenario: actors, issues, stances, and what happens around the table.

A scenario file (YAML, ``accord: 1``) is parsed into these pydantic models. Cross-references
(stances naming actors and issues, incentives naming issues) are checked in
:meth:`Scenario.check_references`, so that every error names the field that is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from accord.scenario import limits

# Terminal controls (C0 but tab, newline and carriage return; DEL; C1) and the bidirectional
# embeddings, overrides and isolates that can make a name display as another ("Trojan Source").
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_IN_TEXT = re.compile(f"[{_CONTROLS}]")
_IN_NAME = re.compile(f"[{_CONTROLS}\t\n\r]")
MAGNITUDE = 1e15  # the largest number a scenario may hold: sums and products stay finite


def _check_text(value: str, pattern: re.Pattern, what: str) -> str:
    found = pattern.search(value)
    if found:
        code = ord(found.group())
        raise ValueError(f"{what} contains the control character U+{code:04X} at character "
                         f"{found.start() + 1}; only printable text is accepted")
    return value


def _text(value: str) -> str:
    return _check_text(value, _IN_TEXT, "the text")


def _line(value: str) -> str:
    return _check_text(value, _IN_NAME, "a one-line name")


Text = Annotated[str, Field(max_length=10_000), AfterValidator(_text)]
Name = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_line)]
Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="Letters, digits, '_', '-' and '.', starting with a letter or digit.",
    ),
]
Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Finite = Annotated[float, Field(ge=-MAGNITUDE, le=MAGNITUDE, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0.0, le=MAGNITUDE, allow_inf_nan=False)]


class Strict(BaseModel):
    """Base for every scenario record: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Role(str, Enum):
    """What an actor is at the table."""

    party = "party"
    mediator = "mediator"
    host = "host"
    accompanying = "accompanying"
    external = "external"
    spoiler = "spoiler"
    other = "other"


class Actor(Strict):
    """Someone who can move the outcome."""

    id: Identifier
    name: Name
    role: Role = Role.other
    capability: Positive = Field(
        description="Relative power to move outcomes; any positive number up to 1e15, only "
        "ratios matter."
    )
    description: Text = ""
    aliases: list[Annotated[str, Field(max_length=200), AfterValidator(_line)]] = Field(
        default_factory=list)
    sources: list[Text] = Field(default_factory=list)


class Scale(Strict):
    """The numeric scale of an issue, with labelled anchor points."""

    min: Finite = 0.0
    max: Finite = 100.0
    unit: Annotated[str, Field(max_length=100), AfterValidator(_line)] = ""
    anchors: dict[Finite, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.max > self.min:
            raise ValueError(f"scale max ({self.max}) must be greater than min ({self.min})")
        for value in self.anchors:
            if not self.min <= value <= self.max:
                raise ValueError(f"anchor {value} lies outside the scale [{self.min}, {self.max}]")
        return self

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies on the scale."""
        return self.min <= value <= self.max


class OffTable(Strict):
    """A region of an issue's scale that no agreement may reach, and why."""

    label: Name
    low: Finite
    high: Finite
    reason: Text = ""
    sources: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> OffTable:
        if self.high < self.low:
            raise ValueError(f"off_table high ({self.high}) is below low ({self.low})")
        return self


class Issue(Strict):
    """One item on the agenda, on a one-dimensional scale."""

    id: Identifier
    name: Name
    description: Text = ""
    scale: Scale = Field(default_factory=Scale)
    status_quo: Finite | None = Field(
        default=None, description="Where the issue stands if nothing is agreed; null if unknown."
    )
    off_table: list[OffTable] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _on_scale(self) -> Issue:
        if self.status_quo is not None and not self.scale.contains(self.status_quo):
            raise ValueError(
                f"status_quo {self.status_quo} lies outside the scale "
                f"[{self.scale.min}, {self.scale.max}]"
            )
        for item in self.off_table:
            if item.low < self.scale.min or item.high > self.scale.max:
                raise ValueError(f"off_table '{item.label}' reaches outside the scale")
        return self

    def off_table_at(self, value: float) -> OffTable | None:
        """The off-table region containing ``value``, if any."""
        return next((o for o in self.off_table if o.low <= value <= o.high), None)


class Uncertainty(Strict):
    """How unsure the coder is: a plausible range for the position, optionally for salience."""

    low: Finite
    high: Finite
    salience_low: Unit | None = None
    salience_high: Unit | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Uncertainty:
        if self.high < self.low:
            raise ValueError(f"uncertainty high ({self.high}) is below low ({self.low})")
        lo, hi = self.salience_low, self.salience_high
        if (lo is None) != (hi is None):
            raise ValueError("give both salience_low and salience_high, or neither")
        if lo is not None and hi is not None and hi < lo:
            raise ValueError(f"salience_high ({hi}) is below salience_low ({lo})")
        return self


class RedLine(Strict):
    """What an actor will never sign on an issue: only texts with ``issue op value`` will do."""

    op: Literal[">=", "<="]
    value: Finite
    rationale: Text = ""


class Stance(Strict):
    """An actor's position on an issue and how much it cares (salience, 0 to 1)."""

    actor: Identifier
    issue: Identifier
    position: Finite
    salience: Unit
    uncertainty: Uncertainty | None = None
    red_line: RedLine | None = Field(
        default=None, description="A hard limit: the simulation never lets this actor sign a "
        "text beyond it. It must admit the actor's own position.")
    rationale: Text = ""
    sources: list[Text] = Field(default_factory=list)


class Event(Strict):
    """A dated thing that happened (or is reported), coded by type."""

    date: dt.date
    actor: Identifier
    type: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_line)]
    target: Annotated[str, Field(max_length=500), AfterValidator(_line)] | None = None
    issue: Identifier | None = None
    text: Text = ""
    source: Text = ""


class Condition(Strict):
    """A threshold on an issue: ``issue`` ``op`` ``threshold``."""

    issue: Identifier
    op: Literal[">=", "<="] = ">="
    threshold: Finite


class Incentive(Strict):
    """A conditional incentive: an actor moves on one issue once another issue crosses a line.

    Example: the United States moves to 50 on sanctions relief once electoral guarantees reach 60.
    """

    id: Identifier
    actor: Identifier
    issue: Identifier
    position: Finite | None = None
    salience: Unit | None = None
    when: Condition
    credibility: Unit = 1.0
    offered: dt.date | None = Field(
        default=None, description="When the offer was made: the simulation counts it from this "
        "date. Null: only a shock switches it on.")
    description: Text = ""
    sources: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _moves_something(self) -> Incentive:
        if self.position is None and self.salience is None:
            raise ValueError("an incentive must set a position, a salience, or both")
        return self


class Change(Strict):
    """One change. With ``actor`` and ``issue``: the stance; ``actor`` alone: the actor's
    capability; ``issue`` alone: the issue's status quo."""

    actor: Identifier | None = None
    issue: Identifier | None = None
    position: Finite | None = None
    salience: Unit | None = None
    capability: Positive | None = None
    status_quo: Finite | None = None
    rationale: Text = ""
    source: Text = ""

    @model_validator(mode="after")
    def _coherent(self) -> Change:
        if self.actor is None and self.issue is None:
            raise ValueError("a change names an actor, an issue, or both")
        if self.actor and self.issue and (self.position is None and self.salience is None):
            raise ValueError("a stance change sets a position, a salience, or both")
        if self.actor and not self.issue and self.capability is None:
            raise ValueError("an actor change sets a capability")
        if self.issue and not self.actor and self.status_quo is None:
            raise ValueError("an issue change sets a status_quo")
        return self


class Effect(Strict):
    """What a shock does to a party in the simulation: its outside option (the value of walking
    out, on the 0-1 utility scale) and its trust in the other parties."""

    actor: Identifier
    outside_option: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)] = 0.0
    trust: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)] = 0.0
    rationale: Text = ""


class Shock(Strict):
    """A what-if: actors walk out, numbers change, conditional incentives are switched on."""

    id: Identifier
    label: Annotated[str, Field(max_length=500), AfterValidator(_line)] = ""
    description: Text = ""
    date: dt.date | None = None
    leave: list[Identifier] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    incentives: list[Identifier] = Field(default_factory=list)
    effects: list[Effect] = Field(
        default_factory=list, description="Effects on parties' outside options and trust, used by "
        "the simulation, where walking out is the parties' own decision.")
    sources: list[Text] = Field(default_factory=list)


class Agreement(Strict):
    """What counts as an agreement: these parties at the table and every condition met."""

    parties: list[Identifier] = Field(default_factory=list)
    conditions: list[Condition] = Field(min_length=1)
    description: Text = ""


class Round(Strict):
    """A dated round of talks at a venue."""

    date: dt.date
    venue: Annotated[str, Field(max_length=500), AfterValidator(_line)] = ""
    label: Annotated[str, Field(max_length=500), AfterValidator(_line)] = ""
    source: Text = ""


class Scenario(Strict):
    """A negotiation: who is at the table, what is on it, and where everyone stands."""

    accord: Literal[1] = Field(description="Format version; always 1 for now.")
    id: Identifier
    name: Name
    description: Text = ""
    as_of: dt.date | None = None
    sources: list[Text] = Field(default_factory=list)
    actors: list[Actor] = Field(min_length=1)
    issues: list[Issue] = Field(min_length=1)
    stances: list[Stance] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    incentives: list[Incentive] = Field(default_factory=list)
    rounds: list[Round] = Field(default_factory=list)
    shocks: list[Shock] = Field(default_factory=list)
    agreement: Agreement | None = None

    @model_validator(mode="before")
    @classmethod
    def _within_limits(cls, data):
        if isinstance(data, dict):
            sizes = [data.get(key) for key in ("actors", "issues", "stances")]
            limits.check_counts(*(len(v) if isinstance(v, list) else 0 for v in sizes))
        return data

    @field_validator("actors", "issues", "incentives", "shocks")
    @classmethod
    def _unique_ids(cls, items: list) -> list:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise ValueError(f"duplicate id '{item.id}'")
            seen.add(item.id)
        return items

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id."""
        return next(a for a in self.actors if a.id == actor_id)

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id."""
        return next(i for i in self.issues if i.id == issue_id)

    def stance(self, actor_id: str, issue_id: str) -> Stance | None:
        """The stance of an actor on an issue, or None if it takes no part in it."""
        return next(
            (s for s in self.stances if s.actor == actor_id and s.issue == issue_id), None
        )
