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

Cells with the same number of participants run together, on arrays of those participants only
(:mod:`accord.models.eum_round`); the O(m^3) probabilities, the expected utilities and each
receiver's choice are compiled loops (:mod:`accord.models.eum_votes`,
:mod:`accord.models.eum_kernels`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np

from accord.models.base import Forecast
from accord.models.eum_round import round_vectors
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
BLOCK = 2048  # cells per block: a block's (cells, m, m) arrays stay in cache through a round
RECORDS = ("x", "r", "kind", "sender", "a", "b")


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
        Stop early once no position in the batch moves by more than this (on the unit scale);
        None: never.

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
    w = _cells(batch.weights())
    part = _cells(np.broadcast_to(batch.mask[None], (b, n, k)))
    groups, path = _run(_cells(batch.position), _cells(batch.salience), w, part, params)
    last = _positions(groups, len(w), n)
    median = cumulative_median(last[:, :, None], w[:, :, None], part[:, :, None])[:, 0]
    nobody = ~batch.mask.any(axis=0)
    outcome = np.where(nobody, batch.status_quo, _uncells(median[None, :, None], b, k)[:, 0, 0])
    return _Rounds(params, outcome, (groups, path, w, part, batch))


class _Rounds(Forecast):
    """The model's forecast, whose per-round records are assembled when first read.

    Monte Carlo reads only ``outcome``; the trajectory, round outcomes and diagnostics of every
    round on all n actors cost about a fifth of the model's time to assemble, so they are built
    from the groups' own arrays on first access (``cached_property``: the same arrays every
    time, and picklable before and after).
    """

    def __init__(self, parameters: dict[str, Any], outcome: np.ndarray, records: tuple) -> None:
        self.model, self.parameters, self.outcome, self._records = "eum", parameters, outcome, \
            records

    @cached_property
    def _assembled(self) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
        groups, path, w, part, batch = self._records
        b, n, k = batch.position.shape
        out = _store(groups, path, len(w), n)
        diagnostics = {key: _uncells(out[key], b, k) for key in RECORDS[1:]}
        total = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = (w * out["x"]).sum(axis=2) / total  # (t, cells)
        medians = np.stack([cumulative_median(x[:, :, None], w[:, :, None], part[:, :, None])[:, 0]
                            for x in out["x"]])
        medians = _uncells(medians[..., None], b, k)[:, :, 0, :]
        diagnostics.update(median=medians, mean=_uncells(means[..., None], b, k)[:, :, 0, :])
        nobody = ~batch.mask.any(axis=0)
        return (_uncells(out["x"], b, k), np.where(nobody, batch.status_quo, medians),
                diagnostics)

    @cached_property
    def trajectory(self) -> np.ndarray:  # type: ignore[override]
        """(b, t, n, k) every actor's position per round (0 where it takes no part)."""
        return self._assembled[0]

    @cached_property
    def round_outcomes(self) -> np.ndarray:  # type: ignore[override]
        """(b, t, k) the weighted median after each round."""
        return self._assembled[1]

    @cached_property
    def diagnostics(self) -> dict[str, Any]:  # type: ignore[override]
        """Per round: the median, the mean, each actor's r and the offer it accepted."""
        return self._assembled[2]


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


@dataclass
class _Group:
    """Cells with the same number of participants, as (cells, m) arrays of those only."""

    rows: np.ndarray
    index: np.ndarray  # (cells, m): the participants' places among all actors
    x: np.ndarray
    s: np.ndarray
    w: np.ndarray
    span0: np.ndarray


def _groups(x, s, w, part) -> list[_Group]:
    """Cells by number of participants, in blocks of at most ``BLOCK`` cells."""
    count = part.sum(axis=1)
    groups = []
    for m in np.unique(count[count > 0]):
        same = np.flatnonzero(count == m)
        for start in range(0, len(same), BLOCK):
            rows = same[start:start + BLOCK]
            index = np.argsort(~part[rows], axis=1, kind="stable")[:, :m]
            xs, ss, ws = (np.take_along_axis(a[rows], index, axis=1) for a in (x, s, w))
            groups.append(_Group(rows, index, xs, ss, ws, _span(xs)))
    return groups


def _run(x, s, w, part, params) -> tuple[list[_Group], list[list[dict[str, np.ndarray]]]]:
    """The round loop: the groups, and per round each group's positions and (after round 0)
    its actors' r and accepted offers, on the group's (cells, m) arrays.

    Cells with the same number of participants m run together on (cells, m) arrays of their
    participants only (in actor order), so that every array and loop is as small as the cell.
    """
    groups = _groups(x, s, w, part)
    path = [[{"x": g.x} for g in groups]]
    for _ in range(params["rounds"]):
        moved, decisions = 0.0, []
        for g in groups:
            span = g.span0 if params["range_mode"] == "initial" else _span(g.x)
            decision = one_round(g.x, g.s, g.w, span, params, (g.index, x.shape[1]))
            moved = max(moved, float(np.abs(decision["new_x"] - g.x).max(initial=0.0)))
            g.x = decision["x"] = decision.pop("new_x")
            decisions.append(decision)
        path.append(decisions)
        if params["tolerance"] is not None and moved <= params["tolerance"]:
            break
    return groups, path


def _span(x: np.ndarray) -> np.ndarray:
    """R = x_max - x_min per cell, as (cells, 1, 1); 0 where everyone agrees."""
    span = x.max(axis=1, initial=-np.inf) - x.min(axis=1, initial=np.inf)
    return np.where(np.isfinite(span), span, 0.0)[:, None, None]


def _positions(groups: list[_Group], cells: int, n: int) -> np.ndarray:
    """The groups' latest positions on all n actors, (cells, n): 0 where an actor takes no
    part."""
    x = np.zeros((cells, n))
    for g in groups:
        x[g.rows[:, None], g.index] = g.x
    return x


def _store(groups, path, cells, n) -> dict[str, np.ndarray]:
    """The rounds' records on all n actors, as (t, cells, n): positions (0 where an actor takes
    no part), each actor's r (1 where none) and the offer it accepted (kind 0, sender -1 where
    none)."""
    t = len(path)
    full = dict(x=np.zeros((t, cells, n)), r=np.ones((t, cells, n)),
                kind=np.zeros((t, cells, n), np.int8), sender=np.full((t, cells, n), -1),
                a=np.zeros((t, cells, n)), b=np.zeros((t, cells, n)))
    for i, g in enumerate(groups):
        at = (slice(None), g.rows[:, None], g.index)
        records = [round_[i] for round_ in path]
        full["x"][at] = np.stack([record["x"] for record in records])
        decided = [record for record in records if "r" in record]
        if not decided:
            continue
        at = (slice(t - len(decided), None), *at[1:])
        for key in ("r", "kind", "a", "b"):
            full[key][at] = np.stack([record[key] for record in decided])
        sender = np.stack([record["sender"] for record in decided])
        full["sender"][at] = np.where(sender >= 0, np.take_along_axis(
            g.index[None], np.maximum(sender, 0), axis=2), -1)
    return full


def one_round(x, s, w, span, params, layout=None) -> dict[str, np.ndarray]:
    """One round for every cell: risk exponents, second-pass utilities, offers and moves.

    ``x``, ``s`` and ``w`` (= c * s) are (cells, m) for the cells' participants, ``span`` is
    (cells, 1, 1) and ``layout`` their places among all actors (see
    :func:`accord.models.eum_round.round_vectors`). Returns the new positions, each actor's r,
    and the offer it accepted (kind, sender, a, b).
    """
    from accord.models.eum_kernels import PICK_CODES, moves

    v = round_vectors(x, s, w, span, params, layout)
    new_x, kind, sender, a, b = moves(
        x, np.ascontiguousarray(v["a"]), np.ascontiguousarray(v["theirs"]),
        bool(params["capitulation"]), PICK_CODES[params["compromise_pick"]], TIE,
        np.array([CAPITULATE, COMPROMISE, CONFRONT], np.int8))
    return dict(new_x=new_x, r=v["r"], kind=kind, sender=sender, a=a, b=b)
