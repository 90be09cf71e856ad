"""The layers, enforced: import-linter's contracts in pyproject.toml hold, and they would catch a
renderer that reaches past accord.api."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_the_contracts_hold():
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_report_that_imports_a_model_breaks_them(tmp_path):
    shutil.copytree(ROOT / "src", tmp_path / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    bad = tmp_path / "src" / "accord" / "report" / "sneaky.py"
    bad.write_text('"""A renderer that computes."""\n\nfrom accord.models.nash import nash_bargaining\n')
    done = lint(tmp_path)
    assert done.returncode != 0
    assert "accord.report.sneaky -> accord.models.nash" in done.stdout
