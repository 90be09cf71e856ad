"""How much memory a model will need, estimated before it allocates, so that a case too large
for the machine is refused with a clear message instead of failing with ``MemoryError``.

The estimates are upper bounds of the peak that ``tracemalloc`` measured on random inputs
(``tests/test_hostile_memory.py`` checks that they stay above the measured peak and within a
small factor of it), in terms of ``b`` draws, ``n`` actors and ``k`` issues:

========================  ==========================================================
model                     dominant term (bytes)
========================  ==========================================================
compromise, mean, nash,   64 b n k (a few (b, n, k) arrays)
median (cumulative)
median (condorcet)        12 n^3 k per draw in the chunk (voter x candidate x candidate)
eum                       128 b k n^2 (each issue's actor x actor arrays of one round; the
                          third parties' votes are summed in compiled loops, never stored)
smp                       160 b k n^2 (the actor x actor utilities and contests of the draws in
                          lockstep, per dimension)
exchange                  48 n^2 k^2 (candidate exchanges: actor pairs x issue pairs)
========================  ==========================================================

Round-based models add their trajectories (draws x rounds x actors x issues). Memory available is
``MemAvailable`` (Linux), lowered by an address-space limit (``ulimit -v``) if one is set, or
``ACCORD_MAX_MEMORY`` (e.g. ``8G``) when given.

Time is bounded the same way: eum and smp do O(n^3) work per issue and round (every actor's
challenge of every other, with every third party's vote), the exchange model O(n^2 k^2) per
round. A run whose count of such steps exceeds ``ACCORD_MAX_WORK`` (default ``MAX_WORK``, about
ten minutes on one core) is refused before it starts, instead of running for hours.
"""

from __future__ import annotations

import os
import re
import resource
from typing import Any

from accord.scenario.errors import InputError

WORD = 8
MEDIAN_CHUNK = 20_000_000  # elements per chunk of the Condorcet median (median.CHUNK_ELEMENTS)
MAX_WORK = 2e11  # steps (see the module docstring); measured about 3e8 a second on one core
SMP_TURNS = 40  # a typical run's turns (KTAB's examples stop after 10 to 35)
BASE = 2 ** 20  # bytes every run needs besides its arrays
_UNITS = {"": 1, "K": 2 ** 10, "M": 2 ** 20, "G": 2 ** 30, "T": 2 ** 40}


def estimate(model: str, params: dict[str, Any], b: int, n: int, k: int) -> tuple[int, str]:
    """Upper bound of the peak bytes of ``model`` on b draws, n actors and k issues, and what
    dominates it."""
    terms = [(WORD * 8 * b * n * k + BASE, "its draws x actors x issues arrays")]
    if model == "median" and params.get("method") == "condorcet":
        per_draw = n ** 3 * k
        in_chunk = min(b, max(1, MEDIAN_CHUNK // max(per_draw, 1)))
        terms.append((int(1.5 * WORD * in_chunk * per_draw),
                      "its voter x candidate x candidate comparison"))
    elif model == "eum":
        rounds = int(params.get("rounds", 10)) + 1
        terms += [(16 * WORD * b * k * n ** 2, "its actor x actor arrays of every issue"),
                  (WORD * 6 * rounds * b * k * n, f"the positions of its {rounds:,} rounds")]
    elif model == "smp":
        turns = int(params.get("max_turns", 100)) + 1
        terms += [(20 * WORD * b * k * n ** 2, "its actor x actor utility and contest arrays"),
                  (WORD * 3 * b * turns * n * k, f"the positions of up to {turns:,} turns")]
    elif model == "exchange":
        rounds = int(params.get("rounds", 10)) + 1
        terms += [(WORD * 6 * n * n * k * k, "its actor-pair x issue-pair exchange candidates"),
                  (WORD * 4 * b * rounds * n * k, f"the positions of its {rounds:,} rounds")]
    return sum(t for t, _ in terms), max(terms)[1]


def available() -> int:
    """Bytes this process may still allocate: ``ACCORD_MAX_MEMORY`` if set, else the memory the
    system reports free, lowered by an address-space limit if one is set."""
    setting = os.environ.get("ACCORD_MAX_MEMORY", "").strip()
    if setting:
        return parse_size(setting)
    free = _meminfo("MemAvailable") or _sysconf_free()
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        free = min(free, max(0, soft - (_meminfo("VmSize", "/proc/self/status") or 0)))
    return free


def work(model: str, params: dict[str, Any], b: int, n: int, k: int) -> float:
    """The steps ``model`` takes on b draws, n actors and k issues (0 for the static models)."""
    if model == "eum":
        return float(b) * k * n ** 3 * int(params.get("rounds", 10))
    if model == "smp":
        return float(b) * k * n ** 3 * min(int(params.get("max_turns", 100)), SMP_TURNS)
    if model == "exchange":
        return float(b) * (n * k) ** 2 * int(params.get("rounds", 10))
    return 0.0


def check_memory(spec, b: int, n: int, k: int, params: dict[str, Any] | None = None,
                 copies: int = 1) -> None:
    """Refuse to run ``spec`` (a registered model) when its estimate, times ``copies`` running at
    once, exceeds the memory available, or when it would take more steps than ``ACCORD_MAX_WORK``."""
    params = params or {}
    chosen = {**spec.defaults, **spec.presets.get(params.get("preset"), {}), **params}
    try:
        need, what = estimate(spec.name, chosen, b, n, k)
        steps = work(spec.name, chosen, b, n, k)
    except (ValueError, TypeError, OverflowError):
        return  # a parameter that is not a number: the model itself says which
    limit = float(os.environ.get("ACCORD_MAX_WORK") or MAX_WORK)
    if steps > limit:
        raise InputError(f"{spec.name} on {_count(n, 'actor')}, {_count(k, 'issue')} and "
                         f"{_count(b, 'draw')} would take about {steps:.1e} steps (about "
                         f"{steps / 3e8 / 3600:,.1f} hours on one core); the limit is {limit:.0e}",
                         None, None, "--model", spec.name,
                         "fewer actors or draws, a static model (compromise, median, nash), or "
                         "ACCORD_MAX_WORK=STEPS to allow more")
    workers = f" in {copies} workers at once" if copies > 1 else ""
    check_bytes(need * max(1, copies),
                f"{spec.name} on {_count(n, 'actor')}, {_count(k, 'issue')} and "
                f"{_count(b, 'draw')}{workers} ({what})", "--model", spec.name,
                "fewer actors, fewer draws per chunk (--chunk-size) or --workers, a model that "
                "needs little (compromise, median, nash)")


def check_bytes(need: int, what: str, field: str, value: object, remedy: str) -> None:
    """Refuse ``what`` if its ``need`` in bytes exceeds the memory available."""
    have = available()
    if need > have:
        raise InputError(f"{what} would need about {size(need)} of memory; about {size(have)} "
                         "is available", None, None, field, value,
                         f"{remedy}, or ACCORD_MAX_MEMORY=SIZE if more memory can be used")


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def parse_size(text: str) -> int:
    """``8G``, ``512M``, ``1.5T`` or plain bytes; a malformed size is an input error."""
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?)(?:i?B)?", text.strip(), re.I)
    if not match:
        raise InputError("not a size", None, None, "ACCORD_MAX_MEMORY", text,
                         "bytes, or a number with K, M, G or T (e.g. 8G)")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def size(n_bytes: float) -> str:
    """``n_bytes`` in binary units, e.g. '7.3 TiB'."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n_bytes < 1024 or unit == "PiB":
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024
    return f"{n_bytes:.1f} EiB"


def _meminfo(key: str, path: str = "/proc/meminfo") -> int | None:
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _sysconf_free() -> int:
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 2 ** 62
