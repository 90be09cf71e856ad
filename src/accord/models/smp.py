"""KTAB's spatial model of politics (SMP), version 1.4: build, challenge, negotiate.

Each turn (shared/models/smp.md section 1.3; KAPSARC's KTAB, examples/smp):

1. Utilities. ``d_ij`` is i's salience-weighted distance from its ideal to j's position; a
   risk-neutral probabilistic Condorcet election (PCE) over all positions gives each actor's
   chance of winning, and from it a risk attitude ``R_i`` (the likeliest winner is the most risk
   averse); ``u(d, R) = (1 - d)(1 + d R)``. Actor h perceives i's attitude as a mix of its own
   and i's (BigRAdjust), so there are n utility matrices ``A[h, i, j]``.
2. Challenges. Each actor i estimates, for every j, the expected gain of challenging j: the two
   principals vote with weight capability x total salience, each third party weighs in on the
   side it prefers after a "little contest" (ThirdPartyCommit), and a low-salience target simply
   concedes (``(1 - S_j)``). i targets the j with the largest gain above 1e-5.
3. Negotiation. The challenge becomes a bargain: on every dimension both actors are offered a
   point between them weighted by salience^2 x probability^2 (InterVecBrgn S2P2), rounded to 4
   decimals on [0, 1]. Every actor's queue holds its status quo and the bargains it is part of,
   in KTAB's order; an election over the queue (voters weighted by capability, utilities of the
   state each bargain would produce, averaged over actors) picks one, and the actor takes its
   role's position in it.
4. Ideals move toward positions through the accommodation matrix (identity: ideals = positions).

The run stops when the total movement of a turn falls below 2% of the first turn's (after at
least 2 turns) or after 100 turns. Every KTAB option is a parameter with KTAB's default; the
preset ``ktab_1_4`` names them all. Draws run in lockstep, each to its own stopping turn: every
step is computed for all running draws at once, the O(n^3) contests, the elections' coalitions
and the salience-weighted distances as compiled loops (``smp_kernels``), the rest in numpy;
steps 2 and 3 live in ``smp_challenges`` and ``smp_bargains``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from accord.models.base import Forecast
from accord.models.smp_bargains import BARGAIN_MODELS, INTERPOLATIONS, resolve
from accord.models.smp_challenges import THIRD_PARTY, best_targets
from accord.models.smp_voting import (
    BIG_R_ADJUSTS,
    BIG_R_RANGES,
    PCE_MODELS,
    VICTORY_MODELS,
    VOTING_RULES,
    Perceived,
    big_r,
    perceived_r,
    risk_utility,
    scalar_pce,
)
from accord.scenario.arrays import Batch

CHUNK = 4_000_000


@dataclass(frozen=True)
class SmpParams:
    """KTAB's options (smp.md section 1.5), with KTAB's defaults."""

    voting_rule: str = "prop"
    victory: str = "linear"
    pce: str = "conditional"
    transitions: str = "deterministic"
    big_r_range: str = "mid"
    big_r_adjust: str = "one_third"
    third_party: str = "semi"
    interpolation: str = "s2p2"
    bargain_model: str = "init_only"
    max_turns: int = 100
    min_turns: int = 2
    stop_ratio: float = 0.02
    seed: int = 0

    def __post_init__(self):
        choices = {"voting_rule": VOTING_RULES, "victory": VICTORY_MODELS, "pce": PCE_MODELS,
                   "transitions": ("deterministic", "stochastic"), "big_r_range": BIG_R_RANGES,
                   "big_r_adjust": BIG_R_ADJUSTS, "third_party": THIRD_PARTY,
                   "interpolation": INTERPOLATIONS, "bargain_model": BARGAIN_MODELS}
        for name, accepted in choices.items():
            if getattr(self, name) not in accepted:
                raise ValueError(f"{name}={getattr(self, name)!r}; accepted: {', '.join(accepted)}")
        if not (1 <= self.min_turns <= self.max_turns) or not 0 <= self.stop_ratio:
            raise ValueError("need 1 <= min_turns <= max_turns and stop_ratio >= 0")


PRESETS = {"ktab_1_4": asdict(SmpParams())}


@dataclass
class Turn:
    """What happened in one turn."""

    positions: np.ndarray
    win_probability: np.ndarray
    risk: np.ndarray
    target: np.ndarray
    chosen: np.ndarray
    change: float


def utilities(c: np.ndarray, s: np.ndarray, x: np.ndarray, ideal: np.ndarray,
              p: SmpParams) -> tuple[np.ndarray, np.ndarray, Perceived]:
    """Risk-neutral win probabilities (b, n), risk attitudes (b, n) and the perceived utilities
    ``A[b, h, i, j]`` (h's estimate of i's utility for j's position), for a batch of states."""
    from accord.models.smp_kernels import weighted_distances

    d = weighted_distances(*(np.ascontiguousarray(y, dtype=float) for y in (ideal, x, s)))
    win = scalar_pce(c, risk_utility(d, 0.0), p.voting_rule, p.victory, p.pce)
    r = big_r(win, p.big_r_range)
    return win, r, Perceived(d, perceived_r(r[:, :, None], r[:, None, :], p.big_r_adjust))


def run_one(c: np.ndarray, x: np.ndarray, s: np.ndarray, p: SmpParams,
            accommodation: np.ndarray | None = None) -> list[Turn]:
    """One scenario to the stopping rule (see :func:`run_batch`)."""
    return run_batch(c[None], x[None], s[None], p, accommodation)[0]


def run_batch(c: np.ndarray, x: np.ndarray, s: np.ndarray, p: SmpParams,
              accommodation: np.ndarray | None = None) -> list[list[Turn]]:
    """Draws (b, n), (b, n, D), (b, n, D) run in lockstep, each to its own stopping turn
    (``smpStopFn``). Per turn: the resulting positions, the risk-neutral win probabilities and
    risk attitudes it started from, targets, chosen bargains and the fractional change
    ``D(t) / (D(1) + 1e-4)``, D the summed distance moved. Utilities and challenges are computed
    and every queue elected for all running draws at once."""
    b, n = c.shape
    group = max(1, 4 * CHUNK // n ** 3)
    runs: list[list[Turn]] = []
    for start in range(0, b, group):
        runs += _lockstep(c[start:start + group], x[start:start + group], s[start:start + group],
                          p, accommodation, start)
    return runs


def _lockstep(c, x, s, p: SmpParams, accommodation, first_draw: int) -> list[list[Turn]]:
    b = len(c)
    rngs = ([np.random.default_rng([p.seed, first_draw + d]) for d in range(b)]
            if p.transitions == "stochastic" else [])
    x, ideal = x.copy(), x.copy()
    runs: list[list[Turn]] = [[] for _ in range(b)]
    first = np.zeros(b)
    live = np.arange(b)
    for t in range(1, p.max_turns + 1):
        win, r, a = utilities(c[live], s[live], x[live], ideal[live], p)
        target, prob = best_targets(a, c[live], s[live], p)
        new, chosen = resolve(a, r, c[live], s[live], x[live], target, prob, p,
                              [rngs[d] for d in live] if rngs else [])
        moved = np.linalg.norm(new - x[live], axis=2).sum(axis=1)
        if t == 1:
            first[live] = moved + 1e-4
        change = moved / first[live]
        for k, d in enumerate(live):
            runs[d].append(Turn(new[k], win[k], r[k], target[k], chosen[k], float(change[k])))
        ideal[live] = _ideals(accommodation, ideal[live], new)
        x[live] = new
        live = live[~((t >= p.min_turns) & (change < p.stop_ratio))]
        if not len(live):
            break
    return runs


def _ideals(accommodation, ideal: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``ideal_i <- sum_j A_ij x_j + (1 - sum_j A_ij) ideal_i`` (identity: the new positions)."""
    if accommodation is None:
        return new.copy()
    lag = 1.0 - np.minimum(accommodation.sum(axis=1), 1.0)
    return np.stack([accommodation @ y + lag[:, None] * z for y, z in zip(new, ideal)])


def win_probabilities(c: np.ndarray, x: np.ndarray, s: np.ndarray, p: SmpParams,
                      tolerance: float = 1e-3) -> np.ndarray:
    """Each actor's chance that its position wins (KTAB's "History of actors' winning
    probabilities", ``SMPState::pDist(-1)``): a proportional-voting PCE over the distinct
    positions, each actor judging them with its own risk-aware utilities; actors sharing a
    position share its chance. Positions closer than ``tolerance`` (unit scale) count as one,
    the first actor's standing for the group; with 1e-3 this reproduces KTAB's printed values
    on dummyData_3Dim, dummyData_6Dim and SOE-Pol-Comp at every turn, but KTAB groups
    near-equal positions differently in some later turns of the one-dimensional examples.

    ``c`` (n,), ``x`` and ``s`` (n, D) -> (n,); or a batch, (b, n) and (b, n, D) -> (b, n)."""
    if c.ndim == 1:
        return win_probabilities(c[None], x[None], s[None], p, tolerance)[0]
    _, _, a = utilities(c, s, x, x, p)
    b, n = c.shape
    own = a.own()  # (b, voter, position)
    near = np.linalg.norm(x[:, :, None] - x[:, None], axis=3) < tolerance
    first = ~np.tril(near, -1).any(axis=2)  # no earlier actor within tolerance
    order = np.argsort(~first, axis=1, kind="stable")  # distinct positions first, in order
    counts = first.sum(axis=1)
    chance = np.zeros((b, n))
    for m in np.unique(counts):
        rows = np.flatnonzero(counts == m)
        unique = order[rows, :m]  # (rows, m)
        pce = scalar_pce(c[rows], np.take_along_axis(own[rows], unique[:, None, :], axis=2),
                         "prop", p.victory, p.pce)
        owner = np.argmax(np.take_along_axis(near[rows], unique[:, None, :], axis=2), axis=2)
        chance[rows] = np.take_along_axis(pce, owner, axis=1)
    return chance


def spatial_model(batch: Batch, *, voting_rule: str = "prop", victory: str = "linear",
                  pce: str = "conditional", transitions: str = "deterministic",
                  big_r_range: str = "mid", big_r_adjust: str = "one_third",
                  third_party: str = "semi", interpolation: str = "s2p2",
                  bargain_model: str = "init_only", max_turns: int = 100, min_turns: int = 2,
                  stop_ratio: float = 0.02, seed: int = 0,
                  accommodation: list[list[float]] | None = None) -> Forecast:
    """KTAB's SMP on every draw of ``batch``; dimensions are the batch's issues.

    Saliences are used as KTAB reads them (shares of attention, summing to at most 1 per actor);
    where an actor's saliences sum to more than 1 (Accord's own scenarios rate each issue on its
    own), every salience is divided by the largest actor total. An actor without a stance on an
    issue gets salience 0 there, and its coordinate is the capability x salience weighted mean of
    the actors who have one. ``outcome`` is the expected position under the final turn's winning
    probabilities; ``trajectory`` has every turn (draws that stop early repeat their last turn).
    """
    p = SmpParams(voting_rule, victory, pce, transitions, big_r_range, big_r_adjust, third_party,
                  interpolation, bargain_model, int(max_turns), int(min_turns), float(stop_ratio),
                  int(seed))
    n = batch.position.shape[1]
    mat = None if accommodation is None else np.asarray(accommodation, dtype=float)
    if mat is not None and (mat.shape != (n, n) or not ((mat >= 0) & (mat <= 1)).all()):
        raise ValueError(f"accommodation must be a {n} x {n} matrix of numbers from 0 to 1")
    c, x0, s = (np.stack(arrays) for arrays in zip(*[_draw_inputs(batch, d)
                                                     for d in range(batch.draws)]))
    runs = run_batch(c, x0, s, p, mat)
    turns = max(len(r) for r in runs) + 1
    b, n, k = batch.position.shape
    trajectory = np.empty((b, turns, n, k))
    outcome = np.empty((b, k))
    changes = np.full((b, turns), np.nan)
    for d, run in enumerate(runs):
        path = np.stack([x0[d]] + [t.positions for t in run])
        trajectory[d] = np.concatenate([path, np.repeat(path[-1:], turns - len(path), axis=0)])
        changes[d, 1:len(run) + 1] = [t.change for t in run]
    chance = win_probabilities(c, trajectory[:, -1], s, p)
    for d in range(b):
        outcome[d] = chance[d] @ trajectory[d, -1] / chance[d].sum()
    rounds = np.einsum("btnk,btn->btk", trajectory, _shares(batch, trajectory))
    nobody = ~batch.mask.any(axis=0)
    outcome[:, nobody] = batch.status_quo[nobody]
    rounds[:, :, nobody] = batch.status_quo[nobody]
    return Forecast("smp", {**asdict(p), "accommodation": accommodation}, outcome, trajectory,
                    rounds, {"turns": [len(r) for r in runs], "fractional_change": changes,
                             "runs": runs})


def _draw_inputs(batch: Batch, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c, x, s, mask = batch.capability[d], batch.position[d], batch.salience[d], batch.mask
    s = np.where(mask, s, 0.0)
    total = s.sum(axis=1).max()
    s = s / total if total > 1.0 + 1e-9 else s
    w = c[:, None] * s
    mean = (w * x).sum(axis=0) / np.where(w.sum(axis=0) > 0, w.sum(axis=0), 1.0)
    return c, np.where(mask, x, mean[None, :]), s


def _shares(batch: Batch, trajectory: np.ndarray) -> np.ndarray:
    """Capability x total salience shares, to summarise each turn by a weighted mean."""
    w = batch.capability[:, :, None] * np.where(batch.mask, batch.salience, 0).sum(axis=2)[:, :, None]
    w = np.repeat(w[:, None, :, 0], trajectory.shape[1], axis=1)
    total = w.sum(axis=2, keepdims=True)
    return np.where(total > 0, w / np.where(total > 0, total, 1.0), 1.0 / w.shape[2])
