"""The same questions asked of either store: the SQLite read model or Neo4j.

Both answer in plain dicts and lists so that a contract test can require equal answers.
Neo4j supports as-of for claims and resolutions (their ``seq``/``seqTo``); merges there
collapse entities for good, so as-of questions across a merge are for the SQLite model.
The one-hop relationships hold the statuses of the day Neo4j was last synced.
"""
from __future__ import annotations

import datetime as dt

from claimgraph.graph.promises import slippage
from claimgraph.graph.readmodel import ClaimFilter, ReadModel
from claimgraph.schema.promises import SETTLEMENTS
from claimgraph.schema.text import alias_key
from claimgraph.schema.values import is_promise

STATUSES = ("kept", "broken", "partly_kept", "withdrawn", "unresolvable", "pending", "overdue")


def record_from(claims: list[dict]) -> dict:
    counts = {k: 0 for k in ("promises", *STATUSES)}
    for c in claims:
        if is_promise(c["modality"], c["due"]):
            counts["promises"] += 1
            counts[c["status"]] += 1
    return counts


class SqliteAnswers:
    def __init__(self, read: ReadModel):
        self.read = read

    def entity(self, ref: str) -> dict | None:
        found = self.read.resolve(ref)
        e = self.read.entity(found) if found else None
        if e is None:
            return None
        return {"id": e.id, "kind": e.kind, "name": e.name, "aliases": sorted({a for a, _ in e.aliases})}

    def claims(self, claimant=None, subject=None, predicate=None, mentions=None, asof=None,
               at: dt.date | None = None) -> list[dict]:
        rows = self.read.claims(ClaimFilter(claimant=claimant, subject=subject, predicate=predicate,
                                            mentions=mentions), asof=asof, at=at)
        return [{"id": r.id, "claimant": r.claimant, "subject": r.subject, "predicate": r.predicate,
                 "stated": r.stated, "modality": r.modality, "status": r.status, "quote": r.quote, "due": r.due,
                 "proposition": r.proposition_id}
                for r in rows]

    def timeline(self, entity: str, at: dt.date | None = None) -> list[str]:
        return [c["id"] for c in self.claims(mentions=self.read.resolve(entity) or entity, at=at)]

    def track_record(self, claimant: str, at: dt.date | None = None) -> dict:
        return record_from(self.claims(claimant=self.read.resolve(claimant) or claimant, at=at))

    def one_hop(self, claimant=None, subject=None, at: dt.date | None = None) -> list[dict]:
        """What the one-hop view must show: one relationship per live claim, from the
        claimant to the subject, typed by modality, with the status at ``at``."""
        rows = self.claims(claimant=claimant and (self.read.resolve(claimant) or claimant),
                           subject=subject and (self.read.resolve(subject) or subject), at=at)
        return sorted(({"claimant": c["claimant"], "type": c["modality"].upper(), "subject": c["subject"],
                        "claimId": c["id"], "stated": c["stated"], "due": c["due"], "status": c["status"],
                        "promise": is_promise(c["modality"], c["due"])} for c in rows),
                      key=lambda r: (r["stated"], r["claimId"]))

    def revisions(self) -> list[dict]:
        """Every (proposition, the one that revised it) of every revision chain."""
        keys = {(c.subject, c.predicate) for c in self.read.claims() if c.is_promise}
        pairs = {pair for subject, predicate in keys
                 for pair in slippage(self.read, subject, predicate)[0].revised_pairs()}
        return [{"before": a, "after": b} for a, b in sorted(pairs)]


# A claim's status at $at as known at log position $n, by the read model's rule (the latest
# resolution known by then; else the verdict a delivery of its subject settles; else
# pending/overdue), computed from the reified graph alone.
CLAIMS_CYPHER = """
MATCH (cl:Entity)-[:CLAIMED]->(c:Claim)-[:STATES]->(p:Proposition)-[:SUBJECT]->(s:Entity)
WHERE c.seq <= $n AND (c.seqTo IS NULL OR c.seqTo > $n)
  AND ($claimant IS NULL OR cl.id = $claimant) AND ($subject IS NULL OR s.id = $subject)
  AND ($predicate IS NULL OR p.predicate = $predicate)
  AND ($mentions IS NULL OR cl.id = $mentions OR s.id = $mentions
       OR EXISTS { MATCH (p)-[:OBJECT]->(o:Entity) WHERE o.id = $mentions })
OPTIONAL MATCH (r:Resolution)-[:RESOLVES]->(p)
  WHERE r.seq <= $n AND (r.seqTo IS NULL OR r.seqTo > $n) AND r.knownStart <= $at
WITH cl, c, p, s, r ORDER BY r.knownStart DESC, r.seq DESC
WITH cl, c, p, s, collect(r.verdict)[0] AS verdict
WITH cl, c, p, s, verdict,
  [(s)<-[:SUBJECT]-(:Proposition)<-[:STATES]-(f:Claim)
   WHERE f.seq <= $n AND (f.seqTo IS NULL OR f.seqTo > $n) AND p.predicate IN coalesce(f.settles, [])
   | [f.deliveredStart, f.seq]] +
  [(s)<-[:SUBJECT]-(q:Proposition)<-[:RESOLVES]-(k:Resolution)
   WHERE p.predicate IN $promises AND q.predicate = p.predicate AND k.verdict = 'kept'
     AND k.seq <= $n AND (k.seqTo IS NULL OR k.seqTo > $n) | [k.knownStart, k.seq]] AS deliveries
WITH cl, c, p, s, verdict, reduce(e = null, d IN deliveries |
  CASE WHEN e IS NULL OR d[0] < e[0] OR (d[0] = e[0] AND d[1] < e[1]) THEN d ELSE e END) AS delivery
RETURN c.id AS id, cl.id AS claimant, s.id AS subject, p.predicate AS predicate, c.stated AS stated,
       c.modality AS modality, c.quote AS quote, p.due AS due, p.id AS proposition,
       coalesce(verdict,
                CASE WHEN delivery[0] <= $at
                     THEN CASE WHEN p.dueEnd IS NULL OR delivery[0] <= p.dueEnd THEN 'kept' ELSE 'broken' END END,
                CASE WHEN p.dueEnd IS NOT NULL AND p.dueEnd < $at THEN 'overdue' ELSE 'pending' END) AS status
ORDER BY c.stated, c.seq
"""

REVISIONS_CYPHER = """
MATCH (a:Proposition)-[:REVISED_BY]->(b:Proposition) RETURN a.id AS before, b.id AS after ORDER BY before, after
"""

ONE_HOP_CYPHER = """
MATCH (cl:Entity)-[d]->(s:Entity)
WHERE d.claimId IS NOT NULL AND ($claimant IS NULL OR cl.id = $claimant) AND ($subject IS NULL OR s.id = $subject)
RETURN cl.id AS claimant, type(d) AS type, s.id AS subject, d.claimId AS claimId, d.stated AS stated, d.due AS due,
       d.status AS status, d.promise AS promise
ORDER BY stated, claimId
"""

ENTITY_CYPHER = """
MATCH (e:Entity) WHERE e.id = $ref OR $ref IN coalesce(e.mergedIds, []) OR $key IN coalesce(e.aliasKeys, [])
RETURN e.id AS id, e.kind AS kind, e.name AS name, coalesce(e.aliases, []) AS aliases
"""


class Neo4jAnswers:
    def __init__(self, driver, database: str = "neo4j"):
        self.driver, self.database = driver, database

    def _run(self, query: str, **params) -> list[dict]:
        records, _, _ = self.driver.execute_query(query, params, database_=self.database)
        return [r.data() for r in records]

    def _resolve(self, ref: str | None) -> str | None:
        if ref is None:
            return None
        found = self._run(ENTITY_CYPHER, ref=ref, key=alias_key(ref))
        return found[0]["id"] if len(found) == 1 else ref

    def entity(self, ref: str) -> dict | None:
        found = self._run(ENTITY_CYPHER, ref=ref, key=alias_key(ref))
        if len(found) != 1:
            return None
        e = found[0]
        return {"id": e["id"], "kind": e["kind"], "name": e["name"],
                "aliases": sorted(a for a in set(e["aliases"]) if a != e["name"])}

    def claims(self, claimant=None, subject=None, predicate=None, mentions=None, asof=None,
               at: dt.date | None = None) -> list[dict]:
        return self._run(CLAIMS_CYPHER, claimant=self._resolve(claimant), subject=self._resolve(subject),
                         predicate=predicate, mentions=self._resolve(mentions), promises=list(SETTLEMENTS),
                         n=asof if asof is not None else 1 << 62, at=(at or dt.date.today()).isoformat())

    def timeline(self, entity: str, at: dt.date | None = None) -> list[str]:
        return [c["id"] for c in self.claims(mentions=entity, at=at)]

    def track_record(self, claimant: str, at: dt.date | None = None) -> dict:
        return record_from(self.claims(claimant=claimant, at=at))

    def one_hop(self, claimant=None, subject=None, at: dt.date | None = None) -> list[dict]:
        """The one-hop relationships as stored (their status is that of the last sync's day:
        ``at`` must be that day)."""
        return self._run(ONE_HOP_CYPHER, claimant=self._resolve(claimant), subject=self._resolve(subject))

    def revisions(self) -> list[dict]:
        return self._run(REVISIONS_CYPHER)
