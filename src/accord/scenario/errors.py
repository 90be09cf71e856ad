"""One error type for everything a user can get wrong in an input file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """A problem with user input, reported as one actionable line.

    Parameters
    ----------
    problem
        What is wrong, in plain words.
    path
        The file it was found in, if any.
    line
        The 1-based line, where the format has lines.
    field
        The field (a dotted path such as ``stances[3].salience``), if any.
    value
        The offending value, if any.
    accepted
        What would have been accepted.
    """

    problem: str
    path: str | Path | None = None
    line: int | None = None
    field: str | None = None
    value: object = None
    accepted: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        value = ""
        if self.value is not None:
            shown = repr(self.value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            value = f" (got {shown})"
        accepted = f"; accepted: {self.accepted}" if self.accepted else ""
        return f"{where}{field}{self.problem}{value}{accepted}"
