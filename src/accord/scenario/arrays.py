"""A scenario as numpy arrays: the input side of the engine contract (ARCHITECTURE.md).

Shapes: ``n`` actors, ``k`` issues, ``b`` draws. Positions are normalised to [0, 1] per issue
inside models; :meth:`ScenarioArrays.to_scale` maps results back to each issue's own scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.scenario.model import Scenario


@dataclass(frozen=True)
class Batch:
    """Model input, batched over draws.

    Attributes
    ----------
    capability : (b, n) array, positive.
    position : (b, n, k) array on [0, 1]; meaningless where ``mask`` is False.
    salience : (b, n, k) array on [0, 1].
    mask : (n, k) bool array: actor takes part in the issue (not the same as salience 0).
    status_quo : (k,) array on [0, 1], NaN where unknown.
    scale : (2, k) array, each issue's lowest and highest value, or None. Only a model that
        reproduces another program's arithmetic on the issues' own scales needs it (the exchange
        model's ``decide`` preset).
    """

    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    mask: np.ndarray
    status_quo: np.ndarray
    scale: np.ndarray | None = None

    @property
    def draws(self) -> int:
        """Number of draws ``b``."""
        return self.position.shape[0]

    def weights(self) -> np.ndarray:
        """Capability x salience, zero where masked: the (b, n, k) voting weight."""
        return self.capability[:, :, None] * self.salience * self.mask[None]


@dataclass(frozen=True)
class ScenarioArrays:
    """The numbers of a scenario, in actor and issue order, on each issue's own scale."""

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    mask: np.ndarray
    low: np.ndarray
    high: np.ndarray
    status_quo: np.ndarray

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ScenarioArrays:
        """Collect a validated scenario into arrays; missing stances are masked."""
        actors = tuple(a.id for a in scenario.actors)
        issues = tuple(i.id for i in scenario.issues)
        n, k = len(actors), len(issues)
        row = {a: i for i, a in enumerate(actors)}
        col = {a: i for i, a in enumerate(issues)}
        position = np.zeros((n, k))
        salience = np.zeros((n, k))
        mask = np.zeros((n, k), dtype=bool)
        for s in scenario.stances:
            i, j = row[s.actor], col[s.issue]
            position[i, j], salience[i, j], mask[i, j] = s.position, s.salience, True
        low = np.array([i.scale.min for i in scenario.issues], dtype=float)
        high = np.array([i.scale.max for i in scenario.issues], dtype=float)
        sq = np.array([np.nan if i.status_quo is None else i.status_quo for i in scenario.issues])
        position = np.where(mask, position, low)
        return cls(actors, issues, np.array([a.capability for a in scenario.actors]), position,
                   salience, mask, low, high, sq)

    def to_unit(self, values: np.ndarray) -> np.ndarray:
        """Map values on each issue's scale (last axis = issues) to [0, 1]."""
        return (values - self.low) / (self.high - self.low)

    def to_scale(self, values: np.ndarray) -> np.ndarray:
        """Map values on [0, 1] (last axis = issues) back to each issue's scale."""
        return self.low + values * (self.high - self.low)

    def batch(self) -> Batch:
        """The scenario as a single-draw :class:`Batch`."""
        return Batch(self.capability[None].copy(), self.to_unit(self.position)[None],
                     self.salience[None].copy(), self.mask.copy(), self.to_unit(self.status_quo),
                     np.stack([self.low, self.high]))
