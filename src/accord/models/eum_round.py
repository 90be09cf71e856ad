"""One round of the expected utility model for a batch of cells ([Scholz2011]_, Appendix).

A cell is one draw's one-dimensional issue; arrays here hold only its m participants, (cells, m)
or (cells, i, j). The O(m^3) and branching parts are compiled loops (:mod:`accord.models.eum_votes`,
:mod:`accord.models.eum_kernels`); the powers stay numpy's, which the loops are written to match
bit for bit. Parameters are those of :func:`accord.models.eum.expected_utility`.
"""

from __future__ import annotations

import numpy as np

from accord.models.median import cumulative_median


def round_vectors(x, s, w, span, params, layout=None) -> dict[str, np.ndarray]:
    """The intermediate quantities of one round, as (cells, i, j) or (cells, i) arrays.

    ``x``, ``s`` and ``w`` (= c * s) are (cells, m), every actor taking part; ``span`` is
    (cells, 1, 1); ``layout`` = (index (cells, m), n): the participants' places among all n
    actors (default: all take part). ``p1``/``eu1``: probability and E^i(U_ij) with every r = 1;
    ``r``: risk exponents; ``p2``/``eu2``: the second pass, E^i(U_ij) with i's own r; ``a``/``b``:
    what receiver i weighs against sender j, ``a = E^i(U_ij)`` and ``b = E^j(U_ji)`` in the
    chosen perspective (``theirs``: E^j(U_ji) as (cells, j, i)).
    """
    from accord.models.eum_kernels import distances

    cells, m = x.shape
    if layout is None:
        layout = (np.broadcast_to(np.arange(m), (cells, m)), m)
    dist = distances(np.ascontiguousarray(x), np.ascontiguousarray(span[:, 0, 0]))
    mu = median(x, w) if params["q"] < 1 else None
    p1 = probability(dist, dist, w, params["probability"], layout)
    eu1 = challenge_utility(dist, x, mu, span, s, p1, 1.0, params["q"], None)
    if not params["risk"]:
        return dict(p1=p1, eu1=eu1, r=np.ones((cells, m)), p2=p1, eu2=eu1, a=eu1,
                    b=np.swapaxes(eu1, 1, 2), theirs=eu1)
    r = risk_exponents(eu1)
    powers = row_powers(dist, r, params["voter_risk"])
    p2 = probability(powers[2] if params["voter_risk"] else dist, dist, w,
                     params["probability"], layout)
    own = challenge_utility(dist, x, mu, span, s, p2, r[:, :, None], params["q"], powers)
    theirs = own if params["perspective"] == "own" else challenge_utility(
        dist, x, mu, span, s, p2, r[:, None, :], params["q"], powers, senders=True)
    return dict(p1=p1, eu1=eu1, r=r, p2=p2, eu2=own, a=own, b=np.swapaxes(theirs, 1, 2),
                theirs=theirs)


def median(x, w) -> np.ndarray:
    """c*s-weighted median of each cell's positions (= the Condorcet winner, section 3.2)."""
    return cumulative_median(x[:, :, None], w[:, :, None], np.ones((1, 1, 1), bool))[:, 0]


def probability(d, dist, w, formula, layout) -> np.ndarray:
    """P[i, j]: the probability that i prevails over j, as (cells, i, j) (eqs 30-31).

    ``vote_k(i, j) = w_k (d_kj - d_ki)`` with ``d`` the distances on the unit range raised to
    voter k's own exponent (``d = dist`` where every r_k = 1).
    """
    from accord.models.eum_votes import FORMULA_CODES, probabilities

    index, n = layout
    return probabilities(d, dist, np.ascontiguousarray(w), FORMULA_CODES[formula],
                         np.ascontiguousarray(index), n)


def row_powers(dist, r, voters) -> np.ndarray:
    """``(0.5 - 0.5 d)^r``, ``(0.5 + 0.5 d)^r`` and (if ``voters``) ``d^r`` with each row's risk
    exponent, stacked as (2 or 3, cells, i, j): the powers in the utilities of success and
    failure (eqs 15, 16; the status quo's, eq. 24, is ``0.5^r``, the first's diagonal) and in
    the voters' distances.

    One numpy power over the stack, in place: numpy's power is vectorised (SVML) where the CPU
    allows, and a compiled loop's does not round as it does. A zero base (every diagonal of
    ``d``) sends a whole vector down numpy's slow path (the power then takes about 1.5 times
    as long), so zero bases are raised as 1 and their powers set back to 0 afterwards.
    """
    from accord.models.eum_kernels import power_bases, zero_powers

    stack = power_bases(dist, voters)
    np.power(stack, r[None, :, :, None], out=stack)
    zero_powers(stack, dist)
    return stack


def challenge_utility(dist, x, mu, span, s, p, r, q, powers, senders=False) -> np.ndarray:
    """E^i(U_ij): i's expected utility of challenging j, (cells, i, j) (eqs 5-7, 14-16, 22-25).

    ``powers`` are the :func:`row_powers` with each row's exponent (None: every r = 1, linear
    utilities); ``senders``: evaluate with the challenged actor's exponent instead (``r``
    broadcasts to (cells, i, j) as the exponent in use, for the Q < 1 terms). The salience term
    is the challenged actor's, ``s_j``.
    """
    from accord.models.eum_kernels import challenge_utilities

    correction = np.zeros((1, 1, 1))
    if q < 1:
        with np.errstate(invalid="ignore", divide="ignore"):
            to_median = np.abs(x - mu[:, None])[:, :, None] / span
        better = 2 - 4 * (0.5 - 0.25 * (to_median + dist)) ** r
        worse = 2 - 4 * (0.5 + 0.25 * (to_median + dist)) ** r
        correction = np.ascontiguousarray(np.where(to_median < dist, better, worse))
    linear = powers is None
    return challenge_utilities(p, dist, dist[None] if linear else powers,
                               np.ascontiguousarray(s), float(q), senders, correction, linear)


def risk_exponents(eu: np.ndarray) -> np.ndarray:
    """r_i in [0.5, 2] from the security levels Sec_i = sum_j E^j(U_ji) (eqs 32-34)."""
    from accord.models.eum_kernels import risk_exponents as compiled

    return compiled(eu)
