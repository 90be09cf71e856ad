"""Saved workspaces: a scenario being edited, every version of it, and the news waiting review.

The browser workspace (``accord serve``) keeps its state here, in the run store's database
(:func:`accord.api.store.default_url`: SQLite in the user's data directory, ``$ACCORD_STORE``, or
``--store``), so that edits survive a restart and every tab sees the same state. Each edit is a
new version holding the whole scenario (as JSON: about 45 kB for the Venezuela case, written in
well under a millisecond); ``head`` is the version shown. Undo and redo move ``head``; an edit
after an undo drops the versions above it, as in an editor. Edits made in one burst (one field
typed into without leaving it) replace each other, so that one undo takes back one change.
Version numbers only grow and a version is never rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from accord.api.negotiation import Negotiation
from accord.api.store import _sqlite_pragmas, default_url
from accord.scenario.errors import InputError
from accord.scenario.model import Scenario

metadata = MetaData()
workspaces = Table(
    "workspaces", metadata,
    Column("id", String(32), primary_key=True),
    Column("title", String(500), nullable=False),
    Column("source", String(1000), nullable=False),
    Column("origin", String(64), nullable=False),
    Column("created", DateTime, nullable=False),
    Column("updated", DateTime, nullable=False),
    Column("head", Integer, nullable=False),
    Column("parameters", Text, nullable=False),
    Column("notes", Text, nullable=False),
)
versions = Table(
    "workspace_versions", metadata,
    Column("workspace_id", String(32), ForeignKey("workspaces.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("created", DateTime, nullable=False),
    Column("label", Text, nullable=False),
    Column("burst", String(64)),
    Column("scenario", Text, nullable=False),
)
proposals = Table(
    "workspace_proposals", metadata,
    Column("id", String(32), primary_key=True),
    Column("workspace_id", String(32), ForeignKey("workspaces.id"), nullable=False),
    Column("created", DateTime, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("article", String(500), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False),
)


@dataclass(frozen=True)
class Workspace:
    """One workspace at its head version."""

    id: str
    title: str
    source: str
    head: int
    last: int
    edits: int
    updated: dt.datetime
    talks: Negotiation

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to take back (version 1, the scenario as opened, stays)."""
        return self.head > 1

    @property
    def can_redo(self) -> bool:
        """Whether an undone edit can be made again."""
        return self.head < self.last


class Workspaces:
    """Workspaces, their versions and their news proposals, in a SQLAlchemy database."""

    def __init__(self, url: str | None = None, cache: int = 64):
        self.url = url or default_url()
        try:
            self.engine = create_engine(self.url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            metadata.create_all(self.engine)
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise InputError(f"cannot open the workspace store ({type(exc).__name__})", None,
                             None, "--store", self.url, "sqlite:///PATH or a SQLAlchemy URL"
                             ) from None
        self._lock = threading.Lock()
        self._scenarios: OrderedDict[tuple[str, int], Scenario] = OrderedDict()
        self._cache = cache

    def create(self, talks: Negotiation, source: str, title: str | None = None) -> str:
        """A new workspace holding ``talks`` as version 1; returns its id."""
        wid, now = uuid.uuid4().hex[:12], _now()
        data = talks.scenario.model_dump_json()
        with self.engine.begin() as db:
            db.execute(insert(workspaces).values(
                id=wid, title=(title or talks.name)[:500], source=source[:1000],
                origin=_digest(data), created=now, updated=now, head=1,
                parameters=json.dumps(talks.parameters), notes=json.dumps(talks.notes)))
            db.execute(insert(versions).values(workspace_id=wid, version=1, created=now,
                                               label="opened " + source[:200], scenario=data))
        return wid

    def find(self, talks: Negotiation, source: str) -> str | None:
        """The most recently used workspace opened from the same file with the same contents."""
        origin = _digest(talks.scenario.model_dump_json())
        with self.engine.connect() as db:
            return db.execute(select(workspaces.c.id).where(
                workspaces.c.source == source, workspaces.c.origin == origin)
                .order_by(workspaces.c.updated.desc())).scalars().first()

    def all(self) -> list[dict[str, Any]]:
        """Every workspace, the most recently changed first."""
        with self.engine.connect() as db:
            rows = db.execute(select(workspaces).order_by(workspaces.c.updated.desc()))
            return [dict(r) for r in rows.mappings()]

    def get(self, wid: str, version: int | None = None) -> Workspace:
        """A workspace at its head (or at ``version``)."""
        with self.engine.connect() as db:
            row = db.execute(select(workspaces).where(workspaces.c.id == wid)).mappings().first()
            if row is None:
                raise InputError("no workspace with this id", None, None, "workspace", wid,
                                 "a workspace listed on the start page")
            numbers = db.execute(select(versions.c.version)
                                 .where(versions.c.workspace_id == wid)).scalars().all()
        at = row["head"] if version is None else version
        talks = Negotiation(self._scenario(wid, at), json.loads(row["parameters"]),
                            json.loads(row["notes"]))
        return Workspace(wid, row["title"], row["source"], at, max(numbers),
                         sum(n <= at for n in numbers) - 1, row["updated"], talks)

    def commit(self, wid: str, scenario: Scenario, label: str, burst: str | None = None) -> int:
        """Store ``scenario`` as the new head; returns its version.

        Versions are never rewritten, so a version number names one scenario for good (results
        can be cached by it): an edit in the same burst as the head replaces the head by a new
        version."""
        with self._lock, self.engine.begin() as db:
            head = db.execute(select(workspaces.c.head).where(workspaces.c.id == wid)
                              ).scalar_one()
            db.execute(delete(versions).where(versions.c.workspace_id == wid,
                                              versions.c.version > head))
            top = db.execute(select(versions.c.burst).where(
                versions.c.workspace_id == wid, versions.c.version == head)).scalar_one()
            if burst is not None and head > 1 and top == burst:
                db.execute(delete(versions).where(versions.c.workspace_id == wid,
                                                  versions.c.version == head))
            db.execute(insert(versions).values(
                workspace_id=wid, version=head + 1, created=_now(), label=label[:2000],
                burst=burst, scenario=scenario.model_dump_json()))
            self._move(db, wid, head + 1)
        self._remember((wid, head + 1), scenario)
        return head + 1

    def undo(self, wid: str) -> int:
        """Move the head one version back (not past the scenario as opened)."""
        return self._step(wid, -1)

    def redo(self, wid: str) -> int:
        """Move the head one version forward, if an undone version is there."""
        return self._step(wid, +1)

    def history(self, wid: str) -> list[dict[str, Any]]:
        """Every version's number, time and label, the newest first."""
        with self.engine.connect() as db:
            rows = db.execute(select(versions.c.version, versions.c.created, versions.c.label)
                              .where(versions.c.workspace_id == wid)
                              .order_by(versions.c.version.desc()))
            return [dict(r) for r in rows.mappings()]

    def rename(self, wid: str, title: str) -> None:
        """Give the workspace a new title."""
        with self.engine.begin() as db:
            db.execute(update(workspaces).where(workspaces.c.id == wid).values(title=title[:500]))

    def delete(self, wid: str) -> None:
        """Remove a workspace, its versions and its proposals."""
        with self._lock, self.engine.begin() as db:
            db.execute(delete(proposals).where(proposals.c.workspace_id == wid))
            db.execute(delete(versions).where(versions.c.workspace_id == wid))
            db.execute(delete(workspaces).where(workspaces.c.id == wid))

    def propose(self, wid: str, article: str, items: list[tuple[str, dict]]) -> None:
        """Store an article's proposed updates (``(kind, payload)``), each pending review."""
        now = _now()
        with self.engine.begin() as db:
            for seq, (kind, payload) in enumerate(items):
                db.execute(insert(proposals).values(
                    id=uuid.uuid4().hex[:12], workspace_id=wid, created=now, seq=seq,
                    article=article[:500], kind=kind, payload=json.dumps(payload),
                    status="pending"))

    def proposals(self, wid: str) -> list[dict[str, Any]]:
        """The workspace's proposals, oldest first, with their payloads decoded."""
        with self.engine.connect() as db:
            rows = db.execute(select(proposals).where(proposals.c.workspace_id == wid)
                              .order_by(proposals.c.created, proposals.c.seq))
            return [{**r, "payload": json.loads(r["payload"])} for r in rows.mappings()]

    def proposal(self, wid: str, pid: str) -> dict[str, Any]:
        """One pending proposal, its payload decoded."""
        with self.engine.connect() as db:
            row = db.execute(select(proposals).where(proposals.c.id == pid,
                                                     proposals.c.workspace_id == wid)
                             ).mappings().first()
        if row is None or row["status"] != "pending":
            raise InputError("no pending proposal with this id (decided in another tab?)", None,
                             None, "proposal", pid, "a proposal listed as pending")
        return {**row, "payload": json.loads(row["payload"])}

    def decide(self, wid: str, pid: str, status: str) -> None:
        """Mark a pending proposal ``accepted`` or ``rejected``."""
        with self._lock, self.engine.begin() as db:
            done = db.execute(update(proposals).where(
                proposals.c.id == pid, proposals.c.workspace_id == wid,
                proposals.c.status == "pending").values(status=status)).rowcount
        if not done:
            self.proposal(wid, pid)  # raises: not pending any more

    def _step(self, wid: str, by: int) -> int:
        with self._lock, self.engine.begin() as db:
            head = db.execute(select(workspaces.c.head).where(workspaces.c.id == wid)
                              ).scalar_one()
            numbers = select(versions.c.version).where(versions.c.workspace_id == wid)
            target = db.execute(
                numbers.where(versions.c.version < head).order_by(versions.c.version.desc())
                if by < 0 else
                numbers.where(versions.c.version > head).order_by(versions.c.version)
            ).scalars().first()
            if target is None:
                return head
            self._move(db, wid, target)
            return target

    def _move(self, db, wid: str, version: int) -> None:
        db.execute(update(workspaces).where(workspaces.c.id == wid)
                   .values(head=version, updated=_now()))

    def _scenario(self, wid: str, version: int) -> Scenario:
        key = (wid, version)
        if key in self._scenarios:
            self._scenarios.move_to_end(key)
            return self._scenarios[key]
        with self.engine.connect() as db:
            data = db.execute(select(versions.c.scenario).where(
                versions.c.workspace_id == wid, versions.c.version == version)).scalar_one_or_none()
        if data is None:
            raise InputError("no such version", None, None, "version", version,
                             "a version in the workspace's history")
        scenario = Scenario.model_validate_json(data)
        self._remember(key, scenario)
        return scenario

    def _remember(self, key: tuple[str, int], scenario: Scenario) -> None:
        self._scenarios[key] = scenario
        while len(self._scenarios) > self._cache:
            self._scenarios.popitem(last=False)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

