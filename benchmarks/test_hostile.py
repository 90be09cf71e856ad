"""How fast hostile and huge inputs are answered (issue 17): a 10,000-row table read, a
10,000-link YAML anchor chain and a nine-level "billion laughs" refused.

Run with ``pytest benchmarks/test_hostile.py --benchmark-only``.
"""

from __future__ import annotations

import random

import pytest

from accord.scenario.errors import InputError
from accord.scenario.formats import read_string


def big_table(rows: int = 10_000) -> str:
    rng = random.Random(1)
    return "actor,capability,position,salience\n" + "\n".join(
        f"actor {i},{rng.uniform(1, 100):.2f},{rng.uniform(0, 100):.1f},{rng.random():.2f}"
        for i in range(rows))


def anchor_chain(links: int = 10_000) -> str:
    return "\n".join(["accord: 1", "a0: &a0 x"] +
                     [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, links)])


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    return "\n".join(["accord: 1", "l0: &l0 [lol]"] +
                     [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]"
                      for n in range(1, levels + 1)] + [f"actors: *l{levels}"])


def test_ten_thousand_row_table(benchmark):
    text = big_table()
    loaded = benchmark(read_string, text, "big.csv")
    assert len(loaded.scenario.actors) == 10_000


@pytest.mark.parametrize("make", [anchor_chain, billion_laughs])
def test_anchor_bombs_are_refused(benchmark, make):
    text = make()

    def refuse():
        with pytest.raises(InputError, match="too many"):
            read_string(text, "bomb.yaml")

    benchmark(refuse)
