"""Resampling by group: cross-validation folds and bootstrap samples that never split a proposal.

Issues of one proposal share actors, a date and a final act, so they are not independent: every
fold and every bootstrap sample takes whole proposals (groups).
"""

from __future__ import annotations

import numpy as np


def grouped_folds(groups: np.ndarray, k: int | None, seed: int) -> list[np.ndarray]:
    """Boolean test masks of ``k`` folds of whole groups (``None``: leave one group out).

    Groups are shuffled by ``numpy.random.default_rng(seed)`` and dealt to the folds in turn, so
    fold sizes differ by at most one group; leave-one-group-out takes groups in first-seen order.
    """
    labels, first = np.unique(groups, return_index=True)
    order = labels[np.argsort(first)]
    if k is None or k >= len(order):
        return [groups == g for g in order]
    if k < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, got {k}")
    shuffled = np.random.default_rng(seed).permutation(order)
    fold_of = {g: i % k for i, g in enumerate(shuffled)}
    assignment = np.array([fold_of[g] for g in groups])
    return [assignment == i for i in range(k)]


def bootstrap_groups(groups: np.ndarray, reps: int,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The distinct groups and ``reps`` bootstrap samples of them: (reps, n_groups) indices,
    drawn with replacement as many times as there are groups. Drawn once per case set, the same
    samples serve every model, so a model's interval does not depend on which others are scored."""
    labels = np.unique(groups)
    return labels, rng.integers(0, len(labels), size=(reps, len(labels)))


def resampled_means(values: np.ndarray, groups: np.ndarray, labels: np.ndarray,
                    drawn: np.ndarray) -> np.ndarray:
    """(reps,) the mean of ``values`` over each bootstrap sample of whole groups (NaN for a
    sample without any of the values' groups)."""
    index = np.searchsorted(labels, groups)
    sums = np.bincount(index, values, len(labels))[drawn].sum(axis=1)
    counts = np.bincount(index, minlength=len(labels))[drawn].sum(axis=1)
    return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
