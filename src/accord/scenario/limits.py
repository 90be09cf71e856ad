"""Limits on the size of an input: a hostile or mistaken file gets a clear error, not a hang.

Every limit has a default that leaves room for real negotiations (the largest case set shipped,
DEU III, has 28 actors; KTAB's largest example 100) and can be raised with an environment
variable, which the error message names:

==========================  ==============  ==============================================
variable                    default         what it bounds
==========================  ==============  ==============================================
``ACCORD_MAX_BYTES``        20,000,000      bytes of one input file
``ACCORD_MAX_YAML_NODES``   1,000,000       YAML nodes, counting every alias as the nodes
                                            it stands for (a "billion laughs" file stops here)
``ACCORD_MAX_YAML_ALIASES`` 10,000          aliases (``*name``) in one YAML document
``ACCORD_MAX_YAML_DEPTH``   64              nesting depth of a YAML document (a scenario
                                            needs 6)
``ACCORD_MAX_ACTORS``       20,000          actors in one scenario
``ACCORD_MAX_ISSUES``       2,000           issues in one scenario
``ACCORD_MAX_STANCES``      1,000,000       stances (actor x issue cells) in one scenario
==========================  ==============  ==============================================
"""

from __future__ import annotations

import os
from pathlib import Path

from accord.scenario.errors import InputError

DEFAULTS = {
    "bytes": 20_000_000,
    "yaml_nodes": 1_000_000,
    "yaml_aliases": 10_000,
    "yaml_depth": 64,
    "actors": 20_000,
    "issues": 2_000,
    "stances": 1_000_000,
}


def variable(name: str) -> str:
    """The environment variable that sets limit ``name``."""
    return f"ACCORD_MAX_{name.upper()}"


def limit(name: str) -> int:
    """The limit ``name``: its environment variable if set to a positive whole number, else the
    default. A malformed setting is itself an input error."""
    raw = os.environ.get(variable(name), "").strip().replace("_", "").replace(",", "")
    if not raw:
        return DEFAULTS[name]
    if not raw.isdigit() or int(raw) < 1:
        raise InputError("not a positive whole number", None, None, variable(name), raw,
                         f"a whole number of at least 1 (default {DEFAULTS[name]:,})")
    return int(raw)


def exceeded(what: str, count: int, name: str, path: str | Path | None = None,
             line: int | None = None) -> InputError:
    """The error for ``count`` units of ``what`` over limit ``name``, saying how to raise it."""
    bound = limit(name)
    return InputError(f"too many {what} ({count:,}; the limit is {bound:,})", path, line, None,
                      None, f"at most {bound:,} {what}, or set {variable(name)} higher "
                      f"(e.g. {variable(name)}={bound * 10})")


def check(what: str, count: int, name: str, path: str | Path | None = None,
          line: int | None = None) -> None:
    """Raise :func:`exceeded` when ``count`` is over limit ``name``."""
    if count > limit(name):
        raise exceeded(what, count, name, path, line)


def check_counts(actors: int, issues: int, stances: int, path: str | Path | None = None) -> None:
    """Refuse a scenario with more actors, issues or stances than the limits allow."""
    check("actors", actors, "actors", path)
    check("issues", issues, "issues", path)
    check("stances", stances, "stances", path)
