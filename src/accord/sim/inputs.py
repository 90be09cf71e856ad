"""What each drawn run of a simulation draws: the inputs a scenario leaves uncertain.

Per draw ``d`` of a seed:

- **stances**: positions, saliences and capabilities from their stated ranges, exactly as
  ``accord montecarlo`` draws them (:class:`accord.scenario.draws.DrawSpec`, draw ``d``);
- **reservation values**: what no deal is worth to each party, the utility of the status quo
  plus a triangular draw on +-``reservation`` (default 0.1 of the utility scale: a party's
  alternatives to a deal, at home and abroad, are not the status quo alone);
- **concession styles**: each party's exponent ``e`` log-uniform between 0.25 (conceder) and 4
  (Boulware), median 1, unless ``--style`` fixes it;
- **shock sizes**: each shock's effects on outside options and trust times a triangular factor on
  ``1 +- shock_size`` (default 0.5);
- **shock dates**: each dated shock moved by a triangular draw on +-``shock_days`` days (default
  21), so it may fall in another round, or after the last one (then it is not played);
- **engine uniforms**: whether a gesture is returned, and the mediator's annealing.

Every number of draw ``d`` is a pure function of (seed, d) (counter-based Philox streams, as in
:mod:`accord.scenario.draws`), so runs do not depend on how draws are chunked. The run on the
coded numbers (:func:`coded`) draws nothing but its engine uniforms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.scenario.arrays import ScenarioArrays
from accord.scenario.draws import DrawSpec, triangular, uniforms
from accord.scenario.model import Scenario

INPUT_STREAM = 1 << 64
ENGINE_STREAM = 2 << 64
EXPONENT_RANGE = (0.25, 4.0)


@dataclass(frozen=True)
class Uncertainty:
    """How far each drawn input may stray (the documented defaults); 0 or False draws nothing.

    Attributes
    ----------
    stances : draw positions, saliences and capabilities from their ranges.
    reservation : half-width of the reservation value's draw, in utility (0 to 1).
    styles : draw concession exponents (ignored for parties whose style is fixed).
    shock_size : relative half-width of each shock's size.
    shock_days : half-width, in days, of each dated shock's date.
    """

    stances: bool = True
    reservation: float = 0.1
    styles: bool = True
    shock_size: float = 0.5
    shock_days: float = 21.0


@dataclass(frozen=True)
class Inputs:
    """The drawn inputs of a batch of runs (B draws).

    ``position``, ``salience`` (B, A, K) and ``capability`` (B, A) cover every actor and issue
    of the scenario, on each issue's own scale; ``reservation_shift`` and ``exponent`` (B, n)
    the parties (NaN exponent: the party's fixed style); ``shock_scale`` and ``shock_days``
    (B, S) the scenario's shocks in order; ``engine`` (B, U) uniforms for the engine.
    """

    position: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    reservation_shift: np.ndarray
    exponent: np.ndarray
    shock_scale: np.ndarray
    shock_days: np.ndarray
    engine: np.ndarray

    @property
    def draws(self) -> int:
        """Number of draws ``B``."""
        return self.position.shape[0]


def coded(scenario: Scenario, parties: int, engine_uniforms: int, seed: int = 0) -> Inputs:
    """One run on the scenario's own numbers; only the engine's uniforms are drawn (draw 0)."""
    arrays = ScenarioArrays.from_scenario(scenario)
    shocks = len(scenario.shocks)
    return Inputs(arrays.position[None], arrays.salience[None], arrays.capability[None],
                  np.zeros((1, parties)), np.full((1, parties), np.nan), np.ones((1, shocks)),
                  np.zeros((1, shocks)), _engine(seed, 0, 1, engine_uniforms))


def draw(scenario: Scenario, parties: int, engine_uniforms: int, seed: int, start: int,
         size: int, spread: Uncertainty = Uncertainty()) -> Inputs:
    """Draws ``start`` to ``start + size - 1`` of the stream for ``seed``."""
    arrays = ScenarioArrays.from_scenario(scenario)
    if spread.stances:
        batch = DrawSpec.from_scenario(scenario).draw(seed, start, size)
        position, salience = arrays.to_scale(batch.position), batch.salience
        capability = batch.capability
    else:
        position = np.repeat(arrays.position[None], size, axis=0)
        salience = np.repeat(arrays.salience[None], size, axis=0)
        capability = np.repeat(arrays.capability[None], size, axis=0)
    shocks = len(scenario.shocks)
    u = uniforms(seed + INPUT_STREAM, start, size, 2 * parties + 2 * shocks)
    ur, ue = u[:, :parties], u[:, parties:2 * parties]
    us, ud = u[:, 2 * parties:2 * parties + shocks], u[:, 2 * parties + shocks:]
    low, high = EXPONENT_RANGE
    exponent = low * (high / low) ** ue if spread.styles else np.full((size, parties), np.nan)
    return Inputs(position, salience, capability,
                  _centred(ur, spread.reservation), exponent,
                  1.0 + _centred(us, spread.shock_size), _centred(ud, spread.shock_days),
                  _engine(seed, start, size, engine_uniforms))


def _centred(u: np.ndarray, half: float) -> np.ndarray:
    """Triangular draws on [-half, half] with mode 0."""
    zero = np.zeros_like(u)
    return triangular(u, zero - half, zero, zero + half)


def _engine(seed: int, start: int, size: int, count: int) -> np.ndarray:
    return uniforms(seed + ENGINE_STREAM, start, size, max(count, 1))
