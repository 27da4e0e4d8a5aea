"""The store: one SQLite file holding the event log and the read model.

All writes go through ``Store.append`` (one writer: SQLite's IMMEDIATE transactions
serialise appends across processes); the read model is caught up after each commit
and before each read, so it also sees what other processes appended.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimgraph.schema.errors import IntegrityError

from .db import connect, default_path
from .eventlog import AppendResult, EventLog
from .logkey import LogKey
from .projection import Projection
from .readmodel import ReadModel
from .verify import check_evidence

if TYPE_CHECKING:
    from claimgraph.schema.events import DomainEvent


@dataclass
class VerifyReport:
    events: int
    checkpoint: int
    lag: int
    digest: str
    head_hash: str
    quotes: int  # quotes re-located in their sources
    keyed_from: int | None  # first position with an authentication code, if keyed
    authenticated: bool  # the codes were checked with the key
    #: events that could not be projected: (seq, type, reason, retracted_by, retract_reason)
    faults: list[tuple[int, str, str, int | None, str | None]]

    @property
    def open_faults(self) -> list[tuple[int, str, str, int | None, str | None]]:
        return [f for f in self.faults if f[3] is None]


class Store:
    def __init__(self, path: str | None = None, conn: sqlite3.Connection | None = None,
                 key: LogKey | None = None):
        self.path = path or default_path()
        self.conn = conn or connect(self.path)
        self.log = EventLog(self.conn, key if key is not None else LogKey.from_env())
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

    def verify(self, progress: Callable[[int], None] | None = None,
               expect_head: str | None = None) -> VerifyReport:
        """Check the hash chain (and with the log key its authentication codes), that every
        quote is where its offsets say in its source, that ``expect_head`` (a published
        ``hash`` or ``seq:hash``) is still in the chain, and that the read model equals a
        fresh replay of the log up to its checkpoint. Raises IntegrityError."""
        chain = self.log.verify_chain()
        if expect_head is not None:
            self._check_head(expect_head)
        faults = self.projection.faults()
        quotes = check_evidence(self.log, skip={f[0] for f in faults})
        checkpoint = self.projection.checkpoint()
        fresh = Projection(connect(":memory:"), self.log)
        fresh.catch_up(upto=checkpoint, progress=progress)
        mine, theirs = self.projection.digest(), fresh.digest()
        fresh.conn.close()
        if mine != theirs:
            raise IntegrityError(f"read model differs from a fresh replay of the log up to {checkpoint} "
                                 "(run `claimgraph rebuild`)")
        return VerifyReport(chain.events, checkpoint, chain.events - checkpoint, mine, chain.head_hash, quotes,
                            chain.keyed_from, chain.authenticated, faults)

    def _check_head(self, expected: str) -> None:
        seq_text, _, digest = expected.strip().rpartition(":")
        if seq_text:
            if not seq_text.isdigit():
                raise IntegrityError(f"not a published head: {expected!r} (use HASH or SEQ:HASH)")
            found = self.log.hash_at(int(seq_text))
            ok = found == digest
        else:
            ok = self.conn.execute("SELECT 1 FROM events WHERE hash = ?", (digest,)).fetchone() is not None
        if not ok:
            raise IntegrityError(f"the log does not contain the published head {expected}: it was rewritten "
                                 "or cut short since")
