"""Notes on a scenario whose numbers cannot say much, printed before any model runs.

A model asked about an issue on which nobody takes a stance returns the status quo, and one asked
to weigh actors who all have salience 0 falls back on an unweighted rule; both give a number that
looks like a forecast. These notes say so, so that a spread of 0 or a compromise at the midpoint
is not read as agreement.
"""

from __future__ import annotations

from collections import defaultdict

from accord.scenario.model import Scenario

CAPABILITY_RANGE = 1e12  # beyond this ratio the weakest actors' weights vanish in rounding


def notes(scenario: Scenario) -> list[str]:
    """One note per degenerate issue, and one for capabilities too far apart to weigh together."""
    stances = defaultdict(list)
    for s in scenario.stances:
        stances[s.issue].append(s)
    found = []
    for issue in scenario.issues:
        found += _issue_notes(issue, stances.get(issue.id, []))
    capabilities = [a.capability for a in scenario.actors]
    if max(capabilities) > CAPABILITY_RANGE * min(capabilities):
        found.append(f"capabilities range from {min(capabilities):g} to {max(capabilities):g}, "
                     f"more than a factor {CAPABILITY_RANGE:g}: the weakest actors' weights are "
                     "lost in rounding next to the strongest")
    return found


def _issue_notes(issue, stances) -> list[str]:
    sq = "n/a" if issue.status_quo is None else f"{issue.status_quo:g}"
    if not stances:
        return [f"issue '{issue.id}': no actor has a stance, so every model returns the status "
                f"quo ({sq}) and the spread of 0 says nothing"]
    if len(stances) == 1:
        return [f"issue '{issue.id}': only '{stances[0].actor}' has a stance, so every model "
                f"returns its position ({stances[0].position:g})"]
    if all(s.salience == 0 for s in stances):
        return [f"issue '{issue.id}': every salience is 0, so no actor weighs in: the weighted "
                "models fall back on unweighted rules (the plain mean, the lowest position) and "
                "their numbers are not forecasts"]
    return []
