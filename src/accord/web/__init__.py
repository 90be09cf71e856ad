"""The workspace in the browser (``accord serve``): open or upload a scenario, edit actors and
stances with undo, watch every model's forecast follow, and run leverage, what-ifs, simulations
and the news on it; several scenarios side by side, everything saved in the run store.

Layer: the top, beside the command line. It calls :mod:`accord.api` (and renders with
:mod:`accord.report`'s charts and HTML report); it computes nothing itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.web.server import Started

__all__ = ["serve"]


def serve(scenario: str | None = None, host: str = "127.0.0.1", port: int = 8765,
          store: str | None = None, announce=None) -> Started:
    """Start the workspace; see :func:`accord.web.server.serve`."""
    from accord.web.server import serve as start

    return start(scenario, host, port, store, announce)
