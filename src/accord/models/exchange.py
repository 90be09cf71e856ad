"""Stokman's exchange model: actors trade voting positions across pairs of issues.

Implements the equal-gain exchange model of [Stokman1994]_ and [Stokman2000]_ as
decide-exchange-model describes it (shared/models/exchange.md, section A.2), from the published
model, on positions normalised to [0, 1]. Each round:

1. The expected outcome of every issue is the capability x salience weighted mean O_d.
2. Candidates: every pair of actors on opposite sides of O on both issues of an issue pair. The
   actor with the lower relative salience s_p/s_q supplies on p (moves its voting position towards
   its partner) and demands on q; the partner supplies on q.
3. Terms: the supplier on p moves all the way to its partner's position, shifting O_p by
   ``dp = move * c s / W_p``; equal gain sets ``dq = dp (s_Ap + s_Bp) / (s_Aq + s_Bq)``; if the
   partner would overshoot on q, it moves fully instead and p is solved back. A move that would
   carry an outcome past the demanding actor's own position is truncated there (measured from
   the outcome at the start of the round by default; ``nbs_outcome="running"`` measures from the
   outcome as the round's earlier exchanges left it).
4. Greedy execution: the candidate with the highest gain is executed; every candidate on one of
   its two issues is recomputed (positions and outcomes moved); invalid ones (no gain, a move back
   against an earlier move on the same issue, or cumulative moves beyond the scale) drop out. Ties
   are broken by the seeded generator.
5. End of round: voting positions give the round's (voting) outcome; each supplier's preference
   position moves towards its voting position by ``(1 - s) * 0.4 + 0.1`` of the gap.

``variant="random_rate"`` draws each candidate's exchange rate between the equal-gain rate and the
rate at which one side (chosen at random) gains nothing, ``randomness`` of the way at most
(Stokman & Van Oosten's random rate model; ``randomness=0`` is equal gain). Candidates are then
ranked by the smaller of the two gains.

The forecast is the voting outcome of the last round.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Literal

import numpy as np

from accord.models.base import Forecast
from accord.scenario.arrays import Batch

SALIENCE_WEIGHT, FIXED_WEIGHT = 0.4, 0.1  # preference update (decide's new_start_position)
MIN_GAIN = 1e-12  # on the unit scale: decide's 1e-10 on its 0-100 scale, divided by 100
TIE = 1e-12


@dataclass
class Candidates:
    """The exchanges possible in one round: A supplies on p, B supplies on q."""

    a: np.ndarray
    b: np.ndarray
    p: np.ndarray
    q: np.ndarray
    s_ap: np.ndarray
    s_aq: np.ndarray
    s_bp: np.ndarray
    s_bq: np.ndarray
    share_ap: np.ndarray  # c_A s_Ap / W_p: how far O_p moves per unit move of A
    share_bq: np.ndarray
    rate: np.ndarray  # dq / dp

    def __len__(self) -> int:
        return len(self.a)


@dataclass
class Terms:
    """Computed terms of a set of candidates in the current state."""

    move_a: np.ndarray
    move_b: np.ndarray
    dp: np.ndarray
    dq: np.ndarray
    dir_p: np.ndarray
    dir_q: np.ndarray
    gain_a: np.ndarray
    gain_b: np.ndarray
    valid: np.ndarray


def exchange(batch: Batch, *, rounds: int = 10,
             variant: Literal["equal_gain", "random_rate"] = "equal_gain",
             randomness: float = 0.0, seed: int = 0,
             nbs_outcome: Literal["running", "round_start"] = "round_start") -> Forecast:
    """Run the exchange model for ``rounds`` rounds on every draw (see the module docstring).

    ``nbs_outcome``: the outcome against which an exchange is stopped at the demanding actor's
    position (decide's ``check_nbs``): the outcome as earlier exchanges of the round have moved it
    ("running", as decide's description of its outcome bookkeeping reads) or as it stood at the
    start of the round ("round_start", which comes closer to decide's exchange counts).
    """
    if variant not in ("equal_gain", "random_rate"):
        raise ValueError(f"variant={variant!r}; accepted: equal_gain, random_rate")
    if nbs_outcome not in ("running", "round_start"):
        raise ValueError(f"nbs_outcome={nbs_outcome!r}; accepted: running, round_start")
    if not 0 <= randomness <= 1 or rounds < 0:
        raise ValueError("randomness must lie in [0, 1] and rounds must be >= 0")
    params = dict(rounds=rounds, variant=variant, randomness=randomness, seed=seed,
                  nbs_outcome=nbs_outcome)
    streams = np.random.SeedSequence(seed).spawn(batch.draws)
    runs = [_run(batch.capability[d], batch.position[d], batch.salience[d], batch.mask, rounds,
                 randomness if variant == "random_rate" else 0.0, np.random.default_rng(streams[d]),
                 nbs_outcome == "round_start")
            for d in range(batch.draws)]
    voting = np.stack([r["voting"] for r in runs])  # (b, t+1, n, k)
    outcomes = np.stack([r["voting_outcome"] for r in runs])  # (b, t+1, k)
    nobody = ~batch.mask.any(axis=0)
    outcomes = np.where(nobody, batch.status_quo, outcomes)
    diagnostics = {
        "preference": np.stack([r["preference"] for r in runs]),
        "preference_outcome": np.stack([r["preference_outcome"] for r in runs]),
        "exchanges": [r["exchanges"] for r in runs],
        "candidates": np.array([r["candidates"] for r in runs]),
    }
    return Forecast("exchange", params, outcomes[:, -1], voting, outcomes, diagnostics)


def _weighted_mean(x, w) -> np.ndarray:
    total = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (w * x).sum(axis=0) / np.where(total > 0, total, 1), np.nan)


def _run(c, x0, s, mask, rounds, randomness, rng, frozen: bool = False) -> dict:
    w = c[:, None] * s * mask
    x = np.where(mask, x0, np.nan)
    preference, voting = [np.nan_to_num(x)], [np.nan_to_num(x)]
    pref_out, vote_out = [_weighted_mean(np.nan_to_num(x), w)], [_weighted_mean(np.nan_to_num(x), w)]
    exchanges, counts = [], []
    for _ in range(rounds):
        y, executed, count = play_round(x, s, w, mask, randomness, rng, frozen)
        vote_out.append(_weighted_mean(np.nan_to_num(y), w))
        x = x + (y - x) * ((1 - s) * SALIENCE_WEIGHT + FIXED_WEIGHT)
        preference.append(np.nan_to_num(x))
        voting.append(np.nan_to_num(y))
        pref_out.append(_weighted_mean(np.nan_to_num(x), w))
        exchanges.append(executed)
        counts.append(count)
    return dict(preference=np.stack(preference), voting=np.stack(voting),
                preference_outcome=np.stack(pref_out), voting_outcome=np.stack(vote_out),
                exchanges=exchanges, candidates=counts)


def candidates(x, s, w, mask, randomness, rng) -> Candidates:
    """Every possible exchange of the round (vectorised over actor pairs and issue pairs)."""
    n, k = x.shape
    outcome = _weighted_mean(np.nan_to_num(x), w)
    left = np.nan_to_num(x) <= outcome
    i, j = np.triu_indices(n, 1)
    p, q = np.triu_indices(k, 1)
    both = (mask[i][:, p] & mask[i][:, q] & mask[j][:, p] & mask[j][:, q])
    opposite = (left[i][:, p] != left[j][:, p]) & (left[i][:, q] != left[j][:, q])
    pair, issue = np.nonzero(both & opposite)
    i, j, p, q = i[pair], j[pair], p[issue], q[issue]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio_i, ratio_j = s[i, p] / s[i, q], s[j, p] / s[j, q]
    # equal salience ratios give no gain: compared as cross products, so that ratios equal on
    # paper (0.5/0.4 and 0.75/0.6) are equal here too, whatever the rounding of the division
    cross_i, cross_j = s[i, p] * s[j, q], s[j, p] * s[i, q]
    keep = np.abs(cross_i - cross_j) > 1e-12 * np.maximum(np.abs(cross_i), np.abs(cross_j))
    i, j, p, q, ratio_i, ratio_j = (v[keep] for v in (i, j, p, q, ratio_i, ratio_j))
    a = np.where(ratio_i < ratio_j, i, j)  # lower relative salience of p: supplies on p
    b = np.where(ratio_i < ratio_j, j, i)
    total = w.sum(axis=0)
    s_ap, s_aq, s_bp, s_bq = s[a, p], s[a, q], s[b, p], s[b, q]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = (s_ap + s_bp) / (s_aq + s_bq)
        if randomness > 0:
            rate = _random_rates(rate, s_ap / s_aq, s_bp / s_bq, randomness, rng)
        share_ap = w[a, p] / total[p]
        share_bq = w[b, q] / total[q]
    return Candidates(a, b, p, q, s_ap, s_aq, s_bp, s_bq, share_ap, share_bq, rate)


def _random_rates(equal, rate_a, rate_b, randomness, rng) -> np.ndarray:
    """Move each rate from the equal-gain rate towards one side's indifference rate."""
    u, z = rng.random(len(equal)), rng.random(len(equal))
    bound = np.where(u < 0.5, rate_a, rate_b)
    return equal + randomness * z * (bound - equal)


def _limits(cand, idx, y, outcome, cum, x) -> dict[str, np.ndarray]:
    """The limits on dp of candidates ``idx``: from the suppliers, and the room before each
    demander's position (see :func:`terms`)."""
    a, b, p, q = cand.a[idx], cand.b[idx], cand.p[idx], cand.q[idx]
    rate, share_ap, share_bq = cand.rate[idx], cand.share_ap[idx], cand.share_bq[idx]
    gap_p = x[b, p] - y[a, p]
    gap_q = x[a, q] - y[b, q]
    dir_p, dir_q = np.sign(gap_p), np.sign(gap_q)
    with np.errstate(invalid="ignore", divide="ignore"):
        supplier = np.minimum.reduce([
            np.abs(gap_p) * share_ap,              # A moves all the way to B's position on p
            np.abs(gap_q) * share_bq / rate,       # ... unless B would overshoot A's on q
            (1 - cum[a, p]) * share_ap,            # cumulative moves stay on the scale
            (1 - cum[b, q]) * share_bq / rate])
        room_p = dir_p * (x[b, p] - outcome[p])    # O_p stops at the demander B's position
        room_q = dir_q * (x[a, q] - outcome[q]) / rate
    return dict(supplier=supplier, room_p=room_p, room_q=room_q, dir_p=dir_p, dir_q=dir_q)


def terms(cand: Candidates, idx, y, outcome, cum, direction, x) -> Terms:
    """The exchange terms of candidates ``idx`` given voting positions and outcomes so far.

    Suppliers start from their current voting position; the position they move towards, and the
    point past which the demanding actor's outcome may not be pushed, is the demander's position
    at the start of the round (its preference: demanding on an issue does not move it).

    Every limit on an exchange is a limit on ``dp`` (the shift of O_p; ``dq = dp * rate``): the
    full move to the partner, the partner's full move on q (overshoot), each demander's position
    (check_nbs), and the scale for cumulative moves. The terms are the smallest of them.
    """
    limits = _limits(cand, idx, y, outcome, cum, x)
    a, b, p, q = cand.a[idx], cand.b[idx], cand.p[idx], cand.q[idx]
    dir_p, dir_q = limits["dir_p"], limits["dir_q"]
    dp = np.maximum(np.minimum.reduce([limits["supplier"], limits["room_p"], limits["room_q"]]),
                    0.0)
    dq = dp * cand.rate[idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        move_a, move_b = dp / cand.share_ap[idx], dq / cand.share_bq[idx]
    gain_a = dq * cand.s_aq[idx] - dp * cand.s_ap[idx]
    gain_b = dp * cand.s_bp[idx] - dq * cand.s_bq[idx]
    valid = ((dir_p != 0) & (dir_q != 0) & (dp > 0) & (np.minimum(gain_a, gain_b) > MIN_GAIN)
             & ((direction[a, p] == 0) | (direction[a, p] == dir_p))
             & ((direction[b, q] == 0) | (direction[b, q] == dir_q))
             & np.isfinite(move_a) & np.isfinite(move_b))
    return Terms(move_a, move_b, dp, dq, dir_p, dir_q, gain_a, gain_b, valid)


def _index_lists(keys: np.ndarray, size: int, modulo: int | None = None) -> list[np.ndarray]:
    """For every key value, the positions holding it (positions taken modulo ``modulo``)."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(size + 1))
    positions = order % modulo if modulo else order
    return [positions[bounds[v]:bounds[v + 1]] for v in range(size)]


class _Round:
    """One round's greedy execution, with a lazy priority queue.

    Each candidate's gain is ``unit * dp`` with ``dp`` the smallest of its limits; the supplier
    limits (full moves, overshoot, cumulative moves, direction) only shrink during a round, while
    the room left before a demander's position moves with the outcomes. The queue is keyed by upper
    bounds that ignore room; a popped candidate whose room binds is re-keyed with its true gain and
    remembered, and re-queued with its upper bound whenever an outcome moves so as to widen its
    room. So the best candidate is found without rescoring every candidate after each exchange,
    and exactly as a full rescoring would find it (ties included).
    """

    def __init__(self, cand: Candidates, x: np.ndarray, outcome: np.ndarray, rng,
                 frozen: bool = False):
        n, k = x.shape
        self.cand, self.x, self.outcome, self.rng = cand, x, outcome.copy(), rng
        # the outcome the demanders' positions are checked against: running, or round-start
        self.frozen = frozen
        self.check = outcome.copy() if frozen else self.outcome
        self.y = x.copy()
        self.cum = np.zeros_like(x)
        self.direction = np.zeros_like(x)
        self.done = np.zeros(len(cand), bool)
        with np.errstate(invalid="ignore"):
            self.unit = np.minimum(cand.rate * cand.s_aq - cand.s_ap,
                                   cand.s_bp - cand.rate * cand.s_bq)
        self.supplier = np.zeros(len(cand))
        self.dir_p = np.zeros(len(cand))
        self.dir_q = np.zeros(len(cand))
        self.alive = np.zeros(len(cand), bool)
        self._refresh_suppliers(np.arange(len(cand)))
        self.supplying = _index_lists(np.concatenate([cand.a * k + cand.p, cand.b * k + cand.q]),
                                      n * k, modulo=len(cand))
        bound = self.unit * self.supplier
        self.key = np.where(self.alive, bound, -np.inf)
        live = np.flatnonzero(self.alive & (bound > MIN_GAIN))
        # The queue: all candidates sorted once by their first upper bound (walked with a
        # pointer), plus a small heap for those re-keyed since (``moved``).
        self.order = live[np.argsort(-bound[live], kind="stable")]
        self.pointer = 0
        self.moved = np.zeros(len(cand), bool)
        self.heap: list[tuple[float, int]] = []
        self.limited: list[set[int]] = [set() for _ in range(k)]
        self.executed: list[dict] = []

    def _refresh_suppliers(self, idx) -> None:
        lim = _limits(self.cand, idx, self.y, self.outcome, self.cum, self.x)
        a, b, p, q = self.cand.a[idx], self.cand.b[idx], self.cand.p[idx], self.cand.q[idx]
        self.supplier[idx] = lim["supplier"]
        self.dir_p[idx], self.dir_q[idx] = lim["dir_p"], lim["dir_q"]
        self.alive[idx] = ((lim["dir_p"] != 0) & (lim["dir_q"] != 0) & ~self.done[idx]
                           & ((self.direction[a, p] == 0) | (self.direction[a, p] == lim["dir_p"]))
                           & ((self.direction[b, q] == 0) | (self.direction[b, q] == lim["dir_q"]))
                           & np.isfinite(lim["supplier"]))

    def dp(self, c: int) -> float:
        """The current shift of O_p for candidate ``c``: the smallest of its limits."""
        cand = self.cand
        p, q, a, b = cand.p[c], cand.q[c], cand.a[c], cand.b[c]
        room_p = self.dir_p[c] * (self.x[b, p] - self.check[p])
        room_q = self.dir_q[c] * (self.x[a, q] - self.check[q]) / cand.rate[c]
        return max(min(self.supplier[c], room_p, room_q), 0.0)

    def gain(self, c: int) -> float:
        """The smaller of the two gains of ``c`` now, or -inf if it is not a valid exchange."""
        if not self.alive[c]:
            return -np.inf
        value = self.unit[c] * self.dp(c)
        return value if value > MIN_GAIN and np.isfinite(value) else -np.inf

    def _next_in_order(self) -> tuple[float, int]:
        """The best key still waiting in the sorted array (skipping dead and re-keyed ones)."""
        while self.pointer < len(self.order):
            chunk = self.order[self.pointer:self.pointer + 512]
            good = self.alive[chunk] & ~self.moved[chunk]
            if good.any():
                self.pointer += int(np.argmax(good))
                c = int(self.order[self.pointer])
                return self.key[c], c
            self.pointer += len(chunk)
        return -np.inf, -1

    def _next_in_heap(self) -> tuple[float, int]:
        while self.heap:
            key, c = -self.heap[0][0], self.heap[0][1]
            if key == self.key[c] and self.alive[c]:
                return key, c
            heapq.heappop(self.heap)
        return -np.inf, -1

    def best(self) -> int | None:
        """The highest-gain candidate; exact ties broken by the seeded generator."""
        seen: dict[int, float] = {}
        top = -np.inf
        while True:
            key_a, a = self._next_in_order()
            key_h, h = self._next_in_heap()
            key, c = (key_a, a) if key_a >= key_h else (key_h, h)
            if c < 0 or key < top - TIE * max(1.0, abs(top)):
                break
            if c == a:
                self.pointer += 1
            else:
                heapq.heappop(self.heap)
            value = self.gain(c)
            seen[c] = value
            top = max(top, value)
            if value < self.unit[c] * self.supplier[c]:  # the room binds: remember it
                self.limited[self.cand.p[c]].add(c)
                self.limited[self.cand.q[c]].add(c)
        for c, value in seen.items():  # back in the queue with their exact gains
            self._requeue(c, value)
        if not np.isfinite(top):
            return None
        tol = TIE * max(1.0, abs(top))
        tied = sorted(c for c, value in seen.items() if value >= top - tol)
        return tied[0] if len(tied) == 1 else int(self.rng.choice(np.array(tied)))

    def _requeue(self, c: int, key: float) -> None:
        self.key[c] = key
        self.moved[c] = True
        if np.isfinite(key):
            heapq.heappush(self.heap, (-key, c))

    def execute(self, e: int) -> None:
        """Carry out candidate ``e`` and update what it affects."""
        cand, k = self.cand, self.x.shape[1]
        a, b, p, q = int(cand.a[e]), int(cand.b[e]), int(cand.p[e]), int(cand.q[e])
        dp = self.dp(e)
        dq = dp * cand.rate[e]
        move_a, move_b = dp / cand.share_ap[e], dq / cand.share_bq[e]
        dir_p, dir_q = self.dir_p[e], self.dir_q[e]
        self.executed.append(dict(
            supplier_p=a, supplier_q=b, p=p, q=q, a_before=float(self.y[a, p]),
            a_after=float(self.y[a, p] + dir_p * move_a), b_before=float(self.y[b, q]),
            b_after=float(self.y[b, q] + dir_q * move_b), dp=float(dp), dq=float(dq),
            gain_a=float(dq * cand.s_aq[e] - dp * cand.s_ap[e]),
            gain_b=float(dp * cand.s_bp[e] - dq * cand.s_bq[e])))
        self.y[a, p] += dir_p * move_a
        self.y[b, q] += dir_q * move_b
        self.cum[a, p] += move_a
        self.cum[b, q] += move_b
        self.direction[a, p], self.direction[b, q] = dir_p, dir_q
        self.done[e] = True
        self.alive[e] = False
        movers = np.concatenate([self.supplying[a * k + p], self.supplying[b * k + q]])
        self._refresh_suppliers(movers)  # supplier limits mostly shrink: keys stay upper bounds
        bound = self.unit[movers] * self.supplier[movers]
        for c in movers[self.alive[movers] & (bound > self.key[movers])].tolist():
            self._requeue(c, self.unit[c] * self.supplier[c])  # a move opened a new gap
        for issue, shift in ((p, dir_p * dp), (q, dir_q * dq)):
            self.outcome[issue] += shift
            self._widen(issue, shift)

    def _widen(self, issue: int, shift: float) -> None:
        """Re-queue remembered candidates whose room on ``issue`` grew when its outcome moved."""
        if shift == 0 or self.frozen or not self.limited[issue]:
            return
        cand = self.cand
        members = np.fromiter(self.limited[issue], int)
        direction = np.where(cand.p[members] == issue, self.dir_p[members], self.dir_q[members])
        grown = members[(direction * shift < 0) & self.alive[members]]
        for c in grown.tolist():
            bound = self.unit[c] * self.supplier[c]
            self.limited[cand.p[c]].discard(c)
            self.limited[cand.q[c]].discard(c)
            if bound > self.key[c]:
                self._requeue(c, bound)


def play_round(x, s, w, mask, randomness, rng, frozen: bool = False):
    """One round of greedy execution; returns voting positions, the exchanges, and how many
    candidates there were. ``frozen``: check demanders' positions against the round-start
    outcome."""
    cand = candidates(x, s, w, mask, randomness, rng)
    start = np.nan_to_num(x)
    state = _Round(cand, start, _weighted_mean(start, w), rng, frozen)
    while len(cand) and (e := state.best()) is not None:
        state.execute(e)
    return np.where(mask, state.y, np.nan), state.executed, len(cand)
