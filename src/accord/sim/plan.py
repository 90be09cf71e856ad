"""What a simulation plays: the calendar of rounds and the events scheduled into it.

From a scenario: its dated rounds (venue, label); goodwill gestures from its coded events; the
conditional incentives it says were offered (``offered`` date); and its shocks, with their
``effects`` on outside options and trust. An event counts from the first round on or after its
date. A shock's date is drawn per run (:mod:`accord.sim.inputs`), so its round is too
(:meth:`Plan.shock_rounds`); a shock that falls after the last round is not played, unless it was
chosen with ``--shock``, which plays it even if undated (first round) or outside the calendar
(nearest round).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from accord.scenario.model import Scenario

GESTURE_TYPES = frozenset({"release_prisoner", "release_prisoners", "goodwill_gesture",
                           "humanitarian_gesture", "gesture"})
VARIANTS = ("as planned", "no gestures", "no incentives", "no gestures or incentives",
            "no shocks", "no events")


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
class ShockPlan:
    """A shock: when (``date``, drawn per run around it), what it does to whom (``effects``:
    party, rise of its outside option, change of its trust), the incentives it switches on, and
    its column ``index`` among the scenario's shocks."""

    id: str
    label: str
    date: dt.date | None
    chosen: bool
    effects: tuple[tuple[str, float, float], ...]
    incentives: tuple[str, ...]
    index: int


@dataclass(frozen=True)
class Plan:
    """The calendar, and what happens when."""

    rounds: tuple[RoundSpec, ...]
    gestures: tuple[Gesture, ...] = ()
    shocks: tuple[ShockPlan, ...] = ()
    offers: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = ()

    def variant(self, name: str) -> Plan:
        """The same calendar with a kind of event taken out (one of ``VARIANTS``)."""
        no_incentives = replace(self, offers=(), shocks=tuple(
            replace(s, incentives=()) for s in self.shocks))
        return {
            "as planned": self,
            "no gestures": replace(self, gestures=()),
            "no incentives": no_incentives,
            "no gestures or incentives": replace(no_incentives, gestures=()),
            "no shocks": replace(self, shocks=()),
            "no events": Plan(self.rounds, notes=self.notes),
        }[name]

    def shock_rounds(self, days: np.ndarray) -> np.ndarray:
        """(B, S) the round each of the plan's shocks falls in, given the drawn shifts of the
        scenario's shock dates ``days`` (B, all shocks); -1 where it is not played."""
        dates = [r.date for r in self.rounds]
        out = np.full((days.shape[0], len(self.shocks)), -1)
        for j, shock in enumerate(self.shocks):
            if shock.date is None or dates[0] is None:
                out[:, j] = 0
                continue
            ordinal = np.array([d.toordinal() for d in dates])
            when = shock.date.toordinal() + np.round(days[:, shock.index])
            at = np.searchsorted(ordinal, when, side="left")
            out[:, j] = np.where(at < len(dates), at, len(dates) - 1 if shock.chosen else -1)
        return out

    def offer_rounds(self, bonus_ids: Sequence[str], shock_rounds: np.ndarray) -> np.ndarray:
        """(B, nb) the round from which each bonus counts (-1: never): its offer date, or the
        first shock that switches it on."""
        out = np.full((shock_rounds.shape[0], len(bonus_ids)), -1)
        for b, bonus in enumerate(bonus_ids):
            for offered, at in self.offers:
                if offered == bonus:
                    out[:, b] = _earliest(out[:, b], np.full(len(out), at))
            for j, shock in enumerate(self.shocks):
                if bonus in shock.incentives:
                    out[:, b] = _earliest(out[:, b], shock_rounds[:, j])
        return out


def _earliest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where(a < 0, b, np.where(b < 0, a, np.minimum(a, b)))


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
    """The scenario's calendar and events; ``shocks`` names shocks to play even if undated.

    Dated shocks are played where their drawn date falls inside the calendar. ``extra_rounds``
    adds monthly rounds after the last scheduled one, at its venue (what-if: the talks go on).
    """
    rounds = [RoundSpec(r.date, r.venue, r.label)
              for r in sorted(scenario.rounds, key=lambda r: r.date)]
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
            label = event.type.replace("_", " ") + (f" ({event.target})" if event.target else "")
            if at is None:
                notes.append(f"{event.actor}'s {label} on {event.date} falls after the last round")
            else:
                gestures.append(Gesture(at, event.actor, label))
    offers = []
    for inc in scenario.incentives:
        at = None if inc.offered is None else round_of(rounds, inc.offered)
        if at is not None:
            offers.append((inc.id, at))
    planned = []
    for j, shock in enumerate(scenario.shocks):
        chosen = shock.id in shocks
        if not chosen and shock.date is None:
            continue
        effects = tuple((e.actor, e.outside_option, e.trust) for e in shock.effects
                        if e.actor in parties)
        planned.append(ShockPlan(shock.id, shock.label or shock.id, shock.date, chosen, effects,
                                 tuple(shock.incentives), j))
        if shock.changes or shock.leave:
            notes.append(f"shock {shock.id}: its stance changes and forced exits are not played; "
                         "walking out is the parties' own decision")
    return Plan(tuple(rounds), tuple(gestures), tuple(planned), tuple(offers), tuple(notes))
