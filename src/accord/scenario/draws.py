"""Drawing a scenario's uncertain inputs: each draw a pure function of (seed, draw index).

Each stance's position is drawn from a triangular distribution on its stated range (``low``, mode
= the coded position, ``high``) and its salience likewise from ``salience_low``/``salience_high``.
Where nothing is stated the defaults apply: positions +-``POSITION_SPREAD`` of the issue's scale,
saliences +-``SALIENCE_SPREAD``, both clipped to their ranges. Capabilities are multiplied by a
lognormal factor with median 1 and log-sd ``CAPABILITY_SIGMA``.

Draw ``d`` is a pure function of (seed, d): its uniforms come from block ``d`` of a counter-based
Philox stream, so results do not depend on how draws are split into chunks or spread over workers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from accord.scenario.arrays import Batch, ScenarioArrays
from accord.scenario.errors import InputError
from accord.scenario.model import Scenario

POSITION_SPREAD = 0.10
SALIENCE_SPREAD = 0.10
CAPABILITY_SIGMA = 0.20


@dataclass(frozen=True)
class DrawSpec:
    """Everything needed to draw inputs: centre values and ranges, on the unit scale."""

    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    mask: np.ndarray
    status_quo: np.ndarray
    position_low: np.ndarray
    position_high: np.ndarray
    salience_low: np.ndarray
    salience_high: np.ndarray
    capability_sigma: float = CAPABILITY_SIGMA

    @classmethod
    def from_scenario(cls, scenario: Scenario, capability_sigma: float = CAPABILITY_SIGMA,
                      position_spread: float = POSITION_SPREAD,
                      salience_spread: float = SALIENCE_SPREAD) -> DrawSpec:
        """Ranges from each stance's uncertainty, or the documented defaults."""
        arrays = ScenarioArrays.from_scenario(scenario)
        x = arrays.to_unit(arrays.position)
        lo = np.clip(x - position_spread, 0, 1)
        hi = np.clip(x + position_spread, 0, 1)
        s = arrays.salience
        slo = np.clip(s - salience_spread, 0, 1)
        shi = np.clip(s + salience_spread, 0, 1)
        col = {i: j for j, i in enumerate(arrays.issue_ids)}
        row = {a: i for i, a in enumerate(arrays.actor_ids)}
        for stance in scenario.stances:
            unc, i, j = stance.uncertainty, row[stance.actor], col[stance.issue]
            if unc is None:
                continue
            lo[i, j], hi[i, j] = _unit_pair(arrays, j, unc.low, unc.high)
            if unc.salience_low is not None:
                slo[i, j], shi[i, j] = unc.salience_low, unc.salience_high
        return cls(arrays.capability, x, s, arrays.mask, arrays.to_unit(arrays.status_quo),
                   lo, hi, slo, shi, capability_sigma)

    @property
    def uniforms_per_draw(self) -> int:
        """Uniform numbers one draw consumes: a capability factor per actor, and a position and
        a salience per actor and issue."""
        n, k = self.position.shape
        return n + 2 * n * k

    def draw(self, seed: int, start: int, size: int) -> Batch:
        """Draws ``start`` to ``start + size - 1`` of the stream for ``seed``."""
        u = uniforms(seed, start, size, self.uniforms_per_draw)
        n, k = self.position.shape
        z = ndtri(np.clip(u[:, :n], 1e-12, 1 - 1e-12))
        capability = self.capability * np.exp(self.capability_sigma * z)
        up = u[:, n:n + n * k].reshape(size, n, k)
        us = u[:, n + n * k:].reshape(size, n, k)
        position = triangular(up, self.position_low, self.position, self.position_high)
        salience = triangular(us, self.salience_low, self.salience, self.salience_high)
        return Batch(capability, position, salience, self.mask, self.status_quo)


def _unit_pair(arrays: ScenarioArrays, j: int, low: float, high: float) -> tuple[float, float]:
    span = arrays.high[j] - arrays.low[j]
    return (low - arrays.low[j]) / span, (high - arrays.low[j]) / span


SEEDS = 2 ** 128  # Philox keys


def uniforms(seed: int, start: int, size: int, per_draw: int) -> np.ndarray:
    """(size, per_draw) uniforms for draws start..start+size-1, independent of chunking.

    Philox yields four 64-bit words per counter step; draw ``d`` owns counter steps
    ``[d * w, (d + 1) * w)`` with ``w = ceil(per_draw / 4)``.
    """
    if not 0 <= seed < SEEDS:
        raise InputError("seed out of range", None, None, "--seed", seed,
                         "a whole number from 0 to 2**128 - 1")
    words = math.ceil(per_draw / 4)
    bits = np.random.Philox(key=seed)
    bits.advance(start * words)
    generator = np.random.Generator(bits)
    return generator.random((size, 4 * words))[:, :per_draw]


def triangular(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution, vectorised; degenerate ranges give ``mode``."""
    width = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        split = np.where(width > 0, (mode - low) / width, 0.5)
        left = low + np.sqrt(u * width * (mode - low))
        right = high - np.sqrt((1 - u) * width * (high - mode))
    return np.where(width > 0, np.where(u < split, left, right), mode)
