"""The store: one SQLite file holding the event log and the read model.

All writes go through ``Store.append`` (one writer: SQLite's IMMEDIATE transactions
serialise appends across processes); the read model is caught up after each commit
and before each read, so it also sees what other processes appended.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Callable, Sequence

from claimgraph.schema.errors import IntegrityError
from claimgraph.schema.events import DomainEvent

from .db import connect, default_path
from .eventlog import AppendResult, EventLog
from .projection import Projection
from .readmodel import ReadModel


@dataclass
class VerifyReport:
    events: int
    checkpoint: int
    lag: int
    digest: str


class Store:
    def __init__(self, path: str | None = None, conn: sqlite3.Connection | None = None):
        self.path = path or default_path()
        self.conn = conn or connect(self.path)
        self.log = EventLog(self.conn)
        self.projection = Projection(self.conn, self.log)
        self.read = ReadModel(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def head(self) -> int:
        return self.log.head()

    def refresh(self) -> int:
        """Bring the read model up to the log head; returns events applied."""
        applied = self.projection.catch_up()
        self.read.at_version(self.projection.checkpoint())
        return applied

    def append(self, events: Sequence[DomainEvent], *, actor: str, reason: str | None = None,
               expected: dict[str, int] | None = None) -> AppendResult:
        result = self.log.append(events, actor=actor, reason=reason, expected=expected)
        self.refresh()
        return result

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        count = self.projection.rebuild(progress=progress)
        self.read.at_version(-1)
        return count

    def verify(self, progress: Callable[[int], None] | None = None) -> VerifyReport:
        """Check the hash chain, then replay the log into a fresh in-memory read model up
        to this one's checkpoint and compare digests. Raises IntegrityError."""
        count = self.log.verify_chain()
        checkpoint = self.projection.checkpoint()
        fresh = Projection(connect(":memory:"), self.log)
        fresh.catch_up(upto=checkpoint, progress=progress)
        mine, theirs = self.projection.digest(), fresh.digest()
        fresh.conn.close()
        if mine != theirs:
            raise IntegrityError(f"read model differs from a fresh replay of the log up to {checkpoint} "
                                 "(run `claimgraph rebuild`)")
        return VerifyReport(count, checkpoint, count - checkpoint, mine)
