"""Shared pieces of the models' compiled loops (numba).

The O(n^3) kernels of the expected utility model and KTAB's spatial model run as compiled loops
(``smp_kernels``, ``eum_kernels``, ``eum_votes``), written to give the numpy formulation's
numbers bit for bit: the same operations in the same order, no fast-math, numpy's rules for
division by zero, and sums taken the way numpy takes them (:func:`pairwise_sum`). Kernels are
compiled on first use and cached next to the source (numba's ``cache=True``); import this module
only where a kernel is called, so that importing Accord does not import numba.
"""

from __future__ import annotations

import numba
import numpy as np

jit = numba.njit(cache=True, error_model="numpy")


@jit
def pairwise_sum(a: np.ndarray, lo: int, n: int) -> float:
    """``a[lo:lo + n].sum()`` as numpy adds a contiguous run, so that compiled kernels round
    exactly as numpy does: runs of up to 128 eight-way unrolled, longer runs split in two (at a
    multiple of 8 near the middle) and the halves added. The split is walked with an explicit
    stack (numba cannot cache recursive functions). Short runs, the common case in the kernels,
    take a path of their own: small enough to be inlined, without the stack's allocations."""
    if n <= 128:
        return 0.0 + _unrolled_sum(a, lo, n)  # numpy starts from +0.0: a sum of -0.0s is +0.0
    return _split_sum(a, lo, n)


@jit
def _split_sum(a: np.ndarray, lo: int, n: int) -> float:
    """:func:`pairwise_sum` of a run longer than 128."""
    starts, sizes = np.empty(64, np.int64), np.empty(64, np.int64)
    lefts, stages = np.empty(64), np.zeros(64, np.int64)
    top, starts[0], sizes[0], stages[0] = 0, lo, n, -1
    value, returning = 0.0, False
    while True:
        if returning:
            if top < 0:
                return 0.0 + value
            if stages[top] == 0:  # the left half is done: keep it, sum the right half
                lefts[top], stages[top] = value, 1
                half = _half(sizes[top])
                top += 1
                starts[top], sizes[top], stages[top] = starts[top - 1] + half, sizes[top - 1] - half, -1
                returning = False
            else:
                value = lefts[top] + value
                top -= 1
        elif sizes[top] <= 128:
            value = _unrolled_sum(a, starts[top], sizes[top])
            top -= 1
            returning = True
        else:  # split: sum the left half first
            stages[top] = 0
            top += 1
            starts[top], sizes[top], stages[top] = starts[top - 1], _half(sizes[top - 1]), -1


@jit
def _half(n: int) -> int:
    half = n // 2
    return half - half % 8


@jit
def _unrolled_sum(a: np.ndarray, lo: int, n: int) -> float:
    if n < 8:
        res = -0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - (n % 8):
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@jit
def positive(v: float) -> float:
    """``np.maximum(v, 0.0)``: NaN stays NaN, -0.0 becomes +0.0 (unlike ``max``)."""
    return v if not v <= 0.0 else 0.0


@jit
def negative(v: float) -> float:
    """``np.minimum(v, 0.0)``: NaN stays NaN, -0.0 becomes +0.0 (unlike ``min``)."""
    return v if not v >= 0.0 else 0.0
