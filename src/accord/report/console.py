"""Printing user strings safely: as text, never as markup or terminal control.

Light on purpose (rich only), so that the command line can build its consoles without loading
the renderers.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.errors import MarkupError
from rich.text import Text

# Terminal controls (C0 but tab and newline, DEL, C1) and bidirectional overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def clean(value: object, one_line: bool = False) -> str:
    """``value`` as printable text: every control character (and, with ``one_line``, every line
    break and tab) shown as its escape (``\\x1b``, ``\\u202e``), so no user string can drive the
    terminal or reorder what is shown."""
    pattern = _UNSAFE_LINE if one_line else _UNSAFE
    return pattern.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))


def plain(value: object, style: str = "") -> Text:
    """A user string for a rich table or console: shown as written, never read as markup."""
    return Text(clean(value), style=style)


class SafeConsole(Console):
    """A console that prints every string as text: control characters escaped, no emoji codes,
    and markup that does not parse shown as written instead of raising."""

    def __init__(self, **options):
        super().__init__(emoji=False, **options)

    def on_broken_pipe(self) -> None:
        """A reader that stops early (``| head``) is no error: raise what the CLI treats as
        a quiet exit 0 (rich's own choice is exit 1)."""
        raise BrokenPipeError

    def render_str(self, text: str, **options) -> Text:
        """Escape control characters; fall back to plain text if the markup is broken."""
        text = clean(text)
        try:
            return super().render_str(text, **options)
        except MarkupError:
            return super().render_str(text, **{**options, "markup": False})
