"""Local worker processes for Monte Carlo chunks that stop at once and never outlive the run.

Workers ignore SIGINT, SIGTERM and SIGHUP, which a terminal sends to the whole process group: the
main process alone decides, and on any exception (a signal turned into
:class:`accord.api.interrupt.Stop`, an error, the caller closing the generator) it cancels the
queued chunks and kills the running ones instead of waiting for them. Each worker also holds the
reading end of a pipe whose writing end only the main process has: if the main process is
killed outright (SIGKILL), the pipe closes and its workers exit at once. (Watching the parent
pid would not do: forkserver workers are the forkserver's children, and the forkserver lives
as long as any worker does.)
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any

from accord.scenario.errors import InputError

JOIN_TIMEOUT = 5.0


def run_local(fn: Callable[[Any], Any], tasks: Iterable, workers: int,
              preload: tuple[str, ...] = ()) -> Iterator[tuple]:
    """``(task, fn(task))`` for every task, in order of completion, on ``workers`` processes
    (forked from a server that has imported the ``preload`` modules once)."""
    context = multiprocessing.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    alive, keep = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                               initargs=(alive,))
    try:
        futures = {pool.submit(fn, task): task for task in tasks}
        for future in as_completed(futures):
            yield futures[future], future.result()
    except BrokenProcessPool:
        _stop(pool)
        raise InputError("a worker process died (perhaps killed for lack of memory); the "
                         "finished chunks are stored", None, None, "--workers", workers,
                         "accord resume RUN_ID with fewer --workers or a smaller --chunk-size") \
            from None
    except BaseException:
        _stop(pool)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        alive.close()
        keep.close()


def _init_worker(alive: Connection) -> None:
    """In each worker: leave stopping to the main process, and die with it."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    threading.Thread(target=_exit_with_main, args=(alive,), daemon=True).start()


def _exit_with_main(alive: Connection) -> None:
    """Block until the main process's end of the pipe closes, then exit at once."""
    try:
        alive.recv()
    except (EOFError, OSError):
        pass
    os._exit(1)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and kill what is running, without waiting for any chunk."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(JOIN_TIMEOUT)
