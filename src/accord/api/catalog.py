"""The built-in scenarios, listed without validating them (``accord scenarios`` starts fast)."""

from __future__ import annotations

from importlib import resources


def scenarios() -> list[tuple[str, str]]:
    """``(name, title)`` of every scenario shipped with Accord, by name."""
    import yaml

    folder = resources.files("accord") / "data" / "scenarios"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            data = yaml.load(entry.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
            found.append((entry.name.removesuffix(".yaml"), str(data.get("name", ""))))
    return found
