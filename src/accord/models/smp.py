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
preset ``ktab_1_4`` names them all. Vectorised over draws, actor pairs and third parties (in
blocks that bound memory); draws run in lockstep, each to its own stopping turn, and every
actor's queue is elected in one array operation per turn.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from accord.models.base import Forecast
from accord.models.smp_voting import (
    BIG_R_ADJUSTS,
    BIG_R_RANGES,
    PCE_MODELS,
    VICTORY_MODELS,
    VOTING_RULES,
    big_r,
    coalitions,
    election,
    perceived_r,
    risk_utility,
    scalar_pce,
    victory,
    vote,
    weighted_distance,
)
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


@dataclass
class _State:
    c: np.ndarray
    s: np.ndarray
    x: np.ndarray
    ideal: np.ndarray
    accommodation: np.ndarray | None


def utilities(c: np.ndarray, s: np.ndarray, x: np.ndarray, ideal: np.ndarray,
              p: SmpParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Risk-neutral win probabilities (b, n), risk attitudes (b, n) and the perceived utilities
    ``A[b, h, i, j]`` (h's estimate of i's utility for j's position), for a batch of states."""
    d = weighted_distance(ideal[:, :, None, :] - x[:, None, :, :], s[:, :, None, :])
    neutral = risk_utility(d, 0.0)
    votes = vote(p.voting_rule, c[:, :, None, None], neutral[:, :, :, None] - neutral[:, :, None, :])
    win = election(p.pce, p.victory, coalitions(votes))
    r = big_r(win, p.big_r_range)
    seen = perceived_r(r[:, :, None], r[:, None, :], p.big_r_adjust)
    return win, r, risk_utility(d[:, None, :, :], seen[:, :, :, None])


def challenge(a: np.ndarray, state: _State, p: SmpParams, h: np.ndarray, k: np.ndarray,
              i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """h's estimate of P(i beats j) and of the expected change in k's utility if i challenges j
    (KTAB ``SMPState::probEduChlg``), for index arrays h, k, i, j of one shape (m,)."""
    n = len(state.c)
    weight = state.c * state.s.sum(axis=1)
    everyone = np.arange(n)[None, :]
    prob = _contest(p, weight[i], weight[j], weight[None, :],
                    a[h, i, i], a[h, i, j], a[h, j, i], a[h, j, j],
                    a[h[:, None], everyone, i[:, None]], a[h[:, None], everyone, j[:, None]],
                    a[h[:, None], everyone, everyone],
                    (everyone != i[:, None]) & (everyone != j[:, None]))
    return prob, _expected_gain(prob, a[h, k, i], a[h, k, j], state.s[j].sum(axis=1))


def _contest(p: SmpParams, w_i, w_j, w_n, uii, uij, uji, ujj, uni, unj, unn, outside):
    """P(i beats j): the principals vote with weight capability x total salience, each third
    party weighs in after its "little contest" with them (``Actor::vProbLittle``,
    ``thirdPartyVoteSU``). Third parties run along the last axis; ``outside`` masks i and j."""
    own = vote(p.voting_rule, w_i, uii - uij)
    other = vote(p.voting_rule, w_j, uji - ujj)
    c_ij = 1e-10 + np.maximum(own, 0) + np.maximum(other, 0)
    c_ji = 1e-10 - np.minimum(own, 0) - np.minimum(other, 0)
    vn = vote(p.voting_rule, w_n, uni - unj)
    cni = c_ij[..., None] + np.maximum(vn, 0)
    cnj = c_ji[..., None] - np.minimum(vn, 0)
    pin = cni / (cni + cnj)
    with_i, with_j = _third_party_utilities(p.third_party, pin, uni, unj, unn)
    third = np.where(outside, vote(p.voting_rule, w_n, with_i - with_j), 0.0)
    c_ij = c_ij + np.maximum(third, 0).sum(axis=-1)
    c_ji = c_ji - np.minimum(third, 0).sum(axis=-1)
    return c_ij / (c_ij + c_ji)


def _expected_gain(prob, uki, ukj, sj):
    """``EU_chlg - EU_SQ`` with ``EU_chlg = (1 - S_j) EU_vict + S_j EU_contest``: a target of
    low total salience simply concedes."""
    win = 2 * uki
    contest = prob * win + (1 - prob) * 2 * ukj
    return (1 - sj) * win + sj * contest - (uki + ukj)


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


def best_targets(a: np.ndarray, c: np.ndarray, s: np.ndarray,
                 p: SmpParams) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's target (-1: none) and its estimate of winning, from its own perspective,
    for a batch: ``a`` (b, n, n, n), ``c`` (b, n), ``s`` (b, n, D) -> (b, n), (b, n).

    The same computation as :func:`challenge` with h = k = i for every pair, arranged so that
    each initiator's perspective matrix is used by broadcasting (no gathers): arrays are
    (draw and initiator, targets, third parties), in blocks that bound memory."""
    b, n = c.shape
    weight = c * s.sum(axis=2)
    sal = s.sum(axis=2)
    prob, gain = np.zeros((b, n, n)), np.zeros((b, n, n))
    draw, init = np.divmod(np.arange(b * n), n)
    everyone = np.arange(n)
    step = max(1, CHUNK // (n * n))
    for start in range(0, b * n, step):
        d, i = draw[start:start + step], init[start:start + step]
        rows = np.arange(len(i))
        u = a[d, i]  # (m, n, n): u[., x, y] = A[i, x, y] in draw d
        w, sj = weight[d], sal[d]  # (m, n)
        uii = u[rows, i, i][:, None]
        uij, uji = u[rows, i, :], u[rows, :, i]
        ujj = np.diagonal(u, axis1=1, axis2=2)
        outside = (everyone[None, None, :] != i[:, None, None]) & \
            (everyone[None, None, :] != everyone[None, :, None])
        pr = _contest(p, w[rows, i][:, None], w, w[:, None, :], uii, uij, uji, ujj,
                      uji[:, None, :], np.swapaxes(u, 1, 2), ujj[:, None, :], outside)
        prob[d, i], gain[d, i] = pr, _expected_gain(pr, uii, uij, sj)
    gain[:, everyone, everyone] = -np.inf
    gain = np.where(gain > MIN_GAIN, gain, -np.inf)
    target = np.where(np.isfinite(gain).any(axis=2), np.argmax(gain, axis=2), -1)
    chosen = np.take_along_axis(prob, np.maximum(target, 0)[:, :, None], axis=2)[:, :, 0]
    return target, chosen


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


def bargains(a, state: _State, p: SmpParams, target, prob) -> tuple[list[tuple], list[list[int]]]:
    """Every bargain of the turn, (initiator, receiver, initiator's position, receiver's
    position), status quos included; and each actor's queue as indices into them, in KTAB's
    order: the bargains of earlier initiators, the status quo, the actor's own, later ones."""
    n = len(state.c)
    items: list[tuple] = []
    queues: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        queues[i].append(len(items))
        items.append((i, i, state.x[i], state.x[i]))
        j = int(target[i])
        if j < 0:
            continue
        for bargain in _bargains_of(a, state, p, i, j, float(prob[i])):
            queues[i].append(len(items))
            queues[j].append(len(items))
            items.append(bargain)
    return items, queues


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


def resolve(a, r, state: _State, p: SmpParams, turn_bargains, rng) -> tuple[np.ndarray, np.ndarray]:
    """New positions: an election over each actor's queue (``doBCN``, bargain resolution).

    A bargain's value to voter a is the mean over actors of a's utility of their positions once
    the bargain is implemented (the status quo: as they are). All queues are elected at once,
    padded to the longest (padding never wins: it beats nothing and loses to nothing)."""
    items, queues = turn_bargains
    n = len(state.c)
    own = a[np.arange(n), np.arange(n)]  # (n, n): u_a(a, m) with a's own risk attitude
    total = own.sum(axis=1)
    init = np.array([b[0] for b in items])
    rcvr = np.array([b[1] for b in items])
    places = np.stack([np.stack([b[2] for b in items]), np.stack([b[3] for b in items])])
    d = weighted_distance(state.x[:, None, None, :] - places[None], state.s[:, None, None, :])
    pos_u = risk_utility(d, r[:, None, None])  # (voter, role, bargain)
    moved = pos_u.sum(axis=1) - own[:, init] - own[:, rcvr] + total[:, None]
    utility = np.where(init == rcvr, total[:, None], moved) / n  # (voter, bargain)
    chosen, pick = np.zeros(n, dtype=int), np.zeros(n, dtype=int)
    for group in _queue_groups(queues, n):
        width = max(len(queues[k]) for k in group)
        index = np.array([queues[k] + [-1] * (width - len(queues[k])) for k in group])  # (k, m)
        win = _queue_elections(utility[:, index].transpose(1, 0, 2), index >= 0, state.c, p)
        if p.transitions == "deterministic":
            chosen[group] = np.argmax(win, axis=1)
        else:
            chosen[group] = [rng.choice(width, p=w) for w in win]
        pick[group] = index[np.arange(len(group)), chosen[group]]
    new = state.x.copy()
    moves = init[pick] != rcvr[pick]
    mine = init[pick] == np.arange(n)
    new[moves & mine] = places[0, pick[moves & mine]]
    new[moves & ~mine] = places[1, pick[moves & ~mine]]
    return new, chosen


def _queue_groups(queues: list[list[int]], voters: int) -> list[np.ndarray]:
    """Queues grouped by length (shortest first) so that each group's padded election arrays,
    (queues x voters x m x m), stay within ``CHUNK`` elements; ties keep actor order."""
    lengths = np.array([len(q) for q in queues])
    order = np.argsort(lengths, kind="stable")
    groups, current = [], []
    for k in order:
        width = lengths[k]
        if current and (len(current) + 1) * voters * width * width > CHUNK:
            groups.append(np.array(current))
            current = []
        current.append(k)
    groups.append(np.array(current))
    return groups


def _queue_elections(utility: np.ndarray, valid: np.ndarray, c: np.ndarray,
                     p: SmpParams) -> np.ndarray:
    """Each queue's election (``Model::scalarPCE``): utility (k, voter, m) -> (k, m)."""
    if p.pce != "conditional":
        win = np.zeros(valid.shape)
        for k in range(len(valid)):
            m = int(valid[k].sum())
            win[k, :m] = scalar_pce(c, utility[k, :, :m], p.voting_rule, p.victory, p.pce)
        return win
    du = utility[:, :, :, None] - utility[:, :, None, :]
    pv = victory(p.victory, coalitions(vote(p.voting_rule, c[None, :, None, None], du)))
    pv = np.where(valid[:, None, :], pv, 1.0)
    win = np.where(valid, np.prod(pv, axis=-1), 0.0)
    return win / win.sum(axis=1, keepdims=True)


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
    for all running draws at once; bargains are resolved draw by draw, actor by actor."""
    b, n = c.shape
    group = max(1, 4 * CHUNK // n ** 3)
    runs: list[list[Turn]] = []
    for start in range(0, b, group):
        runs += _lockstep(c[start:start + group], x[start:start + group], s[start:start + group],
                          p, accommodation, start)
    return runs


def _lockstep(c, x, s, p: SmpParams, accommodation, first_draw: int) -> list[list[Turn]]:
    b = len(c)
    rngs = [np.random.default_rng([p.seed, first_draw + d]) for d in range(b)]
    x, ideal = x.copy(), x.copy()
    runs: list[list[Turn]] = [[] for _ in range(b)]
    first = np.zeros(b)
    live = np.arange(b)
    for t in range(1, p.max_turns + 1):
        win, r, a = utilities(c[live], s[live], x[live], ideal[live], p)
        target, prob = best_targets(a, c[live], s[live], p)
        still = []
        for k, d in enumerate(live):
            state = _State(c[d], s[d], x[d], ideal[d], accommodation)
            queues = bargains(a[k], state, p, target[k], prob[k])
            new, chosen = resolve(a[k], r[k], state, p, queues, rngs[d])
            moved = float(np.linalg.norm(new - x[d], axis=1).sum())
            first[d] = moved + 1e-4 if t == 1 else first[d]
            runs[d].append(Turn(new, win[k], r[k], target[k], chosen, moved / first[d]))
            if not (t >= p.min_turns and moved / first[d] < p.stop_ratio):
                still.append(d)
            ideal[d] = _ideals(state, new)
            x[d] = new
        live = np.array(still, dtype=int)
        if not len(live):
            break
    return runs


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
    _, _, a = utilities(c[None], s[None], x[None], x[None], p)
    a = a[0]
    n = len(c)
    own = a[np.arange(n), np.arange(n)]
    apart = np.linalg.norm(x[:, None] - x[None], axis=2) >= tolerance
    first = np.array([not (~apart[i, :i]).any() for i in range(n)])
    unique = np.flatnonzero(first)
    chance = scalar_pce(c, own[:, unique], "prop", p.victory, p.pce)
    owner = np.argmax(~apart[:, unique], axis=1)
    return chance[owner]


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
    inputs = [_draw_inputs(batch, d) for d in range(batch.draws)]
    runs = run_batch(*(np.stack(arrays) for arrays in zip(*inputs)), p, mat)
    turns = max(len(r) for r in runs) + 1
    b, n, k = batch.position.shape
    trajectory = np.empty((b, turns, n, k))
    outcome = np.empty((b, k))
    changes = np.full((b, turns), np.nan)
    for d, run in enumerate(runs):
        c, x0, s = inputs[d]
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
