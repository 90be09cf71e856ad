"""Play the mediated rounds out (``accord simulate``): options checked, runs composed, one document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from accord.api.results import Tabular, frame
from accord.scenario.model import Scenario
from accord.sim.document import SimulationDoc, document
from accord.sim.engine import SimParams
from accord.sim.scenario import check_options, parse_styles, run_scenario

if TYPE_CHECKING:
    import pandas as pd


class SimulationResult(Tabular, SimulationDoc):
    """``accord simulate --format json``: the run round by round and the drawn runs' summary."""

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


def simulate(scenario: Scenario, protocol: str = "single-text", *, seeds: int = 0, seed: int = 0,
             styles: Sequence[str] = (), budget: int = 10, majority: float = 1.0,
             trust: float = 0.5, shocks: Sequence[str] = (), extra_rounds: int = 0,
             events: bool = True, progress: Callable[[], None] | None = None,
             ) -> SimulationResult:
    """One run on the scenario's own numbers and ``seeds`` more with drawn inputs.

    ``styles`` are concession styles: STYLE for every party or PARTY=STYLE for one. ``progress``
    is called after each run (``1 + 5 * seeds`` in all)."""
    check_options(scenario, protocol, shocks)
    default_style, per_party = parse_styles(scenario, styles)
    base = SimParams()
    params = SimParams(protocol=protocol, party=replace(base.party, style=default_style,
                                                        styles=per_party, trust=trust),
                       mediator=replace(base.mediator, budget=budget, majority=majority),
                       offers_per_round=budget)
    run, summaries, notes = run_scenario(scenario, params, seed=seed, seeds=seeds, shocks=shocks,
                                         extra_rounds=extra_rounds, events=events,
                                         progress=progress)
    doc = document(scenario, run, summaries, notes)
    return SimulationResult.model_validate(doc.model_dump())
