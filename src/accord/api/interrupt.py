"""Stopping a run cleanly on Ctrl-C, ``kill`` or a closed terminal.

While :func:`stop_on_signals` is active in the main thread, the first SIGINT, SIGTERM or SIGHUP
raises :class:`Stop` there; the runner then stops its workers, keeps every finished chunk, marks
the run interrupted and raises :class:`RunInterrupted`, whose message is the command that resumes
it. Later signals are ignored, during that clean-up and after it (the process is on its way
out), so a second Ctrl-C cannot cut the clean-up short, leave workers orphaned or swallow the
message; :func:`restore_signals` takes them back (for a long-lived process that goes on).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                if hasattr(signal, name))


class Stop(BaseException):
    """Raised in the main thread by the first stopping signal (like KeyboardInterrupt, it is not
    an ``Exception``, so no ``except Exception`` on the way swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class RunInterrupted(Exception):
    """A run stopped by a signal, its finished chunks stored; the message says how to resume."""

    def __init__(self, message: str, run_id: str):
        super().__init__(message)
        self.run_id = run_id


@contextmanager
def stop_on_signals() -> Iterator[dict]:
    """Turn the first stopping signal into :class:`Stop`; count and ignore the next ones.

    Outside the main thread (a web server's worker thread) signals cannot be handled there, and
    this does nothing. Yields a dict whose ``"signals"`` entry counts the signals received."""
    state = {"signals": 0}
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handler(signum, _frame):
        state["signals"] += 1
        if state["signals"] == 1:
            raise Stop(signum)

    previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}
    _PREVIOUS.setdefault("handlers", previous)
    try:
        yield state
    finally:
        if not state["signals"]:
            for sig, old in previous.items():
                signal.signal(sig, old)
            if _PREVIOUS.get("handlers") is previous:
                del _PREVIOUS["handlers"]


_PREVIOUS: dict[str, dict] = {}


def restore_signals() -> None:
    """Give back the handlers that a stopped run left ignoring signals (main thread only)."""
    for sig, old in _PREVIOUS.pop("handlers", {}).items():
        signal.signal(sig, old)
