"""The mediator's candidate drafts and how it ranks them (mediation.md section 4, "Mediator
algorithm", step 2), for a batch of draws.

On few issues the candidates are every text within ``max_step`` levels of the current one on
every open issue (a box of at most ``box_limit`` texts); on more, every pair of moves of up to
``max_step`` levels on two distinct issues, or one move alone (log-rolls). A candidate pleases
when the mediator's model expects every present party to gain (or, for a qualified majority, a
capability share of at least ``majority`` not to lose); among those the mediator drafts the one
with the largest expected joint gain. Candidates vetoed since the last adoption are not drafted
again. When none pleases and the mediator anneals, it drafts the largest joint gain anyway.
"""

from __future__ import annotations

import itertools

import numpy as np

from accord.sim.domain import utilities


def choose(model, text, allowed, locked, present, capability, rejected, annealing, live,
           params, offsets):
    """The best draft under the mediator's ``model`` (B, n, k, L) for each ``live`` draw:
    (candidate index, text, expected to please everyone, any candidate at all), all (B, ...).

    ``allowed`` (B, k, L) the levels a draft may use, ``locked`` (B, k) the locked issues,
    ``rejected`` (B, slots) the candidates vetoed since the last adoption (-1: none),
    ``annealing`` (B,) whether the mediator anneals, ``offsets`` the box (None: pairs).
    """
    b = len(live)
    choice, pareto, exists = np.zeros(b, int), np.zeros(b, bool), np.zeros(b, bool)
    proposal = text.copy()
    idx = np.flatnonzero(live)
    rows = np.arange(len(idx))
    text, allowed, locked = text[idx], allowed[idx], locked[idx]
    model, here, cap = model[idx], present[idx], capability[idx]
    majority = params.majority < 1.0
    if offsets is not None:
        texts, valid = box_texts(text, allowed, locked, offsets)
        gains = np.moveaxis(utilities(model, texts) - utilities(model, text)[:, None], 2, 1)
        worst, total, share = stats(gains.astype(np.float32), here, cap)
        tabu = marks(rejected[idx], len(offsets))
    else:
        moves = 2 * params.max_step * text.shape[1] + 1
        targets, valid_moves, issue = one_moves(text, allowed, locked, params.max_step)
        order, targets, issue = compact(valid_moves, targets, issue)
        worst, total, share, valid = pair_stats(model, text, targets, issue, here, cap, majority)
        tabu = pair_marks(rejected[idx], order, moves)
    score, pleasing = rank(worst, total, share, valid & ~tabu, annealing[idx], params.majority)
    best = np.argmax(score, axis=1)
    found = np.isfinite(score[rows, best])
    exists[idx], pareto[idx] = found, pleasing[rows, best]
    if offsets is not None:
        choice[idx], picked = best, texts[rows, best]
    else:
        m = order.shape[1]
        choice[idx] = order[rows, best // m] * moves + order[rows, best % m]
        picked = apply_pair(text, best, targets, issue)
    proposal[idx] = np.where(found[:, None], picked, text)
    return choice, proposal, pareto, exists


def rank(worst, total, share, valid, annealing, majority: float):
    """Scores of the candidates (b, C): the joint gain where the draft pleases; when none
    does and the mediator anneals, the joint gain alone, ranked below."""
    if majority < 1.0:
        pleasing = valid & (share >= majority - 1e-6) & (total > 1e-9)
    else:
        pleasing = valid & (worst > 1e-9)
    score = np.where(pleasing, total, -np.inf)
    hopeless = ~pleasing.any(axis=1) & annealing
    if hopeless.any():
        fallback = valid & (total > 1e-9) & hopeless[:, None]
        score = np.where(fallback, total - 10.0, score)
    return score, pleasing


def box(issues: int, step: int) -> np.ndarray:
    """(T, k) every offset vector with entries in [-step, step], the zero vector excluded."""
    offsets = np.array(list(itertools.product(range(-step, step + 1), repeat=issues)))
    return offsets[np.abs(offsets).sum(axis=1) > 0]


def marks(rejected: np.ndarray, size: int) -> np.ndarray:
    """(b, size) True at the candidates listed in ``rejected`` (b, slots; -1 for none)."""
    out = np.zeros((len(rejected), size + 1), dtype=bool)
    np.put_along_axis(out, np.where(rejected >= 0, rejected, size), True, axis=1)
    return out[:, :size]


def pair_marks(rejected: np.ndarray, order: np.ndarray, moves: int) -> np.ndarray:
    """(b, m*m) True at the compacted pairs whose original pair index (first move x ``moves``
    + second move) is listed in ``rejected``; ``order`` (b, m) maps compacted to original moves."""
    b, m = order.shape
    where = np.full((b, moves + 1), -1)
    np.put_along_axis(where, order, np.arange(m)[None].repeat(b, 0), axis=1)
    first = np.where(rejected >= 0, rejected // moves, moves)
    second = np.where(rejected >= 0, rejected % moves, moves)
    a, c = np.take_along_axis(where, first, 1), np.take_along_axis(where, second, 1)
    pair = np.where((a >= 0) & (c >= 0), a * m + c, m * m)
    return marks(pair, m * m)


def stats(gains: np.ndarray, present: np.ndarray, capability: np.ndarray):
    """Worst and total gain of the present parties and the capability share of those who do
    not lose, from gains (b, n, C)."""
    here = present[:, :, None]
    worst = np.where(here, gains, np.inf).min(axis=1)
    total = np.where(here, gains, 0.0).sum(axis=1)
    cap = (capability * present)[:, :, None]
    share = (cap * (gains >= 0)).sum(axis=1) / np.maximum(cap.sum(axis=1), 1e-12)
    return worst, total, share


def box_texts(text: np.ndarray, allowed: np.ndarray, locked: np.ndarray,
              offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every text ``text + offset`` (b, T, k), and which are valid: inside the scale, on
    allowed levels, and unchanged on locked issues."""
    levels = allowed.shape[2]
    texts = text[:, None, :] + offsets[None]
    inside = (texts >= 0) & (texts < levels)
    clipped = np.clip(texts, 0, levels - 1)
    ok = allowed[np.arange(len(text))[:, None, None], np.arange(text.shape[1])[None, None],
                 clipped]
    fixed = ~locked[:, None, :] | (offsets[None] == 0)
    return clipped, (inside & ok & fixed).all(axis=2)


def one_moves(text: np.ndarray, allowed: np.ndarray, locked: np.ndarray, max_step: int):
    """Every one-issue move of up to ``max_step`` levels, plus "no move" last: target levels
    (b, M), validity (b, M) and the issue each moves (M,; k for "no move")."""
    b, k = text.shape
    levels = allowed.shape[2]
    steps = np.concatenate([np.arange(-max_step, 0), np.arange(1, max_step + 1)])
    target = text[:, :, None] + steps
    inside = (target >= 0) & (target < levels)
    clipped = np.clip(target, 0, levels - 1)
    ok = np.take_along_axis(allowed, clipped, axis=2)
    valid = (inside & ok & ~locked[:, :, None]).reshape(b, -1)
    issue = np.append(np.repeat(np.arange(k), len(steps)), k)
    return (np.append(clipped.reshape(b, -1), np.full((b, 1), -1), axis=1),
            np.append(valid, np.ones((b, 1), bool), axis=1), issue)


def compact(valid: np.ndarray, targets: np.ndarray, issue: np.ndarray):
    """Valid moves first, as few columns as the draw with most valid moves needs: the original
    move index (b, m), targets (b, m; -1 for "no move" or padding) and issues (b, m; padding
    gets an issue no pair can use)."""
    order = np.argsort(~valid, axis=1, kind="stable")
    width = int(valid.sum(axis=1).max())
    order = order[:, :width]
    kept = np.take_along_axis(valid, order, axis=1)
    moved = np.where(kept, np.take_along_axis(targets, order, axis=1), -1)
    issues = np.where(kept, issue[order], -1)
    return order, moved, issues


def pair_stats(model, text, targets, issue, present, capability, majority: bool):
    """Worst and total gain of the present parties and (for a ``majority`` vote) the capability
    share of those who do not lose, (b, m*m) for every pair of moves on distinct issues (the
    first on a lower issue; "no move" has issue k), and which pairs are valid; in float32."""
    b, n, k, _ = model.shape
    rows = np.arange(b)[:, None]
    column = np.clip(issue, 0, k - 1)
    moved = np.where(targets >= 0, targets, 0)
    now = np.take_along_axis(text, column, axis=1)
    gain = model[rows, :, column, moved] - model[rows, :, column, now]
    gain = np.where((targets >= 0)[:, :, None] & present[:, None, :], gain, 0.0)
    gain = gain.astype(np.float32)  # (b, m, n)
    valid = ((issue[:, :, None] < issue[:, None, :]) & (issue[:, :, None] >= 0)).reshape(b, -1)
    single = gain.sum(axis=2)
    total = (single[:, :, None] + single[:, None, :]).reshape(b, -1)
    m = gain.shape[1]
    worst = share = None
    if majority:
        share = np.zeros((b, m, m), np.float32)
        weight = (capability * present) / np.maximum(
            (capability * present).sum(1, keepdims=True), 1e-12)
        for i in range(n):
            share += weight[:, i, None, None].astype(np.float32) * (
                gain[:, :, None, i] + gain[:, None, :, i] >= 0)
        share = share.reshape(b, -1)
    else:
        worst = np.full((b, m, m), np.inf, np.float32)
        for i in np.flatnonzero(present.any(axis=0)):
            pair = gain[:, :, None, i] + gain[:, None, :, i]
            if not present[:, i].all():
                pair[~present[:, i]] = np.inf
            np.minimum(worst, pair, out=worst)
        worst = worst.reshape(b, -1)
    return worst, total, share, valid


def apply_pair(text: np.ndarray, choice: np.ndarray, targets: np.ndarray,
                issue: np.ndarray) -> np.ndarray:
    """The text with the two moves of pair ``choice`` (compacted indices) applied."""
    m = targets.shape[1]
    proposal = text.copy()
    rows = np.arange(len(choice))
    for move in (choice // m, choice % m):
        level = targets[rows, move]
        real = level >= 0
        proposal[rows[real], issue[rows[real], move[real]]] = level[real]
    return proposal
