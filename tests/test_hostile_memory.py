"""A model's memory, estimated before it allocates (issue 17, item 5: 10,000 actors asked eum and
smp for 7.28 TiB and ended in "internal error: MemoryError")."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from test_errors import answered

from accord.models import get
from accord.models.memory import available, check_memory, estimate, parse_size, size
from accord.scenario.arrays import Batch
from accord.scenario.errors import InputError


def random_batch(b: int, n: int, k: int) -> Batch:
    rng = np.random.default_rng(0)
    return Batch(rng.uniform(1, 10, (b, n)), rng.uniform(0, 1, (b, n, k)),
                 rng.uniform(0.1, 1, (b, n, k)), np.ones((n, k), bool), rng.uniform(0, 1, k))


def peak(model: str, b: int, n: int, k: int, **params) -> int:
    """The model's peak, after a first call has loaded its compiled loops (not its arrays)."""
    get(model)(random_batch(1, 4, 1), **params)
    batch = random_batch(b, n, k)
    tracemalloc.start()
    try:
        get(model)(batch, **params)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("model, b, n, k, params, slack", [
    ("eum", 1, 120, 2, {}, 3),         # the n^2 arrays dominate: the bound is tight
    ("eum", 3, 30, 1, {}, 6),
    ("smp", 1, 120, 2, {}, 3),
    ("smp", 10, 60, 2, {}, 6),
    ("median", 2, 60, 2, {"method": "condorcet"}, 3),
    ("median", 50, 200, 3, {}, 30),
    ("compromise", 100, 300, 3, {}, 30),
    ("nash", 50, 100, 3, {}, 30),
    ("exchange", 1, 12, 4, {}, 40),
])
def test_estimate_bounds_the_measured_peak(model, b, n, k, params, slack):
    """The estimate is never below tracemalloc's peak, and within ``slack`` times it (a loose
    bound only where the fixed part dominates). If a model's memory use changes, this fails and
    accord/models/memory.py needs new coefficients."""
    measured = peak(model, b, n, k, **params)
    estimated, _ = estimate(model, params, b, n, k)
    assert measured <= estimated <= slack * measured + 2 ** 20, (measured, estimated)


def test_ten_thousand_actors_are_refused_before_allocating():
    for model in ("eum", "smp"):
        with pytest.raises(InputError) as info:
            check_memory(get(model), 1, 10_000, 3)
        message = str(info.value)
        assert f"{model} on 10,000 actors, 3 issues and 1 draw" in message
        assert "hours on one core" in message and "ACCORD_MAX_WORK" in message


def test_memory_is_refused_when_steps_are_allowed(monkeypatch):
    monkeypatch.setenv("ACCORD_MAX_WORK", "1e20")
    monkeypatch.setenv("ACCORD_MAX_MEMORY", "1G")
    with pytest.raises(InputError) as info:
        check_memory(get("eum"), 1, 10_000, 3)
    message = str(info.value)
    assert "GiB of memory" in message and "actor x actor arrays" in message
    assert "ACCORD_MAX_MEMORY" in message
    check_memory(get("compromise"), 1, 10_000, 3)  # linear models fit


def test_the_limit_can_be_set_and_the_cli_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_MAX_MEMORY", "1M")
    assert available() == 2 ** 20
    code, _, err = answered("forecast", "-m", "eum")
    assert code == 2 and "would need about" in err and "about 1.0 MiB is available" in err
    monkeypatch.setenv("ACCORD_MAX_MEMORY", "50M")  # the draws fit, one chunk of them does not
    code, _, err = answered("montecarlo", "-m", "compromise", "-n", "100000", "--chunk-size",
                            "100000", "--store", f"sqlite:///{tmp_path / 'r.sqlite'}")
    assert code == 2 and "100,000 draws" in err and "--chunk-size" in err
    monkeypatch.setenv("ACCORD_MAX_MEMORY", "lots")
    code, _, err = answered("forecast", "-m", "compromise")
    assert code == 2 and "ACCORD_MAX_MEMORY: not a size" in err


def test_sizes():
    assert parse_size("8G") == 8 * 2 ** 30 and parse_size("512 MiB") == 512 * 2 ** 20
    assert parse_size("1000") == 1000
    assert size(7.28 * 2 ** 40) == "7.3 TiB" and size(10) == "10 B"
