"""Run a batch of draws through the engine in chunks that bound memory, and measure the
agreements.

Draw ``d`` of a seed has its own uniforms (a counter-based Philox stream, as for the inputs), so
the runs are the same whatever the chunk size: a batch equals its draws run one by one.
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np

from accord.scenario.draws import uniforms as philox
from accord.sim.domain import Domain
from accord.sim.engine import Outcome, SimParams, simulate
from accord.sim.events import Events
from accord.sim.inputs import ENGINE_STREAM
from accord.sim.metrics import Metrics, measure
from accord.sim.plan import Plan

CHUNK_ELEMENTS = 4_000_000


def chunk_size(domain: Domain, params: SimParams) -> int:
    """Draws per chunk: the mediator's largest array (parties x candidate drafts) within
    ``CHUNK_ELEMENTS``."""
    step, k, n = params.mediator.max_step, domain.issues, domain.parties
    box = (2 * step + 1) ** k
    candidates = box if box <= params.mediator.box_limit else (2 * step * k + 1) ** 2
    copies = 2 if params.protocol == "single-text" else 1
    return max(1, CHUNK_ELEMENTS // (n * candidates * copies))


def run(domain: Domain, plan: Plan, params: SimParams, *, exponent: np.ndarray | None = None,
        shock_scale: np.ndarray | None = None, shock_days: np.ndarray | None = None,
        seed: int = 0, start: int = 0, engine: np.ndarray | None = None,
        metrics: bool = True, distances: bool = True) -> tuple[Outcome, Metrics | None]:
    """Play every draw of ``domain`` (draw ``start + d`` of ``seed`` for the engine's uniforms
    unless ``engine`` gives them) and measure its agreements (``distances``: the exact
    two-party distances too, see :func:`accord.sim.metrics.measure`).

    ``exponent`` (B, n) defaults to the parties' fixed styles; ``shock_scale`` and
    ``shock_days`` (B, all shocks) to 1 and 0.
    """
    b = domain.draws
    shocks = 1 + max((s.index for s in plan.shocks), default=-1)
    exponent = params.party.exponents(domain.party_ids, np.full((b, domain.parties), np.nan)) \
        if exponent is None else exponent
    scale = np.ones((b, shocks)) if shock_scale is None else shock_scale
    days = np.zeros((b, shocks)) if shock_days is None else shock_days
    if engine is None:
        engine = philox(seed + ENGINE_STREAM, start, b,
                        max(1, params.engine_uniforms(plan, domain.parties)))
    size = chunk_size(domain, params)
    parts = [simulate(domain.take(slice(a, a + size)), plan, params, exponent[a:a + size],
                      scale[a:a + size], days[a:a + size], engine[a:a + size])
             for a in range(0, b, size)]
    outcome = parts[0] if len(parts) == 1 else concat(parts, domain)
    if not metrics:
        return outcome, None
    tables = domain.tables(outcome.events.offer_round >= 0)
    return outcome, measure(tables, domain.feasible, outcome.utility, domain.reservation,
                            outcome.agreement, distances)


def concat(parts: list[Outcome], domain: Domain) -> Outcome:
    """Outcomes of consecutive chunks of draws as one."""
    def join(values):
        first = values[0]
        if isinstance(first, np.ndarray):
            return np.concatenate(values)
        if isinstance(first, dict):
            return {key: np.concatenate([v[key] for v in values]) for key in first}
        return first

    events = replace(parts[0].events, domain=domain, **{
        f.name: np.concatenate([getattr(p.events, f.name) for p in parts])
        for f in fields(Events) if isinstance(getattr(parts[0].events, f.name), np.ndarray)})
    merged = {f.name: join([getattr(p, f.name) for p in parts]) for f in fields(Outcome)
              if f.name not in ("domain", "events")}
    return Outcome(domain=domain, events=events, **merged)
