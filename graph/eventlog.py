"""The append-only, hash-chained event log in SQLite.

One table, ``events``: a global position ``seq``, a per-stream version (expected-version
checks raise ``ConcurrencyError``), an event id derived from the event's content (so an
append of a known event adds no row and returns the existing position), the actor and
reason, a monotonic ``recorded_at``, and ``prev_hash``/``hash`` chaining every row to the
one before. Triggers refuse UPDATE and DELETE; the chain catches anyone who bypasses them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson

from claimgraph.schema.errors import ConcurrencyError, IntegrityError
from claimgraph.schema.events import EVENT_TYPES, DomainEvent, Payload, to_event, upcast

from .db import transaction

GENESIS = "0" * 64
_sha256 = hashlib.sha256
_loads = orjson.loads
_VERSIONS = {name: cls.VERSION for name, cls in EVENT_TYPES.items()}

DDL = """
CREATE TABLE IF NOT EXISTS events (
    seq            INTEGER PRIMARY KEY,
    event_id       TEXT NOT NULL UNIQUE,
    stream_id      TEXT NOT NULL,
    stream_version INTEGER NOT NULL,
    type           TEXT NOT NULL,
    version        INTEGER NOT NULL,
    data           TEXT NOT NULL,
    actor          TEXT NOT NULL,
    reason         TEXT,
    recorded_at    TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_recorded_at ON events (recorded_at);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
"""

_INSERT = ("INSERT INTO events (seq, event_id, stream_id, stream_version, type, version, data, actor,"
           " reason, recorded_at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
_COLUMNS = "seq, event_id, stream_id, stream_version, type, version, data, actor, reason, recorded_at, prev_hash, hash"


def event_hash(prev_hash: str, seq: int, event_id: str, stream_id: str, stream_version: int,
               type_: str, version: int, data: str, actor: str, reason: str | None,
               recorded_at: str) -> str:
    material = (f"{prev_hash}\x1f{seq}\x1f{event_id}\x1f{stream_id}\x1f{stream_version}\x1f{type_}"
                f"\x1f{version}\x1f{actor}\x1f{reason or ''}\x1f{recorded_at}\x1f{data}")
    return _sha256(material.encode()).hexdigest()


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(slots=True)
class StoredEvent:
    seq: int
    event_id: str
    stream_id: str
    stream_version: int
    type: str
    version: int
    data: Payload
    actor: str
    reason: str | None
    recorded_at: str
    prev_hash: str
    hash: str

    def event(self) -> DomainEvent:
        """The validated domain event (payload already upcast)."""
        return to_event(self.type, self.version, self.data)

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "id": self.event_id, "stream": self.stream_id,
                "streamVersion": self.stream_version, "type": self.type, "version": self.version,
                "recordedAt": self.recorded_at, "actor": self.actor, "reason": self.reason,
                "data": self.data, "prevHash": self.prev_hash, "hash": self.hash}


@dataclass
class AppendResult:
    appended: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)


def _row_to_event(row: tuple[Any, ...]) -> StoredEvent:
    seq, eid, stream, sv, type_, version, data, actor, reason, rec, prev, h = row
    current = EVENT_TYPES[type_].VERSION
    payload = json.loads(data)
    if version != current:
        payload = upcast(type_, version, payload)
    return StoredEvent(seq, eid, stream, sv, type_, current, payload, actor, reason, rec, prev, h)


class EventLog:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        conn.executescript(DDL)

    # -- writing ------------------------------------------------------------------
    def append(self, events: Sequence[DomainEvent], *, actor: str, reason: str | None = None,
               expected: dict[str, int] | None = None) -> AppendResult:
        """Append in one transaction. ``expected`` maps stream id -> the version the stream
        must be at before this append (0: must not exist yet)."""
        rows = [(e.event_id(), e.stream_id(), e.TYPE, e.VERSION, e.model_dump_json(exclude_none=True))
                for e in events]
        return self.append_raw(rows, actor=actor, reason=reason, expected=expected)

    def append_raw(self, rows: Sequence[tuple[str, str, str, int, str]], *, actor: str,
                   reason: str | None = None, expected: dict[str, int] | None = None) -> AppendResult:
        """Append already-validated (event_id, stream_id, type, version, json) rows."""
        result = AppendResult()
        conn = self.conn
        with transaction(conn):
            streams = {r[1] for r in rows} | set(expected or ())
            existing, versions = self._streams(streams)
            for stream, want in (expected or {}).items():
                have = versions.get(stream, 0)
                if have != want:
                    raise ConcurrencyError(
                        f"stream {stream} is at version {have}, expected {want}: it changed meanwhile")
            seq, prev_hash, last_time = self._head_row()
            now = utc_now()
            recorded_at = now if last_time is None or now > last_time else last_time
            out = []
            for event_id, stream, type_, version, data in rows:
                if event_id in existing:
                    result.duplicates.append(existing[event_id])
                    continue
                seq += 1
                sv = versions.get(stream, 0) + 1
                versions[stream] = sv
                h = event_hash(prev_hash, seq, event_id, stream, sv, type_, version, data, actor,
                               reason, recorded_at)
                out.append((seq, event_id, stream, sv, type_, version, data, actor, reason,
                            recorded_at, prev_hash, h))
                existing[event_id] = seq
                result.appended.append(seq)
                prev_hash = h
            conn.executemany(_INSERT, out)
        return result

    def _streams(self, streams: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
        """The event ids (-> seq) already in these streams, and each stream's version.

        An event id is derived from a key that includes its stream, so looking in the
        streams finds every duplicate with one indexed query per chunk."""
        streams = list(streams)
        ids: dict[str, int] = {}
        versions: dict[str, int] = {}
        for i in range(0, len(streams), 500):
            chunk = streams[i:i + 500]
            q = (f"SELECT stream_id, stream_version, event_id, seq FROM events WHERE stream_id IN "
                 f"({','.join('?' * len(chunk))})")
            for stream, version, event_id, seq in self.conn.execute(q, chunk):
                ids[event_id] = seq
                if version > versions.get(stream, 0):
                    versions[stream] = version
        return ids, versions

    def _head_row(self) -> tuple[int, str, str | None]:
        row = self.conn.execute("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return row if row else (0, GENESIS, None)

    # -- reading ------------------------------------------------------------------
    def head(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])

    def read(self, after: int = 0, upto: int | None = None, batch: int = 2000,
             raw: bool = False) -> Iterator[StoredEvent]:
        """Events with ``after < seq <= upto`` in order, fetched ``batch`` rows at a time
        (the log is never loaded whole)."""
        position = after
        limit = upto if upto is not None else -1
        while True:
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} FROM events WHERE seq > ? AND (? < 0 OR seq <= ?) ORDER BY seq LIMIT ?",
                (position, limit, limit, batch)).fetchall()
            if not rows:
                return
            for row in rows:
                yield _row_to_event(row)
            position = rows[-1][0]

    def read_payloads(self, after: int, upto: int, batch: int = 5000) -> Iterator[tuple[int, str, Payload, str, str]]:
        """(seq, type, upcast payload, actor, recorded_at) for ``after < seq <= upto``:
        the lean form projections replay from."""
        position = after
        while position < upto:
            rows = self.conn.execute(
                "SELECT seq, type, version, data, actor, recorded_at FROM events"
                " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?", (position, upto, batch)).fetchall()
            if not rows:
                return
            for seq, type_, version, data, actor, recorded_at in rows:
                payload = _loads(data)
                if version != _VERSIONS[type_]:
                    payload = upcast(type_, version, payload)
                yield seq, type_, payload, actor, recorded_at
            position = rows[-1][0]

    def get(self, seq: int) -> StoredEvent | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM events WHERE seq = ?", (seq,)).fetchone()
        return _row_to_event(row) if row else None

    def stream(self, stream_id: str) -> list[StoredEvent]:
        rows = self.conn.execute(f"SELECT {_COLUMNS} FROM events WHERE stream_id = ? ORDER BY seq",
                                 (stream_id,)).fetchall()
        return [_row_to_event(r) for r in rows]

    def seq_at(self, time: str) -> int:
        """The last position recorded at or before ``time`` (ISO 8601, UTC)."""
        stamp = _normalise_time(time)
        row = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events WHERE recorded_at <= ?",
                                (stamp,)).fetchone()
        return int(row[0])

    def verify_chain(self, batch: int = 5000) -> int:
        """Recompute every hash; raises IntegrityError naming the first bad position."""
        prev, expected_seq, position = GENESIS, 1, 0
        while True:
            rows = self.conn.execute(f"SELECT {_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                     (position, batch)).fetchall()
            if not rows:
                return expected_seq - 1
            for seq, eid, stream, sv, type_, version, data, actor, reason, rec, prev_hash, h in rows:
                if seq != expected_seq:
                    raise IntegrityError(f"event log: position {expected_seq} is missing (next is {seq})")
                if prev_hash != prev:
                    raise IntegrityError(f"event log: event {seq} does not link to event {seq - 1} (prev_hash differs)")
                if event_hash(prev_hash, seq, eid, stream, sv, type_, version, data, actor, reason, rec) != h:
                    raise IntegrityError(f"event log: event {seq} was altered (its hash does not match its content)")
                prev, expected_seq = h, seq + 1
            position = rows[-1][0]


def _normalise_time(value: str) -> str:
    """ISO 8601 in any offset (or a bare date) -> the log's UTC stamp format."""
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a time: {value!r} (use ISO 8601, e.g. 2025-01-02T12:00:00Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    if len(text) == 10:  # a bare date means the end of that day
        moment = moment + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
