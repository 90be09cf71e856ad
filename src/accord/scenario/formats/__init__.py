"""Read and write scenarios in every supported format, detecting the format where possible.

Formats: ``yaml`` (native), ``ktab`` (KTAB SMP CSV), ``ktab-xml`` (KTAB SMP XML, read only),
``decide`` (decide-exchange-model), ``table`` (``actor,capability,position,salience[,issue]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from accord.scenario.errors import InputError
from accord.scenario.format_names import FORMATS
from accord.scenario.formats import (
    decide_csv,
    ktab_csv,
    ktab_xml,
    table_csv,
    yaml_format,
)
from accord.scenario.formats.files import atomic_write, read_text
from accord.scenario.model import Scenario

ACCEPTED = "one of " + ", ".join(FORMATS)


@dataclass
class Loaded:
    """A scenario and what the reader had to decide while reading it."""

    scenario: Scenario
    notes: list[str] = field(default_factory=list)
    format: str = "yaml"
    parameters: dict[str, dict] = field(default_factory=dict)


def detect(path: str | Path, text: str) -> str:
    """The format of a file, from its name and its first lines."""
    suffix = Path(str(path)).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".xml" or ktab_xml.looks_like(text):
        return "ktab-xml"
    if decide_csv.looks_like(text):
        return "decide"
    if ktab_csv.looks_like(text):
        return "ktab"
    if table_csv.looks_like(text):
        return "table"
    if text.lstrip().startswith("accord:") or suffix == "":
        return "yaml"
    raise InputError("cannot tell the file's format", path,
                     accepted=f"a .yaml scenario, a KTAB CSV or XML, a decide file, or a table with "
                     f"{table_csv.ACCEPTED_HEADER}; or name the format with --from ({ACCEPTED})")


def read_file(path: str | Path, fmt: str | None = None) -> Loaded:
    """Read a scenario file in any supported format."""
    return read_string(read_text(path), path, fmt)


def read_string(text: str, path: str | Path, fmt: str | None = None) -> Loaded:
    """Read scenario text in any supported format; ``path`` names it in error messages."""
    fmt = fmt or detect(path, text)
    try:
        return _read(text, path, fmt)
    except ValidationError as exc:  # a value the line readers passed on but the model refused
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"])
        raise InputError(first["msg"], path, None, field or None, first.get("input")) from None


def _read(text: str, path: str | Path, fmt: str) -> Loaded:
    if fmt == "yaml":
        return Loaded(yaml_format.read(text, path), [], fmt)
    if fmt == "ktab":
        return Loaded(ktab_csv.read(text, path), [], fmt)
    if fmt == "ktab-xml":
        scenario, notes, parameters = ktab_xml.read(text, path)
        return Loaded(scenario, notes, fmt, parameters)
    if fmt == "decide":
        return Loaded(*decide_csv.read(text, path), fmt)
    if fmt == "table":
        return Loaded(*table_csv.read(text, path), fmt)
    raise InputError("unknown format", None, None, "--from", fmt, ACCEPTED)


def format_for_output(path: str | Path, fmt: str | None) -> str:
    """The format to write ``path`` in: given explicitly, or from a .yaml/.yml name."""
    if fmt:
        writable = [f for f in FORMATS if f != "ktab-xml"]
        if fmt not in writable:
            raise InputError("unknown format" if fmt not in FORMATS else "cannot write this format",
                             None, None, "--to", fmt, "one of " + ", ".join(writable))
        return fmt
    if Path(str(path)).suffix.lower() in (".yaml", ".yml"):
        return "yaml"
    raise InputError("cannot tell which format to write", path, None,
                     accepted=f"a name ending in .yaml, or --to ({ACCEPTED})")


def render(scenario: Scenario, fmt: str) -> tuple[str, list[str]]:
    """The text of ``scenario`` in format ``fmt``, and notes on what the format could not hold."""
    if fmt == "yaml":
        return yaml_format.write(scenario), []
    writer = {"ktab": ktab_csv.write, "decide": decide_csv.write, "table": table_csv.write}[fmt]
    return writer(scenario)


def write_file(scenario: Scenario, path: str | Path, fmt: str | None = None) -> list[str]:
    """Write ``scenario`` to ``path`` atomically; returns notes on what was lost."""
    text, notes = render(scenario, format_for_output(path, fmt))
    atomic_write(path, text)
    return notes
