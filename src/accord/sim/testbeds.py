"""The benchmark domains of mediation.md section 3, rebuilt: two parties on 3 or 7 issues
(section 3.1), and many random single-peaked parties (section 3.4).

Each function returns a one-draw :class:`~accord.sim.domain.Domain`; :func:`accord.sim.domain.stack`
batches several seeds into one run.
"""

from __future__ import annotations

import numpy as np

from accord.sim.domain import Bonus, Domain

GOVERNMENT_PRIORITY = {3: "sanctions_relief_conditions", 7: "sanctions_relief"}
OPPOSITION_PRIORITY = "electoral_guarantees"
BENCHMARK_ISSUES = {
    3: ("electoral_guarantees", "political_rights", "sanctions_relief_conditions"),
    7: ("political_rights", "electoral_guarantees", "sanctions_relief", "rule_of_law",
        "coexistence", "social_protection", "implementation"),
}


def _plain(parties: tuple[str, ...], issues: tuple[str, ...], values: np.ndarray,
           reservation: np.ndarray, ideal: np.ndarray, bonuses: tuple[Bonus, ...] = ()) -> Domain:
    k, levels = values.shape[1], values.shape[2]
    grid = np.tile(np.linspace(0.0, 100.0, levels), (k, 1))
    return Domain(parties, issues, grid, np.ones_like(grid, dtype=bool), values[None],
                  reservation[None], np.ones((1, len(parties))), ideal[None].astype(float),
                  np.ones((1, k, levels), dtype=bool), bonuses)


def benchmark_domain(issues: int, seed: int, incentive: bool = False) -> Domain:
    """The government-opposition domain of mediation.md section 3.1, rebuilt.

    Every issue has 11 levels (0, 10, ..., 100); level 0 is the government's ideal and 100 the
    opposition's. Saliences are Dirichlet draws (alpha 3 on the priority issue: sanctions for G,
    elections for O; 1 elsewhere); values are linear, ``v_G = 1 - x/100`` and ``v_O = x/100``;
    reservation values are U(0.15, 0.35). With ``incentive``, G gains 0.15 once electoral
    guarantees reach 70. Draws come from ``numpy.random.default_rng(seed)`` in that order.
    """
    names = BENCHMARK_ISSUES[issues]
    rng = np.random.default_rng(seed)
    alpha_g = np.where(np.array(names) == GOVERNMENT_PRIORITY[issues], 3.0, 1.0)
    alpha_o = np.where(np.array(names) == OPPOSITION_PRIORITY, 3.0, 1.0)
    weight = np.stack([rng.dirichlet(alpha_g), rng.dirichlet(alpha_o)])
    reservation = rng.uniform(0.15, 0.35, size=2)
    grid = np.linspace(0.0, 100.0, 11)
    value = np.stack([1.0 - grid / 100.0, grid / 100.0])  # (2, L)
    values = weight[:, :, None] * value[:, None, :]
    elections = names.index(OPPOSITION_PRIORITY)
    bonuses = (Bonus("elections_bonus", "third_party", 0, elections, grid >= 70.0,
                     np.array([0.15])),) if incentive else ()
    ideal = np.array([np.zeros(issues), np.full(issues, 10.0)])
    return _plain(("government", "opposition"), names, values, reservation, ideal, bonuses)


def many_party_domain(parties: int, seed: int, issues: int = 7) -> Domain:
    """Random single-peaked parties on the 11-level domain (mediation.md section 3.4).

    Ideals uniform on the levels, Dirichlet(1) saliences, reservation values U(0.15, 0.35).
    """
    rng = np.random.default_rng(seed)
    grid = np.linspace(0.0, 100.0, 11)
    weight = rng.dirichlet(np.ones(issues), size=parties)
    ideal = rng.integers(0, 11, size=(parties, issues))
    distance = np.abs(grid[None, None] - 10.0 * ideal[:, :, None])
    values = weight[:, :, None] * (1.0 - distance / 100.0)
    reservation = rng.uniform(0.15, 0.35, size=parties)
    names = tuple(f"party_{i:02d}" for i in range(parties))
    return _plain(names, tuple(f"issue_{k}" for k in range(issues)), values, reservation, ideal)
