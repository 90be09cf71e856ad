"""The exchange model's greedy round, compiled: terms, validity, execution, recomputation.

Notation of shared/models/exchange.md (A.2): a candidate pairs ``j``, who supplies on issue ``p``
(moves its voting position towards ``i``'s position on ``p``) and demands on ``q``, with ``i``, who
supplies on ``q``. Positions are on decide's internal 0-100 scale; an actor's *share* on an issue
is ``c s / W``, how far the outcome moves per unit its voting position moves. The terms
(:func:`terms`, A.2 step 4 with A.7's rules):

1. ``j`` moves all the way to ``i``'s position: ``dp = |gap_j| share_j``; equal gain sets
   ``dq = dp (s_ip + s_jp) / (s_iq + s_jq)`` and ``i``'s move ``dq / share_i``. If that overshoots
   ``j``'s position on ``q``, ``i`` moves all the way instead and ``p`` is solved back.
2. R5: a side is truncated when its view of the outcome lies strictly short of the demander's
   position before the move and strictly beyond it after; the outcome then stops at that
   position. When ``j`` is truncated, ``i``'s check still measures ``i``'s untruncated move. In
   float64 a view within ``TOL`` of the position counts as at it, as in exact arithmetic (where
   decide's outcome hangs on its rounding, ``close`` says so and the decide preset decides).
3. The gain is ``i``'s (``dp s_ip - dq s_iq``), or ``j``'s when ``i`` was truncated (decide's
   choice; equal but for rounding). The random-rate variant ranks by the smaller one.

A side is valid (R2, :func:`side_ok`) while its move is real and within the scale, every term of
its list has one sign and their signed sum is at most 100; or, with ``cap=1``, while the moves
actually executed on that issue stay within 100 in one direction. ``close`` marks comparisons
within ``TOL``, which decide's 28-digit arithmetic may decide either way.

Array layout (built by :mod:`accord.models.exchange_rounds`): ``F`` per-candidate constants
(columns ``F_*``), ``I`` per-candidate flat positions into the state arrays (``I_*``), ``D`` the
candidate's changing state (``D_*``), ``G`` its gain (minus infinity once invalid or executed);
the state of every draw as flat arrays.
"""

from __future__ import annotations

import heapq

import numpy as np

from accord.models.compiled import jit

MIN_MOVE = 1e-10  # decide's smallest valid move and gain, on its 0-100 scale
SCALE = 100.0
TOL = 1e-9  # a comparison closer than this may go either way in decide's decimals
TIE = 1e-12  # relative: gains this close are equal but for rounding
HEAP_FROM = 2000  # candidates in a draw's round from which the best is kept on a heap
(F_TJ, F_TI, F_XJ, F_XI, F_WJ, F_WI, F_UP, F_UQ, F_BJ, F_BI, F_SJP, F_SJQ, F_SIP, F_SIQ,
 F_RATE, F_SHJ, F_SHI) = range(17)  # F_U*: 1 / W of the issue; F_SH*: the supplier's share
I_YJ, I_YI, I_NJ, I_NI, I_RJ, I_RI, I_DRAW, I_OK, I_KP, I_KQ = range(10)
(D_SUMJ, D_SIGNJ, D_COUNTJ, D_LASTJ, D_SUMI, D_SIGNI, D_COUNTI, D_LASTI, D_ALIVE, D_TRUNC,
 D_CLOSE, D_FULLJ, D_FULLI) = range(13)
VIEWS = {"candidate": 0, "round_start": 1, "running": 2}


@jit
def terms(start_j, target_j, share_j, view_j, start_i, target_i, share_i, view_i,
          sjp, sjq, sip, siq, rate, equal_gain):
    """Signed moves of j and i, the gain, truncation, close calls, and which side moves all
    the way to its partner's position (module docstring)."""
    gap_j, gap_i = target_j - start_j, target_i - start_i
    sign_j, sign_i = np.sign(gap_j), np.sign(gap_i)
    full_j, full_i = abs(gap_j), abs(gap_i)
    dq = full_j * share_j * rate
    over = dq / share_i > full_i
    close = abs(dq / share_i - full_i) < TOL
    if over:
        dq = full_i * share_i
    dp = dq / rate
    short_j, past_j = sign_j * (target_j - view_j), sign_j * (view_j + sign_j * dp - target_j)
    short_i, past_i = sign_i * (target_i - view_i), sign_i * (view_i + sign_i * dq - target_i)
    cut_j, cut_i = short_j > TOL and past_j > TOL, short_i > TOL and past_i > TOL
    close = close or min(abs(short_j), abs(past_j), abs(short_i), abs(past_i)) < TOL
    if cut_j:
        dp = short_j
        dq = dp * rate
    if cut_i:
        dq = short_i
        dp = dq / rate
    cut = cut_j or cut_i
    move_j = dp / share_j if over or cut else full_j
    move_i = full_i if over and not cut else dq / share_i
    gain_i, gain_j = dp * sip - dq * siq, dq * sjq - dp * sjp
    if equal_gain:
        gain = abs(gain_j) if cut_i else abs(gain_i)
    else:
        gain = min(gain_i, gain_j)
    return sign_j * move_j, sign_i * move_i, gain, cut, close, not (over or cut), over and not cut


@jit
def side_ok(move, start, total, sign, count, full):
    """R2 for one side given its list (``total``, ``sign`` and ``count`` of the kept terms).
    A ``full`` move ends exactly on the partner's position in any arithmetic, so its bounds are
    no close calls."""
    size, after, total = abs(move), start + move, total + move
    valid = (MIN_MOVE < size <= SCALE + TOL and -TOL <= after <= SCALE + TOL
             and (count == 0 or np.sign(move) == sign) and total <= SCALE + TOL)
    close = (abs(size - MIN_MOVE) < TOL or (count > 0 and abs(total - SCALE) < TOL)
             or (not full and min(abs(size - SCALE), abs(after), abs(after - SCALE)) < TOL))
    return valid, close


@jit
def _view(base, weight, inverse, key, position, record, preference, recoff, recnum, running,
          views):
    """R1: a side's view of its supply issue's outcome: the round-start numerator ``base`` with
    the recorded moves towards its demander (``recnum[key]``) and its supplier's own move (its
    recorded one, ``recoff[record]``, replaced by the current one); or the round-start or
    running outcome."""
    if views == 1:
        return base * inverse
    if views == 2:
        return running[key]
    return (base + recnum[key] + (position - preference - recoff[record]) * weight) * inverse


@jit
def compute(ids, moved_j, moved_i, F, I, D, G, y, recoff, recnum, running, cum, direction, views,
            cap, equal_gain):
    """Fresh terms for candidates ``ids``. A side whose supplier sits at ``moved_j`` or
    ``moved_i`` (flat positions of the suppliers an exchange just moved; -1: none) keeps its
    current term listed (R2)."""
    for c in ids:
        start_j, start_i = y[I[c, I_YJ]], y[I[c, I_YI]]
        key_j = I[c, I_KP] if views == 2 else I[c, I_NJ]
        key_i = I[c, I_KQ] if views == 2 else I[c, I_NI]
        move_j, move_i, gain, cut, close, full_j, full_i = terms(
            start_j, F[c, F_TJ], F[c, F_SHJ],
            _view(F[c, F_BJ], F[c, F_WJ], F[c, F_UP], key_j, start_j, I[c, I_RJ], F[c, F_XJ],
                  recoff, recnum, running, views),
            start_i, F[c, F_TI], F[c, F_SHI],
            _view(F[c, F_BI], F[c, F_WI], F[c, F_UQ], key_i, start_i, I[c, I_RI], F[c, F_XI],
                  recoff, recnum, running, views),
            F[c, F_SJP], F[c, F_SJQ], F[c, F_SIP], F[c, F_SIQ], F[c, F_RATE], equal_gain)
        valid = I[c, I_OK] == 1 and gain >= MIN_MOVE
        close = close or abs(gain - MIN_MOVE) < TOL
        for col, move, start, full in ((0, move_j, start_j, full_j), (4, move_i, start_i, full_i)):
            at = I[c, I_YJ + col // 4]
            if at == moved_j or at == moved_i:
                D[c, col] += D[c, col + 3]
                D[c, col + 1] = np.sign(D[c, col + 3])
                D[c, col + 2] += 1
            D[c, col + 3] = move
            if cap == 1:
                size = abs(move)
                ok = (MIN_MOVE < size and cum[at] + size <= SCALE + TOL
                      and -TOL <= start + move <= SCALE + TOL
                      and (direction[at] == 0 or np.sign(move) == direction[at]))
            else:
                ok, near = side_ok(move, start, D[c, col], D[c, col + 1], D[c, col + 2], full)
                close = close or near
            valid = valid and ok
        G[c] = gain if valid else -np.inf
        D[c, D_ALIVE] = 1.0 if valid else 0.0
        D[c, D_TRUNC] = 1.0 if cut else 0.0
        D[c, D_CLOSE] = 1.0 if close else 0.0
        D[c, D_FULLJ] = 1.0 if full_j else 0.0
        D[c, D_FULLI] = 1.0 if full_i else 0.0


@jit
def pick(lo, hi, G, u):
    """The candidate to execute among ``lo:hi`` (-1 if none): the highest gain, ties (within
    ``TIE``) to the first built, or to the ``u``-th share of them when ``u >= 0``."""
    top = -np.inf
    for c in range(lo, hi):
        top = max(top, G[c])
    if top == -np.inf:
        return -1
    floor, tied = top - TIE * abs(top), 0
    for c in range(lo, hi):
        if G[c] >= floor:
            if u < 0:
                return c
            tied += 1
    chosen = int(u * tied)
    for c in range(lo, hi):
        if G[c] >= floor:
            if chosen == 0:
                return c
            chosen -= 1
    return -1


@jit
def _pop(heap, G, D, u):
    """:func:`pick` from a heap of (-gain, candidate) entries, some stale (the candidate was
    recomputed or left since): the tied best are popped, one chosen, the others pushed back."""
    while heap and (D[heap[0][1], D_ALIVE] == 0 or -heap[0][0] != G[heap[0][1]]):
        heapq.heappop(heap)
    if not heap:
        return -1
    top = -heap[0][0]
    floor = top - TIE * abs(top)
    tied = []
    while heap and -heap[0][0] >= floor:
        key, c = heapq.heappop(heap)
        if D[c, D_ALIVE] > 0 and -key == G[c] and c not in tied:
            tied.append(c)
    tied.sort()
    chosen = tied[int(u * len(tied))] if u >= 0 else tied[0]
    for c in tied:
        if c != chosen:
            heapq.heappush(heap, (-G[c], c))
    return chosen


@jit
def _touch(ptr, ids, key, D, stamp, mark, buf, count):
    """Append the live candidates listed under ``key`` to ``buf`` once each (``stamp == mark``:
    already there); returns the new count."""
    for t in ids[ptr[key]:ptr[key + 1]]:
        if D[t, D_ALIVE] > 0 and stamp[t] != mark:
            stamp[t] = mark
            buf[count] = t
            count += 1
    return count


@jit
def execute(c, move_j, move_i, F, I, D, G, y, x, w, recoff, seen, recnum, running, cum, direction,
            sup_ptr, sup_ids, dem_ptr, dem_ids, views, cap, equal_gain, stamp, buf):
    """Carry out candidate ``c`` with the given signed moves and recompute what it touched (R2).
    ``dem_*`` groups candidates by (draw, issue, demander), or by (draw, issue) for the running
    reading; ``stamp`` (marked with ``c``) and ``buf`` are work space. Returns how many
    candidates were recomputed; their ids are ``buf[:count]``."""
    moved_j, moved_i = I[c, I_YJ], I[c, I_YI]
    G[c], D[c, D_ALIVE] = -np.inf, 0.0
    count = 0
    for side, move in ((0, move_j), (1, move_i)):
        at = I[c, I_YJ + side]
        y[at] += move
        cum[at] += abs(move)
        direction[at] = np.sign(move)
        running[I[c, I_KP + side]] += move * F[c, F_SHJ + side]
        count = _touch(sup_ptr, sup_ids, at, D, stamp, c, buf, count)
        rec = I[c, I_RJ + side]
        if views == 0 and not seen[rec]:
            seen[rec] = True
            recoff[rec] = y[at] - x[at]
            recnum[I[c, I_NJ + side]] += recoff[rec] * w[at]
            count = _touch(dem_ptr, dem_ids, I[c, I_NJ + side], D, stamp, c, buf, count)
        elif views == 2:
            count = _touch(dem_ptr, dem_ids, I[c, I_KP + side], D, stamp, c, buf, count)
    compute(buf[:count], moved_j, moved_i, F, I, D, G, y, recoff, recnum, running, cum, direction,
            views, cap, equal_gain)
    return count


@jit
def play(first, F, I, D, G, y, x, w, recoff, seen, recnum, running, cum, direction, sup_ptr,
         sup_ids, dem_ptr, dem_ids, views, cap, equal_gain, ties, log):
    """Play every draw's round to its end (the best candidate found by a scan, or kept on a
    heap in large rounds: the same choice). ``ties`` (per
    candidate slot, negative: first built) feeds the choice among tied gains; draw 0's executed
    candidates and moves go to ``log`` (rows of c, move_j, move_i, gain). Returns the number of
    exchanges each draw executed."""
    draws = len(first) - 1
    executed = np.zeros(draws, np.int64)
    stamp = np.full(len(G), -1, np.int64)
    buf = np.empty(len(G), np.int64)
    for d in range(draws):
        lo, hi = first[d], first[d + 1]
        heap = [(-G[c], c) for c in range(lo, hi) if D[c, D_ALIVE] > 0 and hi - lo > HEAP_FROM]
        heapq.heapify(heap)
        while True:
            u = ties[lo + executed[d]] if lo + executed[d] < hi else -1.0
            c = _pop(heap, G, D, u) if hi - lo > HEAP_FROM else pick(lo, hi, G, u)
            if c < 0:
                break
            move_j, move_i = D[c, D_LASTJ], D[c, D_LASTI]
            if d == 0:
                log[executed[d], 0], log[executed[d], 1] = c, move_j
                log[executed[d], 2], log[executed[d], 3] = move_i, G[c]
            count = execute(c, move_j, move_i, F, I, D, G, y, x, w, recoff, seen, recnum, running,
                            cum, direction, sup_ptr, sup_ids, dem_ptr, dem_ids, views, cap,
                            equal_gain, stamp, buf)
            for t in buf[:count]:
                if D[t, D_ALIVE] > 0 and hi - lo > HEAP_FROM:
                    heapq.heappush(heap, (-G[t], t))
            executed[d] += 1
    return executed
