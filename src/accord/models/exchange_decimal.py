"""decide-exchange-model's arithmetic: 28-digit decimals in its order of operations.

decide computes in Python's ``Decimal`` with the default context (28 significant digits,
half-even rounding) on a 0-100 internal scale, ``(x - low) * (100 / (high - low))``. Where its
decisions hinge on rounding (shared/models/exchange.md A.7: ties ordered by the 28th digit, R5's
boundary), only the same operations in the same order give the same decisions. The order used
here was established digit by digit against decide's printed runs (data/decide/reference: every
start, move, outcome before and after, and gain of all 30 rounds agrees to the last digit):

* outcome of issue ``d``: ``sum(x * s * c) / sum(c * s)`` over its stances in actor order, each
  term ``(x * s) * c``;
* a move's outcome shift ``g * s * c / W``; the partner's shift ``shift * ratio`` with
  ``ratio = (s_ip + s_jp) / (s_iq + s_jq)`` (or its inverse) computed first; the partner's move
  ``shift * W / (c * s)``;
* a truncated move ``(Y * W - total) / (c * s)``, ``total`` the candidate's view's numerator;
* the outcome after a move: the view's sum with the mover's new position;
* the preference update ``x * ((1 - w) - 0.1) + (w * y + y * 0.1)`` with ``w = (1 - s) * 0.4``
  and decide's float constants converted exactly (``Decimal(0.4)``), for actors that moved.

Inputs are read from the batch's floats as the shortest decimal with 15 significant digits,
which recovers the numbers written in decide's files. Callers run everything in ``CONTEXT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal

import numpy as np

CONTEXT = Context(prec=28)
SALIENCE_WEIGHT, FIXED_WEIGHT = Decimal(0.4), Decimal(0.1)  # decide's float constants, exactly
ONE, HUNDRED, MIN_MOVE = Decimal(1), Decimal(100), Decimal("1e-10")


def exact(value: float) -> Decimal:
    """A float input as the decimal it was written as (15 significant digits)."""
    return Decimal(f"{value:.15g}")


@dataclass
class Terms:
    """One candidate's terms in decimals: signed moves, gain, views and whether truncated."""

    move_j: Decimal
    move_i: Decimal
    gain: Decimal
    truncated: bool


class DecimalDraw:
    """One draw's state in decide's arithmetic: preferences ``x``, voting positions ``y`` and
    the R1 records ``rec[(issue, demander)][supplier]`` of the current round."""

    def __init__(self, batch, draw: int):
        n, k = batch.mask.shape
        scale = batch.scale if batch.scale is not None else np.array([[0.0] * k, [1.0] * k])
        low, high = [exact(v) for v in scale[0]], [exact(v) for v in scale[1]]
        self.rows = [[a for a in range(n) if batch.mask[a, d]] for d in range(k)]
        self.s = [[exact(v) for v in row] for row in batch.salience[draw]]
        self.c = [exact(v) for v in batch.capability[draw]]
        self.x = [[Decimal(0)] * k for _ in range(n)]
        for d in range(k):
            span = HUNDRED / (high[d] - low[d])
            for a in self.rows[d]:
                at_scale = scale[0, d] + batch.position[draw, a, d] * (scale[1, d] - scale[0, d])
                self.x[a][d] = (exact(at_scale) - low[d]) * span
        self.W = [sum((self.c[a] * self.s[a][d] for a in self.rows[d]), Decimal(0))
                  for d in range(k)]
        self.row = [{a: r for r, a in enumerate(rows)} for rows in self.rows]
        self.y = [row[:] for row in self.x]
        self.rec: dict[tuple[int, int], dict[int, Decimal]] = {}
        self._terms()

    def _terms(self) -> None:
        """The round-start terms ``(x * s) * c`` of each issue's sum, and their running sums
        (``prefix[d][r]``: the first r terms added in order, as the sum adds them)."""
        self.term, self.prefix = [], []
        for d, rows in enumerate(self.rows):
            terms = [self.x[a][d] * self.s[a][d] * self.c[a] for a in rows]
            prefix = [Decimal(0)]
            for t in terms:
                prefix.append(prefix[-1] + t)
            self.term.append(terms)
            self.prefix.append(prefix)

    def outcome(self, d: int, positions: dict[int, Decimal] | None = None,
                y: list | None = None) -> Decimal:
        """Issue ``d``'s weighted mean, with ``positions`` replacing some actors' round-start
        positions, or at positions ``y``."""
        if not self.W[d]:
            return Decimal("NaN")
        if y is not None:
            total = Decimal(0)
            for a in self.rows[d]:
                total += y[a][d] * self.s[a][d] * self.c[a]
            return total / self.W[d]
        return self._sum(d, positions or {}) / self.W[d]

    def _sum(self, d: int, positions: dict[int, Decimal]) -> Decimal:
        """The numerator of the outcome, from the running sum before the first replaced actor
        on: the same additions in the same order as summing every term."""
        if not positions:
            return self.prefix[d][-1]
        start = min(self.row[d][a] for a in positions)
        total, terms, rows, s, c = self.prefix[d][start], self.term[d], self.rows[d], self.s, self.c
        for r in range(start, len(rows)):
            a = rows[r]
            total += positions[a] * s[a][d] * c[a] if a in positions else terms[r]
        return total

    def left(self) -> np.ndarray:
        """(n, k): at or left of the round-start outcome, exactly."""
        n, k = len(self.x), len(self.W)
        out = np.zeros((1, n, k), bool)
        for d in range(k):
            if self.W[d] > 0:
                mean = self.outcome(d)
                for a in self.rows[d]:
                    out[0, a, d] = self.x[a][d] <= mean
        return out

    def lower(self, cands: np.ndarray) -> np.ndarray:
        """Per candidate: 1 if its first actor has the lower ratio s_p / s_q (supplies on p),
        0 if the second has, 2 if the ratios are equal (R3), compared as decide does."""
        out = np.empty(len(cands), np.int64)
        for c, (_, p, q, f, g) in enumerate(cands):
            sf, sg = self.s[f], self.s[g]
            if min(sf[p], sf[q], sg[p], sg[q]) <= 0:
                out[c] = 2
                continue
            rf, rg = sf[p] / sf[q], sg[p] / sg[q]
            out[c] = 2 if rf == rg else int(rf < rg)
        return out

    def view(self, d: int, demander: int, supplier: int) -> dict[int, Decimal]:
        """R1: the positions that differ from the round start in a candidate's view of ``d``."""
        positions = dict(self.rec.get((d, demander), {}))
        positions[supplier] = self.y[supplier][d]
        return positions

    def _chain(self, move, c_f, s_f, w_f, ratio, c_o, s_o, w_o):
        shift = move * s_f * c_f / w_f
        other = shift * ratio
        return shift, other, other * w_o / (c_o * s_o)

    def _solve(self, d: int, positions: dict, actor: int, target: Decimal) -> Decimal:
        total = self._sum(d, positions)
        return abs((target * self.W[d] - total) / (self.c[actor] * self.s[actor][d]))

    def terms(self, j: int, i: int, p: int, q: int) -> Terms:
        """decide's terms of the candidate in which j supplies on p and i on q (A.2, A.7)."""
        s, W = self.s, self.W
        sjp, sjq, sip, siq, cj, ci = s[j][p], s[j][q], s[i][p], s[i][q], self.c[j], self.c[i]
        r_pq, r_qp = (sip + sjp) / (siq + sjq), (siq + sjq) / (sip + sjp)
        start_j, target_j = self.y[j][p], self.x[i][p]
        start_i, target_i = self.y[i][q], self.x[j][q]
        up_j, up_i = target_j > start_j, target_i > start_i
        move_j = abs(target_j - start_j)
        dp, dq, move_i = self._chain(move_j, cj, sjp, W[p], r_pq, ci, siq, W[q])
        if move_i > abs(target_i - start_i):
            move_i = abs(target_i - start_i)
            dq, dp, move_j = self._chain(move_i, ci, siq, W[q], r_qp, cj, sjp, W[p])
        view_p, view_q = self.view(p, i, j), self.view(q, j, i)
        before_p, before_q = self.outcome(p, view_p), self.outcome(q, view_q)
        after_p = self.outcome(p, {**view_p, j: start_j + (move_j if up_j else -move_j)})
        after_q = self.outcome(q, {**view_q, i: start_i + (move_i if up_i else -move_i)})
        cut_i = False
        if before_p < target_j < after_p or before_p > target_j > after_p:
            move_j = self._solve(p, view_p, j, target_j)
            dp, dq, move_i = self._chain(move_j, cj, sjp, W[p], r_pq, ci, siq, W[q])
        if before_q < target_i < after_q or before_q > target_i > after_q:  # after_q as before
            cut_i = True
            move_i = self._solve(q, view_q, i, target_i)
            dq, dp, move_j = self._chain(move_i, ci, siq, W[q], r_qp, cj, sjp, W[p])
        gain = abs(dq * sjq - dp * sjp) if cut_i else abs(dp * sip - dq * siq)
        cut_j = before_p < target_j < after_p or before_p > target_j > after_p
        return Terms(move_j if up_j else -move_j, move_i if up_i else -move_i, gain,
                     cut_i or cut_j)

    def side_valid(self, move: Decimal, start: Decimal) -> bool:
        """The decimal bounds of one side (the list's sign and sum are checked by the caller)."""
        return MIN_MOVE < abs(move) <= HUNDRED and 0 <= start + move <= HUNDRED

    def execute(self, j: int, i: int, p: int, q: int, t: Terms) -> None:
        """Move both suppliers and keep the R1 records (first position towards a demander)."""
        for actor, issue, demander, move in ((j, p, i, t.move_j), (i, q, j, t.move_i)):
            self.y[actor][issue] = self.y[actor][issue] + move
            self.rec.setdefault((issue, demander), {}).setdefault(actor, self.y[actor][issue])

    def end_round(self) -> None:
        """Voting positions become the start of the preference update; records are cleared."""
        for a, (xs, ys) in enumerate(zip(self.x, self.y)):
            for d, (x, y) in enumerate(zip(xs, ys)):
                if y != x:
                    w = (ONE - self.s[a][d]) * SALIENCE_WEIGHT
                    xs[d] = x * ((ONE - w) - FIXED_WEIGHT) + (w * y + y * FIXED_WEIGHT)
        self.y = [row[:] for row in self.x]
        self.rec = {}
        self._terms()
