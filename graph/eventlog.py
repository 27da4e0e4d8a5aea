"""The append-only, hash-chained event log in SQLite.

One table, ``events``: a global position ``seq``, a per-stream version (expected-version
checks raise ``ConcurrencyError``), an event id derived from the event's content (so an
append of a known event adds no row and returns the existing position), the actor and
reason, a monotonic ``recorded_at``, and ``prev_hash``/``hash`` chaining every row to the
one before. Triggers refuse UPDATE and DELETE; the chain catches anyone who bypasses them,
and with a log key (see ``logkey``) each row's ``mac`` makes it a chain that only the
key's holder can recompute.

Nothing enters the log that cannot be read back: every payload must parse again as JSON
before it is written. Readers never crash on an event an older version let through:
``read_payloads`` hands such events over as faults.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from claimgraph.schema.errors import ConcurrencyError, InputError, IntegrityError
from claimgraph.schema.values import Payload
from claimgraph.schema.versions import EVENT_VERSIONS, upcast

from .db import transaction
from .logkey import LogKey, LogKeyError

if TYPE_CHECKING:  # the event classes are built only by those who write
    from claimgraph.schema.events import DomainEvent

GENESIS = "0" * 64
_sha256 = hashlib.sha256
_loads = orjson.loads
_VERSIONS = EVENT_VERSIONS

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
    mac            TEXT,
    UNIQUE (stream_id, stream_version)
);
CREATE TABLE IF NOT EXISTS log_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_recorded_at ON events (recorded_at);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
"""

# the data arrives as UTF-8 bytes and is stored as text (SQLite converts, Python keeps no copy)
_INSERT = ("INSERT INTO events (seq, event_id, stream_id, stream_version, type, version, data, actor,"
           " reason, recorded_at, prev_hash, hash, mac) VALUES (?,?,?,?,?,?,CAST(? AS TEXT),?,?,?,?,?,?)")
_COLUMNS = "seq, event_id, stream_id, stream_version, type, version, data, actor, reason, recorded_at, prev_hash, hash"
_COLUMNS_DATA_AS_BYTES = _COLUMNS.replace("data", "CAST(data AS BLOB)")


def material_prefix(prev_hash: str, seq: int, event_id: str, stream_id: str, stream_version: int,
                    type_: str, version: int, actor: str, reason: str | None, recorded_at: str) -> bytes:
    """What an event's hash (and authentication code) covers, but its data: every column,
    and the hash of the event before it. The data (UTF-8 JSON) follows it; the two are
    hashed one after the other, so a large payload is never copied to be hashed."""
    return (f"{prev_hash}\x1f{seq}\x1f{event_id}\x1f{stream_id}\x1f{stream_version}\x1f{type_}"
            f"\x1f{version}\x1f{actor}\x1f{reason or ''}\x1f{recorded_at}\x1f").encode()


def _digest(prefix: bytes, data: bytes) -> str:
    h = _sha256(prefix)
    h.update(data)
    return h.hexdigest()


def event_hash(prev_hash: str, seq: int, event_id: str, stream_id: str, stream_version: int,
               type_: str, version: int, data: str, actor: str, reason: str | None,
               recorded_at: str) -> str:
    prefix = material_prefix(prev_hash, seq, event_id, stream_id, stream_version, type_, version, actor,
                             reason, recorded_at)
    return _digest(prefix, data.encode())


def _keyed_from_material(seq: int) -> str:
    return f"claimgraph log keyed from\x1f{seq}"


@dataclass(frozen=True)
class Fault:
    """An event in the log that a reader could not use, and why."""
    seq: int
    type: str
    reason: str


@dataclass(frozen=True)
class ChainReport:
    """What ``verify_chain`` established."""
    events: int
    head_hash: str
    keyed_from: int | None  # first authenticated position, if the log is keyed
    authenticated: bool  # the codes were checked (a key was given)


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
        from claimgraph.schema.events import to_event

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
    """A stored row as an event; a payload that does not read or upcast is kept as it is
    stored (version unchanged) so that listing the log never fails."""
    seq, eid, stream, sv, type_, version, data, actor, reason, rec, prev, h = row[:12]
    try:
        payload = json.loads(data)
        current = EVENT_VERSIONS[type_]
        if version != current:
            payload, version = upcast(type_, version, payload), current
    except (ValueError, KeyError, TypeError) as e:
        payload = {"unreadable": f"{type(e).__name__}: {e}"[:300]}
    return StoredEvent(seq, eid, stream, sv, type_, version, payload, actor, reason, rec, prev, h)


def _storable(type_: str, data: bytes) -> None:
    """Refuse a payload that would not read back (the projections parse it with orjson).
    A source's payload holds only text (which its serializer always writes as valid JSON),
    so its possibly large text is not parsed again."""
    if type_ == "source-registered":
        return
    try:
        _loads(data)
    except orjson.JSONDecodeError as e:
        raise InputError(f"a {type_} event cannot be stored: its data does not read back ({e})") from None


class EventLog:
    def __init__(self, conn: sqlite3.Connection, key: LogKey | None = None):
        self.conn = conn
        self.key = key
        conn.executescript(DDL)
        columns = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
        if "mac" not in columns:  # a log written before authentication codes existed
            conn.execute("ALTER TABLE events ADD COLUMN mac TEXT")

    # -- the key --------------------------------------------------------------------
    def keyed_from(self) -> int | None:
        """The first position carrying an authentication code, if the log is keyed."""
        row = self.conn.execute("SELECT value FROM log_meta WHERE name = 'keyed_from'").fetchone()
        return int(row[0]) if row else None

    def _check_key(self) -> int | None:
        """The keyed-from position after making sure this log's key is the one given."""
        keyed_from = self.keyed_from()
        if keyed_from is None:
            return None
        if self.key is None:
            raise LogKeyError("this log is signed with a key: set CLAIMGRAPH_LOG_KEY (or CLAIMGRAPH_LOG_KEY_FILE)")
        row = self.conn.execute("SELECT value FROM log_meta WHERE name = 'keyed_from_mac'").fetchone()
        if not self.key.matches(_keyed_from_material(keyed_from), row[0] if row else None):
            raise LogKeyError("the log key given is not the one this log was signed with")
        return keyed_from

    # -- writing ------------------------------------------------------------------
    def append(self, events: Sequence[DomainEvent], *, actor: str, reason: str | None = None,
               expected: dict[str, int] | None = None) -> AppendResult:
        """Append in one transaction. ``expected`` maps stream id -> the version the stream
        must be at before this append (0: must not exist yet)."""
        from pydantic_core import PydanticSerializationError

        try:
            rows = [(e.event_id(), e.stream_id(), e.TYPE, e.VERSION,
                     e.__pydantic_serializer__.to_json(e, exclude_none=True)) for e in events]
        except PydanticSerializationError as e:  # e.g. text with an unpaired surrogate
            raise InputError(f"an event cannot be stored: {e}") from None
        return self.append_raw(rows, actor=actor, reason=reason, expected=expected)

    def append_raw(self, rows: Sequence[tuple[str, str, str, int, str | bytes]], *, actor: str,
                   reason: str | None = None, expected: dict[str, int] | None = None) -> AppendResult:
        """Append already-validated (event_id, stream_id, type, version, json) rows."""
        encoded = [(i, s, t, v, d.encode() if isinstance(d, str) else d) for i, s, t, v, d in rows]
        for _, _, type_, _, data in encoded:
            _storable(type_, data)
        result = AppendResult()
        conn = self.conn
        with transaction(conn):
            keyed = self._check_key() is not None or self.key is not None
            streams = {r[1] for r in encoded} | set(expected or ())
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
            for event_id, stream, type_, version, data in encoded:
                if event_id in existing:
                    result.duplicates.append(existing[event_id])
                    continue
                seq += 1
                sv = versions.get(stream, 0) + 1
                versions[stream] = sv
                prefix = material_prefix(prev_hash, seq, event_id, stream, sv, type_, version, actor, reason,
                                         recorded_at)
                h = _digest(prefix, data)
                mac = self.key.mac_parts(prefix, data) if keyed and self.key is not None else None
                out.append((seq, event_id, stream, sv, type_, version, data, actor, reason,
                            recorded_at, prev_hash, h, mac))
                existing[event_id] = seq
                result.appended.append(seq)
                prev_hash = h
            conn.executemany(_INSERT, out)
            if out and self.key is not None and self.keyed_from() is None:
                first = out[0][0]
                conn.executemany("INSERT INTO log_meta VALUES (?, ?)", [
                    ("keyed_from", str(first)), ("keyed_from_mac", self.key.mac(_keyed_from_material(first)))])
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

    def read_payloads(self, after: int, upto: int, batch: int = 5000, faults: list[Fault] | None = None,
                      source_text: bool = True) -> Iterator[tuple[int, str, Payload, str, str]]:
        """(seq, type, upcast payload, actor, recorded_at) for ``after < seq <= upto``:
        the lean form projections replay from. An event whose payload does not read (or
        upcast) is added to ``faults`` and skipped; without a list, it raises. With
        ``source_text=False`` a source's payload comes without its text (a projection on
        the log's own database copies the text inside SQLite instead of through Python)."""
        column = "CAST(data AS BLOB)" if source_text else \
            ("CAST(CASE WHEN type = 'source-registered' AND version = 1 AND json_valid(data)"
             " THEN json_remove(data, '$.text') ELSE data END AS BLOB)")
        position = after
        while position < upto:
            rows = self.conn.execute(
                f"SELECT seq, type, version, {column}, actor, recorded_at FROM events"
                " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?", (position, upto, batch)).fetchall()
            if not rows:
                return
            for seq, type_, version, data, actor, recorded_at in rows:
                try:
                    payload = _loads(data)
                    if version != _VERSIONS[type_]:
                        payload = upcast(type_, version, payload)
                except (ValueError, KeyError, TypeError) as e:
                    if faults is None:
                        raise
                    faults.append(Fault(seq, type_, f"unreadable: {type(e).__name__}: {e}"[:500]))
                    continue
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

    def head_hash(self) -> tuple[int, str]:
        """The newest position and its hash (what to publish so that a later rewrite or
        truncation of the log shows)."""
        seq, h, _ = self._head_row()
        return seq, h

    def hash_at(self, seq: int) -> str | None:
        row = self.conn.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
        return str(row[0]) if row else None

    def verify_chain(self, batch: int = 5000) -> ChainReport:
        """Recompute every hash, and with the key every authentication code; raises
        IntegrityError naming the first bad position (LogKeyError for a wrong key)."""
        keyed_from = self._check_key() if self.key is not None else self.keyed_from()
        if self.key is not None and keyed_from is None and self.head():
            raise IntegrityError("event log: a log key is set but the log carries no authentication codes")
        prev, expected_seq, position = GENESIS, 1, 0
        while True:
            rows = self.conn.execute(f"SELECT {_COLUMNS_DATA_AS_BYTES}, mac FROM events WHERE seq > ? ORDER BY seq"
                                     " LIMIT ?", (position, batch)).fetchall()
            if not rows:
                return ChainReport(expected_seq - 1, prev, keyed_from, self.key is not None)
            for seq, eid, stream, sv, type_, version, data, actor, reason, rec, prev_hash, h, mac in rows:
                if seq != expected_seq:
                    raise IntegrityError(f"event log: position {expected_seq} is missing (next is {seq})")
                if prev_hash != prev:
                    raise IntegrityError(f"event log: event {seq} does not link to event {seq - 1} (prev_hash differs)")
                prefix = material_prefix(prev_hash, seq, eid, stream, sv, type_, version, actor, reason, rec)
                if _digest(prefix, data) != h:
                    raise IntegrityError(f"event log: event {seq} was altered (its hash does not match its content)")
                if self.key is not None and keyed_from is not None and seq >= keyed_from \
                        and not self.key.matches_parts(prefix, data, mac):
                    raise IntegrityError(f"event log: event {seq} was rewritten (its authentication code does not "
                                         "match: the chain was recomputed without the key)")
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
