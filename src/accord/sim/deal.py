"""Deal or no deal: the probability that the talks produce an agreement at all, and what the
agreements say, from the simulation run over draws of its uncertain inputs.

Each draw draws what the scenario leaves uncertain (stances, reservation values, concession
styles, shock sizes and dates; :mod:`accord.sim.inputs`) and plays the scenario's calendar and
events with the mediator's single text. The probability is the frequency of agreements over the
draws, with a Wilson 95% interval; for the draws that agree, the agreed text on every issue on
its own scale.

A signed text is not yet a deal that holds. Each party signs knowing its *confidence* that the
others will implement (its mean trust in them; :mod:`accord.sim.parties`), and that confidence
is the model's own probability of implementation. The chance that a draw's agreement is
honoured is the product over parties ``j`` of the others' trust in ``j`` (geometric mean over
the others): ``prod_j (prod_{i != j} t_ij)^(1/(n-1))``, which is the product of the recorded
confidences ``prod_i c_i`` at the round of agreement when each party's trust is the same in
everyone (and always for two parties). Its mean over the draws is the probability that the
talks end in an agreement that holds. A caller forms each issue's forecast as a mixture: the
agreement's outcome with that probability, the status quo otherwise
(:mod:`accord.analysis.mixture`). Nothing here is fitted to any outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.scenario.model import Scenario
from accord.sim.engine import SimParams
from accord.sim.inputs import Uncertainty
from accord.sim.scenario import check_options, make_plan, play_drawn
from accord.sim.summary import Rate, wilson, wilson_at


@dataclass(frozen=True)
class Deal:
    """The chance of an agreement and the agreed texts.

    Attributes
    ----------
    rate : the frequency of agreement over the draws, with its Wilson 95% interval.
    issue_ids : the scenario's issues, in its order.
    agreed : (draws, issues) the agreed level of every issue on its own scale; NaN in draws
        without agreement, and on issues no party at the table has a stance on (they are not
        negotiated).
    honoured : (draws,) the probability that the draw's agreement is implemented (0 in draws
        without agreement).
    walkout : share of draws in which a party walked out at some point.
    seed : the seed of the draws.
    """

    rate: Rate
    issue_ids: tuple[str, ...]
    agreed: np.ndarray
    honoured: np.ndarray
    walkout: float
    seed: int

    @property
    def holds(self) -> Rate:
        """P(an agreement that is implemented): the mean of :attr:`honoured`, with a Wilson 95%
        interval (conservative: a mean of probabilities varies less than a frequency)."""
        return bounded_mean(self.honoured)

    @property
    def probability(self) -> float:
        """P(agreement)."""
        return self.rate.value

    @property
    def interval(self) -> tuple[float, float]:
        """The Wilson 95% interval of P(agreement)."""
        return self.rate.low, self.rate.high


def deal_probability(scenario: Scenario, draws: int = 200, seed: int = 0, *,
                     params: SimParams | None = None, shocks: Sequence[str] = (),
                     events: bool = True, uncertainty: Uncertainty = Uncertainty(),
                     start: int = 0) -> Deal:
    """The probability that ``scenario``'s talks end in an agreement, over ``draws`` draws.

    Draws ``start`` to ``start + draws - 1`` of ``seed`` (so two calls with adjacent ranges
    give the same draws as one call over both). ``params`` defaults to the mediator's single
    text with the documented party behaviour; ``shocks`` and ``events`` as in
    ``accord simulate``. Raises :class:`~accord.scenario.errors.InputError` for a scenario
    without two parties.
    """
    params = params or SimParams()
    check_options(scenario, params.protocol, shocks)
    plan = make_plan(scenario, shocks, events=events)
    played = play_drawn(scenario, plan, params, draws, seed, uncertainty, metrics=False,
                        start=start).outcome
    domain = played.domain
    levels = np.take_along_axis(domain.levels[None], played.text[:, :, None], axis=2)[:, :, 0]
    ids = tuple(i.id for i in scenario.issues)
    agreed = np.full((draws, len(ids)), np.nan)
    for k, issue in enumerate(domain.issue_ids):
        agreed[:, ids.index(issue)] = np.where(played.agreement, levels[:, k], np.nan)
    return Deal(wilson(int(played.agreement.sum()), draws), ids, agreed,
                honour(played.rounds["confidence"], played.agreed_round),
                float(played.walked_out.mean()), seed)


def honour(confidence: np.ndarray, agreed_round: np.ndarray) -> np.ndarray:
    """(B,) the probability that each draw's agreement is implemented, ``prod_i c_i`` over the
    parties' confidences (B, rounds, n) at the round of agreement; 0 without one."""
    draws = confidence.shape[0]
    at = confidence[np.arange(draws), np.clip(agreed_round, 0, None)]
    held = np.prod(np.clip(at, 0.0, 1.0), axis=1)
    return np.where(agreed_round >= 0, held, 0.0)


def bounded_mean(values: np.ndarray) -> Rate:
    """The mean of values in [0, 1] with the Wilson 95% interval of a frequency of that mean
    (whose variance p(1 - p) bounds theirs)."""
    return wilson(0, 0) if len(values) == 0 else wilson_at(float(np.mean(values)), len(values))
