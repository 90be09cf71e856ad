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
preset ``ktab_1_4`` names them all. Vectorised over actor pairs and third parties (chunked to
bound memory); draws run one after another, each to its own stopping turn.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from accord.models.base import Forecast
from accord.models.smp_voting import (big_r, coalitions, election, perceived_r, risk_utility,
                                      scalar_pce, vote, weighted_distance)
from accord.scenario.arrays import Batch

THIRD_PARTY = ("semi", "none", "full")
INTERPOLATIONS = ("s2p2", "s1p1", "s2pmax")
BARGAIN_MODELS = ("init_only", "init_rcvr", "pw_comp")
MIN_GAIN = 1e-5
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


@dataclass
class _State:
    c: np.ndarray
    s: np.ndarray
    x: np.ndarray
    ideal: np.ndarray
    accommodation: np.ndarray | None


def utilities(state: _State, p: SmpParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(risk-neutral win probabilities (n,), risk attitudes (n,), A[h, i, j]) for a state."""
    d = weighted_distance(state.ideal[:, None, :] - state.x[None, :, :], state.s[:, None, :])
    neutral = risk_utility(d, 0.0)
    votes = vote(p.voting_rule, state.c[:, None, None], neutral[:, :, None] - neutral[:, None, :])
    win = election(p.pce, p.victory, coalitions(votes))
    r = big_r(win, p.big_r_range)
    seen = perceived_r(r[:, None], r[None, :], p.big_r_adjust)
    return win, r, risk_utility(d[None, :, :], seen[:, :, None])


def challenge(a: np.ndarray, state: _State, p: SmpParams, h: np.ndarray, k: np.ndarray,
              i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """h's estimate of P(i beats j) and of the expected change in k's utility if i challenges j
    (KTAB ``SMPState::probEduChlg``), for index arrays h, k, i, j of one shape (m,)."""
    n = len(state.c)
    weight = state.c * state.s.sum(axis=1)
    uii, uij, uji, ujj = a[h, i, i], a[h, i, j], a[h, j, i], a[h, j, j]
    own = vote(p.voting_rule, weight[i], uii - uij)
    other = vote(p.voting_rule, weight[j], uji - ujj)
    c_ij = 1e-10 + np.maximum(own, 0) + np.maximum(other, 0)
    c_ji = 1e-10 - np.minimum(own, 0) - np.minimum(other, 0)
    everyone = np.arange(n)[None, :]
    uni, unj = a[h[:, None], everyone, i[:, None]], a[h[:, None], everyone, j[:, None]]
    unn = a[h[:, None], everyone, everyone]
    wn = weight[None, :]
    vn = vote(p.voting_rule, wn, uni - unj)
    cni, cnj = c_ij[:, None] + np.maximum(vn, 0), c_ji[:, None] - np.minimum(vn, 0)
    pin = cni / (cni + cnj)
    with_i, with_j = _third_party_utilities(p.third_party, pin, uni, unj, unn)
    third = vote(p.voting_rule, wn, with_i - with_j)
    third = np.where((everyone == i[:, None]) | (everyone == j[:, None]), 0.0, third)
    c_ij = c_ij + np.maximum(third, 0).sum(axis=1)
    c_ji = c_ji - np.minimum(third, 0).sum(axis=1)
    prob = c_ij / (c_ij + c_ji)
    uki, ukj = a[h, k, i], a[h, k, j]
    sj = state.s[j].sum(axis=1)
    status_quo, win = uki + ukj, 2 * uki
    contest = prob * win + (1 - prob) * 2 * ukj
    return prob, (1 - sj) * win + sj * contest - status_quo


def _third_party_utilities(commit: str, pin, uni, unj, unn):
    """Utilities to a third party of joining i and of joining j (``Actor::thirdPartyVoteSU``)."""
    pjn = 1.0 - pin
    if commit == "semi":
        return pin * (2 * uni + unn) + pjn * 3 * unj, pin * 3 * uni + pjn * (2 * unj + unn)
    if commit == "full":
        return pin * 3 * uni + pjn * 3 * unj, pin * 3 * uni + pjn * 3 * unj
    if commit == "none":
        return pin * (2 * uni + unn) + pjn * (2 * unj + unn), pin * (2 * uni + unn) + pjn * (2 * unj + unn)
    raise ValueError(f"unknown ThirdPartyCommit {commit!r}; one of {', '.join(THIRD_PARTY)}")


def best_targets(a: np.ndarray, state: _State, p: SmpParams) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's target (-1: none) and its estimate of winning, from its own perspective.

    The same computation as :func:`challenge` with h = k = i for every pair, arranged so that
    each initiator's perspective matrix is used by broadcasting (no gathers): arrays are
    (initiators, targets, third parties), in blocks that bound memory."""
    n = len(state.c)
    weight = state.c * state.s.sum(axis=1)
    sal = state.s.sum(axis=1)
    prob, gain = np.zeros((n, n)), np.zeros((n, n))
    step = max(1, CHUNK // (n * n))
    everyone = np.arange(n)
    for start in range(0, n, step):
        i = everyone[start:start + step]
        u = a[i]  # (m, n, n): u[., x, y] = A[i, x, y]
        m = len(i)
        uii = u[np.arange(m), i, i][:, None]  # (m, 1)
        uij = u[np.arange(m), i, :]  # (m, j)
        uji = u[np.arange(m), :, i]  # (m, j)
        ujj = np.diagonal(u, axis1=1, axis2=2)  # (m, j)
        own = vote(p.voting_rule, weight[i][:, None], uii - uij)
        other = vote(p.voting_rule, weight[None, :], uji - ujj)
        c_ij = 1e-10 + np.maximum(own, 0) + np.maximum(other, 0)
        c_ji = 1e-10 - np.minimum(own, 0) - np.minimum(other, 0)
        uni = uji[:, None, :]  # (m, 1, n): A[i, n, i]
        unj = np.swapaxes(u, 1, 2)  # (m, j, n): A[i, n, j]
        unn = ujj[:, None, :]  # (m, 1, n): A[i, n, n]
        vn = vote(p.voting_rule, weight[None, None, :], uni - unj)
        cni = c_ij[:, :, None] + np.maximum(vn, 0)
        cnj = c_ji[:, :, None] - np.minimum(vn, 0)
        pin = cni / (cni + cnj)
        with_i, with_j = _third_party_utilities(p.third_party, pin, uni, unj, unn)
        third = vote(p.voting_rule, weight[None, None, :], with_i - with_j)
        outside = (everyone[None, None, :] != i[:, None, None]) & (everyone[None, None, :] != everyone[None, :, None])
        third = np.where(outside, third, 0.0)
        c_ij = c_ij + np.maximum(third, 0).sum(axis=2)
        c_ji = c_ji - np.minimum(third, 0).sum(axis=2)
        pr = c_ij / (c_ij + c_ji)
        contest = pr * 2 * uii + (1 - pr) * 2 * uij
        prob[i], gain[i] = pr, (1 - sal[None, :]) * 2 * uii + sal[None, :] * contest - (uii + uij)
    gain[everyone, everyone] = -np.inf
    gain = np.where(gain > MIN_GAIN, gain, -np.inf)
    target = np.where(np.isfinite(gain).any(axis=1), np.argmax(gain, axis=1), -1)
    return target, prob[everyone, np.maximum(target, 0)]


def interpolate(xi, si, xj, sj, pi, pj, method: str) -> tuple[np.ndarray, np.ndarray]:
    """The bargain's positions for initiator and receiver (``SMPActor::interpolateBrgn``)."""
    if method == "s2pmax":
        di, dj = max(pj - pi, 0.0), max(pi - pj, 0.0)
        dik = di * sj ** 2 / (di * sj ** 2 + 1e-6 + (1 - di) * si ** 2)
        djk = dj * si ** 2 / (dj * si ** 2 + 1e-6 + (1 - dj) * sj ** 2)
        return xi + dik * (xj - xi), xj + djk * (xi - xj)
    power = {"s2p2": 2, "s1p1": 1}[method]
    wi, wj = si ** power * pi ** power, sj ** power * pj ** power
    bi = ((wi + 1e-6) * xi + wj * xj) / (wi + 1e-6 + wj)
    bj = (wi * xi + (1e-6 + wj) * xj) / (wi + 1e-6 + wj)
    return _round4(bi), _round4(bj)


def _round4(x: np.ndarray) -> np.ndarray:
    return np.floor(0.5 + x * 10000.0) / 10000.0


def bargains(a, state: _State, p: SmpParams, target, prob):
    """Every actor's queue of (initiator, receiver, initiator's position, receiver's position),
    in KTAB's order: the bargains of earlier initiators, the status quo, the actor's own, later
    ones."""
    n = len(state.c)
    queues: list[list[tuple]] = [[] for _ in range(n)]
    for i in range(n):
        queues[i].append((i, i, state.x[i], state.x[i]))
        j = int(target[i])
        if j < 0:
            continue
        made = _bargains_of(a, state, p, i, j, float(prob[i]))
        for b in made:
            queues[i].append(b)
            queues[j].append(b)
    return queues


def _bargains_of(a, state: _State, p: SmpParams, i: int, j: int, p_i: float) -> list[tuple]:
    own = (i, j, *interpolate(state.x[i], state.s[i], state.x[j], state.s[j], p_i, 1 - p_i,
                              p.interpolation))
    if p.bargain_model == "init_only":
        return [own]
    # KTAB takes the second element of j's estimate here, which is the expected gain, not the
    # probability (smpbcn.cpp, doBCN); reproduced as is.
    _, p_j = challenge(a, state, p, np.array([j]), np.array([i]), np.array([i]), np.array([j]))
    p_j = float(p_j[0])
    theirs = (i, j, *interpolate(state.x[i], state.s[i], state.x[j], state.s[j], p_j, 1 - p_j,
                                 p.interpolation))
    if p.bargain_model == "init_rcvr":
        return [own, theirs]
    if p.bargain_model == "pw_comp":
        # KTAB weighs j's version with the initiator's capability (smpbcn.cpp); reproduced.
        wi = state.c[i] * state.s[i].sum()
        wj = state.c[i] * state.s[j].sum()
        return [(i, j, (wi * own[2] + wj * theirs[2]) / (wi + wj),
                 (wi * own[3] + wj * theirs[3]) / (wi + wj))]
    raise ValueError(f"unknown bargain model {p.bargain_model!r}; one of {', '.join(BARGAIN_MODELS)}")


def resolve(a, r, state: _State, p: SmpParams, queues, rng) -> tuple[np.ndarray, np.ndarray]:
    """New positions: an election over each actor's queue (``doBCN``, bargain resolution)."""
    n = len(state.c)
    own = a[np.arange(n), np.arange(n)]  # (n, n): u_a(a, m) with a's own risk attitude
    total = own.sum(axis=1)
    new, chosen = state.x.copy(), np.zeros(n, dtype=int)
    for k, queue in enumerate(queues):
        init = np.array([b[0] for b in queue])
        rcvr = np.array([b[1] for b in queue])
        places = np.stack([np.stack([b[2] for b in queue]), np.stack([b[3] for b in queue])])
        d = weighted_distance(state.x[:, None, None, :] - places[None], state.s[:, None, None, :])
        pos_u = risk_utility(d, r[:, None, None])  # (voter, role, bargain)
        moved = pos_u.sum(axis=1) - own[:, init] - own[:, rcvr] + total[:, None]
        utility = np.where(init == rcvr, total[:, None], moved) / n
        win = scalar_pce(state.c, utility, p.voting_rule, p.victory, p.pce)
        m = int(np.argmax(win)) if p.transitions == "deterministic" else int(rng.choice(len(win), p=win))
        chosen[k] = m
        if init[m] != rcvr[m]:
            new[k] = places[0, m] if init[m] == k else places[1, m]
    return new, chosen


def run_one(c: np.ndarray, x: np.ndarray, s: np.ndarray, p: SmpParams,
            accommodation: np.ndarray | None = None) -> list[Turn]:
    """Turns to the stopping rule (``smpStopFn``): each turn's resulting positions, the
    risk-neutral win probabilities and risk attitudes it started from, targets, chosen bargains
    and the fractional change ``D(t) / (D(1) + 1e-4)``, D the summed distance moved."""
    rng = np.random.default_rng(p.seed)
    state = _State(c, s, x.copy(), x.copy(), accommodation)
    turns: list[Turn] = []
    first = 0.0
    for t in range(1, p.max_turns + 1):
        win, r, a = utilities(state, p)
        target, prob = best_targets(a, state, p)
        new, chosen = resolve(a, r, state, p, bargains(a, state, p, target, prob), rng)
        moved = float(np.linalg.norm(new - state.x, axis=1).sum())
        first = moved + 1e-4 if t == 1 else first
        turns.append(Turn(new, win, r, target, chosen, moved / first))
        if t >= p.min_turns and moved / first < p.stop_ratio:
            break
        state = _State(c, s, new, _ideals(state, new), accommodation)
    return turns


def _ideals(state: _State, new: np.ndarray) -> np.ndarray:
    """``ideal_i <- sum_j A_ij x_j + (1 - sum_j A_ij) ideal_i`` (identity: the new positions)."""
    if state.accommodation is None:
        return new.copy()
    a = state.accommodation
    lag = 1.0 - np.minimum(a.sum(axis=1), 1.0)
    return a @ new + lag[:, None] * state.ideal


def win_probabilities(c: np.ndarray, x: np.ndarray, s: np.ndarray, p: SmpParams,
                      tolerance: float = 1e-3) -> np.ndarray:
    """Each actor's chance that its position wins (KTAB's "History of actors' winning
    probabilities", ``SMPState::pDist(-1)``): a proportional-voting PCE over the distinct
    positions, each actor judging them with its own risk-aware utilities; actors sharing a
    position share its chance. Positions closer than ``tolerance`` (unit scale) count as one,
    the first actor's standing for the group; with 1e-3 this reproduces KTAB's printed values
    on dummyData_3Dim, dummyData_6Dim and SOE-Pol-Comp at every turn, but KTAB groups
    near-equal positions differently in some later turns of the one-dimensional examples."""
    state = _State(c, s, x, x, None)
    _, _, a = utilities(state, p)
    n = len(c)
    own = a[np.arange(n), np.arange(n)]
    apart = np.linalg.norm(x[:, None] - x[None], axis=2) >= tolerance
    first = np.array([not (~apart[i, :i]).any() for i in range(n)])
    unique = np.flatnonzero(first)
    chance = scalar_pce(c, own[:, unique], "prop", p.victory, p.pce)
    owner = np.argmax(~apart[:, unique], axis=1)
    return chance[owner]


def spatial_model(batch: Batch, *, accommodation: list[list[float]] | None = None,
                  **options) -> Forecast:
    """KTAB's SMP on every draw of ``batch``; dimensions are the batch's issues.

    Saliences are used as KTAB reads them (shares of attention, summing to at most 1 per actor);
    where an actor's saliences sum to more than 1 (Accord's own scenarios rate each issue on its
    own), every salience is divided by the largest actor total. An actor without a stance on an
    issue gets salience 0 there, and its coordinate is the capability x salience weighted mean of
    the actors who have one. ``outcome`` is the expected position under the final turn's winning
    probabilities; ``trajectory`` has every turn (draws that stop early repeat their last turn).
    """
    p = SmpParams(**options)
    mat = None if accommodation is None else np.asarray(accommodation, dtype=float)
    runs = [run_one(*_draw_inputs(batch, b), p, mat) for b in range(batch.draws)]
    turns = max(len(r) for r in runs) + 1
    b, n, k = batch.position.shape
    trajectory = np.empty((b, turns, n, k))
    outcome = np.empty((b, k))
    changes = np.full((b, turns), np.nan)
    for d, run in enumerate(runs):
        c, x0, s = _draw_inputs(batch, d)
        path = np.stack([x0] + [t.positions for t in run])
        trajectory[d] = np.concatenate([path, np.repeat(path[-1:], turns - len(path), axis=0)])
        changes[d, 1:len(run) + 1] = [t.change for t in run]
        chance = win_probabilities(c, path[-1], s, p)
        outcome[d] = chance @ path[-1] / chance.sum()
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
