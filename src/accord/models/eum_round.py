"""One round of the expected utility model for a batch of cells ([Scholz2011]_, Appendix).

A cell is one draw's one-dimensional issue; arrays here hold only its m participants, (cells, m)
or (cells, i, j). The O(m^3) and branching parts are compiled loops
(:mod:`accord.models.eum_kernels`); the powers stay numpy's, which the loops are written to match
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
    cells, m = x.shape
    if layout is None:
        layout = (np.broadcast_to(np.arange(m), (cells, m)), m)
    with np.errstate(invalid="ignore", divide="ignore"):
        dist = np.abs(x[:, :, None] - x[:, None, :]) / span  # (cells, i, j) in [0, 1]
    dist = np.where(np.isfinite(dist), dist, 0.0)
    mu = median(x, w) if params["q"] < 1 else None
    p1 = probability(x, dist, w, None, params["probability"], layout)
    linear = (2 * dist, -2 * dist, np.zeros((cells, m)))  # eqs 15, 16, 24 with r = 1
    eu1 = challenge_utility(dist, x, mu, span, s, p1, 1.0, params["q"], linear)
    if not params["risk"]:
        return dict(p1=p1, eu1=eu1, r=np.ones((cells, m)), p2=p1, eu2=eu1, a=eu1,
                    b=np.swapaxes(eu1, 1, 2), theirs=eu1)
    r = risk_exponents(eu1)
    p2 = probability(x, dist, w, r if params["voter_risk"] else None, params["probability"],
                     layout)
    terms = outcome_utilities(dist, r)
    own = challenge_utility(dist, x, mu, span, s, p2, r[:, :, None], params["q"], terms)
    theirs = own if params["perspective"] == "own" else challenge_utility(
        dist, x, mu, span, s, p2, r[:, None, :], params["q"], terms, senders=True)
    return dict(p1=p1, eu1=eu1, r=r, p2=p2, eu2=own, a=own, b=np.swapaxes(theirs, 1, 2),
                theirs=theirs)


def median(x, w) -> np.ndarray:
    """c*s-weighted median of each cell's positions (= the Condorcet winner, section 3.2)."""
    return cumulative_median(x[:, :, None], w[:, :, None], np.ones((1, 1, 1), bool))[:, 0]


def probability(x, dist, w, voter_r, formula, layout) -> np.ndarray:
    """P[i, j]: the probability that i prevails over j, as (cells, i, j) (eqs 30-31).

    ``vote_k(i, j) = w_k (d_kj^r_k - d_ki^r_k)`` with distances on the unit range and the voter's
    own exponent ``r_k`` (``voter_r=None``: every r_k = 1).
    """
    from accord.models.eum_kernels import FORMULA_CODES, probabilities

    d = dist if voter_r is None else dist ** voter_r[:, :, None]  # d[k, a], voter k's exponent
    index, n = layout
    return probabilities(np.ascontiguousarray(d), dist, np.ascontiguousarray(w),
                         FORMULA_CODES[formula], np.ascontiguousarray(index), n)


def outcome_utilities(dist, r) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The utilities of success, failure and the status quo (eqs 15, 16, 24) with each row's
    risk exponent ``r`` (cells, m): (cells, i, j), (cells, i, j) and (cells, i)."""
    rows = r[:, :, None]
    return (2 - 4 * (0.5 - 0.5 * dist) ** rows, 2 - 4 * (0.5 + 0.5 * dist) ** rows,
            (2 - 4 * 0.5**rows)[:, :, 0])


def challenge_utility(dist, x, mu, span, s, p, r, q, terms, senders=False) -> np.ndarray:
    """E^i(U_ij): i's expected utility of challenging j, (cells, i, j) (eqs 5-7, 14-16, 22-25).

    ``terms`` are the :func:`outcome_utilities` with each row's exponent; ``senders``: evaluate
    with the challenged actor's exponent instead (``r`` broadcasts to (cells, i, j) as the
    exponent in use, for the Q < 1 terms). The salience term is the challenged actor's, ``s_j``.
    """
    from accord.models.eum_kernels import challenge_utilities

    correction = np.zeros((1, 1, 1))
    if q < 1:
        with np.errstate(invalid="ignore", divide="ignore"):
            to_median = np.abs(x - mu[:, None])[:, :, None] / span
        better = 2 - 4 * (0.5 - 0.25 * (to_median + dist)) ** r
        worse = 2 - 4 * (0.5 + 0.25 * (to_median + dist)) ** r
        correction = np.ascontiguousarray(np.where(to_median < dist, better, worse))
    success, failure, status_quo = (np.ascontiguousarray(t) for t in terms)
    return challenge_utilities(p, success, failure, status_quo, np.ascontiguousarray(s),
                               float(q), senders, correction)


def risk_exponents(eu: np.ndarray) -> np.ndarray:
    """r_i in [0.5, 2] from the security levels Sec_i = sum_j E^j(U_ji) (eqs 32-34)."""
    security = eu.sum(axis=1)  # column i: what everyone else expects from challenging i
    hi = security.max(axis=1, keepdims=True)
    lo = security.min(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = (2 * security - hi - lo) / (hi - lo)
    big_r = np.where(np.isfinite(big_r), big_r, 0.0)
    return (1 - big_r / 3) / (1 + big_r / 3)
