"""Bueno de Mesquita's expected utility model, as reconstructed by Scholz, Calbert & Smith (2011).

Implements the round loop of [Scholz2011]_ (Appendix), equation numbers theirs, on batched arrays:
every (draw, issue) is an independent one-dimensional contest ("cell"), and each round is computed
for all cells and all actor pairs at once.

Each round:

1. With every risk exponent r = 1, compute the probability of success ``P`` (eqs 30-31) and the
   expected utility of challenging ``E^i(U_ij)`` (eqs 5-7, 25) for every ordered pair.
2. Security levels ``Sec_i = sum_j E^j(U_ji)``, then ``R_i`` and ``r_i`` in [0.5, 2] (eqs 32-34).
3. Recompute ``P`` and the expected utilities with the new ``r_i`` (the "second pass").
4. Every actor looks at the challenges it receives and picks one offer: confrontation it loses,
   compromise (eqs 35-36), or capitulation; all moves apply at once at the end of the round.

The published equations do not pin the model down; the choices the replications make differ
(shared/models/eum.md sections 3.3-3.6) and each is a named parameter here:

``probability``
    ``"global_pairs"``: the all-pairs denominator of the replication that matches Table 2
    (jmckib); ``"eq31"``: eq. 31 as printed; ``"netted"``: eq. 31 with support netted against
    opposition (dmasad).
``voter_risk``
    whether voters' own risk exponents enter the votes inside ``P``.
``perspective``
    ``"receiver"``: both sides of a dyad evaluated with the risk exponent of the actor receiving
    the offer (jmckib); ``"own"``: each side with its own exponent.
``compromise_pick``
    among compromise offers: ``"weighted_position"`` (lowest ``(|a| x_i + |b| x_j)/(|a| + |b|)``,
    Scholz's code per jmckib), ``"least_move"`` (section 6.2 as printed) or ``"highest_eu"``.
``capitulation``
    whether the capitulation branch can fire (it never does in jmckib's code, a typo).
``q``
    the status-quo probability Q (BDM 1985: 1; BDM 2009: 0.5). With Q < 1 the better/worse
    utilities enter with T = 1 iff ``|x_i - mu| < |x_i - x_j|`` (Scholz's inference).
``range_mode``
    R from the initial positions (``"initial"``) or recomputed each round (``"current"``).

Presets: ``scholz_code`` reproduces the replication whose trajectories are in shared/data/bdm (13
of the 16 one-decimal values of Scholz's Table 2); ``scholz_literal`` is the equations as printed
(confrontation cascades that collapse onto the median); ``dmasad_eu`` is dmasad's netted variant.
The default is ``scholz_code``: it is the only reading that reproduces the published trajectory.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from accord.models.base import Forecast
from accord.models.median import cumulative_median
from accord.scenario.arrays import Batch

NONE, CONFRONT, COMPROMISE, CAPITULATE = 0, 1, 2, 3
OFFER_KINDS = {NONE: "none", CONFRONT: "confrontation", COMPROMISE: "compromise",
               CAPITULATE: "capitulation"}

PRESETS: dict[str, dict[str, Any]] = {
    "scholz_code": dict(probability="global_pairs", voter_risk=True, perspective="receiver",
                        compromise_pick="weighted_position", capitulation=False),
    "scholz_literal": dict(probability="eq31", voter_risk=False, perspective="own",
                           compromise_pick="least_move", capitulation=True),
    "dmasad_eu": dict(probability="netted", voter_risk=False, perspective="own",
                      compromise_pick="weighted_position", capitulation=False),
}
TIE = 1e-12
CELL_BUDGET = 4_000_000  # cells x actors^3 per chunk: bounds memory for the n^3 vote tensor


def expected_utility(
    batch: Batch,
    *,
    rounds: int = 10,
    probability: Literal["global_pairs", "eq31", "netted"] = "global_pairs",
    voter_risk: bool = True,
    perspective: Literal["receiver", "own"] = "receiver",
    compromise_pick: Literal["weighted_position", "least_move", "highest_eu"] = "weighted_position",
    capitulation: bool = False,
    q: float = 1.0,
    risk: bool = True,
    range_mode: Literal["initial", "current"] = "initial",
    tolerance: float | None = None,
) -> Forecast:
    """Run the expected utility model for ``rounds`` rounds (see the module docstring).

    Parameters
    ----------
    tolerance
        Stop early once no position moves by more than this (on the unit scale); None: never.

    Returns
    -------
    Forecast
        ``outcome`` is the weighted median after the last round (the model's forecast, as in
        [Scholz2011]_ Table 2); ``trajectory`` holds every actor's position per round, and
        ``diagnostics`` the per-round median, mean, risk exponents and accepted offers.
    """
    params = dict(rounds=rounds, probability=probability, voter_risk=voter_risk,
                  perspective=perspective, compromise_pick=compromise_pick,
                  capitulation=capitulation, q=q, risk=risk, range_mode=range_mode,
                  tolerance=tolerance)
    _check(params)
    b, n, k = batch.position.shape
    w = batch.weights()
    x, s, wc = _cells(batch.position), _cells(batch.salience), _cells(w)
    part = _cells(np.broadcast_to(batch.mask[None], (b, n, k)))
    step = max(1, CELL_BUDGET // max(1, n**3))
    pieces = [_run(x[i:i + step], s[i:i + step], wc[i:i + step], part[i:i + step], params)
              for i in range(0, x.shape[0], step)]
    steps = min(len(p["x"]) for p in pieces)
    merged = {key: np.concatenate([p[key][:steps] for p in pieces], axis=1) for key in pieces[0]}
    diagnostics = {key: _uncells(merged[key], b, k) for key in ("r", "kind", "sender", "a", "b")}
    trajectory = _uncells(merged["x"], b, k)  # (b, t, n, k)
    medians = _uncells(merged["median"][..., None], b, k)[:, :, 0, :]
    means = _uncells(merged["mean"][..., None], b, k)[:, :, 0, :]
    diagnostics.update(median=medians, mean=means)
    nobody = ~batch.mask.any(axis=0)
    medians = np.where(nobody, batch.status_quo, medians)
    return Forecast("eum", params, medians[:, -1], trajectory, medians, diagnostics)


def _check(params: dict[str, Any]) -> None:
    choices = {"probability": ("global_pairs", "eq31", "netted"), "perspective": ("receiver", "own"),
               "compromise_pick": ("weighted_position", "least_move", "highest_eu"),
               "range_mode": ("initial", "current")}
    for name, allowed in choices.items():
        if params[name] not in allowed:
            raise ValueError(f"{name}={params[name]!r}; accepted: {', '.join(allowed)}")
    if not 0 <= params["q"] <= 1 or params["rounds"] < 0:
        raise ValueError("q must lie in [0, 1] and rounds must be >= 0")


def _cells(a: np.ndarray) -> np.ndarray:
    """(b, n, k) -> (b*k, n): one row per independent one-dimensional contest."""
    return np.moveaxis(a, 2, 1).reshape(-1, a.shape[1])


def _uncells(a: np.ndarray, b: int, k: int) -> np.ndarray:
    """(t, b*k, n) -> (b, t, n, k)."""
    t, _, n = a.shape
    return np.moveaxis(a.reshape(t, b, k, n), [1, 2], [0, 3])


def _run(x, s, w, part, params) -> dict[str, np.ndarray]:
    """The round loop on a chunk of cells; returns per-round stacks (t, cells, ...)."""
    x = np.where(part, x, np.nan)
    span0 = _span(x)
    out = {key: [] for key in ("x", "r", "kind", "sender", "a", "b", "median", "mean")}
    _record(out, x, w, part, None)
    for _ in range(params["rounds"]):
        span = span0 if params["range_mode"] == "initial" else _span(x)
        decision = one_round(x, s, w, part, span, params)
        new_x = decision["new_x"]
        moved = np.nanmax(np.abs(new_x - x), initial=0.0)
        x = new_x
        _record(out, x, w, part, decision)
        if params["tolerance"] is not None and moved <= params["tolerance"]:
            break
    return {key: np.stack(value) for key, value in out.items()}


def _span(x: np.ndarray) -> np.ndarray:
    """R = x_max - x_min per cell, as (cells, 1, 1); 0 where everyone agrees."""
    span = np.nanmax(x, axis=1, initial=-np.inf) - np.nanmin(x, axis=1, initial=np.inf)
    return np.where(np.isfinite(span), span, 0.0)[:, None, None]


def _record(out, x, w, part, decision) -> None:
    xs = np.where(part, x, 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (w * xs).sum(axis=1) / total
    median = _median(xs, w, part)
    out["x"].append(xs)
    out["median"].append(median)
    out["mean"].append(mean)
    cells, n = x.shape
    if decision is None:
        decision = dict(r=np.ones((cells, n)), kind=np.zeros((cells, n), np.int8),
                        sender=np.full((cells, n), -1), a=np.zeros((cells, n)),
                        b=np.zeros((cells, n)))
    for key in ("r", "kind", "sender", "a", "b"):
        out[key].append(decision[key])


def _median(x, w, part) -> np.ndarray:
    """c*s-weighted median of each cell's positions (= the Condorcet winner, section 3.2)."""
    return cumulative_median(x[:, :, None], w[:, :, None], part[:, :, None])[:, 0]


def one_round(x, s, w, part, span, params) -> dict[str, np.ndarray]:
    """One round for every cell: risk exponents, second-pass utilities, offers and moves.

    ``x``, ``s``, ``w`` (= c * s) and ``part`` are (cells, n); ``span`` is (cells, 1, 1).
    Returns the new positions, each actor's r, and the offer it accepted (kind, sender, a, b).
    """
    v = round_vectors(x, s, w, part, span, params)
    return _moves(x, v["a"], v["b"], v["pair"], v["r"], params)


def round_vectors(x, s, w, part, span, params) -> dict[str, np.ndarray]:
    """The intermediate quantities of one round, as (cells, i, j) or (cells, i) arrays.

    ``p1``/``eu1``: probability and E^i(U_ij) with every r = 1; ``r``: risk exponents; ``p2``/
    ``eu2``: the second pass, E^i(U_ij) with i's own r; ``a``/``b``: what receiver i weighs
    against sender j, ``a = E^i(U_ij)`` and ``b = E^j(U_ji)`` in the chosen perspective.
    """
    cells, n = x.shape
    with np.errstate(invalid="ignore", divide="ignore"):
        dist = np.abs(x[:, :, None] - x[:, None, :]) / span  # (cells, i, j) in [0, 1]
    dist = np.where(np.isfinite(dist), dist, 0.0)
    pair = part[:, :, None] & part[:, None, :] & ~np.eye(n, dtype=bool)[None]
    mu = _median(np.where(part, x, 0.0), w, part) if params["q"] < 1 else None
    ones = np.ones((cells, n))
    p1 = probability(dist, w, part, None, params["probability"])
    eu1 = challenge_utility(dist, x, mu, span, s, p1, 1.0, params["q"], pair)
    if not params["risk"]:
        return dict(p1=p1, eu1=eu1, r=ones, p2=p1, eu2=eu1, a=eu1,
                    b=np.swapaxes(eu1, 1, 2), pair=pair)
    r = risk_exponents(eu1, part)
    p2 = probability(dist, w, part, r if params["voter_risk"] else None, params["probability"])
    own = challenge_utility(dist, x, mu, span, s, p2, r[:, :, None], params["q"], pair)
    theirs = own if params["perspective"] == "own" else challenge_utility(
        dist, x, mu, span, s, p2, r[:, None, :], params["q"], pair)
    return dict(p1=p1, eu1=eu1, r=r, p2=p2, eu2=own, a=own, b=np.swapaxes(theirs, 1, 2),
                pair=pair)


def probability(dist, w, part, voter_r, formula) -> np.ndarray:
    """P[i, j]: the probability that i prevails over j, as (cells, i, j) (eqs 30-31).

    ``vote_k(i, j) = w_k (d_kj^r_k - d_ki^r_k)`` with distances on the unit range and the voter's
    own exponent ``r_k`` (``voter_r=None``: every r_k = 1).
    """
    d = dist if voter_r is None else dist ** voter_r[:, :, None]  # d[k, a], voter k's exponent
    weight = np.where(part, w, 0.0)[:, :, None, None]
    vote = weight * (d[:, :, None, :] - d[:, :, :, None])  # (cells, k, i, j)
    with np.errstate(invalid="ignore", divide="ignore"):
        if formula == "global_pairs":
            support = np.clip(vote, 0, None).sum(axis=1)
            p = support / _all_pairs_total(d, w, part)[:, None, None]
        elif formula == "eq31":
            p = np.clip(vote, 0, None).sum(axis=1) / np.abs(vote).sum(axis=1)
        else:
            p = np.clip(vote.sum(axis=1), 0, None) / np.abs(vote).sum(axis=1)
    same = dist == 0
    return np.where(np.isfinite(p) & ~same, p, 0.0)


def _all_pairs_total(d, w, part) -> np.ndarray:
    """sum_k w_k sum_a sum_b |d_kb - d_ka| over participants, per cell, in O(n^2 log n).

    For sorted values u_(1) <= ... <= u_(m), sum_{a,b} |u_a - u_b| = 2 sum_i (2i - m - 1) u_(i).
    """
    keyed = np.where(part[:, None, :], d, np.inf)
    u = np.sort(keyed, axis=2)
    m = part.sum(axis=1)[:, None, None]
    i = np.arange(1, d.shape[2] + 1)[None, None, :]
    coef = np.where(i <= m, 2 * i - m - 1, 0)
    per_voter = 2 * np.where(i <= m, coef * np.where(np.isfinite(u), u, 0.0), 0.0).sum(axis=2)
    return (np.where(part, w, 0.0) * per_voter).sum(axis=1)


def challenge_utility(dist, x, mu, span, s, p, r, q, pair) -> np.ndarray:
    """E^i(U_ij): i's expected utility of challenging j, (cells, i, j) (eqs 5-7, 14-16, 22-25).

    ``r`` is the risk exponent to evaluate with, broadcastable to (cells, i, j). The salience term
    is the challenged actor's, ``s_j``.
    """
    if np.isscalar(r) and r == 1.0:  # eqs 15, 16, 24 with r = 1 reduce to straight lines
        success, failure, status_quo = 2 * dist, -2 * dist, 0.0
    else:
        success = 2 - 4 * (0.5 - 0.5 * dist) ** r
        failure = 2 - 4 * (0.5 + 0.5 * dist) ** r
        status_quo = 2 - 4 * 0.5**r
    target = s[:, None, :]
    eu = target * (p * success + (1 - p) * failure) + (1 - target) * success - q * status_quo
    if q < 1:
        with np.errstate(invalid="ignore", divide="ignore"):
            to_median = np.abs(x - mu[:, None])[:, :, None] / span
        better = 2 - 4 * (0.5 - 0.25 * (to_median + dist)) ** r
        worse = 2 - 4 * (0.5 + 0.25 * (to_median + dist)) ** r
        t = to_median < dist
        eu = eu - (1 - q) * np.where(t, better, worse)
    return np.where(pair, eu, 0.0)


def risk_exponents(eu: np.ndarray, part: np.ndarray) -> np.ndarray:
    """r_i in [0.5, 2] from the security levels Sec_i = sum_j E^j(U_ji) (eqs 32-34)."""
    security = eu.sum(axis=1)  # column i: what everyone else expects from challenging i
    hi = np.max(np.where(part, security, -np.inf), axis=1, keepdims=True)
    lo = np.min(np.where(part, security, np.inf), axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = (2 * security - hi - lo) / (hi - lo)
    big_r = np.where(np.isfinite(big_r) & part, big_r, 0.0)
    return (1 - big_r / 3) / (1 + big_r / 3)


def _first_minimum(keyed: np.ndarray) -> np.ndarray:
    """Index of the first minimum along the last axis, counting values within TIE of it as tied.

    Positions are normalised inside models, so distances that are equal on the user's scale
    (|4 - 7| and |10 - 7|) can differ in the last bit; the replications break such ties by
    actor order.
    """
    low = keyed.min(axis=-1, keepdims=True)
    tied = keyed <= low + TIE * np.maximum(1.0, np.abs(np.where(np.isfinite(low), low, 0.0)))
    return np.argmax(tied, axis=-1)


def _moves(x, a, b, pair, r, params) -> dict[str, np.ndarray]:
    """Each receiver's best offer and the resulting positions (section 6; eqs 35-36)."""
    cells, n = x.shape
    xi, xj = x[:, :, None], x[:, None, :]
    live = pair & (xi != xj) & (b > 0)
    confront = live & (b > a) & (a > 0)
    compromise = live & (a < 0) & (b > np.abs(a))
    capitulate = live & (a < 0) & (b < np.abs(a)) & params["capitulation"]
    move = np.abs(xj - xi)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.abs(a / b)
        compromise_x = xi + (xj - xi) * ratio
        pick = params["compromise_pick"]
        if pick == "weighted_position":
            key = (np.abs(a) * xi + np.abs(b) * xj) / (np.abs(a) + np.abs(b))
        elif pick == "least_move":
            key = move * ratio
        else:
            key = -b
    kind = np.zeros((cells, n), np.int8)
    sender = np.full((cells, n), -1)
    new_x = np.where(np.isnan(x), np.nan, x)
    for code, allowed, order_key, target in (
        (CAPITULATE, capitulate, move, xj + 0 * xi),
        (COMPROMISE, compromise, key, compromise_x),
        (CONFRONT, confront, move, xj + 0 * xi),
    ):  # lowest priority first, so that higher categories overwrite
        best = _first_minimum(np.where(allowed, order_key, np.inf))
        has = allowed.any(axis=2)
        chosen = np.take_along_axis(target, best[:, :, None], axis=2)[:, :, 0]
        new_x = np.where(has, chosen, new_x)
        kind = np.where(has, code, kind).astype(np.int8)
        sender = np.where(has, best, sender)
    idx = np.clip(sender, 0, None)[:, :, None]
    taken_a = np.where(sender >= 0, np.take_along_axis(a, idx, axis=2)[:, :, 0], 0.0)
    taken_b = np.where(sender >= 0, np.take_along_axis(b, idx, axis=2)[:, :, 0], 0.0)
    return dict(new_x=new_x, r=r, kind=kind, sender=sender, a=taken_a, b=taken_b)
