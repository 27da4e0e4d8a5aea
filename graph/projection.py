"""The SQLite read model: a projection of the event log into query-friendly tables.

Rows carry the log position that created them (``seq_from``) and, where a later event
ends them, the position that did (``seq_to``). That makes every recorded-time question
("what did we know at position N?") the same query as the current one with another N,
without replaying anything. The checkpoint is written in the same transaction as the
rows of each batch, so a crash neither skips nor repeats an event.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from claimgraph.schema import dates
from claimgraph.schema.text import alias_key
from claimgraph.schema.values import Payload

from .db import transaction
from .eventlog import EventLog, Fault

NAME = "readmodel"
#: bump when the tables change: an older read model is then rebuilt from the log on open
SCHEMA_VERSION = 6

TABLES = {
    "rm_entities": "id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, seq_from INTEGER NOT NULL",
    "rm_external_ids": "entity_id TEXT NOT NULL, scheme TEXT NOT NULL, value TEXT NOT NULL, seq_from INTEGER NOT NULL",
    "rm_aliases": "entity_id TEXT NOT NULL, alias TEXT NOT NULL, key TEXT NOT NULL, lang TEXT NOT NULL,"
                  " is_name INTEGER NOT NULL, seq_from INTEGER NOT NULL",
    # one row per merge: an id merged again later keeps its earlier redirect for as-of questions
    "rm_redirects": "old_id TEXT NOT NULL, new_id TEXT NOT NULL, seq_from INTEGER NOT NULL",
    "rm_sources": "id TEXT NOT NULL, text TEXT NOT NULL, url TEXT, title TEXT, publisher TEXT,"
                  " published TEXT, language TEXT, origin TEXT, seq_from INTEGER NOT NULL",
    "rm_propositions": "id TEXT NOT NULL, subject TEXT NOT NULL, predicate TEXT NOT NULL,"
                       " object_entity TEXT, object TEXT, quantity REAL, unit TEXT, due TEXT, due_end TEXT,"
                       " valid_from TEXT, valid_to TEXT, seq_from INTEGER NOT NULL",
    # subject/predicate/object_entity repeat the proposition's (immutable) so that claim
    # filters and their ordering are answered from one table's indexes
    "rm_claims": "id TEXT NOT NULL, proposition_id TEXT NOT NULL, claimant TEXT NOT NULL,"
                 " subject TEXT NOT NULL, predicate TEXT NOT NULL, object_entity TEXT,"
                 " stated TEXT NOT NULL, channel TEXT NOT NULL, modality TEXT NOT NULL, confidence REAL,"
                 " extractor TEXT, actor TEXT NOT NULL, recorded_at TEXT NOT NULL,"
                 " seq_from INTEGER NOT NULL, seq_to INTEGER, retract_reason TEXT",
    "rm_resolutions": "id TEXT NOT NULL, proposition_id TEXT NOT NULL, verdict TEXT NOT NULL,"
                      " known TEXT NOT NULL, known_start TEXT NOT NULL, actor TEXT NOT NULL,"
                      " recorded_at TEXT NOT NULL, seq_from INTEGER NOT NULL, seq_to INTEGER, retract_reason TEXT",
    "rm_evidence": "owner_id TEXT NOT NULL, source_id TEXT NOT NULL, quote TEXT NOT NULL,"
                   " start INTEGER NOT NULL, end INTEGER NOT NULL, language TEXT, verified INTEGER NOT NULL",
    # events that could not be projected, and the event-retracted event that settled each
    "rm_faults": "seq INTEGER NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL, retracted_by INTEGER,"
                 " retract_reason TEXT",
}

# The keys are unique indexes rather than inline primary keys, so a rebuild can load
# plain tables and index them once at the end (it de-duplicates in memory meanwhile).
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_entities_id ON rm_entities (id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_aliases_pk ON rm_aliases (entity_id, alias, lang)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_external_ids_pk ON rm_external_ids (entity_id, scheme, value)",
    "CREATE INDEX IF NOT EXISTS rm_external_ids_value ON rm_external_ids (scheme, value)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_sources_id ON rm_sources (id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_propositions_id ON rm_propositions (id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_claims_id ON rm_claims (id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_resolutions_id ON rm_resolutions (id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_evidence_owner ON rm_evidence (owner_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_faults_seq ON rm_faults (seq)",
    "CREATE INDEX IF NOT EXISTS rm_aliases_key ON rm_aliases (key)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rm_redirects_pk ON rm_redirects (old_id, seq_from)",
    "CREATE INDEX IF NOT EXISTS rm_redirects_new ON rm_redirects (new_id)",
    "CREATE INDEX IF NOT EXISTS rm_props_subject ON rm_propositions (subject, predicate)",
    "CREATE INDEX IF NOT EXISTS rm_claims_modality ON rm_claims (modality, stated, seq_from)",
    "CREATE INDEX IF NOT EXISTS rm_claims_channel ON rm_claims (channel, stated, seq_from)",
    "CREATE INDEX IF NOT EXISTS rm_claims_claimant ON rm_claims (claimant, stated, seq_from)",
    "CREATE INDEX IF NOT EXISTS rm_claims_subject ON rm_claims (subject, stated, seq_from)",
    "CREATE INDEX IF NOT EXISTS rm_claims_object ON rm_claims (object_entity)",
    "CREATE INDEX IF NOT EXISTS rm_claims_predicate ON rm_claims (predicate, stated, seq_from)",
    "CREATE INDEX IF NOT EXISTS rm_claims_stated ON rm_claims (stated, seq_from)",
    "CREATE INDEX IF NOT EXISTS rm_claims_seq ON rm_claims (seq_from)",
    "CREATE INDEX IF NOT EXISTS rm_resolutions_prop ON rm_resolutions (proposition_id)",
)

#: a read-model row as inserted
Row = tuple[Any, ...]

_INSERTS = {
    "entity": "INSERT OR IGNORE INTO rm_entities VALUES (?,?,?,?)",
    "external_id": "INSERT OR IGNORE INTO rm_external_ids VALUES (?,?,?,?)",
    "alias": "INSERT OR IGNORE INTO rm_aliases VALUES (?,?,?,?,?,?)",
    "source": "INSERT OR IGNORE INTO rm_sources VALUES (?,?,?,?,?,?,?,?,?)",
    "source_from_log": "INSERT OR IGNORE INTO rm_sources SELECT ?, json_extract(e.data, '$.text'), ?, ?, ?, ?, ?, ?, ?"
                       " FROM events e WHERE e.seq = ?",
    "proposition": "INSERT OR IGNORE INTO rm_propositions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    "claim": "INSERT OR IGNORE INTO rm_claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,NULL)",
    "resolution": "INSERT OR IGNORE INTO rm_resolutions VALUES (?,?,?,?,?,?,?,?,NULL,NULL)",
    "evidence": "INSERT OR IGNORE INTO rm_evidence VALUES (?,?,?,?,?,?,?)",
    "fault": "INSERT OR IGNORE INTO rm_faults VALUES (?,?,?,?,?)",
}
_UPDATES = {
    "redirect": "INSERT OR IGNORE INTO rm_redirects VALUES (?,?,?)",
    "retract_claim": "UPDATE rm_claims SET seq_to = ?, retract_reason = ? WHERE id = ? AND seq_to IS NULL",
    "retract_resolution": "UPDATE rm_resolutions SET seq_to = ?, retract_reason = ?"
                          " WHERE id = ? AND seq_to IS NULL",
    "retract_fault": "UPDATE rm_faults SET retracted_by = ?, retract_reason = ? WHERE seq = ? AND retracted_by IS NULL",
}


#: insert kinds that fill the same table share one set of seen keys
_SEEN_AS = {"source_from_log": "source"}


def _key(kind: str, row: Row) -> Any:
    return row[:3] if kind in ("alias", "external_id") else row[0]


class _Batch:
    """Buffers the rows of a batch of events: inserts grouped per statement, then the
    updates in event order. Deferring updates is safe because every update (retraction,
    redirect) concerns a row an earlier event inserted, and no insert depends on an
    update (inserts are INSERT OR IGNORE on content-derived keys).

    ``seen`` is given during a rebuild, when the tables have no unique indexes yet:
    it drops the rows the indexes would have ignored (the first row of a key wins)."""

    def __init__(self, conn: sqlite3.Connection, seen: dict[str, set[Any]] | None = None):
        self.conn = conn
        self.seen = seen
        self.inserts: dict[str, list[Row]] = {k: [] for k in _INSERTS}
        self.updates: list[tuple[str, Row]] = []

    def insert(self, kind: str, row: Row) -> None:
        if self.seen is not None:
            key = _key(kind, row)
            keys = self.seen[_SEEN_AS.get(kind, kind)]
            if key in keys:
                return
            keys.add(key)
        self.inserts[kind].append(row)

    def update(self, kind: str, row: Row) -> None:
        self.updates.append((kind, row))

    def add(self, kind: str, row: Row) -> None:
        if kind in _UPDATES:
            self.update(kind, row)
        else:
            self.insert(kind, row)

    def flush(self, updates: bool = True) -> None:
        for kind, rows in self.inserts.items():
            if rows:
                self.conn.executemany(_INSERTS[kind], rows)
                rows.clear()
        if not updates:
            return
        i = 0
        while i < len(self.updates):  # consecutive updates of one kind go in one executemany
            kind = self.updates[i][0]
            j = i
            while j < len(self.updates) and self.updates[j][0] == kind:
                j += 1
            self.conn.executemany(_UPDATES[kind], [row for _, row in self.updates[i:j]])
            i = j
        self.updates.clear()


def _evidence_row(owner: str, ev: Payload) -> Row:
    return (owner, ev["source_id"], ev["quote"], ev["start"], ev["end"], ev.get("language"),
            1 if ev.get("verified", True) else 0)


#: what a handler emits: (kind, row), a kind of ``_INSERTS`` or ``_UPDATES``
Op = tuple[str, Row]


def _claim_recorded(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    p = d["proposition"]
    obj = p.get("object")
    if obj:
        obj = {k: v for k, v in obj.items() if v is not None}
    due = p.get("due")
    out.append(("proposition", (
        p["id"], p["subject"], p["predicate"], obj.get("entity") if obj else None,
        json.dumps(obj, sort_keys=True, ensure_ascii=False) if obj else None,
        p.get("quantity"), p.get("unit"), due, dates.end_iso(due) if due else None, p.get("valid_from"), p.get("valid_to"),
        seq)))
    origin = d.get("recorded")  # imported: show where it was first recorded
    out.append(("claim", (d["claim_id"], p["id"], d["claimant"], p["subject"], p["predicate"],
                          obj.get("entity") if obj else None, d["stated"], d["channel"],
                          d["modality"], d.get("confidence"), d.get("extractor"),
                          origin["by"] if origin else actor, origin["at"] if origin else recorded_at, seq)))
    out.append(("evidence", _evidence_row(d["claim_id"], d["evidence"])))


def _entity_registered(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    out.append(("entity", (d["entity_id"], d["kind"], d["name"], seq)))
    for scheme, value in sorted((d.get("external_ids") or {}).items()):
        out.append(("external_id", (d["entity_id"], scheme, value, seq)))
    out.append(("alias", (d["entity_id"], d["name"], alias_key(d["name"]), "", 1, seq)))
    for a in d.get("aliases") or ():
        out.append(("alias", (d["entity_id"], a["name"], alias_key(a["name"]), a.get("lang") or "", 0, seq)))


def _entity_aliased(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    out.append(("alias", (d["entity_id"], d["alias"], alias_key(d["alias"]), d.get("lang") or "", 0, seq)))


def _external_id_added(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    out.append(("external_id", (d["entity_id"], d["scheme"], d["value"], seq)))


def _source_registered(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    meta = (d.get("url"), d.get("title"), d.get("publisher"), d.get("published"), d.get("language"),
            d.get("origin"), seq)
    if "text" in d:
        out.append(("source", (d["source_id"], d["text"], *meta)))
    else:  # read without its text: copied from the log inside SQLite (see Projection)
        out.append(("source_from_log", (d["source_id"], *meta, seq)))


def _proposition_resolved(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    origin = d.get("recorded")
    out.append(("resolution", (d["resolution_id"], d["proposition_id"], d["verdict"], d["known"],
                               dates.start_iso(d["known"]), origin["by"] if origin else actor,
                               origin["at"] if origin else recorded_at, seq)))
    out.append(("evidence", _evidence_row(d["resolution_id"], d["evidence"])))


def _entities_merged(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    out.append(("redirect", (d["from_id"], d["into_id"], seq)))


def _claim_retracted(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    out.append(("retract_claim", (seq, d["reason"], d["claim_id"])))


def _resolution_retracted(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    out.append(("retract_resolution", (seq, d["reason"], d["resolution_id"])))


def _event_retracted(out: list[Op], seq: int, d: Payload, actor: str, recorded_at: str) -> None:
    out.append(("retract_fault", (seq, d["reason"], d["seq"])))


Handler = Callable[[list[Op], int, Payload, str, str], None]

#: event type -> the function that turns its payload into read-model rows
HANDLERS: dict[str, Handler] = {
    "claim-recorded": _claim_recorded,
    "entity-registered": _entity_registered,
    "entity-aliased": _entity_aliased,
    "external-id-added": _external_id_added,
    "source-registered": _source_registered,
    "proposition-resolved": _proposition_resolved,
    "entities-merged": _entities_merged,
    "claim-retracted": _claim_retracted,
    "resolution-retracted": _resolution_retracted,
    "event-retracted": _event_retracted,
}

log = logging.getLogger("claimgraph.projection")
#: what SQLite raises for a value its tables refuse (not for a busy or broken database)
_TABLE_ERRORS = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError, OverflowError)


def _apply(batch: _Batch, seq: int, type_: str, d: Payload, actor: str, recorded_at: str) -> None:
    """The rows of one event into the batch; an event that cannot be projected (a payload
    an older version let into the log) becomes a fault row instead, with none of its rows."""
    out: list[Op] = []
    try:
        HANDLERS[type_](out, seq, d, actor, recorded_at)
    except Exception as e:  # noqa: BLE001 - any failure of one event must not stop the others
        _fault(batch, Fault(seq, type_, f"{type(e).__name__}: {e}"[:500]))
        return
    for kind, row in out:
        batch.add(kind, row)


def _fault(batch: _Batch, fault: Fault) -> None:
    log.warning("event %s (%s) cannot be projected: %s", fault.seq, fault.type, fault.reason)
    batch.add("fault", (fault.seq, fault.type, fault.reason, None, None))


def _replay(batch: _Batch, events: Iterable[tuple[int, str, Payload, str, str]], faults: list[Fault]) -> int:
    """Apply events to the batch (faults of unreadable events included, in order); returns
    how many events were read."""
    count = 0
    for seq, type_, data, actor, recorded_at in events:
        while faults:
            _fault(batch, faults.pop(0))
        _apply(batch, seq, type_, data, actor, recorded_at)
        count += 1
    while faults:
        _fault(batch, faults.pop(0))
        count += 1
    return count


class Projection:
    """Keeps the read-model tables in ``conn`` up to date with ``log``."""

    def __init__(self, conn: sqlite3.Connection, log: EventLog):
        self.conn, self.log = conn, log
        conn.execute("CREATE TABLE IF NOT EXISTS rm_checkpoint (name TEXT PRIMARY KEY, seq INTEGER NOT NULL)")
        row = conn.execute("SELECT seq FROM rm_checkpoint WHERE name = 'schema-version'").fetchone()
        if row is None and self.checkpoint() == 0:  # nothing projected yet: just stamp it
            self._create()
            conn.execute("INSERT OR REPLACE INTO rm_checkpoint VALUES ('schema-version', ?)", (SCHEMA_VERSION,))
        elif row is None or row[0] != SCHEMA_VERSION:
            self.rebuild()
        else:
            self._create()

    def _create(self, indexes: bool = True) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS rm_checkpoint (name TEXT PRIMARY KEY, seq INTEGER NOT NULL)")
        for table, cols in TABLES.items():
            # rowid tables: rows append in log order; the text keys live in small indexes
            self.conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")
        if indexes:
            for ddl in INDEXES:
                self.conn.execute(ddl)

    def checkpoint(self) -> int:
        row = self.conn.execute("SELECT seq FROM rm_checkpoint WHERE name = ?", (NAME,)).fetchone()
        return row[0] if row else 0

    def catch_up(self, upto: int | None = None, batch_size: int = 5000,
                 progress: Callable[[int], None] | None = None) -> int:
        """Apply events after the checkpoint (up to ``upto``); returns how many."""
        applied = 0
        while True:
            start = self.checkpoint()
            limit = upto if upto is not None else self.log.head()
            if start >= limit:
                return applied
            end = min(limit, start + batch_size)
            try:
                count = self._apply_range(start, end, batch_size)
            except _TABLE_ERRORS as e:  # a payload its handler took but the tables refuse
                if end - start > 1:  # find the event: the same range, one event per transaction
                    count = self.catch_up(upto=end, batch_size=1)
                else:
                    count = self._record_fault(end, e)
            applied += count
            if progress:
                progress(count)

    def _apply_range(self, start: int, end: int, batch_size: int) -> int:
        with transaction(self.conn):
            if self.checkpoint() != start:  # another process moved it meanwhile
                return 0
            batch = _Batch(self.conn)
            faults: list[Fault] = []
            count = _replay(batch, self._read(start, end, batch_size, faults), faults)
            batch.flush()
            self.conn.execute("INSERT OR REPLACE INTO rm_checkpoint VALUES (?, ?)", (NAME, end))
        return count

    def _record_fault(self, seq: int, error: Exception) -> int:
        stored = self.log.get(seq)
        with transaction(self.conn):
            batch = _Batch(self.conn)
            _fault(batch, Fault(seq, stored.type if stored else "?", f"{type(error).__name__}: {error}"[:500]))
            batch.flush()
            self.conn.execute("INSERT OR REPLACE INTO rm_checkpoint VALUES (?, ?)", (NAME, seq))
        return 1

    def rebuild(self, progress: Callable[[int], None] | None = None, batch_size: int = 20000) -> int:
        """Drop every read-model table and replay the whole log, in one transaction: a
        crash leaves the old read model as it was. Rows are loaded into bare tables and
        indexed once at the end; retractions and redirects are applied after that. A log
        holding an event the tables refuse is replayed event by event instead."""
        try:
            return self._rebuild_bulk(progress, batch_size)
        except _TABLE_ERRORS as e:
            log.warning("bulk rebuild stopped (%s); replaying event by event", e)
        with transaction(self.conn):
            self._drop()
            self._create()
            self.conn.execute("INSERT OR REPLACE INTO rm_checkpoint VALUES (?, 0)", (NAME,))
            self.conn.execute("INSERT OR REPLACE INTO rm_checkpoint VALUES ('schema-version', ?)", (SCHEMA_VERSION,))
        return self.catch_up(progress=progress)

    def _read(self, after: int, upto: int, batch_size: int,
              faults: list[Fault]) -> Iterable[tuple[int, str, Payload, str, str]]:
        """The log's payloads; sharing the log's database, sources come without their text,
        which SQLite copies into rm_sources itself (a large source never passes through
        Python here)."""
        return self.log.read_payloads(after, upto, batch_size, faults, source_text=self.conn is not self.log.conn)

    def _drop(self) -> None:
        for table in TABLES:
            self.conn.execute(f"DROP TABLE IF EXISTS {table}")

    def _rebuild_bulk(self, progress: Callable[[int], None] | None, batch_size: int) -> int:
        conn = self.conn
        with transaction(conn):
            self._drop()
            self._create(indexes=False)
            seen: dict[str, set[Any]] = {kind: set() for kind in _INSERTS}
            batch = _Batch(conn, seen)
            head = self.log.head()
            count = 0
            faults: list[Fault] = []
            events = self._read(0, head, batch_size, faults)
            while True:
                chunk = _replay(batch, itertools.islice(events, batch_size), faults)
                if not chunk:
                    break
                count += chunk
                batch.flush(updates=False)
                if progress:
                    progress(chunk)
            seen.clear()
            for ddl in INDEXES:
                conn.execute(ddl)
            batch.flush()
            conn.execute("INSERT OR REPLACE INTO rm_checkpoint VALUES (?, ?)", (NAME, head))
            conn.execute("INSERT OR REPLACE INTO rm_checkpoint VALUES ('schema-version', ?)", (SCHEMA_VERSION,))
        return count

    def faults(self) -> list[tuple[int, str, str, int | None, str | None]]:
        """(seq, type, reason, retracted_by, retract_reason) of every event that could not
        be projected."""
        return list(self.conn.execute("SELECT * FROM rm_faults ORDER BY seq"))

    def digest(self) -> str:
        """SHA-256 over every read-model row in key order: equal digests, equal models."""
        h = hashlib.sha256()
        for table in TABLES:
            h.update(table.encode())
            for row in self.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3"):
                h.update(json.dumps(row, ensure_ascii=False).encode())
        return h.hexdigest()
