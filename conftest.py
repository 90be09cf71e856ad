"""Root fixtures for every test, the README's doctests included: runs go to a temporary store."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _temporary_run_store(tmp_path_factory):
    """Monte Carlo and what-if runs are stored; keep them out of the user's data directory."""
    if "ACCORD_STORE" in os.environ:
        yield
        return
    os.environ["ACCORD_STORE"] = f"sqlite:///{tmp_path_factory.mktemp('store') / 'runs.sqlite'}"
    yield
    del os.environ["ACCORD_STORE"]
