"""Which texts the stakeholders' positions support: plausible drafts.

A mediator's text is only worth drafting if it could be delivered. On each issue, a move away
from the status quo by more than ``margin`` of the scale is *supported* when the actors who want
at least that much change (their position lies at most ``margin`` short of the level, or beyond
it) hold at least ``share`` of the issue's stake. The stake is counted over every actor with a
stance on the issue, at the table or not, each weighted by its salience there: one voice per
actor, as a mediator sounding out the stakeholders would count them, so that an outside power
that holds an issue (the United States on sanctions) is heard even where the scenario gives a
party at the table more capability. The mediator never drafts an unsupported level; a text that
reaches one by other means (alternating offers) is flagged.

With ``share = 0.5`` and ``margin = 0.2`` on venezuela-2021's coded numbers, sanctions relief is
supported up to 50: at 60 only the government, Norway, Mexico and Russia want 40 or more (48% of
the stake); the opposition's asks on political rights and prisoners are supported to 100.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SupportRule:
    """How much of the stake must back a move, and the slack allowed.

    Attributes
    ----------
    share : least share of the issue's stake (salience-weighted) that must want the move.
    margin : a move of at most this share of the scale from the status quo is always
        supported, and an actor backs a level its position falls short of by at most this.
    """

    share: float = 0.5
    margin: float = 0.2


def backing(levels: np.ndarray, status_quo: np.ndarray, span: np.ndarray,
            position: np.ndarray, mask: np.ndarray, margin: float) -> np.ndarray:
    """(B, A, k, L) bool: which actors want at least the move from the status quo to each level.

    ``position`` (B, A, k) on each issue's scale, ``mask`` (A, k) who has a stance; a level
    within ``margin`` of the status quo is backed by everyone with a stance.
    """
    move = levels - status_quo[:, None]  # (k, L)
    slack = margin * span[:, None]
    direction = np.sign(move)
    reach = (position[..., None] - levels[None, None]) * direction[None, None]  # (B, A, k, L)
    near = np.abs(move) <= slack + 1e-9
    return mask[None, :, :, None] & (near[None, None] | (reach >= -slack[None, None] - 1e-9))


def supported(levels: np.ndarray, status_quo: np.ndarray, span: np.ndarray,
              position: np.ndarray, salience: np.ndarray, mask: np.ndarray,
              rule: SupportRule = SupportRule()) -> np.ndarray:
    """(B, k, L) bool: the levels the stakeholders support under ``rule``.

    ``status_quo`` (k,): where it is unknown (NaN), the middle of the scale. Issues without any
    stance support every level.
    """
    sq = np.where(np.isnan(status_quo), levels.mean(axis=1), status_quo)
    backed = backing(levels, sq, span, position, mask, rule.margin)
    weight = np.where(mask[None], salience, 0.0)[..., None]  # (B, A, k, 1)
    total = weight.sum(axis=1)  # (B, k, 1)
    share = (weight * backed).sum(axis=1) / np.maximum(total, 1e-12)
    return (share >= rule.share - 1e-9) | (total <= 1e-12)
