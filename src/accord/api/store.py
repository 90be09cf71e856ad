"""The run store: every Monte Carlo run, its parameters and its finished chunks.

SQLite by default (``runs.sqlite`` in the user's data directory, WAL mode, so a process killed
mid-write loses at most the chunk it was writing), or any SQLAlchemy URL (``postgresql://...``)
given with ``--store`` or the ``ACCORD_STORE`` environment variable.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import uuid
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
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

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
)
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
                chunk_size=chunk_size))
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
        return {**row, "request": json.loads(row["request"]), "chunks_done": done}

    def list_runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """The most recent runs, newest first."""
        with self.engine.connect() as db:
            done = (select(chunks.c.run_id, func.count().label("chunks_done"))
                    .group_by(chunks.c.run_id).subquery())
            query = (select(runs.c.id, runs.c.created, runs.c.kind, runs.c.status,
                            runs.c.scenario_id, runs.c.draws, runs.c.chunk_size,
                            func.coalesce(done.c.chunks_done, 0).label("chunks_done"))
                     .outerjoin(done, done.c.run_id == runs.c.id)
                     .order_by(runs.c.created.desc()).limit(limit))
            return [dict(r) for r in db.execute(query).mappings()]

    def done_starts(self, run_id: str) -> set[int]:
        """Start indices of the chunks already stored."""
        with self.engine.connect() as db:
            return set(db.execute(select(chunks.c.start).where(chunks.c.run_id == run_id))
                       .scalars())

    def save_chunk(self, run_id: str, start: int, outcomes: np.ndarray) -> None:
        """Store one finished chunk (committed at once)."""
        buffer = io.BytesIO()
        np.save(buffer, outcomes, allow_pickle=False)
        with self.engine.begin() as db:
            db.execute(insert(chunks).values(run_id=run_id, start=start, size=len(outcomes),
                                             outcomes=buffer.getvalue()))

    def outcomes(self, run_id: str) -> np.ndarray:
        """Every stored chunk's outcomes, in draw order."""
        with self.engine.connect() as db:
            blobs = db.execute(select(chunks.c.outcomes).where(chunks.c.run_id == run_id)
                               .order_by(chunks.c.start)).scalars().all()
        return np.concatenate([np.load(io.BytesIO(b), allow_pickle=False) for b in blobs])

    def finish(self, run_id: str) -> None:
        """Mark a run finished."""
        with self.engine.begin() as db:
            db.execute(update(runs).where(runs.c.id == run_id)
                       .values(status="finished", finished=_now()))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
