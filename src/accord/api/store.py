"""The run store: every Monte Carlo run, its parameters and its finished chunks.

SQLite by default (``runs.sqlite`` in the user's data directory, WAL mode, so a process killed
mid-write loses at most the chunk it was writing), or any SQLAlchemy URL (``postgresql://...``)
given with ``--store`` or the ``ACCORD_STORE`` environment variable.

A run being computed is owned by one process, recorded with its host, pid and a heartbeat that
its runner refreshes every few seconds. A "running" run whose process is gone (same host, pid not
alive) or whose heartbeat is older than ``STALE_AFTER`` is *stale*: listed as such and resumable.
Taking a run over is a compare-and-swap on its ``lease`` counter, so of two ``accord resume`` of
one run exactly one proceeds and the other is told who holds it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from accord.scenario.errors import InputError

metadata = MetaData()
runs = Table(
    "runs", metadata,
    Column("id", String(32), primary_key=True),
    Column("created", DateTime, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("scenario_id", String(128), nullable=False),
    Column("scenario_yaml", Text, nullable=False),
    Column("request", Text, nullable=False),
    Column("draws", Integer, nullable=False),
    Column("chunk_size", Integer, nullable=False),
    Column("finished", DateTime),
    Column("host", String(255)),
    Column("pid", Integer),
    Column("heartbeat", DateTime),
    Column("lease", Integer, nullable=False, server_default="0"),
)
OWNER_COLUMNS = {"host": "VARCHAR(255)", "pid": "INTEGER", "heartbeat": "TIMESTAMP",
                 "lease": "INTEGER NOT NULL DEFAULT 0"}
HOST = socket.gethostname()
HEARTBEAT = 5.0  # seconds between a runner's heartbeats
STALE_AFTER = dt.timedelta(seconds=60)  # a heartbeat older than this: the runner is gone
chunks = Table(
    "chunks", metadata,
    Column("run_id", String(32), ForeignKey("runs.id"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("outcomes", LargeBinary, nullable=False),
)


def default_url() -> str:
    """``ACCORD_STORE``, or a SQLite file in the user's data directory."""
    if os.environ.get("ACCORD_STORE"):
        return os.environ["ACCORD_STORE"]
    folder = Path(platformdirs.user_data_dir("accord", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'runs.sqlite'}"


class Store:
    """Runs and their chunks in a database."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        try:
            self.engine = create_engine(self.url)
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise InputError(f"cannot open the run store ({exc})", None, None, "--store",
                             self.url, "sqlite:///PATH or a SQLAlchemy URL") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            metadata.create_all(self.engine)
            _add_owner_columns(self.engine)
        except SQLAlchemyError as exc:
            raise InputError(f"cannot open the run store ({type(exc).__name__})", None, None,
                             "--store", self.url, "a writable database") from None

    def create_run(self, kind: str, scenario_id: str, scenario_yaml: str,
                   request: dict[str, Any], draws: int, chunk_size: int) -> str:
        """Record a new run; returns its id."""
        run_id = uuid.uuid4().hex[:12]
        with self.engine.begin() as db:
            db.execute(insert(runs).values(
                id=run_id, created=_now(), kind=kind, status="running", scenario_id=scenario_id,
                scenario_yaml=scenario_yaml, request=json.dumps(request), draws=draws,
                chunk_size=chunk_size, host=HOST, pid=os.getpid(), heartbeat=_now(), lease=1))
        return run_id

    def run(self, run_id: str) -> dict[str, Any]:
        """One run's record, with its request decoded and its chunk count."""
        with self.engine.connect() as db:
            row = db.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
            done = db.execute(select(func.count()).select_from(chunks)
                              .where(chunks.c.run_id == run_id)).scalar_one()
        if row is None:
            raise InputError("no run with this id", None, None, "RUN_ID", run_id,
                             "an id listed by `accord runs`")
        return {**row, "status": shown_status(row), "request": json.loads(row["request"]),
                "chunks_done": done}

    def list_runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """The most recent runs, newest first."""
        with self.engine.connect() as db:
            done = (select(chunks.c.run_id, func.count().label("chunks_done"))
                    .group_by(chunks.c.run_id).subquery())
            query = (select(runs.c.id, runs.c.created, runs.c.kind, runs.c.status,
                            runs.c.scenario_id, runs.c.draws, runs.c.chunk_size, runs.c.host,
                            runs.c.pid, runs.c.heartbeat,
                            func.coalesce(done.c.chunks_done, 0).label("chunks_done"))
                     .outerjoin(done, done.c.run_id == runs.c.id)
                     .order_by(runs.c.created.desc()).limit(limit))
            return [{**r, "status": shown_status(r)} for r in db.execute(query).mappings()]

    def done_starts(self, run_id: str) -> set[int]:
        """Start indices of the chunks already stored."""
        with self.engine.connect() as db:
            return set(db.execute(select(chunks.c.start).where(chunks.c.run_id == run_id))
                       .scalars())

    def save_chunk(self, run_id: str, start: int, outcomes: np.ndarray) -> None:
        """Store one finished chunk (committed at once). A chunk already stored (by a runner
        that was thought gone) is left as it is: every chunk is a pure function of the request,
        so both copies are the same."""
        buffer = io.BytesIO()
        np.save(buffer, outcomes, allow_pickle=False)
        try:
            with self.engine.begin() as db:
                db.execute(insert(chunks).values(run_id=run_id, start=start, size=len(outcomes),
                                                 outcomes=buffer.getvalue()))
        except IntegrityError:
            pass

    def outcomes(self, run_id: str) -> np.ndarray:
        """Every stored chunk's outcomes, in draw order."""
        with self.engine.connect() as db:
            blobs = db.execute(select(chunks.c.outcomes).where(chunks.c.run_id == run_id)
                               .order_by(chunks.c.start)).scalars().all()
        if not blobs:
            raise InputError("this run has no finished chunk yet", None, None, "RUN_ID", run_id,
                             f"a run with stored draws (accord resume {run_id} computes them)")
        return np.concatenate([np.load(io.BytesIO(b), allow_pickle=False) for b in blobs])

    def finish(self, run_id: str) -> None:
        """Mark a run finished."""
        self.release(run_id, "finished")

    def release(self, run_id: str, status: str) -> None:
        """End this process's hold on a run: finished, interrupted or failed."""
        values = {"status": status, "pid": None, "heartbeat": _now()}
        if status == "finished":
            values["finished"] = _now()
        with self.engine.begin() as db:
            db.execute(update(runs).where(runs.c.id == run_id).values(**values))

    def claim(self, run_id: str) -> int:
        """Take a run over for this process; returns the lease. A run that another live process
        is computing is refused with its owner named; of two claims at once, one wins."""
        with self.engine.connect() as db:
            row = db.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
        if row is None:
            self.run(run_id)  # raises "no run with this id"
        if shown_status(row) == "running":
            raise _busy(run_id, row)
        lease = (row["lease"] or 0) + 1
        with self.engine.begin() as db:
            taken = db.execute(update(runs).where(runs.c.id == run_id,
                                                  runs.c.lease == row["lease"])
                               .values(status="running", host=HOST, pid=os.getpid(),
                                       heartbeat=_now(), lease=lease)).rowcount
        if taken != 1:
            raise _busy(run_id, None)
        return lease

    @contextmanager
    def heartbeat(self, run_id: str, lease: int) -> Iterator[None]:
        """Refresh the run's heartbeat every ``HEARTBEAT`` seconds while the block runs (and
        while this process still holds the lease)."""
        done = threading.Event()

        def beat() -> None:
            while not done.wait(HEARTBEAT):
                try:
                    with self.engine.begin() as db:
                        db.execute(update(runs).where(runs.c.id == run_id, runs.c.lease == lease)
                                   .values(heartbeat=_now()))
                except SQLAlchemyError:
                    continue

        thread = threading.Thread(target=beat, name=f"heartbeat {run_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(HEARTBEAT + 1)

    def resume_command(self, run_id: str) -> str:
        """The command that resumes ``run_id`` from this store."""
        store = "" if self.url == default_url() else f" --store {self.url}"
        return f"accord resume {run_id}{store}"


def shown_status(row) -> str:
    """The status to show: "stale" for a "running" run whose process is gone."""
    if row["status"] != "running":
        return row["status"]
    if row.get("heartbeat") is None or _now() - row["heartbeat"] > STALE_AFTER:
        return "stale"
    if row.get("host") == HOST and row.get("pid") and not _alive(row["pid"]):
        return "stale"
    return "running"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _busy(run_id: str, row) -> InputError:
    if row is None:
        problem = "another process took this run over just now"
    else:
        age = (_now() - row["heartbeat"]).total_seconds()
        problem = (f"this run is being computed by process {row['pid']} on {row['host']} "
                   f"(last heartbeat {age:.0f} s ago)")
    return InputError(problem, None, None, "RUN_ID", run_id,
                      "wait for it to finish; a run whose process has died shows as 'stale' in "
                      "`accord runs` and can be resumed")


def _add_owner_columns(engine) -> None:
    """Add the owner columns to a run store made by an older Accord (its runs show as stale)."""
    present = {c["name"] for c in inspect(engine).get_columns("runs")}
    missing = [name for name in OWNER_COLUMNS if name not in present]
    if missing:
        with engine.begin() as db:
            for name in missing:
                db.execute(text(f"ALTER TABLE runs ADD COLUMN {name} {OWNER_COLUMNS[name]}"))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
