"""Helpers shared by the line-based readers: numbers, identifiers, delimiters."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from accord.scenario.errors import InputError

_INVALID = re.compile(r"[^A-Za-z0-9_.\-]+")
ID_LENGTH = 64  # the longest identifier the scenario model accepts


class Slugs:
    """Unique Accord identifiers made from names, in constant time per name even when thousands
    of names share one base (``x``, ``x_2``, ... ``x_10000``)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self._next: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        """A new identifier for ``text``."""
        base = _INVALID.sub("_", text.strip()).strip("_.-")[:ID_LENGTH] or "x"
        if not base[0].isalnum():
            base = "x" + base[: ID_LENGTH - 1]
        n = self._next.get(base, 1)
        slug = base
        while slug in self.taken:
            n += 1
            suffix = f"_{n}"
            slug = base[: ID_LENGTH - len(suffix)] + suffix
        self._next[base] = n
        self.taken.add(slug)
        return slug


def name_of(path: str | Path, default: str) -> str:
    """A scenario name from a file name: its stem without control characters, or ``default``."""
    stem = re.sub(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]", "",
                  Path(str(path)).stem).strip()
    return stem[:500] or default


def slugify(text: str) -> str:
    """An Accord identifier made from ``text`` (one alone; use :class:`Slugs` for many)."""
    return Slugs()(text)


def number(text: str, path: str | Path, line: int, field: str, accepted: str = "a number") -> float:
    """Parse a finite number or raise an :class:`InputError` naming file, line and field."""
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        raise InputError("not a number", path, line, field, text, accepted) from None
    if not math.isfinite(value):
        raise InputError("not a finite number", path, line, field, text, accepted)
    return value


def fmt(value: float) -> str:
    """Text for ``value`` with up to 15 significant digits (integers without '.0').

    Fifteen digits drop the last-bit noise of a scale conversion (0.447 * 100) while keeping every
    number a person could have typed.
    """
    value = float(f"{float(value):.15g}")
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def check_delimiter(line: str, expected: str, path, line_no: int, fmt_name: str) -> None:
    """Raise a clear error when a line is split by something other than ``expected``."""
    if expected in line:
        return
    for other, name in (("\t", "tabs"), (";", "semicolons"), ("|", "bars")):
        if other in line:
            raise InputError(f"fields are separated by {name}", path, line_no,
                             accepted=f"{fmt_name} with fields separated by {expected!r}")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula: one that begins with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe (OWASP, "CSV
    injection"), which :func:`csv_rows` takes off again, so names from untrusted text (a news
    article's actors) cannot become formulas in an exported table."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _plain(field: str) -> str:
    """A read field, stripped, without the apostrophe :func:`text_cell` put before it."""
    field = field.strip()
    return field[1:] if field.startswith("'") and field[1:].startswith(FORMULA_START) else field


def csv_rows(text: str, path: str | Path, **options) -> list[list[str]]:
    """Split delimited text into rows of stripped fields; a broken quote becomes an InputError."""
    reader = csv.reader(io.StringIO(text, newline=""), **options)
    rows = []
    try:
        for row in reader:
            rows.append([_plain(field) for field in row])
    except csv.Error as exc:
        raise InputError(f"cannot split this line into fields ({exc})", path, reader.line_num,
                         accepted="fields separated by the format's delimiter, quotes closed") from None
    return rows
