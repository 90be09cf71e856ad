"""Stokman's exchange model: actors trade voting positions across pairs of issues.

Implements the equal-gain exchange model of [Stokman1994]_ as decide-exchange-model runs it
(shared/models/exchange.md: the algorithm in A.2, the rules its description leaves out in A.7).
Each round:

1. The expected outcome of every issue is the capability x salience weighted mean of the
   positions.
2. Every pair of actors on opposite sides of the outcome on both issues of an issue pair is a
   candidate; the one with the lower relative salience of the first issue gives ground on it
   (moves its voting position towards its partner's), the other on the second.
3. Greedy execution: the candidate with the highest gain is executed, the candidates it touched
   are recomputed, and invalid ones drop out (:mod:`accord.models.exchange_rounds`, compiled in
   :mod:`accord.models.exchange_candidates` and :mod:`accord.models.exchange_kernel`). Rounds run
   in lockstep over the draws.
4. End of round: the voting positions give the round's voting outcome; an actor that gave ground
   moves its preference towards its voting position by ``(1 - s) * 0.4 + 0.1`` of the gap.

The interpretive choices are parameters; the default is the reading closest to decide (its rules
R1-R5 in float64, gains equal within 1e-12 going to the first candidate built, R5's boundary as in
exact arithmetic); ``preset="decide"`` adds decide's own list order for ties and its 28-digit
decimal arithmetic wherever a decision depends on it (:mod:`accord.models.exchange_decide`), and
reproduces decide's runs exchange by exchange.
``variant="random_rate"`` draws each candidate's exchange rate between the equal-gain rate and the
rate at which one side gains nothing, ``randomness`` of the way at most, and ranks candidates by
the smaller gain. The forecast is the voting outcome of the last round.
"""

from __future__ import annotations

import numpy as np

from accord.models.base import Forecast
from accord.scenario.arrays import Batch

SALIENCE_WEIGHT, FIXED_WEIGHT = 0.4, 0.1  # preference update (decide's new_start_position)
CHOICES = {"variant": ("equal_gain", "random_rate"),
           "nbs_outcome": ("candidate", "round_start", "running"),
           "move_cap": ("listed", "executed"), "ties": ("first", "random", "list"),
           "arithmetic": ("float", "decimal")}
DEFAULTS = dict(variant="equal_gain", nbs_outcome="candidate", move_cap="listed", ties="first",
                arithmetic="float")
PRESETS = {"decide": dict(DEFAULTS, ties="list", arithmetic="decimal")}


def exchange(batch: Batch, *, rounds: int = 10, variant: str = "equal_gain",
             randomness: float = 0.0, seed: int = 0, nbs_outcome: str = "candidate",
             move_cap: str = "listed", ties: str = "first",
             arithmetic: str = "float") -> Forecast:
    """Run the exchange model for ``rounds`` rounds on every draw (see the module docstring).

    Parameters
    ----------
    nbs_outcome : the outcome an exchange is stopped at the demander's position against:
        ``candidate`` (decide, A.7 R1: each candidate's own view), ``round_start``, ``running``.
    move_cap : ``listed`` (decide, R2: the signed sum of a side's listed terms is at most 100)
        or ``executed`` (the moves actually executed are).
    ties : gains equal but for rounding go to the ``first`` candidate built, a seeded ``random``
        one, or the first in decide's ``list`` order (with ``arithmetic="decimal"`` only).
    arithmetic : ``float`` (float64) or ``decimal`` (decide's 28-digit decimals wherever a
        comparison falls within rounding; equal gain only).
    """
    params = dict(rounds=rounds, variant=variant, randomness=randomness, seed=seed,
                  nbs_outcome=nbs_outcome, move_cap=move_cap, ties=ties, arithmetic=arithmetic)
    _check(params)
    if arithmetic == "decimal":
        from accord.models.exchange_decide import decide_rounds

        runs = [decide_rounds(batch, d, rounds) for d in range(batch.draws)]
        result = {key: np.concatenate([r[key] for r in runs])
                  for key in ("voting", "preference", "voting_outcome", "preference_outcome",
                              "candidates", "executed")}
        result["log"] = [runs[0]["log"]]
        result["inexact"] = sum(r["inexact"] for r in runs)
    else:
        from accord.models.exchange_rounds import Rules

        rules = Rules(nbs_outcome, move_cap, ties,
                      randomness if variant == "random_rate" else 0.0)
        streams = np.random.SeedSequence(seed).spawn(batch.draws)
        result = float_rounds(batch, rounds, rules, streams)
    return _forecast(batch, params, result)


def _check(params: dict) -> None:
    for name, accepted in CHOICES.items():
        if params[name] not in accepted:
            raise ValueError(f"{name}={params[name]!r}; accepted: {', '.join(accepted)}")
    if not 0 <= params["randomness"] <= 1 or params["rounds"] < 0:
        raise ValueError("randomness must lie in [0, 1] and rounds must be >= 0")
    decimal = params["arithmetic"] == "decimal"
    if decimal and (params["variant"], params["nbs_outcome"], params["move_cap"]) != (
            "equal_gain", "candidate", "listed"):
        raise ValueError("arithmetic=decimal reproduces decide's program: it needs "
                         "variant=equal_gain, nbs_outcome=candidate, move_cap=listed")
    if (params["ties"] == "list") != decimal:
        raise ValueError("ties=list (decide's list order) goes with arithmetic=decimal, "
                         "and arithmetic=decimal with ties=list")


def preference_update(x, y, s) -> np.ndarray:
    """An actor that gave ground moves its preference towards its voting position (A.2 step 6)."""
    return np.where(y != x, x + (y - x) * ((1 - s) * SALIENCE_WEIGHT + FIXED_WEIGHT), x)


def outcomes(positions, w, total) -> np.ndarray:
    """The capability x salience weighted mean per draw and issue (NaN where nobody weighs)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (positions * w).sum(axis=-2) / total


def float_rounds(batch: Batch, rounds: int, rules, streams: list) -> dict:  # rules: a Rules
    """All rounds for all draws at once, on decide's 0-100 scale (rounds in lockstep: every
    draw's round ``t`` is built and played before round ``t + 1``; the compiled kernels import
    here, so that importing Accord does not import numba)."""
    from accord.models.exchange_rounds import Round

    s, c, mask = batch.salience, batch.capability, batch.mask
    x = batch.position * 100.0
    needs_rng = rules.randomness > 0 or rules.ties == "random"
    rngs = [np.random.default_rng(stream) for stream in streams] if needs_rng else None
    w = c[:, :, None] * s * mask
    total = w.sum(axis=1)
    voting, preference, counts, log = [x], [x], [], []
    for _ in range(rounds):
        state = Round(x, s, c, mask, rules, rngs)
        state.start()
        log.append(state.run())
        voting.append(state.y)
        x = preference_update(x, state.y, s)
        preference.append(x)
        counts.append((state.count, state.executed))
    return _collect(voting, preference, counts, [log], w, total)


def _collect(voting, preference, counts, log, w, total) -> dict:
    voting, preference = np.stack(voting, axis=1) / 100, np.stack(preference, axis=1) / 100
    counts = np.array(counts, int).reshape(-1, 2, voting.shape[0])
    return dict(voting=voting, preference=preference,
                voting_outcome=outcomes(voting, w[:, None], total[:, None]),
                preference_outcome=outcomes(preference, w[:, None], total[:, None]),
                candidates=counts[:, 0].T, executed=counts[:, 1].T, log=log)


def _forecast(batch: Batch, params: dict, r: dict) -> Forecast:
    nobody = ~batch.mask.any(axis=0)
    voting_outcome = np.where(nobody, batch.status_quo, r["voting_outcome"])
    diagnostics = {"preference": r["preference"],
                   "preference_outcome": np.where(nobody, batch.status_quo,
                                                  r["preference_outcome"]),
                   "exchanges": r["log"], "candidates": r["candidates"],
                   "executed": r["executed"]}
    if "inexact" in r:
        diagnostics["inexact"] = r["inexact"]
    return Forecast("exchange", params, voting_outcome[:, -1], r["voting"], voting_outcome,
                    diagnostics)
