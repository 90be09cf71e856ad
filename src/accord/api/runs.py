"""Run Monte Carlo chunks on local processes or a Dask cluster, storing each as it finishes.

A run is recorded before its first chunk starts and every finished chunk is committed at once, so
a run killed at any moment resumes with ``accord resume ID``: only the missing chunks are computed,
and since every draw depends only on (seed, draw index), the result equals an uninterrupted run.
Ctrl-C (or SIGTERM, SIGHUP) stops the workers at once, keeps the finished chunks, marks the run
interrupted and says how to resume it (:mod:`accord.api.interrupt`); while a process computes a
run it holds it (:meth:`Store.claim`), so a second ``accord resume`` of it is refused.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from accord.analysis.montecarlo import (
    ChunkTask,
    Summary,
    Threshold,
    run_chunk,
    summarise,
)
from accord.analysis.shocks import apply_shock
from accord.api.interrupt import RunInterrupted, Stop, stop_on_signals
from accord.api.store import Store
from accord.api.workers import run_local
from accord.models import get
from accord.models.memory import check_bytes, check_memory
from accord.scenario.draws import SEEDS, DrawSpec
from accord.scenario.errors import InputError
from accord.scenario.formats import yaml_format
from accord.scenario.model import Scenario, Shock

MAX_CHUNK = 1000  # draws per chunk at most: bounds memory and the work lost to a kill
MIN_CHUNK = 250  # fewer draws than this per worker are not worth a worker's start-up
MAX_CHUNKS = 100_000  # more would only add scheduling and storage overhead
OUTCOME_COPIES = 4  # the stored draws are read back, rescaled and summarised in memory
DASK_CONNECT_TIMEOUT = "10s"


@dataclass
class Request:
    """A Monte Carlo run: scenario, model, draws, seed, and optionally a shock."""

    scenario: Scenario
    model: str
    draws: int = 1000
    seed: int | None = None
    chunk_size: int | None = None  # None: chosen from the draws and the workers
    params: dict[str, Any] = field(default_factory=dict)
    shock: Shock | None = None
    thresholds: list[Threshold] = field(default_factory=list)
    kind: str = "montecarlo"

    def as_json(self) -> dict[str, Any]:
        """Everything but the scenario (stored beside it as YAML)."""
        return {"model": self.model, "draws": self.draws, "seed": self.seed,
                "chunk_size": self.chunk_size, "params": self.params,
                "shock": self.shock.model_dump(mode="json") if self.shock else None,
                "thresholds": [str(t) for t in self.thresholds], "kind": self.kind}


@dataclass
class Outcome:
    """A finished run: its id, the shocked scenario, the raw draws and their summary."""

    run_id: str
    scenario: Scenario
    outcomes: np.ndarray
    summary: Summary


def execute(request: Request, store: Store, workers: int | None = None,
            scheduler: str | None = None, console: Console | None = None) -> Outcome:
    """Record the run, compute every chunk, and summarise."""
    if request.draws < 1 or (request.chunk_size is not None and request.chunk_size < 1):
        raise InputError("draws and chunk size must be at least 1", None, None, "--draws",
                         request.draws, "a positive whole number")
    if request.chunk_size is None:
        request.chunk_size = chunk_size(request.draws, 1 if scheduler else _workers(workers))
    if request.seed is None:
        request.seed = secrets.randbits(63)
    check_size(request)
    run_id = store.create_run(request.kind, request.scenario.id,
                              yaml_format.write(request.scenario), request.as_json(),
                              request.draws, request.chunk_size)
    return _complete(run_id, request, store, workers, scheduler, console, 1)


def resume(run_id: str, store: Store, workers: int | None = None, scheduler: str | None = None,
           console: Console | None = None) -> Outcome:
    """Finish a run from the chunks it has: the result equals an uninterrupted run."""
    record = store.run(run_id)
    req = record["request"]
    scenario = yaml_format.read(record["scenario_yaml"], f"<run {run_id}>")
    request = Request(scenario, req["model"], req["draws"], req["seed"], req["chunk_size"],
                      req["params"], Shock.model_validate(req["shock"]) if req["shock"] else None,
                      [parse_threshold(scenario, t) for t in req["thresholds"]], req["kind"])
    return _complete(run_id, request, store, workers, scheduler, console, store.claim(run_id))


def check_size(request: Request) -> None:
    """Refuse a run whose seed is out of range, whose chunks are too many to schedule or whose
    draws cannot be held."""
    if not 0 <= request.seed < SEEDS:
        raise InputError("seed out of range", None, None, "--seed", request.seed,
                         "a whole number from 0 to 2**128 - 1")
    chunks = -(-request.draws // request.chunk_size)
    if chunks > MAX_CHUNKS:
        raise InputError(f"{request.draws:,} draws in chunks of {request.chunk_size:,} make "
                         f"{chunks:,} chunks", None, None, "--chunk-size", request.chunk_size,
                         f"at most {MAX_CHUNKS:,} chunks: a chunk size of at least "
                         f"{-(-request.draws // MAX_CHUNKS):,}")
    need = OUTCOME_COPIES * 8 * request.draws * len(request.scenario.issues)
    check_bytes(need, f"{request.draws:,} draws of {len(request.scenario.issues)} issues",
                "--draws", request.draws, "fewer draws")


def _complete(run_id, request, store, workers, scheduler, console, lease: int) -> Outcome:
    with stop_on_signals(), store.heartbeat(run_id, lease):
        try:
            scenario, incentives = (apply_shock(request.scenario, request.shock) if request.shock
                                    else (request.scenario, ()))
            spec = DrawSpec.from_scenario(scenario)
            check_memory(get(request.model), min(request.chunk_size, request.draws),
                         len(scenario.actors), len(scenario.issues), request.params,
                         copies=1 if scheduler else min(workers or os.cpu_count() or 1,
                                                        -(-request.draws // request.chunk_size)))
            _compute(run_id, request, store, workers, scheduler, console, spec, incentives)
        except Stop:
            store.release(run_id, "interrupted")
            raise _interrupted(run_id, store, request) from None
        except BaseException:
            store.release(run_id, "failed")
            raise
    store.finish(run_id)
    return _outcome(run_id, store, request.scenario, scenario, request.thresholds)


def stored_outcome(run_id: str, store: Store) -> Outcome:
    """The draws a run has stored so far, summarised as a finished run's are: on the shocked
    scenario where the run had a shock (the store keeps the scenario as given)."""
    record = store.run(run_id)
    req = record["request"]
    given = yaml_format.read(record["scenario_yaml"], f"<run {run_id}>")
    scenario = (apply_shock(given, Shock.model_validate(req["shock"]))[0] if req["shock"]
                else given)
    return _outcome(run_id, store, given, scenario,
                    [parse_threshold(given, t) for t in req["thresholds"]])


def _outcome(run_id: str, store: Store, given: Scenario, scenario: Scenario,
             thresholds: list[Threshold]) -> Outcome:
    outcomes = store.outcomes(run_id)
    present = {a.id for a in scenario.actors}
    return Outcome(run_id, scenario, outcomes,
                   summarise(scenario, outcomes, thresholds, present, given.agreement))


def _compute(run_id, request, store, workers, scheduler, console, spec, incentives) -> None:
    """Run and store every chunk not stored yet."""
    done = store.done_starts(run_id)
    tasks = [ChunkTask(spec, request.model, request.params, request.seed, start,
                       min(request.chunk_size, request.draws - start), incentives)
             for start in range(0, request.draws, request.chunk_size) if start not in done]
    label = f"{request.model} {request.kind} {run_id}"
    with _progress(console) as bar, closing(_run_all(tasks, workers, scheduler)) as results:
        task_id = bar.add_task(label, total=request.draws, completed=request.draws - sum(
            t.size for t in tasks))
        for task, outcomes in results:
            store.save_chunk(run_id, task.start, outcomes)
            bar.advance(task_id, task.size)


def _interrupted(run_id: str, store: Store, request: Request) -> RunInterrupted:
    stored = sum(min(request.chunk_size, request.draws - start)
                 for start in store.done_starts(run_id))
    return RunInterrupted(f"interrupted: {stored:,} of {request.draws:,} draws are stored; "
                          f"resume with: {store.resume_command(run_id)}", run_id)


def chunk_size(draws: int, workers: int) -> int:
    """Draws per chunk: as few chunks as keep every worker busy, each worker taking the same
    number of chunks of at most ``MAX_CHUNK`` draws; a run of under ``2 * MIN_CHUNK`` draws is
    one chunk, computed in this process (a worker's start-up costs more than it saves)."""
    if draws < 2 * MIN_CHUNK:
        return draws
    per_worker = -(-draws // max(1, workers))
    rounds = -(-per_worker // MAX_CHUNK)
    return max(MIN_CHUNK, -(-per_worker // rounds))


def _workers(workers: int | None) -> int:
    return workers or os.cpu_count() or 1


def _progress(console: Console | None) -> Progress:
    console = console or Console(stderr=True)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("draws"), TimeElapsedColumn(), TextColumn("ETA"),
                    TimeRemainingColumn(), console=console, transient=True,
                    disable=not console.is_terminal)


def _run_all(tasks: list[ChunkTask], workers: int | None,
             scheduler: str | None) -> Iterator[tuple[ChunkTask, np.ndarray]]:
    if not tasks:
        return
    if scheduler:
        yield from _run_dask(tasks, scheduler)
        return
    workers = _workers(workers)
    if workers < 1:
        raise InputError("need at least one worker", None, None, "--workers", workers,
                         "a whole number of at least 1")
    if workers == 1 or len(tasks) == 1:
        for task in tasks:
            yield task, run_chunk(task)
        return
    # the forkserver imports the Monte Carlo code once, not each worker
    yield from run_local(run_chunk, tasks, workers, preload=("accord.analysis.montecarlo",))


def _run_dask(tasks: list[ChunkTask], address: str):
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise InputError("Dask distributed is not installed", None, None, "--scheduler", address,
                         "pip install 'dask[distributed]'") from None
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler ({exc})", None, None, "--scheduler",
                         address, "tcp://HOST:PORT of a running scheduler") from None
    with client:
        futures = {client.submit(run_chunk, task, pure=False): task for task in tasks}
        for future in dask_completed(futures):
            yield futures[future], future.result()


def parse_threshold(scenario: Scenario, text: str) -> Threshold:
    """``issue>=value`` or ``issue<=value``, checked against the scenario's issues and scales."""
    for op in (">=", "<="):
        if op in text:
            issue, _, value = text.partition(op)
            issue = issue.strip()
            ids = [i.id for i in scenario.issues]
            if issue not in ids:
                raise InputError("unknown issue in threshold", None, None, "--threshold", text,
                                 "ISSUE>=VALUE or ISSUE<=VALUE with ISSUE one of " + ", ".join(ids))
            try:
                number = float(value)
            except ValueError:
                break
            scale = scenario.issue(issue).scale
            if not scale.contains(number):
                raise InputError(f"threshold outside the scale of '{issue}'", None, None,
                                 "--threshold", text,
                                 f"a value from {scale.min:g} to {scale.max:g}")
            return Threshold(issue, op, number)
    raise InputError("cannot read this threshold", None, None, "--threshold", text,
                     "ISSUE>=VALUE or ISSUE<=VALUE, e.g. electoral_timetable>=60")
