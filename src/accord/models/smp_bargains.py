"""Negotiation in KTAB's spatial model: bargains, every actor's queue, and the queue elections.

Step 3 of a turn (shared/models/smp.md section 1.3; KTAB ``SMPModel::doBCN``), vectorised over a
batch of draws that run in lockstep: a challenge becomes a bargain between challenger and target
(``SMPActor::interpolateBrgn``), every actor's queue holds its status quo and the bargains it is
part of, in KTAB's order, and an election over the queue (``Model::scalarPCE``) picks the state it
moves to. Arrays are (draws, ...); ``a`` holds every actor's estimate of every actor's utility
(:class:`accord.models.smp_voting.Perceived`).
"""

from __future__ import annotations

import numpy as np

from accord.models.smp_challenges import challenge
from accord.models.smp_voting import risk_utility, scalar_pce

INTERPOLATIONS = ("s2p2", "s1p1", "s2pmax")
BARGAIN_MODELS = ("init_only", "init_rcvr", "pw_comp")
CHUNK = 4_000_000


def resolve(a, r, c, s, x, target, prob, p, rngs) -> tuple[np.ndarray, np.ndarray]:
    """New positions (b, n, D) and each actor's chosen place in its queue (b, n).

    ``target`` (b, n) is each initiator's target (-1: none) and ``prob`` (b, n) its estimate of
    winning; ``rngs`` holds each draw's generator (stochastic transitions only)."""
    b, n, _ = x.shape
    places = _places(a, c, s, x, target, prob, p)  # (b, n, B, 2, D)
    utility = _utilities(a, r, s, x, target, places)  # (b, voter, item)
    item, valid = _queues(target, places.shape[2])  # (b, n, W)
    win = _elect_all(utility, item, valid, c, p)
    chosen = _choose(win, valid, p, rngs)
    pick = np.take_along_axis(item, chosen[..., None], axis=2)[..., 0]  # item index, (b, n)
    bargain = pick >= n
    initiator, kind = np.divmod(np.maximum(pick - n, 0), places.shape[2])
    role = np.where(initiator == np.arange(n), 0, 1)
    draw = np.arange(b)[:, None]
    new = np.where(bargain[..., None], places[draw, initiator, kind, role], x)
    return new, chosen


def _places(a, c, s, x, target, prob, p) -> np.ndarray:
    """Every initiator's bargains: (b, initiator, bargain, role, D) positions, role 0 the
    initiator's and 1 its target's; rows of initiators without a target are unused."""
    b, n, _ = x.shape
    draw = np.arange(b)[:, None]
    j = np.maximum(target, 0)
    xi, si, xj, sj = x, s, x[draw, j], s[draw, j]
    own = interpolate(xi, si, xj, sj, prob[..., None], 1 - prob[..., None], p.interpolation)
    if p.bargain_model == "init_only":
        return np.stack(own, axis=2)[:, :, None]
    # KTAB takes the second element of j's estimate here, which is the expected gain, not the
    # probability (smpbcn.cpp, doBCN); reproduced as is.
    i = np.broadcast_to(np.arange(n), (b, n))
    _, p_j = challenge(a, c, s, p, j, i, i, j)
    theirs = interpolate(xi, si, xj, sj, p_j[..., None], 1 - p_j[..., None], p.interpolation)
    if p.bargain_model == "init_rcvr":
        return np.stack([np.stack(own, axis=2), np.stack(theirs, axis=2)], axis=2)
    if p.bargain_model == "pw_comp":
        # KTAB weighs j's version with the initiator's capability (smpbcn.cpp); reproduced.
        wi = (c * s.sum(axis=2))[..., None]
        wj = (c * s.sum(axis=2)[draw, j])[..., None]
        mixed = [(wi * o + wj * t) / (wi + wj) for o, t in zip(own, theirs)]
        return np.stack(mixed, axis=2)[:, :, None]
    raise ValueError(f"unknown bargain model {p.bargain_model!r}; one of {', '.join(BARGAIN_MODELS)}")


def interpolate(xi, si, xj, sj, pi, pj, method: str) -> tuple[np.ndarray, np.ndarray]:
    """The bargain's positions for initiator and receiver (``SMPActor::interpolateBrgn``)."""
    if method == "s2pmax":
        di, dj = np.maximum(pj - pi, 0.0), np.maximum(pi - pj, 0.0)
        dik = di * sj ** 2 / (di * sj ** 2 + 1e-6 + (1 - di) * si ** 2)
        djk = dj * si ** 2 / (dj * si ** 2 + 1e-6 + (1 - dj) * sj ** 2)
        return xi + dik * (xj - xi), xj + djk * (xi - xj)
    if method not in INTERPOLATIONS:
        raise ValueError(f"unknown interpolation {method!r}; one of {', '.join(INTERPOLATIONS)}")
    power = {"s2p2": 2, "s1p1": 1}[method]
    wi, wj = si ** power * pi ** power, sj ** power * pj ** power
    bi = ((wi + 1e-6) * xi + wj * xj) / (wi + 1e-6 + wj)
    bj = (wi * xi + (1e-6 + wj) * xj) / (wi + 1e-6 + wj)
    return _round4(bi), _round4(bj)


def _round4(x: np.ndarray) -> np.ndarray:
    return np.floor(0.5 + x * 10000.0) / 10000.0


def _utilities(a, r, s, x, target, places) -> np.ndarray:
    """Each item's value to each voter, (b, voter, item): items are the n status quos, then the
    bargains (initiator, bargain). A bargain's value to voter v is the mean over actors of v's
    utility of their positions once the bargain is implemented (the status quo: as they are)."""
    from accord.models.smp_kernels import weighted_distances

    b, n, _ = x.shape
    own = a.own()  # (b, v, m): u_v(v, m) with v's own risk attitude
    total = own.sum(axis=2)
    d = weighted_distances(x, np.ascontiguousarray(places).reshape(b, -1, x.shape[2]), s)
    pos_u = risk_utility(d.reshape(b, n, *places.shape[1:4]), r[:, :, None, None, None])
    rcvr = np.take_along_axis(own, np.broadcast_to(np.maximum(target, 0)[:, None], own.shape), 2)
    moved = pos_u.sum(axis=4) - own[..., None] - rcvr[..., None] + total[:, :, None, None]
    status_quo = np.broadcast_to(total[:, :, None], (b, n, n))
    return np.concatenate([status_quo, moved.reshape(b, n, -1)], axis=2) / n


def _queues(target, per: int) -> tuple[np.ndarray, np.ndarray]:
    """Every actor's queue as item indices (b, n, W) and which are real (padding at the end):
    the bargains of earlier initiators that target it, its status quo, its own bargains, then
    later initiators' (KTAB's order: items are created initiator by initiator)."""
    b, n = target.shape
    k = np.arange(n)[:, None]  # queue owner
    slot = np.arange(n * per + 1)[None, :]
    before = slot < k * per
    initiator = np.where(before, slot // per, (slot - 1) // per)
    item = np.where(slot == k * per, k, n + np.where(before, slot, slot - 1))  # (n, slots)
    initiator = np.broadcast_to(initiator, item.shape)
    has = target[:, initiator] >= 0  # (b, n, slots)
    mine = (initiator == k) | (target[:, initiator] == k)
    valid = (slot == k * per) | (has & mine)
    order = np.argsort(~valid, axis=2, kind="stable")
    width = int(valid.sum(axis=2).max())
    order = order[:, :, :width]
    return (np.take_along_axis(np.broadcast_to(item, valid.shape), order, axis=2),
            np.take_along_axis(valid, order, axis=2))


def _elect_all(utility, item, valid, c, p) -> np.ndarray:
    """Every queue's election, (b, n, W) winning probabilities (0 on padding). Queues of one
    length are elected together, in blocks that bound memory."""
    b, n, width = item.shape
    win = np.zeros((b * n, width))
    lengths = valid.sum(axis=2).ravel()
    draw = np.repeat(np.arange(b), n)
    flat = item.reshape(b * n, width)
    for m in np.unique(lengths):
        rows = np.flatnonzero(lengths == m)
        step = max(1, CHUNK // (n * m * m))
        for part in (rows[start:start + step] for start in range(0, len(rows), step)):
            d = draw[part]
            gathered = utility[d[:, None], :, flat[part, :m]]  # (rows, m, voter)
            win[part, :m] = scalar_pce(c[d], np.swapaxes(gathered, 1, 2), p.voting_rule,
                                       p.victory, p.pce)
    return win.reshape(b, n, width)


def _choose(win, valid, p, rngs) -> np.ndarray:
    """Each queue's winner: the likeliest (first on ties), or drawn (stochastic transitions:
    queues drawn shortest first, ties in actor order, as KTAB's grouping does)."""
    if p.transitions == "deterministic":
        return np.argmax(win, axis=2)
    chosen = np.zeros(win.shape[:2], dtype=int)
    lengths = valid.sum(axis=2)
    for d, rng in enumerate(rngs):
        for k in np.argsort(lengths[d], kind="stable"):
            chosen[d, k] = rng.choice(lengths[d, k], p=win[d, k, :lengths[d, k]])
    return chosen
