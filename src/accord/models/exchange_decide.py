"""The exchange model as decide-exchange-model runs it, exchange by exchange (preset decide).

Float64 does the work and decide's 28-digit decimals decide the outcome wherever rounding could
(shared/models/exchange.md A.7). Each round:

1. Outcomes, sides and supplier roles are computed in decimals
   (:class:`~accord.models.exchange_decimal.DecimalDraw`); the candidates are built and scored in
   float64 by the compiled round (:mod:`accord.models.exchange_kernel`).
2. Every comparison a candidate's float terms make within ``TOL`` of its threshold (R5's boundary,
   the overshoot test, the bounds of a valid move) is redone on its decimal terms.
3. Before each pick decide sorts its list stably by gain and takes the first (R4, ties-first);
   here the list is sorted by the float gains, and runs of gains equal within ``TIE`` are sorted
   again by their decimal gains, keeping the list's previous order among equal ones. A sorted
   run then shares one sort key, so that later stable sorts keep its order until one of its
   candidates is recomputed.
4. The picked exchange is executed with its decimal moves; the float state mirrors the decimal
   one, so that every later float computation starts from decide's numbers.

R2's signed sum is checked in decimals where it falls within ``TOL`` of 100, from the listed terms
known exactly (computed in decimals, or moves all the way to the partner); a call that needed a
term known only as a float is counted in the ``inexact`` diagnostic (none on decide's files).
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np

from accord.models import exchange_kernel as kernel
from accord.models.exchange_decimal import (
    CONTEXT,
    HUNDRED,
    MIN_MOVE,
    DecimalDraw,
    Terms,
)
from accord.models.exchange_rounds import Round, Rules

TIE = 1e-9  # relative: float gains this close are sorted by their decimal gains


class DecideRound:
    """One round of one draw in decide's arithmetic (module docstring)."""

    def __init__(self, dec: DecimalDraw, batch, draw: int):
        self.dec = dec
        x = np.array([[float(v) for v in row] for row in dec.x])
        x = np.where(batch.mask, x, batch.position[draw] * 100)[None]
        self.round = Round(x, batch.salience[draw:draw + 1], batch.capability[draw:draw + 1],
                           batch.mask, Rules())
        self.round.start(dec.left(), dec.lower)
        size = len(self.round.G)
        self.order, self.cache, self.inexact = np.arange(size), {}, 0
        self.kept: dict[tuple[int, int], Decimal | None] = {}  # exact sums of listed terms
        self.last: dict[tuple[int, int], Decimal] = {}  # current terms computed in decimals
        self.rank = np.zeros(size, np.int64)
        self.round.executed = np.zeros(1, np.int64)
        self.stamp, self.buf = np.full(size, -1, np.int64), np.empty(size, np.int64)
        self.resolve(np.arange(size))
        self.key, self.dirty = self.round.G.copy(), np.ones(size, bool)

    def exact(self, c: int) -> Terms:
        """Candidate ``c``'s decimal terms (cached until it is recomputed)."""
        if c not in self.cache:
            self.cache[c] = self.dec.terms(*self.round.supplier(c))
        return self.cache[c]

    def resolve(self, ids: np.ndarray) -> None:
        """Redo the close calls among ``ids`` (just computed) in decimals."""
        D, G = self.round.D, self.round.G
        for c in ids[D[ids, kernel.D_CLOSE] > 0]:
            t = self.exact(c)
            j, i, p, q = self.round.supplier(c)
            valid = self.round.I[c, kernel.I_OK] == 1 and t.gain >= MIN_MOVE
            for col, move, start in ((0, t.move_j, self.dec.y[j][p]),
                                     (4, t.move_i, self.dec.y[i][q])):
                D[c, col + 3] = float(move)
                self.last[c, col // 4] = move
                valid = valid and self._listed(c, col, move) and self.dec.side_valid(move, start)
            D[c, kernel.D_ALIVE], D[c, kernel.D_TRUNC] = float(valid), float(t.truncated)
            G[c] = float(t.gain) if valid else -np.inf

    def _listed(self, c: int, col: int, move: Decimal) -> bool:
        """R2's list conditions on a decimal move: one sign, signed sum at most 100 (exactly,
        where the listed terms are known exactly)."""
        D = self.round.D
        if D[c, col + 2] and np.sign(float(move)) != D[c, col + 1]:
            return False
        total = D[c, col] + float(move)
        if not D[c, col + 2] or abs(total - 100) >= kernel.TOL:
            return total <= 100
        kept = self.kept.get((c, col // 4), Decimal(0))
        if kept is None:
            self.inexact += 1
            return total <= 100
        return kept + move <= HUNDRED

    def _keep(self, key: int, start: Decimal, executed: int) -> None:
        """Before the supplier at flat position ``key`` (now at ``start``) moves: every live
        candidate it supplies in lists its current term (R2); keep their sums exact where the
        term is known exactly (computed in decimals, or a move all the way: target - start)."""
        r, dec = self.round, self.dec
        ptr, ids = r.sup
        for t in ids[ptr[key]:ptr[key + 1]]:
            if t == executed or not r.D[t, kernel.D_ALIVE]:
                continue
            for side in (0, 1):
                if r.I[t, kernel.I_YJ + side] != key:
                    continue
                last = self.last.get((t, side))
                if last is None and r.D[t, kernel.D_FULLJ + side]:
                    j, i, p, q = r.supplier(t)
                    last = (dec.x[i][p] if side == 0 else dec.x[j][q]) - start
                before = self.kept.get((t, side), Decimal(0))
                self.kept[t, side] = None if last is None or before is None else before + last

    def pick(self) -> int:
        """decide's pick: the first of its list stably sorted by gain (-1: none left)."""
        alive = self.order[self.round.D[self.order, kernel.D_ALIVE] > 0]
        if not len(alive):
            return -1
        self.rank[alive] = np.arange(len(alive))
        order = alive[np.argsort(-self.key[alive], kind="stable")]
        keys = self.key[order]
        starts, stops = _runs(np.flatnonzero(keys[:-1] - keys[1:] <= TIE * np.abs(keys[:-1])))
        dirty = np.concatenate([[0], np.cumsum(self.dirty[order])])
        redo = (dirty[stops + 1] > dirty[starts]) | (keys[starts] != keys[stops])
        for start, stop in zip(starts[redo], stops[redo]):
            run = order[start:stop + 1]
            order[start:stop + 1] = sorted(run, key=lambda c: (-self.exact(c).gain, self.rank[c]))
            self.key[run] = keys[start]  # one key: the next stable sort keeps this order
        self.dirty[:] = False
        self.order = order
        return int(order[0])

    def run(self) -> list[dict]:
        """Play the round; returns its exchanges as the trace reads them."""
        r, dec, log = self.round, self.dec, []
        y = r.y[0].copy()
        while (c := self.pick()) >= 0:
            t = self.exact(c)
            j, i, p, q = r.supplier(c)
            log.append(r.record(c, float(t.move_j), float(t.move_i), float(t.gain), y))
            at_j, at_i = r.I[c, kernel.I_YJ], r.I[c, kernel.I_YI]
            self._keep(at_j, dec.y[j][p], c)
            self._keep(at_i, dec.y[i][q], c)
            dec.execute(j, i, p, q, t)
            new_j, new_i = float(dec.y[j][p]), float(dec.y[i][q])
            count = kernel.execute(c, new_j - r.yf[at_j], new_i - r.yf[at_i], *r.state(),
                                   self.stamp, self.buf)
            r.yf[at_j], r.yf[at_i] = new_j, new_i
            touched = self.buf[:count].copy()
            for t_id in touched:
                self.cache.pop(int(t_id), None)
                self.last.pop((int(t_id), 0), None)
                self.last.pop((int(t_id), 1), None)
            self.resolve(touched)
            self.key[touched], self.dirty[touched] = r.G[touched], True
            r.executed[0] += 1
        return log


def _runs(near: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last list positions of each run of ties: ``near`` holds k where positions k and
    k + 1 tie."""
    if not len(near):
        return near, near
    breaks = np.flatnonzero(np.diff(near) != 1)
    return (np.concatenate([near[:1], near[breaks + 1]]),
            np.concatenate([near[breaks], near[-1:]]) + 1)


def _unit(rounds: list, batch, draw: int) -> np.ndarray:
    """Positions per round on the unit scale (masked stances as given)."""
    return np.array([np.where(batch.mask, np.array(v) / 100, batch.position[draw])
                     for v in rounds])[None]


def decide_rounds(batch, draw: int, rounds: int) -> dict:
    """All rounds of one draw as decide plays them (on decide's 0-100 scale, then unit)."""
    with localcontext(CONTEXT):
        dec = DecimalDraw(batch, draw)
        k = batch.mask.shape[1]
        x0 = [[float(v) for v in row] for row in dec.x]
        voting, preference = [x0], [x0]
        vote_out = [[float(dec.outcome(d)) for d in range(k)]]
        pref_out = list(vote_out)
        counts, logs, inexact = [], [], 0
        for _ in range(rounds):
            state = DecideRound(dec, batch, draw)
            logs.append(state.run())
            inexact += state.inexact
            counts.append((len(state.round.G), state.round.executed[0]))
            voting.append([[float(v) for v in row] for row in dec.y])
            vote_out.append([float(dec.outcome(d, y=dec.y)) for d in range(k)])
            dec.end_round()
            preference.append([[float(v) for v in row] for row in dec.x])
            pref_out.append([float(dec.outcome(d)) for d in range(k)])
    counts = np.array(counts, int).reshape(-1, 2)
    return dict(voting=_unit(voting, batch, draw), preference=_unit(preference, batch, draw),
                voting_outcome=np.array(vote_out)[None] / 100,
                preference_outcome=np.array(pref_out)[None] / 100,
                candidates=counts[:, 0][None], executed=counts[:, 1][None], log=logs,
                inexact=inexact)
