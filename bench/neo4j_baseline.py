"""The Neo4j projection as it was before claimgraph.graph.neo4j replaced it, kept
unchanged as the benchmark's baseline (bench/neo4j_sync.py): batches of UNWIND + MERGE
statements, written in turn with reading the log. Not part of claimgraph. Its
connection, settings and errors are claimgraph's own (they are not what is compared).

The Neo4j projection: the claim graph as Neo4j Browser shows it.

Fed from the event log only. Each batch of events becomes a handful of ``UNWIND`` +
``MERGE`` statements with parameters (the Cypher text never contains data), run in one
transaction together with the checkpoint, so a crash or a kill neither skips nor
repeats an event; MERGE on constrained ids makes a replay harmless besides.

Shape: ``(:Entity:Person|Organization|Model|Hardware|Product)``, ``(:Claim)``,
``(:Proposition)``, ``(:Source)``, ``(:Resolution)``;
``(claimant)-[:CLAIMED]->(Claim)-[:STATES]->(Proposition)-[:SUBJECT]->(Entity)``,
``(Proposition)-[:OBJECT]->(Entity)``, ``(Claim|Resolution)-[:REPORTED_IN]->(Source)``,
``(Resolution)-[:RESOLVES]->(Proposition)``. Every node has ``id`` (unique) and
``caption``. Retracted claims and resolutions stay, marked with ``seqTo`` and the label
``Retracted`` (so as-of questions work); merged entities collapse into the survivor,
which keeps the old ids in ``mergedIds``.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from claimgraph.graph.eventlog import EventLog
from claimgraph.graph.neo4j import (
    CHECKPOINT,
    DEFAULT_PASSWORD,
    LABELS,
    NODE_LABELS,
    Neo4jMismatch,
    Neo4jSettings,
    Neo4jUnavailable,
    connect,
)
from claimgraph.schema import dates
from claimgraph.schema.model import follow, object_label
from claimgraph.schema.text import alias_key

__all__ = ["CHECKPOINT", "DEFAULT_PASSWORD", "LABELS", "NODE_LABELS", "Neo4jMismatch", "Neo4jProjection",
           "Neo4jSettings", "Neo4jUnavailable", "connect"]


# The kind labels are created before Entity: on a fresh database their label tokens then
# come first in labels(n), and Neo4j Browser styles a node by its first label.
SCHEMA = [f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)" for label in LABELS.values()] + [
    f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    for label in NODE_LABELS] + [
    "CREATE CONSTRAINT checkpoint_name IF NOT EXISTS FOR (n:ClaimgraphCheckpoint) REQUIRE n.name IS UNIQUE",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE INDEX claim_stated IF NOT EXISTS FOR (n:Claim) ON (n.stated)",
    "CREATE INDEX proposition_predicate IF NOT EXISTS FOR (n:Proposition) ON (n.predicate)",
]

ENTITY = {label: f"""UNWIND $rows AS r
MERGE (e:Entity {{id: r.id}})
ON CREATE SET e.seq = r.seq
SET e:{label}, e.kind = r.kind, e.name = r.name, e.caption = r.name, e.aliases = r.aliases,
    e.aliasKeys = r.aliasKeys, e.externalIds = r.externalIds""" for label in LABELS.values()}

ALIAS = """UNWIND $rows AS r
MATCH (e:Entity {id: r.id})
SET e.aliases = CASE WHEN r.alias IN coalesce(e.aliases, []) THEN e.aliases ELSE coalesce(e.aliases, []) + r.alias END,
    e.aliasKeys = CASE WHEN r.key IN coalesce(e.aliasKeys, []) THEN e.aliasKeys
                       ELSE coalesce(e.aliasKeys, []) + r.key END"""

EXTERNAL_ID = """UNWIND $rows AS r
MATCH (e:Entity {id: r.id})
SET e.externalIds = CASE WHEN r.value IN coalesce(e.externalIds, []) THEN e.externalIds
                         ELSE coalesce(e.externalIds, []) + r.value END"""

SOURCE = """UNWIND $rows AS r
MERGE (s:Source {id: r.id})
SET s += r.props"""

ENSURE_ENTITIES = """UNWIND $ids AS id
MERGE (:Entity {id: id})"""

ENSURE_SOURCES = """UNWIND $ids AS id
MERGE (:Source {id: id})"""

PROPOSITION = """UNWIND $rows AS r
MERGE (p:Proposition {id: r.id})
ON CREATE SET p += r.props
WITH p, r
MATCH (s:Entity {id: r.subject})
MERGE (p)-[:SUBJECT]->(s)
WITH p, r WHERE r.object IS NOT NULL
MATCH (o:Entity {id: r.object})
MERGE (p)-[:OBJECT]->(o)"""

# Claims are unique in the log and the checkpoint commits with the batch, so a claim is
# created once; the unique constraint on Claim.id turns any replay into an error rather
# than a duplicate. Its endpoints were ensured by the statements before.
CLAIM = """UNWIND $rows AS r
MATCH (p:Proposition {id: r.prop})
MATCH (claimant:Entity {id: r.claimant})
MATCH (src:Source {id: r.source})
CREATE (c:Claim)
SET c = r.props
CREATE (claimant)-[:CLAIMED]->(c), (c)-[:STATES]->(p), (c)-[:REPORTED_IN]->(src)"""

RESOLUTION = """UNWIND $rows AS r
MERGE (p:Proposition {id: r.proposition})
MERGE (res:Resolution {id: r.id})
ON CREATE SET res += r.props
MERGE (res)-[:RESOLVES]->(p)
MERGE (src:Source {id: r.source})
MERGE (res)-[:REPORTED_IN]->(src)"""

RETRACT_CLAIM = """UNWIND $rows AS r
MATCH (c:Claim {id: r.id}) WHERE c.seqTo IS NULL
SET c.seqTo = r.seq, c.retractReason = r.reason, c:Retracted"""

RETRACT_RESOLUTION = """UNWIND $rows AS r
MATCH (res:Resolution {id: r.id}) WHERE res.seqTo IS NULL
SET res.seqTo = r.seq, res.retractReason = r.reason, res:Retracted"""

MERGE_STEPS = [
    """MATCH (a:Entity {id: $from})-[old:CLAIMED]->(c) MATCH (b:Entity {id: $into})
       MERGE (b)-[:CLAIMED]->(c) DELETE old""",
    """MATCH (p)-[old:SUBJECT]->(a:Entity {id: $from}) MATCH (b:Entity {id: $into})
       MERGE (p)-[:SUBJECT]->(b) DELETE old""",
    """MATCH (p)-[old:OBJECT]->(a:Entity {id: $from}) MATCH (b:Entity {id: $into})
       MERGE (p)-[:OBJECT]->(b) DELETE old""",
    """MATCH (a:Entity {id: $from}) MATCH (b:Entity {id: $into})
       WITH a, b, coalesce(a.aliases, []) + [a.name] AS extra, coalesce(a.aliasKeys, []) AS keys
       SET b.aliases = coalesce(b.aliases, []) + [x IN extra WHERE NOT x IN coalesce(b.aliases, []) AND x <> b.name],
           b.aliasKeys = coalesce(b.aliasKeys, []) + [k IN keys WHERE NOT k IN coalesce(b.aliasKeys, [])],
           b.mergedIds = coalesce(b.mergedIds, []) + [a.id] + coalesce(a.mergedIds, [])
       DETACH DELETE a""",
]

CHECKPOINT_SET = """MERGE (k:ClaimgraphCheckpoint {name: $name})
SET k.seq = $seq, k.hash = $hash, k.logId = $log_id, k.caption = 'checkpoint ' + toString($seq)"""


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


@dataclass
class _BatchRows:
    entities: dict[str, list] = field(default_factory=lambda: {label: [] for label in LABELS.values()})
    aliases: list = field(default_factory=list)
    external_ids: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    entity_ids: set = field(default_factory=set)
    source_ids: set = field(default_factory=set)
    propositions: dict = field(default_factory=dict)
    claims: list = field(default_factory=list)
    resolutions: list = field(default_factory=list)
    retract_claims: list = field(default_factory=list)
    retract_resolutions: list = field(default_factory=list)
    merges: list = field(default_factory=list)


class Neo4jProjection:
    """Brings a Neo4j database up to date with an event log."""

    def __init__(self, driver, log: EventLog, database: str = "neo4j"):
        self.driver, self.log, self.database = driver, log, database
        self.redirects: dict[str, str] = {}

    # -- state --------------------------------------------------------------------
    def _session(self):
        return self.driver.session(database=self.database)

    def ensure_schema(self) -> None:
        with self._session() as s:
            for statement in SCHEMA:
                s.run(statement).consume()

    def checkpoint(self) -> dict:
        with self._session() as s:
            rec = s.run("MATCH (k:ClaimgraphCheckpoint {name: $name}) RETURN k.seq AS seq, k.hash AS hash,"
                        " k.logId AS logId", name=CHECKPOINT).single()
        return {"seq": rec["seq"], "hash": rec["hash"], "logId": rec["logId"]} if rec else \
            {"seq": 0, "hash": None, "logId": None}

    def checked_checkpoint(self) -> dict:
        """The checkpoint, after making sure it belongs to this log; raises Neo4jMismatch
        for the projection of another log or of a log that has since been replaced."""
        cp = self.checkpoint()
        if cp["seq"]:
            mine = self.log.get(cp["seq"])
            if cp["logId"] != self.log_id() or mine is None or mine.hash != cp["hash"]:
                ahead = f" (its checkpoint {cp['seq']} is beyond this log's head {self.log.head()})" \
                    if mine is None else f" (its checkpoint {cp['seq']} does not match this log)"
                raise Neo4jMismatch(f"Neo4j holds a projection of another log{ahead}; run "
                                    "`claimgraph neo4j sync --rebuild` to replace it")
        return cp

    def log_id(self) -> str | None:
        first = self.log.get(1)
        return first.hash if first else None

    def lag(self) -> int:
        return self.log.head() - self.checkpoint()["seq"]

    def _load_redirects(self) -> None:
        with self._session() as s:
            self.redirects = {old: rec["id"] for rec in s.run(
                "MATCH (e:Entity) WHERE e.mergedIds IS NOT NULL RETURN e.id AS id, e.mergedIds AS merged")
                for old in rec["merged"]}

    def _canon(self, entity_id: str) -> str:
        return follow(self.redirects, entity_id)

    # -- wiping -------------------------------------------------------------------
    def wipe(self) -> None:
        """Delete every node this projection made (in batches) and its checkpoint."""
        # relationships first, in bounded transactions: a node with tens of thousands of
        # relationships would otherwise be one huge DETACH DELETE
        with self._session() as s:
            s.run("MATCH (n)-[r]->() WHERE n:Entity OR n:Claim OR n:Proposition OR n:Resolution"
                  " CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
            s.run("MATCH (n) WHERE n:Entity OR n:Claim OR n:Proposition OR n:Source OR n:Resolution"
                  " OR n:ClaimgraphCheckpoint CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
        self.redirects = {}

    # -- syncing ------------------------------------------------------------------
    def sync(self, batch_size: int = 5000, rebuild: bool = False,
             progress: Callable[[int], None] | None = None, upto: int | None = None) -> int:
        """Apply the log from the checkpoint on; returns events applied."""
        if rebuild:
            self.wipe()
        self.ensure_schema()
        cp = self.checked_checkpoint()
        log_id = self.log_id()
        self._load_redirects()
        head = self.log.head() if upto is None else min(upto, self.log.head())
        position, applied = cp["seq"], 0
        while position < head:
            end = min(head, position + batch_size)
            rows = self._rows(self.log.read_payloads(position, end, batch_size))
            last_hash = self.log.get(end).hash
            with self._session() as s:
                s.execute_write(self._write, rows, end, last_hash, log_id)
            applied += end - position
            if progress:
                progress(end - position)
            position = end
        return applied

    def _rows(self, events: Iterable[tuple[int, str, dict, str, str]]) -> _BatchRows:
        b = _BatchRows()
        handlers = self.handlers()
        for seq, type_, d, actor, recorded_at in events:
            handlers[type_](b, seq, d, actor, recorded_at)
        return b

    def handlers(self) -> dict[str, Callable[[_BatchRows, int, dict, str, str], None]]:
        """Event type -> the method that adds its rows to a batch."""
        return {"claim-recorded": self._claim_recorded, "entity-registered": self._entity_registered,
                "entity-aliased": self._entity_aliased, "external-id-added": self._external_id_added,
                "source-registered": self._source_registered,
                "proposition-resolved": self._proposition_resolved, "claim-retracted": self._claim_retracted,
                "resolution-retracted": self._resolution_retracted, "entities-merged": self._entities_merged}

    def _claim_recorded(self, b: _BatchRows, seq: int, d: dict, actor: str, recorded_at: str) -> None:
        p = d["proposition"]
        obj = _clean(p.get("object") or {}) or None
        subject, claimant = self._canon(p["subject"]), self._canon(d["claimant"])
        object_entity = self._canon(obj["entity"]) if obj and obj.get("entity") else None
        due = p.get("due")
        # the subject is the node at the end of SUBJECT; the caption says the rest
        caption = f"{p['predicate']}{' ' + object_label(obj) if obj else ''}" \
                  f"{' (due ' + due + ')' if due else ''}"
        ev = d["evidence"]
        b.entity_ids.update(x for x in (subject, claimant, object_entity) if x)
        b.source_ids.add(ev["source_id"])
        if p["id"] not in b.propositions:
            b.propositions[p["id"]] = {
                "id": p["id"], "subject": subject, "object": object_entity,
                "props": _clean({"id": p["id"], "subject": p["subject"], "predicate": p["predicate"],
                                 "object": object_label(obj) or None,
                                 "objectJson": json.dumps(obj, sort_keys=True) if obj else None,
                                 "quantity": p.get("quantity"), "unit": p.get("unit"), "due": due,
                                 "dueEnd": dates.end(due).isoformat() if due else None,
                                 "validFrom": p.get("valid_from"), "validTo": p.get("valid_to"), "seq": seq,
                                 "caption": caption})}
        b.claims.append({
            "claimant": claimant, "source": ev["source_id"], "prop": p["id"],
            "props": _clean({"id": d["claim_id"], "stated": d["stated"], "channel": d["channel"],
                             "modality": d["modality"], "predicate": p["predicate"],
                             "quote": ev["quote"], "start": ev["start"], "end": ev["end"],
                             "language": ev.get("language"), "verified": ev.get("verified", True),
                             "confidence": d.get("confidence"), "extractor": d.get("extractor"),
                             "actor": actor, "recordedAt": recorded_at, "seq": seq,
                             "caption": f"{d['modality']} {p['predicate']} ({d['stated']})"})})

    def _entity_registered(self, b: _BatchRows, seq: int, d: dict, actor: str, recorded_at: str) -> None:
        aliases = [a["name"] for a in d.get("aliases") or ()]
        b.entities[LABELS[d["kind"]]].append({
            "id": d["entity_id"], "kind": d["kind"], "name": d["name"], "aliases": aliases,
            "aliasKeys": sorted({alias_key(x) for x in [d["name"], *aliases]}),
            "externalIds": [f"{k}:{v}" for k, v in sorted((d.get("external_ids") or {}).items())],
            "seq": seq})

    def _entity_aliased(self, b: _BatchRows, seq: int, d: dict, actor: str, recorded_at: str) -> None:
        b.aliases.append({"id": self._canon(d["entity_id"]), "alias": d["alias"], "key": alias_key(d["alias"])})

    def _external_id_added(self, b: _BatchRows, seq: int, d: dict, actor: str, recorded_at: str) -> None:
        b.external_ids.append({"id": self._canon(d["entity_id"]), "value": f"{d['scheme']}:{d['value']}"})

    def _source_registered(self, b: _BatchRows, seq: int, d: dict, actor: str, recorded_at: str) -> None:
        b.sources.append({"id": d["source_id"], "props": _clean({
            "id": d["source_id"], "title": d.get("title"), "url": d.get("url"),
            "publisher": d.get("publisher"), "published": d.get("published"),
            "language": d.get("language"), "origin": d.get("origin"), "text": d["text"], "seq": seq,
            "caption": d.get("title") or d["source_id"]})})

    def _proposition_resolved(self, b: _BatchRows, seq: int, d: dict, actor: str, recorded_at: str) -> None:
        ev = d["evidence"]
        b.resolutions.append({"id": d["resolution_id"], "proposition": d["proposition_id"],
                              "source": ev["source_id"], "props": _clean({
                                  "id": d["resolution_id"], "verdict": d["verdict"], "known": d["known"],
                                  "knownStart": dates.start(d["known"]).isoformat(), "quote": ev["quote"],
                                  "start": ev["start"], "end": ev["end"], "language": ev.get("language"),
                                  "actor": actor, "recordedAt": recorded_at, "seq": seq,
                                  "caption": f"{d['verdict']} ({d['known']})"})})

    def _claim_retracted(self, b: _BatchRows, seq: int, d: dict, actor: str, recorded_at: str) -> None:
        b.retract_claims.append({"id": d["claim_id"], "seq": seq, "reason": d["reason"]})

    def _resolution_retracted(self, b: _BatchRows, seq: int, d: dict, actor: str, recorded_at: str) -> None:
        b.retract_resolutions.append({"id": d["resolution_id"], "seq": seq, "reason": d["reason"]})

    def _entities_merged(self, b: _BatchRows, seq: int, d: dict, actor: str, recorded_at: str) -> None:
        a, into = self._canon(d["from_id"]), self._canon(d["into_id"])
        if a != into:
            b.merges.append({"from": a, "into": into})
            self.redirects[a] = into

    @staticmethod
    def _write(tx, b: _BatchRows, seq: int, last_hash: str, log_id: str) -> None:
        for label, rows in b.entities.items():
            if rows:
                tx.run(ENTITY[label], rows=rows).consume()
        for statement, rows in ((ALIAS, b.aliases), (EXTERNAL_ID, b.external_ids), (SOURCE, b.sources)):
            if rows:
                tx.run(statement, rows=rows).consume()
        if b.claims:
            tx.run(ENSURE_ENTITIES, ids=sorted(b.entity_ids)).consume()
            tx.run(ENSURE_SOURCES, ids=sorted(b.source_ids)).consume()
            tx.run(PROPOSITION, rows=list(b.propositions.values())).consume()
            tx.run(CLAIM, rows=b.claims).consume()
        for statement, rows in ((RESOLUTION, b.resolutions), (RETRACT_CLAIM, b.retract_claims),
                                (RETRACT_RESOLUTION, b.retract_resolutions)):
            if rows:
                tx.run(statement, rows=rows).consume()
        for m in b.merges:
            for step in MERGE_STEPS:
                tx.run(step, **{"from": m["from"], "into": m["into"]}).consume()
        tx.run(CHECKPOINT_SET, name=CHECKPOINT, seq=seq, hash=last_hash, log_id=log_id).consume()
