"""Play the mediated rounds out (``accord simulate``): options checked, runs composed, one document."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from accord.api.results import Tabular, frame
from accord.scenario.model import Scenario
from accord.sim.document import SimulationDoc, document
from accord.sim.engine import SimParams
from accord.sim.plan import VARIANTS
from accord.sim.scenario import check_options, parse_styles, simulate_scenario

if TYPE_CHECKING:
    import pandas as pd

PARALLEL_FROM = 100  # drawn runs from which the variants go to several processes (below, one is faster)


class SimulationResult(Tabular, SimulationDoc):
    """``accord simulate --format json``: the run round by round and, with drawn runs, the chance
    of agreement and what each kind of event changed."""

    def caption(self) -> str:
        """Which talks, which protocol, how it ended."""
        return f"{self.scenario}: {self.protocol}, {self.run.outcome}"

    def to_frame(self) -> pd.DataFrame:
        """One row per round: date, venue, the text on every issue and each party's utility."""
        rows = []
        for r in self.run.rounds:
            rows.append({"round": r.round, "date": r.date, "venue": r.venue, **r.text,
                         **{f"{p} utility": row.utility for p, row in r.parties.items()}})
        return frame(rows, "round")


def progress_steps(seeds: int) -> int:
    """How many times :func:`simulate` calls ``progress``: the run shown, then each variant."""
    return 1 + (len(VARIANTS) if seeds else 0)


def simulate(scenario: Scenario, protocol: str = "single-text", *, seeds: int = 0, seed: int = 0,
             styles: Sequence[str] = (), budget: int = 10, majority: float = 1.0,
             trust: float = 0.5, shocks: Sequence[str] = (), extra_rounds: int = 0,
             events: bool = True, workers: int | None = None,
             progress: Callable[[], None] | None = None) -> SimulationResult:
    """The run on the scenario's own numbers and, with ``seeds``, that many runs with the
    uncertain inputs drawn, as planned and with each kind of event taken out.

    ``styles`` are concession styles: STYLE for every party or PARTY=STYLE for one. See
    :func:`accord.sim.scenario.simulate_scenario`."""
    check_options(scenario, protocol, shocks)
    default_style, per_party = parse_styles(scenario, styles)
    base = SimParams()
    params = SimParams(protocol=protocol, party=replace(base.party, style=default_style,
                                                        styles=per_party, trust=trust),
                       mediator=replace(base.mediator, budget=budget, majority=majority),
                       offers_per_round=budget)
    if workers is None:
        workers = (os.cpu_count() or 1) if seeds >= PARALLEL_FROM else 1
    sim = simulate_scenario(scenario, params, seed=seed, draws=seeds, shocks=shocks,
                            extra_rounds=extra_rounds, events=events, workers=workers,
                            progress=progress)
    return SimulationResult.model_validate(document(sim).model_dump())
