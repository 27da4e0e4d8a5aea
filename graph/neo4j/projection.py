"""The Neo4j projection: the claim graph as Neo4j Browser shows it.

Fed from the event log only. Each batch of events becomes a handful of ``UNWIND``
statements with parameters (the Cypher text never contains data), run in one
transaction together with the checkpoint, so a crash or a kill neither skips nor
repeats an event; the transaction first checks that the checkpoint is still where this
sync left it, and the claims' unique constraint turns any replay into an error rather
than a duplicate. While Neo4j writes one batch the next is read from the log and turned
into rows, so the two sides work at the same time; at most two batches are in memory.

Statuses are those of the read model at the day of the sync (``statusAt``): each sync
also re-evaluates the propositions whose status could have changed since (``recheck``),
so a promise turns overdue without a new event.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from claimgraph.graph.eventlog import EventLog, Fault
from claimgraph.schema import dates
from claimgraph.schema.promises import SETTLEMENTS, Revision, chain
from claimgraph.schema.values import is_promise

from . import statements as q
from .connection import Neo4jConflict, Neo4jMismatch
from .rows import HANDLERS, Batch, BatchBuilder, Handler, Names, hop_row, proposition_text, texts

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction, Session

#: ids per statement when a merge rewrites the claims that name the merged entity
MERGE_CHUNK = 2000


class Neo4jProjection:
    """Brings a Neo4j database up to date with an event log."""

    def __init__(self, driver: Driver | None, log: EventLog | None, database: str = "neo4j"):
        self.driver, self.log, self.database = driver, log, database
        self.builder = BatchBuilder(Names())

    @property
    def redirects(self) -> dict[str, str]:
        return self.builder.redirects

    # -- state --------------------------------------------------------------------
    def _session(self) -> Session:
        assert self.driver is not None
        return self.driver.session(database=self.database)

    def _log(self) -> EventLog:
        assert self.log is not None
        return self.log

    def ensure_schema(self) -> None:
        """Constraints and indexes (before the first write)."""
        with self._session() as s:
            for statement in q.SCHEMA:
                s.run(statement).consume()

    def checkpoint(self) -> dict[str, Any]:
        with self._session() as s:
            rec = s.run(q.CHECKPOINT_GET, name=q.CHECKPOINT).single()
        return {"seq": rec["seq"], "hash": rec["hash"], "logId": rec["logId"], "statusAt": rec["statusAt"]} \
            if rec else {"seq": 0, "hash": None, "logId": None, "statusAt": None}

    def checked_checkpoint(self) -> dict[str, Any]:
        """The checkpoint, after making sure it belongs to this log; raises Neo4jMismatch
        for the projection of another log or of a log that has since been replaced."""
        cp = self.checkpoint()
        log = self._log()
        if cp["seq"]:
            mine = log.get(cp["seq"])
            if cp["logId"] != self.log_id() or mine is None or mine.hash != cp["hash"]:
                ahead = f" (its checkpoint {cp['seq']} is beyond this log's head {log.head()})" \
                    if mine is None else f" (its checkpoint {cp['seq']} does not match this log)"
                raise Neo4jMismatch(f"Neo4j holds a projection of another log{ahead}; run "
                                    "`claimgraph neo4j sync --rebuild` to replace it")
        return cp

    def log_id(self) -> str | None:
        first = self._log().get(1)
        return first.hash if first else None

    def lag(self) -> int:
        return self._log().head() - int(self.checkpoint()["seq"])

    def _load_redirects(self) -> None:
        with self._session() as s:
            self.builder.reset({old: rec["id"] for rec in s.run(q.REDIRECTS) for old in rec["merged"]})

    # -- wiping -------------------------------------------------------------------
    def wipe(self) -> None:
        """Delete every node this projection made (in batches) and its checkpoint."""
        with self._session() as s:
            for statement in q.WIPE:
                s.run(statement).consume()
        self.builder.reset({})

    # -- syncing ------------------------------------------------------------------
    def sync(self, batch_size: int = 5000, rebuild: bool = False,
             progress: Callable[[int], None] | None = None, upto: int | None = None,
             today: dt.date | None = None) -> int:
        """Apply the log from the checkpoint on (up to ``upto``) and bring statuses to
        ``today`` (default: the current date); returns events applied."""
        if rebuild:
            self.wipe()
        self.ensure_schema()
        cp = self.checked_checkpoint()
        log = self._log()
        log_id = self.log_id()
        day = (today or dt.date.today()).isoformat()
        self._load_redirects()
        head = log.head() if upto is None else min(upto, log.head())
        position, applied = int(cp["seq"]), 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-write") as writer, \
                self._session() as reader:
            pending: Future[int] | None = None

            def lookup(ids: list[str]) -> dict[str, str | None]:
                return {r["id"]: r["name"] for r in reader.run(q.KNOWN, ids=ids)}

            while position < head:
                end = min(head, position + batch_size)
                faults: list[Fault] = []  # events that do not read are skipped (verify reports them)
                batch = self.builder.build(position, end, log.read_payloads(position, end, batch_size, faults),
                                           lookup, day)
                stored = log.get(end)
                assert stored is not None
                batch.last_hash = stored.hash
                if pending is not None:  # the batch before must have committed first
                    done = pending.result()
                    applied += done
                    if progress:
                        progress(done)
                pending = writer.submit(self._commit, batch, log_id, day)
                position = end
            if pending is not None:
                done = pending.result()
                applied += done
                if progress:
                    progress(done)
        if applied == 0:
            self.refresh_statuses(day)
        self.resolve_chains()
        return applied

    def refresh_statuses(self, today: str) -> int:
        """Re-evaluate the statuses that may have changed by ``today`` (ISO date);
        returns how many propositions were looked at."""
        with self._session() as s:
            return int(s.execute_write(self._refresh, today))

    @staticmethod
    def _refresh(tx: ManagedTransaction, today: str, also: set[str] | None = None) -> int:
        due = tx.run(q.DUE_FOR_RECHECK, today=today).single()
        ids = sorted(set(due["propositions"] if due else []) | (also or set()))
        for i in range(0, len(ids), MERGE_CHUNK):
            tx.run(q.STATUS, ids=ids[i:i + MERGE_CHUNK], today=today).consume()
        tx.run(q.STATUS_AT_SET, name=q.CHECKPOINT, today=today).consume()
        return len(ids)

    def _commit(self, batch: Batch, log_id: str | None, today: str) -> int:
        with self._session() as s:
            s.execute_write(self._write, batch, log_id, today)
        return batch.last - batch.first

    def handlers(self) -> dict[str, Handler]:
        """Event type -> the function that adds its rows to a batch."""
        return dict(HANDLERS)

    def _write(self, tx: ManagedTransaction, b: Batch, log_id: str | None, today: str) -> None:
        at = tx.run(q.CHECKPOINT_GET, name=q.CHECKPOINT).single()
        if (at["seq"] if at else 0) != b.first:
            raise Neo4jConflict(f"another process moved the Neo4j checkpoint (expected {b.first}, found "
                                f"{at['seq'] if at else 0}); run the sync again")
        for label, rows in b.entities.items():
            if rows:
                tx.run(q.ENTITY[label], rows=rows).consume()
        for label, rows in b.ensure_entities.items():
            if rows:
                tx.run(q.ENSURE_ENTITY[label], rows=rows).consume()
        for statement, rows in ((q.ALIAS, b.aliases), (q.EXTERNAL_ID, b.external_ids), (q.SOURCE, b.sources)):
            if rows:
                tx.run(statement, rows=rows).consume()
        if b.ensure_sources:
            tx.run(q.ENSURE_SOURCE, ids=b.ensure_sources).consume()
        if b.propositions:
            tx.run(q.PROPOSITION, rows=list(b.propositions.values()), today=today).consume()
        for modality, rows in b.claims.items():
            created = tx.run(q.CLAIM[modality], rows=rows).single()
            if created is None or created["created"] != len(rows):
                raise RuntimeError(f"Neo4j wrote {created['created'] if created else 0} of {len(rows)} claims "
                                   f"of events {b.first + 1}–{b.last}: an endpoint is missing")
        statuses: set[str] = set()  # propositions whose status this batch may have changed
        resolved = set(b.resolved)
        deliveries = list(b.deliveries)
        chains = list(b.ties)
        if b.resolutions:
            tx.run(q.RESOLUTION, rows=b.resolutions).consume()
        if b.retract_claims:
            rec = tx.run(q.RETRACT_CLAIM, rows=b.retract_claims).single()
            if rec:
                deliveries += rec["deliveries"]
                chains += rec["claims"]
        if b.retract_resolutions:
            rec = tx.run(q.RETRACT_RESOLUTION, rows=b.retract_resolutions).single()
            resolved.update(rec["propositions"] if rec else [])
        if deliveries:
            tx.run(q.DELIVERS, rows=deliveries).consume()
            statuses.update(_ids(tx.run(q.PROPOSITIONS_OF, rows=deliveries).single()))
        if resolved:
            statuses.update(_ids(tx.run(q.SIBLINGS, ids=sorted(resolved), promises=list(SETTLEMENTS)).single()))
        for a, into in b.merges:
            statuses.update(self._merge(tx, a, into))
        if b.chains:
            tx.run(q.CHAINS_DUE_SET, ids=sorted(b.chains)).consume()
        if chains:
            tx.run(q.CHAINS_OF_CLAIMS, ids=chains).consume()
        self._refresh(tx, today, statuses)
        tx.run(q.CHECKPOINT_SET, name=q.CHECKPOINT, seq=b.last, hash=b.last_hash, log_id=log_id,
               today=today).consume()

    # -- revision chains ----------------------------------------------------------
    def resolve_chains(self, chunk: int = 500) -> int:
        """Write the revision chains (``REVISED_BY``) of every subject marked since they
        were last written; returns how many subjects. A batch only marks the subjects its
        events touch, so a sync writes each chain once, at its end; marks left by a sync
        that was stopped are taken up by the next."""
        done = 0
        with self._session() as s:
            while True:
                n = int(s.execute_write(self._write_chains, chunk))
                done += n
                if n < chunk:
                    return done

    @staticmethod
    def _write_chains(tx: ManagedTransaction, limit: int) -> int:
        ids = [r["id"] for r in tx.run(q.CHAINS_DUE, limit=limit)]
        if not ids:
            return 0
        promises = {(r["subject"], r["predicate"]): [Revision(*x) for x in r["promises"]]
                    for r in tx.run(q.CHAIN_PROMISES, ids=ids)}
        developers = {r["subject"]: set(r["developers"]) for r in tx.run(q.CHAIN_DEVELOPERS, ids=ids)}
        people = sorted({rev.claimant for revs in promises.values() for rev in revs})
        affiliations = {r["person"]: set(r["organizations"])
                        for r in tx.run(q.CHAIN_AFFILIATIONS, ids=people)} if people else {}
        dues = {rev.proposition: rev.due for revs in promises.values() for rev in revs}
        rows = []
        for (subject, predicate), revisions in promises.items():
            found = chain(subject, predicate, revisions, developers.get(subject, set()), affiliations)
            for a, b in found.revised_pairs():
                before, after = dues.get(a), dues.get(b)
                rows.append({"from": a, "to": b, "slipped": bool(
                    before and after and dates.end(after) > dates.end(before))})
        tx.run(q.CHAINS_UNLINK, ids=ids).consume()
        tx.run(q.CHAINS_DONE, ids=ids).consume()
        if rows:
            tx.run(q.REVISED_BY, rows=rows).consume()
        return len(ids)

    # -- merges -------------------------------------------------------------------
    def _merge(self, tx: ManagedTransaction, a: str, into: str) -> list[str]:
        """``a`` collapses into ``into``: its relationships move over, and the captions
        and one-hop relationships of the claims that name it are written anew; returns the
        propositions whose status the merge may change (deliveries now count for both)."""
        rec = tx.run(q.MERGE_AFFECTED, {"from": a}).single()
        claims: list[str] = rec["claims"] if rec else []
        rec = tx.run(q.MERGE_PROPOSITIONS, {"from": a}).single()
        propositions: list[str] = rec["propositions"] if rec else []
        for i in range(0, len(claims), MERGE_CHUNK):
            tx.run(q.DELETE_HOPS, ids=claims[i:i + MERGE_CHUNK]).consume()
        for step in q.MERGE_STEPS:
            tx.run(step, {"from": a, "into": into}).consume()
        for i in range(0, len(claims), MERGE_CHUNK):
            self._rewrite_claims(tx, claims[i:i + MERGE_CHUNK])
        for i in range(0, len(propositions), MERGE_CHUNK):
            rows = []
            for r in tx.run(q.PROPOSITION_CAPTION_PARTS, ids=propositions[i:i + MERGE_CHUNK]):
                rows.append({"id": r["id"], "caption": proposition_text(
                    r["subject"], r["subjectName"], r["predicate"], _object(r), r["objectName"], r["quantity"],
                    r["unit"], r["due"])})
            tx.run(q.SET_CAPTIONS["Proposition"], rows=rows).consume()
        return _ids(tx.run(q.MERGE_STATUSES, {"into": into}).single())

    @staticmethod
    def _rewrite_claims(tx: ManagedTransaction, ids: list[str]) -> None:
        captions: list[dict[str, Any]] = []
        hops: dict[str, list[dict[str, Any]]] = {}
        for r in tx.run(q.CAPTION_PARTS, ids=ids):
            obj = _object(r)
            t = texts(r["claimant"], r["claimantName"], r["subject"], r["subjectName"], r["predicate"], obj,
                      r["objectName"], r["quantity"], r["unit"], r["due"], r["modality"], r["stated"])
            captions.append({"id": r["id"], "caption": t.claim})
            if r["alive"]:
                hops.setdefault(r["modality"], []).append(hop_row(
                    r["id"], r["stated"], r["predicate"], r["due"], is_promise(r["modality"], r["due"]), t.what))
        tx.run(q.SET_CAPTIONS["Claim"], rows=captions).consume()
        for modality, rows in hops.items():
            tx.run(q.HOP[modality], rows=rows).consume()


def _object(r: Any) -> dict[str, Any] | None:
    """A proposition's object as read back: the entity it now points to, or its value."""
    if r["objectId"]:
        return {"entity": r["objectId"]}
    obj: dict[str, Any] | None = json.loads(r["objectJson"]) if r["objectJson"] else None
    return obj


def _ids(rec: Any) -> list[str]:
    """The ``propositions`` list of a record (none when there is no record)."""
    found: list[str] = rec["propositions"] if rec else []
    return found
