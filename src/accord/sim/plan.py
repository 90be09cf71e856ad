"""What a simulation plays: the calendar of rounds and the events scheduled into it.

From a scenario: its dated rounds (venue, label); goodwill gestures from its coded events; the
conditional incentives it says were offered (``offered`` date); and its dated shocks that fall
inside the calendar, with their ``effects`` on outside options and trust. An event counts from
the first round on or after its date; events after the last round are listed in ``notes``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from accord.scenario.model import Scenario

GESTURE_TYPES = frozenset({"release_prisoner", "release_prisoners", "goodwill_gesture",
                           "humanitarian_gesture", "gesture"})


@dataclass(frozen=True)
class RoundSpec:
    """A round of talks: when, where, and what it was called."""

    date: dt.date | None = None
    venue: str = ""
    label: str = ""


@dataclass(frozen=True)
class Gesture:
    """A goodwill gesture by a party, at the opening of a round."""

    round: int
    author: str
    label: str


@dataclass(frozen=True)
class ShockEffect:
    """A shock's effect on one party, at the opening of a round."""

    round: int
    shock: str
    party: str
    outside_option: float
    trust: float
    label: str


@dataclass(frozen=True)
class Plan:
    """The calendar, and what happens when."""

    rounds: tuple[RoundSpec, ...]
    gestures: tuple[Gesture, ...] = ()
    effects: tuple[ShockEffect, ...] = ()
    offers: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = ()

    def without_events(self) -> Plan:
        """The same calendar with no gesture, shock or incentive."""
        return Plan(self.rounds)

    def offer_round(self, bonus_id: str) -> int | None:
        """The round from which an incentive counts (None: never in this calendar)."""
        return next((r for b, r in self.offers if b == bonus_id), None)


def plain(rounds: int, incentives: Sequence[str] = ()) -> Plan:
    """Undated rounds, no gesture or shock, and ``incentives`` offered from the start (the
    benchmark domains)."""
    return Plan(tuple(RoundSpec(label=f"Round {r + 1}") for r in range(rounds)),
                offers=tuple((i, 0) for i in incentives))


def round_of(rounds: Sequence[RoundSpec], date: dt.date | None) -> int | None:
    """The first round on or after ``date`` (0 if undated; None if after the last round)."""
    if date is None or rounds[0].date is None:
        return 0
    return next((r for r, spec in enumerate(rounds) if spec.date and spec.date >= date), None)


def from_scenario(scenario: Scenario, parties: Sequence[str], shocks: Sequence[str] = (),
                  extra_rounds: int = 0) -> Plan:
    """The scenario's calendar and events; ``shocks`` names shocks to apply even if undated.

    Without ``shocks``, the dated shocks inside the calendar apply. ``extra_rounds`` adds monthly
    rounds after the last scheduled one, at its venue (what-if: the talks go on).
    """
    rounds = [RoundSpec(r.date, r.venue, r.label) for r in sorted(scenario.rounds, key=lambda r: r.date)]
    rounds = rounds or [RoundSpec(scenario.as_of, "", "Round 1")]
    for extra in range(extra_rounds):
        last = rounds[-1]
        date = None if last.date is None else last.date + dt.timedelta(days=30)
        rounds.append(RoundSpec(date, last.venue, f"Extra round {extra + 1} (what-if)"))
    notes: list[str] = []
    gestures = []
    for event in scenario.events:
        if event.type in GESTURE_TYPES and event.actor in parties:
            at = round_of(rounds, event.date)
            label = f"{event.actor}: {event.type.replace('_', ' ')} ({event.target or ''})"
            if at is None:
                notes.append(f"{label} on {event.date} falls after the last round")
            else:
                gestures.append(Gesture(at, event.actor, label))
    offers = []
    for inc in scenario.incentives:
        if inc.offered is not None:
            at = round_of(rounds, inc.offered)
            if at is not None:
                offers.append((inc.id, at))
    effects = []
    for shock in scenario.shocks:
        chosen = shock.id in shocks
        at = round_of(rounds, shock.date)
        if not chosen and (shock.date is None or at is None):
            continue
        at = 0 if at is None else at
        for inc in shock.incentives:
            offers.append((inc, at))
        for effect in shock.effects:
            if effect.actor in parties:
                effects.append(ShockEffect(at, shock.id, effect.actor, effect.outside_option,
                                           effect.trust, shock.label or shock.id))
        if shock.changes or shock.leave:
            notes.append(f"shock {shock.id}: its stance changes and forced exits are not played; "
                         "walking out is the parties' own decision")
    return Plan(tuple(rounds), tuple(gestures), tuple(effects), _first(offers), tuple(notes))


def _first(offers: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    earliest: dict[str, int] = {}
    for bonus, at in offers:
        earliest[bonus] = min(at, earliest.get(bonus, at))
    return tuple(earliest.items())
