"""Plain words for the simulation's numbers: names, scale readings, styles and utilities.

Utilities are reported as points out of 100, where 100 is the party's ideal text (every issue at
its own position) and 0 the worst imaginable; trust as the chance a party puts on the others
honouring a deal.
"""

from __future__ import annotations

from accord.scenario.model import Issue, Scenario


def actor_name(scenario: Scenario, actor_id: str) -> str:
    """The actor's name without its parenthesised gloss ("Government of Venezuela")."""
    name = next((a.name for a in scenario.actors if a.id == actor_id), actor_id)
    return name.split(" (")[0]


def issue_name(issue_id: str) -> str:
    """An issue id as words ("sanctions relief")."""
    return issue_id.replace("_", " ")


def reading(issue: Issue, value: float) -> str:
    """What a value on an issue's scale means, from the scale's labelled anchors: the anchor's
    label when the value is within 2.5% of the scale of it, otherwise the two anchors around
    it ("" where the scale has no anchors)."""
    anchors = sorted(issue.scale.anchors.items())
    if not anchors:
        return ""
    tolerance = 0.025 * (issue.scale.max - issue.scale.min)
    for at, label in anchors:
        if abs(value - at) <= tolerance:
            return label
    below = [(a, label) for a, label in anchors if a < value]
    above = [(a, label) for a, label in anchors if a > value]
    if not below:
        return f"short of {above[0][1]!r} ({above[0][0]:g})"
    if not above:
        return f"beyond {below[-1][1]!r} ({below[-1][0]:g})"
    return f"between {below[-1][1]!r} ({below[-1][0]:g}) and {above[0][1]!r} ({above[0][0]:g})"


def style(exponent: float) -> str:
    """A concession exponent in words."""
    if exponent >= 3.0:
        return "concedes only near the deadline (a tough, Boulware style)"
    if exponent >= 1.5:
        return "concedes slowly"
    if exponent > 0.67:
        return "concedes steadily"
    return "concedes early (a conciliatory style)"


def points(utility: float) -> str:
    """A utility as points out of 100 of the party's ideal."""
    return f"{100 * utility:.0f}"


def listing(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
