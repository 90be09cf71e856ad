"""Write docs/venezuela.ipynb: the Venezuela case in the Python API, executed, with its outputs.

Run with `make notebook` after a change to the API; `tests/test_notebook.py` runs the stored
notebook again in `make test`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

OUT = Path(__file__).resolve().parents[1] / "docs" / "venezuela.ipynb"

CELLS = [
    ("md", """# The Venezuela talks of 2021 in Accord's Python API

The built-in scenario codes the talks between Venezuela's government and opposition that opened
in Mexico City in August 2021, with Norway mediating, as of 27 August 2021. This notebook loads
it, forecasts every issue with every model, asks how sure that is, who could move it, plays the
mediated rounds out, and compares the talks with and without the government walking out (as it
did in October 2021)."""),
    ("code", """import accord
import matplotlib.pyplot as plt

talks = accord.load("venezuela-2021")
talks"""),
    ("md", """## Every model's forecast

Each issue runs from 0 to 100 on its own labelled scale; the status quo is where it stands today.
`spread` is how far the models disagree."""),
    ("code", """forecast = talks.forecast()
forecast"""),
    ("md", """The ensemble's intervals are its own error on real EU decisions, learned out of sample; and
whether there is a deal at all comes from the simulated talks: the chance that an agreement is
signed, that it is signed and implemented, and each issue as a mixture of the implemented
agreements and the status quo."""),
    ("code", """deal = forecast.deal
print(f"signed {deal.agreement:.0%} [{deal.agreement_low:.0%}-{deal.agreement_high:.0%}], "
      f"signed and implemented {deal.holds:.0%} [{deal.holds_low:.0%}-{deal.holds_high:.0%}]")
forecast.intervals_frame(0.8).loc["ensemble"]"""),
    ("md", """## How sure? A Monte Carlo over the coded uncertainty

Every stance's position and salience is drawn from its stated range, and every capability from a
lognormal factor, 2,000 times; the Nash bargaining model runs on every draw."""),
    ("code", """mc = talks.montecarlo("nash", draws=2000, seed=2021,
                     thresholds=["sanctions_relief>=25", "electoral_timetable>=50"])
mc"""),
    ("code", """table = mc.to_frame()
fig, ax = plt.subplots(figsize=(7, 4.5))
y = range(len(table))
ax.hlines(y, table["p5"], table["p95"], color="#7aa6c2", lw=4, label="5-95% of the draws")
ax.plot(table["median"], y, "o", color="#1f4e79", label="median")
status_quo = forecast.to_frame()["status quo"]
ax.plot(status_quo.loc[table.index], y, "x", color="#b03a2e", label="status quo")
ax.set_yticks(list(y), table.index)
ax.set_xlim(0, 100)
ax.set_xlabel("position on the issue's scale")
ax.set_title("Nash bargaining solution over 2,000 draws")
ax.legend(loc="lower right", fontsize=8)
fig.tight_layout()"""),
    ("md", """## Who can move it?

Each actor's position is moved by 10% of the scale, its salience by 0.1 and its capability by
10%, and the levers are ranked by how far they move the forecast."""),
    ("code", """talks.leverage(["nash"], top=8)"""),
    ("md", """## Playing the rounds out

The mediator's single negotiating text, round by round on the scenario's calendar, with the
gestures, incentives and shocks the scenario codes."""),
    ("code", """simulation = talks.simulate(seeds=20)
print(simulation.run.outcome)
simulation.to_frame()"""),
    ("md", """## What if the government walks out?

The same draws with and without the shock the scenario declares for the Saab extradition of
16 October 2021."""),
    ("code", """whatif = talks.whatif(["government_walks_out"], models=["nash"], draws=1000)
compared = whatif.to_frame().loc["nash"]
ax = compared.plot.barh(figsize=(7, 4.5), color=["#1f4e79", "#b03a2e"])
ax.set_xlabel("median forecast (Nash)")
ax.set_xlim(0, 100)
compared"""),
]


def build() -> nbformat.NotebookNode:
    """The notebook, not yet executed."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell(text) if kind == "md"
                      else nbformat.v4.new_code_cell(text) for kind, text in CELLS]
    return notebook


def execute(notebook: nbformat.NotebookNode, timeout: int = 600) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel, runs stored in a temporary store."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("ACCORD_STORE", f"sqlite:///{Path(folder) / 'runs.sqlite'}")
        NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(OUT.parent)}}).execute()
    return notebook


def main() -> int:
    """Build, execute and write the notebook."""
    notebook = execute(build())
    OUT.write_text(nbformat.writes(notebook), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
