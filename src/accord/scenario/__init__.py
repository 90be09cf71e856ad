"""Scenarios: the pydantic model, numpy arrays, and readers/writers for each file format."""

from accord.scenario.errors import InputError
from accord.scenario.model import Actor, Issue, Role, Scale, Scenario, Stance

__all__ = ["Actor", "InputError", "Issue", "Role", "Scale", "Scenario", "Stance"]
