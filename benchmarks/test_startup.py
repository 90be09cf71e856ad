"""Start-up: `accord --help` and `accord scenarios` as a user runs them (a new process each time).

The reference, measured in the same run, is a bare `python -c pass` (the interpreter's own
start), so the table shows what Accord adds. Target (issue 18): under 0.3 s each on 2 cores (the
median of 10; the README gives the figures of a quiet machine).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ACCORD = str(Path(sys.executable).with_name("accord"))
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "accord --help": [ACCORD, "--help"],
    "accord scenarios": [ACCORD, "scenarios"],
}


@pytest.mark.parametrize("label", list(COMMANDS))
def test_start_up(benchmark, label):
    command = COMMANDS[label]
    benchmark.pedantic(subprocess.run, args=(command,),
                       kwargs={"check": True, "capture_output": True}, rounds=10, iterations=1)
