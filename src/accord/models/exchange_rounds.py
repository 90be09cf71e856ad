"""One round of the exchange model for a batch of draws: candidates, state, greedy execution.

decide-exchange-model's round (shared/models/exchange.md A.2 steps 1-5 with the rules of A.7):

1. Candidates: for every issue pair ``(p, q)`` in order, every pair of actors on opposite sides of
   the round-start outcome on both issues (right/right with left/left, then left/right with
   right/left, each in actor order). Pairs with equal salience ratios are candidates but never
   valid (R3). The actor with the lower relative salience of ``p`` supplies on ``p``.
2. The valid candidate with the highest gain is executed (gains equal but for rounding go to the
   first built, or to a seeded coin), the candidates it touched are recomputed, until none is
   left (:mod:`accord.models.exchange_kernel`).
3. R1: a candidate's view of an issue's outcome is the round-start outcome changed only by its
   supplier's current voting position and by the first recorded position of every actor that
   has supplied on that issue to the same demander (``views="candidate"``; ``round_start`` and
   ``running`` are the other readings of decide's description).
4. R2: a candidate is recomputed when an executed exchange moved one of its suppliers on its
   supply issue (that side's listed term is kept and the fresh one appended; the other side's is
   replaced) or changed its view (both replaced). A candidate whose view an actor already
   recorded would "change" is not recomputed: decide recomputes it to the same terms.

Rounds run in lockstep over the draws: every draw's candidates are built together, then each draw
plays its round to the end in one compiled call; a draw's result does not depend on the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.models import exchange_candidates as build
from accord.models import exchange_kernel as kernel


@dataclass(frozen=True)
class Rules:
    """The interpretive choices of a round (see the module docstring)."""

    views: str = "candidate"
    cap: str = "listed"
    ties: str = "first"
    randomness: float = 0.0


class Round:
    """The state of one round for ``b`` draws: :meth:`start` builds it, :meth:`run` plays it.

    Positions ``x`` (preference at the round's start) are on decide's 0-100 scale, saliences
    ``s`` on 0-1, capabilities ``c`` per draw and actor; ``mask`` (n, k) who takes part.
    """

    def __init__(self, x, s, c, mask, rules: Rules, rngs=None):
        self.x, self.s, self.rules, self.rngs = x, s, rules, rngs
        self.b, self.n, self.k = x.shape
        self.w = c[:, :, None] * s * mask
        self.W = self.w.sum(axis=1)
        self.part = mask & (self.W > 0).all(axis=0)
        self.n0 = (x * self.w).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.outcome = self.n0 / self.W
        self.y = x.copy()

    def start(self, left=None, lower=None) -> None:
        """Build the candidates and their first terms. ``left`` (at or left of the outcome) and
        ``lower`` (a function of the candidates giving, per candidate, 1 if its first actor
        supplies on p, 0 if the second does, 2 for equal salience ratios) may be given exactly
        by a caller working in decimals."""
        if left is None:
            left = self.x <= self.outcome[:, None, :]
        cands = build.candidates(left, self.part)
        draw = cands[:, 0]
        self.count = np.bincount(draw, minlength=self.b)
        self.first = np.concatenate([[0], np.cumsum(self.count)])
        size, (b, n, k) = len(draw), self.x.shape
        self.F, self.I = build.arrays(cands, np.full(size, -1) if lower is None else lower(cands),
                                       self.x, self.w, self.W, self.n0, self.s)
        if self.rules.randomness > 0:
            self.F[:, kernel.F_RATE] = self._random_rates()
        I = self.I
        self.sup = build.group(np.concatenate([I[:, kernel.I_YJ], I[:, kernel.I_YI]]), b * n * k,
                               size)
        if self.rules.views == "running":  # candidates by (draw, supply issue)
            self.dem = build.group(np.concatenate([I[:, kernel.I_KP], I[:, kernel.I_KQ]]), b * k,
                                   size)
        else:  # candidates by (draw, supply issue, demander)
            self.dem = build.group(np.concatenate([I[:, kernel.I_NJ], I[:, kernel.I_NI]]),
                                   b * n * k, size)
        self.flags = (kernel.VIEWS[self.rules.views], int(self.rules.cap == "executed"),
                      self.rules.randomness == 0)
        self.D, self.G = np.zeros((size, 13)), np.zeros(size)
        self.recoff, self.recnum = np.zeros(b * k * n * n), np.zeros(b * k * n)
        self.seen = np.zeros(b * k * n * n, bool)
        self.running = self.outcome.ravel().copy()
        self.cum, self.direction = np.zeros(b * n * k), np.zeros(b * n * k)
        self.yf = self.y.reshape(-1)
        kernel.compute(np.arange(size), -1, -1, *self.state()[:4], self.yf, self.recoff,
                       self.recnum, self.running, self.cum, self.direction, *self.flags)

    def supplier(self, c) -> tuple[int, int, int, int]:
        """Candidate ``c``'s (j, i, p, q): j supplies on p, i on q."""
        n, k = self.n, self.k
        yj, yi = self.I[c, kernel.I_YJ], self.I[c, kernel.I_YI]
        return yj // k % n, yi // k % n, yj % k, yi % k

    def _random_rates(self) -> np.ndarray:
        """The random-rate variant: each rate moved from the equal-gain rate towards one side's
        indifference rate (a coin picks the side) by a uniform share of ``randomness``."""
        F = self.F
        u = np.concatenate([self.rngs[b].random((2, c)) for b, c in enumerate(self.count)], axis=1)
        rate = F[:, kernel.F_RATE]
        with np.errstate(invalid="ignore", divide="ignore"):
            bound = np.where(u[0] < 0.5, F[:, kernel.F_SJP] / F[:, kernel.F_SJQ],
                             F[:, kernel.F_SIP] / F[:, kernel.F_SIQ])
        return rate + self.rules.randomness * u[1] * (bound - rate)

    def state(self) -> tuple:
        """The arrays :func:`accord.models.exchange_kernel.execute` works on, in its order."""
        return (self.F, self.I, self.D, self.G, self.yf, self.x.reshape(-1), self.w.reshape(-1),
                self.recoff, self.seen, self.recnum, self.running, self.cum, self.direction,
                *self.sup, *self.dem, *self.flags)

    def run(self) -> list[dict]:
        """Play every draw's round to its end; returns draw 0's exchanges (see :meth:`record`)."""
        if self.rules.ties == "random":
            ties = np.concatenate([self.rngs[b].random(c) for b, c in enumerate(self.count)])
        else:
            ties = np.full(len(self.G), -1.0)
        log = np.zeros((self.count[0], 4))
        self.executed = kernel.play(self.first, *self.state()[:-3], *self.flags, ties, log)
        executed = self.executed[0]
        y0 = self.x[0].copy()
        records = []
        for c, move_j, move_i, gain in log[:executed]:
            records.append(self.record(int(c), move_j, move_i, gain, y0))
        return records

    def record(self, c, move_j, move_i, gain, y) -> dict:
        """Draw 0's executed exchange on the unit scale, as the trace reads it; ``y`` holds
        draw 0's voting positions before it and is updated."""
        j, i, p, q = (int(v) for v in self.supplier(c))
        s, x = self.s[0], self.x[0]
        dp = abs(move_j) * self.w[0, j, p] / self.W[0, p]
        dq = abs(move_i) * self.w[0, i, q] / self.W[0, q]
        entry = dict(supplier_p=j, supplier_q=i, p=p, q=q, a_before=y[j, p] / 100,
                     a_after=(y[j, p] + move_j) / 100, p_target=x[i, p] / 100,
                     b_before=y[i, q] / 100, b_after=(y[i, q] + move_i) / 100,
                     q_target=x[j, q] / 100, dp=dp / 100, dq=dq / 100,
                     gain_a=(dq * s[j, q] - dp * s[j, p]) / 100,
                     gain_b=(dp * s[i, p] - dq * s[i, q]) / 100, gain=gain / 100,
                     truncated=bool(self.D[c, kernel.D_TRUNC]))
        y[j, p] += move_j
        y[i, q] += move_i
        return entry
