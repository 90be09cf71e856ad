"""Shared test fixtures: the ../shared reference data and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared(*parts: str) -> Path:
    """A path under ../shared; skips the test when the reference data is not checked out."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data {path} not present")
    return path


@pytest.fixture
def venezuela():
    """The built-in scenario."""
    from accord.scenario.catalog import load

    return load("venezuela-2021").scenario
