"""The built-in scenarios shipped inside the package, and loading by name or path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from accord.scenario.degenerate import notes as degenerate_notes
from accord.scenario.errors import InputError
from accord.scenario.formats import Loaded, read_file, yaml_format

DEFAULT = "venezuela-2021"


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with Accord."""
    folder = resources.files("accord") / "data" / "scenarios"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                  if p.name.endswith(".yaml"))


def load(name_or_path: str | Path | None = None, fmt: str | None = None) -> Loaded:
    """Load a built-in scenario by name, or a scenario file by path."""
    name = str(name_or_path or DEFAULT)
    if name in builtin_names() and not _exists(name):
        text = (resources.files("accord") / "data" / "scenarios" / f"{name}.yaml").read_text(
            encoding="utf-8")
        scenario = yaml_format.read(text, f"<built-in {name}>")
        return Loaded(scenario, degenerate_notes(scenario), "yaml")
    path = Path(name)
    if not _exists(name) and path.suffix == "":
        raise InputError("no built-in scenario or file of this name", None, None, "SCENARIO",
                         name, "a file path or a built-in: " + ", ".join(builtin_names()))
    return read_file(path, fmt)


def _exists(name: str) -> bool:
    """Whether something is at ``name``; True where the path itself is odd (too long, a NUL
    byte), so that reading it reports what is wrong."""
    try:
        return Path(name).exists() or Path(name).is_symlink()
    except (OSError, ValueError):
        return True
