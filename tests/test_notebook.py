"""The worked notebook (docs/venezuela.ipynb) runs from top to bottom on today's API, and the
stored copy carries its outputs (regenerate with `make notebook`)."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "venezuela.ipynb"
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="module")
def stored():
    return nbformat.read(NOTEBOOK, as_version=4)


def test_the_stored_notebook_is_the_script_s_and_has_its_outputs(stored):
    from notebook import build

    assert [c.source for c in stored.cells] == [c.source for c in build().cells], \
        "docs/venezuela.ipynb is stale: run `make notebook`"
    for cell in stored.cells:
        if cell.cell_type == "code":
            assert cell.outputs, f"no stored output for: {cell.source[:60]}"
    assert sum("image/png" in o.get("data", {}) for c in stored.cells if c.cell_type == "code"
               for o in c.outputs) == 2


def test_the_notebook_runs(stored):
    from notebook import execute

    ran = execute(copy.deepcopy(stored))
    errors = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
