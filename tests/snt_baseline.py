"""The reference single-text mediator of mediation.md section 3.1 ("ext: SNT mediator"),
re-implemented from its description to compare against Accord's mediator on the same draws.

It starts from the midpoint (level 5 on every issue), proposes a +-1 level move on one or two
random issues, and adopts it if every party strictly prefers it (NegMAS's ``is_better``); the
annealing variant also adopts with probability 0.5 (1 - t)^2. It stops after 300 consecutive
non-adoptions or 3,000 steps; the final text is an agreement if every party gets at least its
reservation value.
"""

from __future__ import annotations

import numpy as np

from accord.sim.domain import Domain, utilities


def random_single_text(domain: Domain, seed: int, annealing: bool = False,
                       patience: int = 300, steps: int = 3000,
                       ) -> tuple[np.ndarray | None, int, np.ndarray]:
    """(utilities of the agreement or None, steps taken, final text)."""
    rng = np.random.default_rng(seed)
    tables = domain.tables()[:1]
    k, levels = domain.feasible.shape
    text = np.full(k, levels // 2)
    current = utilities(tables, text[None])[0]
    idle = 0
    for step in range(steps):
        proposal = text.copy()
        for issue in rng.choice(k, size=rng.integers(1, 3), replace=False):
            proposal[issue] = np.clip(proposal[issue] + rng.choice((-1, 1)), 0, levels - 1)
        value = utilities(tables, proposal[None])[0]
        better = (value > current).all()
        if better or (annealing and rng.random() < 0.5 * (1 - step / steps) ** 2):
            text, current, idle = proposal, value, 0
        else:
            idle += 1
        if idle >= patience:
            break
    agreed = (current >= domain.reservation[0]).all()
    return (current if agreed else None), step + 1, text
