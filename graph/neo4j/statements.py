"""The Cypher the projection runs. Every statement takes its data as parameters (the log
may hold any text); the only names put into Cypher text are labels and relationship
types from the fixed tables below.

Statements are planned when a database may still be nearly empty, and Neo4j keeps a plan
for a while: a plan that scans all relationships of a type (cheap on an empty database)
would then scan them again for every row as the graph grows. So relationships between
nodes already found are reached from those nodes (pattern comprehensions, which Neo4j
always solves by expanding from their bound nodes), and lookups name their index.

Shape: ``(:Entity:Person|Organization|Model|Hardware|Product)``, ``(:Claim)``,
``(:Proposition)``, ``(:Source)``, ``(:Resolution)``;
``(claimant)-[:CLAIMED]->(Claim)-[:STATES]->(Proposition)-[:SUBJECT]->(Entity)``,
``(Proposition)-[:OBJECT]->(Entity)``, ``(Claim|Resolution)-[:REPORTED_IN]->(Source)``,
``(Resolution)-[:RESOLVES]->(Proposition)``; beside that the one-hop view
``(claimant)-[:PROMISED|ASSERTED|DENIED|…]->(subject)``, one relationship per live claim.
"""
from __future__ import annotations

CHECKPOINT = "claimgraph"

#: entity kind -> its label (besides Entity)
LABELS = {"person": "Person", "org": "Organization", "model": "Model", "hardware": "Hardware",
          "product": "Product"}
NODE_LABELS = ("Entity", "Claim", "Proposition", "Source", "Resolution")

#: modality -> the type of the one-hop relationship from claimant to subject (a test holds
#: this to claimgraph.schema.model.Modality)
ONE_HOP = {m: m.upper() for m in ("asserted", "promised", "planned", "predicted", "hedged", "denied", "aspired")}

# The kind labels are created before Entity: on a fresh database their label tokens then
# come first in labels(n), and Neo4j Browser styles a node by its first label.
SCHEMA = [f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)"
          for label in LABELS.values()] + [
    f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    for label in NODE_LABELS] + [
    "CREATE CONSTRAINT checkpoint_name IF NOT EXISTS FOR (n:ClaimgraphCheckpoint) REQUIRE n.name IS UNIQUE",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE INDEX proposition_recheck IF NOT EXISTS FOR (n:Proposition) ON (n.recheck)",
    "CREATE INDEX entity_chains_due IF NOT EXISTS FOR (n:Entity) ON (n.chainsDue)",
    # every index costs each write; these two were never used by a query
    "DROP INDEX claim_stated IF EXISTS",
    "DROP INDEX proposition_predicate IF EXISTS",
]

# -- entities and sources ---------------------------------------------------------------
ENTITY = {label: f"""UNWIND $rows AS r
MERGE (e:Entity {{id: r.id}})
ON CREATE SET e.seq = r.seq
SET e:{label}, e.kind = r.kind, e.name = r.name, e.caption = r.name, e.aliases = r.aliases,
    e.aliasKeys = r.aliasKeys, e.externalIds = r.externalIds""" for label in LABELS.values()}

#: an entity that claims mention but no event registered: named after its id
ENSURE_ENTITY = {label: f"""UNWIND $rows AS r
MERGE (e:Entity {{id: r.id}})
ON CREATE SET e:{label}, e.kind = r.kind, e.name = r.name, e.caption = r.name""" for label in LABELS.values()}

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

ENSURE_SOURCE = """UNWIND $ids AS id
MERGE (s:Source {id: id})
ON CREATE SET s.caption = id"""

#: which of the given entity or source ids exist, with the entities' names
KNOWN = """UNWIND $ids AS id
OPTIONAL MATCH (e:Entity {id: id})
OPTIONAL MATCH (s:Source {id: id})
WITH id, e, s WHERE e IS NOT NULL OR s IS NOT NULL
RETURN id, e.name AS name"""

# -- claims ------------------------------------------------------------------------------
# A proposition is written once, by the first claim that states it (or filled in when a
# resolution reached it first: then its status is looked at again at the end of the batch).
PROPOSITION = """UNWIND $rows AS r
OPTIONAL MATCH (x:Proposition {id: r.id})
WITH r, x WHERE x IS NULL OR x.predicate IS NULL
MATCH (s:Entity {id: r.subjectId})
MERGE (p:Proposition {id: r.id})
SET p.subject = r.subject, p.predicate = r.predicate, p.object = r.object, p.objectJson = r.objectJson,
    p.quantity = r.quantity, p.unit = r.unit, p.due = r.due, p.dueEnd = r.dueEnd, p.validFrom = r.validFrom,
    p.validTo = r.validTo, p.seq = r.seq, p.caption = r.caption, p.status = r.status,
    p.recheck = CASE WHEN x IS NULL AND NOT r.predicate IN coalesce(s.delivers, []) THEN r.recheck ELSE $today END
CREATE (p)-[:SUBJECT]->(s)
WITH p, r WHERE r.objectId IS NOT NULL
MATCH (o:Entity {id: r.objectId})
CREATE (p)-[:OBJECT]->(o)"""

#: the properties of the one-hop relationship of claim row ``r`` stating proposition ``p``
HOP_PROPERTIES = """{claimId: r.id, stated: r.stated, predicate: r.predicate, due: r.due, promise: r.promise,
  what: r.what, status: p.status,
  caption: CASE WHEN r.promise THEN r.what + ' · ' + replace(p.status, '_', ' ') ELSE r.what END}"""

# Claims are unique in the log and the checkpoint commits with the batch, so a claim is
# created once; the unique constraint on Claim.id turns any replay into an error rather
# than a duplicate. Its endpoints were written by the statements before; the count lets
# the caller check that none was missing.
CLAIM = {modality: f"""UNWIND $rows AS r
MATCH (p:Proposition {{id: r.prop}})
MATCH (cl:Entity {{id: r.claimant}})
MATCH (src:Source {{id: r.source}})
MATCH (s:Entity {{id: r.subject}})
CREATE (cl)-[:CLAIMED]->(c:Claim {{id: r.id, caption: r.caption, stated: r.stated, channel: r.channel,
         modality: r.modality, promise: r.promise, predicate: r.predicate, quote: r.quote, start: r.start,
         end: r.end, language: r.language, verified: r.verified, confidence: r.confidence,
         extractor: r.extractor, actor: r.actor, recordedAt: r.recordedAt, seq: r.seq, delivered: r.delivered,
         deliveredStart: r.deliveredStart, settles: r.settles}})-[:STATES]->(p),
       (c)-[:REPORTED_IN]->(src),
       (cl)-[:{rel} {HOP_PROPERTIES}]->(s)
RETURN count(*) AS created""" for modality, rel in ONE_HOP.items()}

#: the one-hop relationship of claims that exist (after a merge moved their entities)
HOP = {modality: f"""UNWIND $rows AS r
MATCH (cl:Entity)-[:CLAIMED]->(c:Claim {{id: r.id}})-[:STATES]->(p:Proposition)-[:SUBJECT]->(s:Entity)
USING INDEX c:Claim(id)
CREATE (cl)-[:{rel} {HOP_PROPERTIES}]->(s)""" for modality, rel in ONE_HOP.items()}

#: the one-hop relationship of claim ``c`` from claimant ``cl`` to subject ``s``, as a list
#: (typed: Neo4j then expands between the two nodes instead of scanning)
HOP_TYPES = "|".join(ONE_HOP.values())
HOP_OF = f"[(cl)-[hop:{HOP_TYPES}]->(s) WHERE hop.claimId = c.id | hop]"

DELETE_HOPS = f"""UNWIND $ids AS id
MATCH (cl:Entity)-[:CLAIMED]->(c:Claim {{id: id}})-[:STATES]->(:Proposition)-[:SUBJECT]->(s:Entity)
USING INDEX c:Claim(id)
FOREACH (d IN {HOP_OF} | DELETE d)"""

RETRACT_CLAIM = f"""UNWIND $rows AS r
MATCH (c:Claim {{id: r.id}}) WHERE c.seqTo IS NULL
SET c.seqTo = r.seq, c.retractReason = r.reason, c:Retracted
WITH c
MATCH (cl:Entity)-[:CLAIMED]->(c)-[:STATES]->(:Proposition)-[:SUBJECT]->(s:Entity)
FOREACH (d IN {HOP_OF} | DELETE d)
RETURN [x IN collect(CASE WHEN c.settles IS NOT NULL THEN {{subject: s.id, predicates: c.settles}} END)
        WHERE x IS NOT NULL] AS deliveries, collect(c.id) AS claims"""

# -- promises: deliveries settle them, revisions chain them --------------------------------
#: subjects that facts deliver, and the promise predicates they settle (an entity's
#: ``delivers`` only spares the statuses of its other promises a search for deliveries)
DELIVERS = """UNWIND $rows AS r
MATCH (s:Entity {id: r.subject})
SET s.delivers = coalesce(s.delivers, []) + [x IN r.predicates WHERE NOT x IN coalesce(s.delivers, [])]"""

#: the propositions of the given subjects with the given predicates
PROPOSITIONS_OF = """UNWIND $rows AS r
MATCH (s:Entity {id: r.subject})
UNWIND [(s)<-[:SUBJECT]-(p:Proposition) WHERE p.predicate IN r.predicates | p.id] AS id
RETURN collect(DISTINCT id) AS propositions"""

#: the given propositions and, for promises, every proposition a delivery of the same
#: subject settles along with them (a kept resolution of one delivers them all)
SIBLINGS = """UNWIND $ids AS id
MATCH (q:Proposition {id: id})
WITH q, CASE WHEN q.predicate IN $promises THEN [(q)-[:SUBJECT]->(x:Entity) | x] ELSE [] END AS subjects
WITH q, subjects, [s IN subjects | [(s)<-[:SUBJECT]-(p:Proposition) WHERE p.predicate = q.predicate | p.id]] AS same,
     size([(q)<-[:RESOLVES]-(k:Resolution) WHERE k.verdict = 'kept' AND k.seqTo IS NULL | k]) > 0 AS kept
FOREACH (s IN CASE WHEN kept THEN subjects ELSE [] END |
  SET s.delivers = coalesce(s.delivers, []) + [x IN [q.predicate] WHERE NOT x IN coalesce(s.delivers, [])])
WITH q, same
UNWIND [q.id] + reduce(all = [], ids IN same | all + ids) AS pid
RETURN collect(DISTINCT pid) AS propositions"""

#: mark the subjects whose revision chains the given claims may change: a promise its
#: own subject; "develops" what it develops; "leads/owns/founded" the subjects its
#: person has promised something about
CHAINS_OF_CLAIMS = """UNWIND $ids AS id
MATCH (c:Claim {id: id})-[:STATES]->(p:Proposition)-[:SUBJECT]->(s:Entity)
USING INDEX c:Claim(id)
WITH CASE WHEN c.promise THEN [s] ELSE [] END
   + CASE WHEN p.predicate = 'develops' THEN [(p)-[:OBJECT]->(o:Entity) | o] ELSE [] END
   + CASE WHEN p.predicate IN ['leads', 'owns', 'founded']
          THEN [(s)-[:CLAIMED]->(:Claim {promise: true})-[:STATES]->(:Proposition)-[:SUBJECT]->(x:Entity) | x]
          ELSE [] END AS due
FOREACH (x IN due | SET x.chainsDue = true)"""

CHAINS_DUE_SET = """UNWIND $ids AS id
MATCH (s:Entity {id: id})
SET s.chainsDue = true"""

CHAINS_DUE = """MATCH (s:Entity) USING INDEX s:Entity(chainsDue) WHERE s.chainsDue = true
RETURN s.id AS id LIMIT $limit"""

#: what a revision chain is made of, per subject and predicate with promises of more than
#: one proposition (a single one has nothing to revise): its promises (live claims)...
CHAIN_PROMISES = """UNWIND $ids AS id
MATCH (s:Entity {id: id})<-[:SUBJECT]-(p:Proposition)<-[:STATES]-(c:Claim {promise: true})<-[:CLAIMED]-(cl:Entity)
USING INDEX s:Entity(id)
WHERE c.seqTo IS NULL
WITH s, p.predicate AS predicate, collect([c.stated, p.due, cl.id, c.id, p.id, c.seq]) AS promises,
     count(DISTINCT p) AS propositions
WHERE propositions > 1
RETURN s.id AS subject, predicate, promises"""

#: ... who develops it (asserted, live) ...
CHAIN_DEVELOPERS = """UNWIND $ids AS id
MATCH (s:Entity {id: id})<-[:OBJECT]-(p:Proposition {predicate: 'develops'})<-[:STATES]-(c:Claim {modality: 'asserted'})
USING INDEX s:Entity(id)
WHERE c.seqTo IS NULL
MATCH (p)-[:SUBJECT]->(d:Entity)
RETURN s.id AS subject, collect(DISTINCT d.id) AS developers"""

#: ... and whom the claimants lead, own or founded (asserted, live)
CHAIN_AFFILIATIONS = """UNWIND $ids AS id
MATCH (x:Entity {id: id})<-[:SUBJECT]-(p:Proposition)<-[:STATES]-(c:Claim {modality: 'asserted'})
USING INDEX x:Entity(id)
WHERE p.predicate IN ['leads', 'owns', 'founded'] AND c.seqTo IS NULL
MATCH (p)-[:OBJECT]->(o:Entity)
RETURN x.id AS person, collect(DISTINCT o.id) AS organizations"""

CHAINS_UNLINK = """UNWIND $ids AS id
MATCH (s:Entity {id: id})<-[:SUBJECT]-(:Proposition)-[old:REVISED_BY]->(:Proposition)
USING INDEX s:Entity(id)
DELETE old"""

CHAINS_DONE = """UNWIND $ids AS id
MATCH (s:Entity {id: id})
REMOVE s.chainsDue"""

#: (written after CHAINS_UNLINK removed the subjects' old ones)
REVISED_BY = """UNWIND $rows AS r
MATCH (a:Proposition {id: r.from})
MATCH (b:Proposition {id: r.to})
CREATE (a)-[:REVISED_BY {slipped: r.slipped, caption: CASE WHEN r.slipped THEN 'slipped' ELSE 'revised' END}]->(b)"""

# -- resolutions and statuses -----------------------------------------------------------
RESOLUTION = """UNWIND $rows AS r
MERGE (p:Proposition {id: r.proposition})
ON CREATE SET p.caption = r.proposition
MERGE (res:Resolution {id: r.id})
ON CREATE SET res += r.props
MERGE (res)-[:RESOLVES]->(p)
MERGE (src:Source {id: r.source})
ON CREATE SET src.caption = r.source
MERGE (res)-[:REPORTED_IN]->(src)"""

RETRACT_RESOLUTION = """UNWIND $rows AS r
MATCH (res:Resolution {id: r.id}) WHERE res.seqTo IS NULL
SET res.seqTo = r.seq, res.retractReason = r.reason, res:Retracted
WITH [(res)-[:RESOLVES]->(p:Proposition) | p.id] AS ids
UNWIND ids AS id
RETURN collect(DISTINCT id) AS propositions"""

#: propositions whose status may have changed by ``$today`` without any new event
DUE_FOR_RECHECK = """MATCH (p:Proposition) USING INDEX p:Proposition(recheck) WHERE p.recheck <= $today
RETURN collect(p.id) AS propositions"""

# A proposition's status at $today, the read model's rule: the verdict of its latest live
# resolution known by then (latest known date, then latest in the log); else, for a
# promise whose subject was delivered by then (the earliest live fact or kept resolution
# of the same kind, see claimgraph.schema.promises), kept if that was within the due
# period and broken otherwise (``daysLate`` after it); else overdue once the last day of
# its due period has passed; else pending. ``recheck`` is the first day on which that
# answer can change without a new event (a resolution known later, a delivery dated
# later, the day after the due period); the one-hop relationships of its live claims follow.
STATUS = f"""UNWIND $ids AS id
MATCH (p:Proposition {{id: id}})
WITH p, head([(p)-[:SUBJECT]->(x:Entity) | x]) AS s,
     [(r:Resolution)-[:RESOLVES]->(p) WHERE r.seqTo IS NULL | r] AS rs
WITH p, s, [r IN rs WHERE r.knownStart <= $today] AS known, [r IN rs WHERE r.knownStart > $today | r.knownStart] AS later,
     CASE WHEN s IS NOT NULL AND p.predicate IN coalesce(s.delivers, []) THEN
       [(s)<-[:SUBJECT]-(:Proposition)<-[:STATES]-(f:Claim) WHERE f.seqTo IS NULL AND p.predicate IN f.settles
        | [f.deliveredStart, f.seq]] +
       [(s)<-[:SUBJECT]-(q:Proposition)<-[:RESOLVES]-(k:Resolution)
        WHERE q.predicate = p.predicate AND k.verdict = 'kept' AND k.seqTo IS NULL | [k.knownStart, k.seq]]
     ELSE [] END AS deliveries
WITH p, s, later, reduce(e = null, d IN deliveries |
       CASE WHEN e IS NULL OR d[0] < e[0] OR (d[0] = e[0] AND d[1] < e[1]) THEN d ELSE e END) AS delivery,
     reduce(e = null, r IN known |
       CASE WHEN e IS NULL OR r.knownStart > e.knownStart OR (r.knownStart = e.knownStart AND r.seq > e.seq)
            THEN r ELSE e END) AS latest
WITH p, s, delivery, later, latest, latest IS NULL AND delivery IS NOT NULL AND delivery[0] <= $today AS settled
WITH p, s, delivery, later, settled, latest IS NULL AND NOT settled AS open,
     CASE WHEN latest IS NOT NULL THEN latest.verdict
          WHEN settled THEN CASE WHEN p.dueEnd IS NULL OR delivery[0] <= p.dueEnd THEN 'kept' ELSE 'broken' END
          WHEN p.dueEnd < $today THEN 'overdue' ELSE 'pending' END AS status
SET p.status = status,
    p.deliveredOn = CASE WHEN settled THEN delivery[0] END,
    p.daysLate = CASE WHEN settled AND p.dueEnd IS NOT NULL
                      THEN CASE WHEN delivery[0] > p.dueEnd
                                THEN duration.inDays(date(p.dueEnd), date(delivery[0])).days ELSE 0 END END,
    p.recheck = reduce(m = null, x IN later
                  + CASE WHEN open AND delivery IS NOT NULL THEN [delivery[0]] ELSE [] END
                  + CASE WHEN open AND p.dueEnd >= $today THEN [toString(date(p.dueEnd) + duration('P1D'))]
                         ELSE [] END
                | CASE WHEN m IS NULL OR x < m THEN x ELSE m END)
WITH p, s
UNWIND [(cl:Entity)-[:CLAIMED]->(c:Claim)-[:STATES]->(p) WHERE c.seqTo IS NULL | [cl, c]] AS pair
WITH p, s, pair[0] AS cl, pair[1] AS c
FOREACH (d IN {HOP_OF} |
  SET d.status = p.status,
      d.caption = CASE WHEN d.promise THEN d.what + ' · ' + replace(p.status, '_', ' ') ELSE d.what END)"""

# -- merges ------------------------------------------------------------------------------
#: claims whose caption or one-hop relationship names the entity ``$from``
MERGE_AFFECTED = """MATCH (a:Entity {id: $from})
CALL (a) {
  MATCH (a)-[:CLAIMED]->(c:Claim) RETURN c
  UNION
  MATCH (a)<-[:SUBJECT|OBJECT]-(:Proposition)<-[:STATES]-(c:Claim) RETURN c
}
RETURN collect(DISTINCT c.id) AS claims"""

MERGE_PROPOSITIONS = """MATCH (a:Entity {id: $from})<-[:SUBJECT|OBJECT]-(p:Proposition)
RETURN collect(DISTINCT p.id) AS propositions"""

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
           b.mergedIds = coalesce(b.mergedIds, []) + [a.id] + coalesce(a.mergedIds, []),
           b.delivers = coalesce(b.delivers, []) + [x IN coalesce(a.delivers, []) WHERE NOT x IN coalesce(b.delivers, [])],
           b.chainsDue = true
       DETACH DELETE a""",
    # the chains the survivor now takes part in: what it promised something about, what it
    # develops, and what the people it is tied to promised something about
    """MATCH (b:Entity {id: $into})-[:CLAIMED]->(:Claim {promise: true})-[:STATES]->(:Proposition)-[:SUBJECT]->(x:Entity)
       SET x.chainsDue = true""",
    """MATCH (b:Entity {id: $into})<-[:SUBJECT]-(:Proposition {predicate: 'develops'})-[:OBJECT]->(x:Entity)
       SET x.chainsDue = true""",
    """MATCH (b:Entity {id: $into})<-[:OBJECT]-(q:Proposition)-[:SUBJECT]->(person:Entity)
       WHERE q.predicate IN ['leads', 'owns', 'founded']
       MATCH (person)-[:CLAIMED]->(:Claim {promise: true})-[:STATES]->(:Proposition)-[:SUBJECT]->(x:Entity)
       SET x.chainsDue = true""",
]

#: the propositions whose status a merge may change: the survivor's promises
MERGE_STATUSES = """MATCH (b:Entity {id: $into})<-[:SUBJECT]-(p:Proposition)
WHERE p.predicate IN coalesce(b.delivers, [])
RETURN collect(p.id) AS propositions"""

#: what a caption of a claim (and of its proposition) is made of
CAPTION_PARTS = """UNWIND $ids AS id
MATCH (cl:Entity)-[:CLAIMED]->(c:Claim {id: id})-[:STATES]->(p:Proposition)-[:SUBJECT]->(s:Entity)
USING INDEX c:Claim(id)
OPTIONAL MATCH (p)-[:OBJECT]->(o:Entity)
RETURN c.id AS id, c.modality AS modality, c.stated AS stated, c.seqTo IS NULL AS alive,
       cl.id AS claimant, cl.name AS claimantName, s.id AS subject, s.name AS subjectName,
       o.id AS objectId, o.name AS objectName, p.id AS proposition, p.predicate AS predicate, p.objectJson AS objectJson,
       p.quantity AS quantity, p.unit AS unit, p.due AS due"""

PROPOSITION_CAPTION_PARTS = """UNWIND $ids AS id
MATCH (p:Proposition {id: id})-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (p)-[:OBJECT]->(o:Entity)
RETURN p.id AS id, s.id AS subject, s.name AS subjectName, o.id AS objectId, o.name AS objectName,
       p.predicate AS predicate,
       p.objectJson AS objectJson, p.quantity AS quantity, p.unit AS unit, p.due AS due"""

SET_CAPTIONS = {label: f"""UNWIND $rows AS r
MATCH (n:{label} {{id: r.id}})
SET n.caption = r.caption""" for label in ("Claim", "Proposition")}

# -- checkpoint and wiping ----------------------------------------------------------------
CHECKPOINT_GET = """MATCH (k:ClaimgraphCheckpoint {name: $name})
RETURN k.seq AS seq, k.hash AS hash, k.logId AS logId, k.statusAt AS statusAt"""

STATUS_AT_SET = """MATCH (k:ClaimgraphCheckpoint {name: $name})
SET k.statusAt = $today"""

CHECKPOINT_SET = """MERGE (k:ClaimgraphCheckpoint {name: $name})
SET k.seq = $seq, k.hash = $hash, k.logId = $log_id, k.statusAt = $today,
    k.caption = 'checkpoint ' + toString($seq)"""

REDIRECTS = "MATCH (e:Entity) WHERE e.mergedIds IS NOT NULL RETURN e.id AS id, e.mergedIds AS merged"

# relationships first, in bounded transactions: a node with tens of thousands of
# relationships would otherwise be one huge DETACH DELETE
WIPE = [
    """MATCH (n)-[r]->() WHERE n:Entity OR n:Claim OR n:Proposition OR n:Resolution
       CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS""",
    """MATCH (n) WHERE n:Entity OR n:Claim OR n:Proposition OR n:Source OR n:Resolution OR n:ClaimgraphCheckpoint
       CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS""",
]

# -- plans ---------------------------------------------------------------------------------
# The statements above are written so that the plan Neo4j makes for them on an empty
# database stays good as it fills (a test holds them to that). Neo4j would otherwise plan
# them again and again while a sync changes the statistics, a good part of its work on a
# large log; so the statements a sync runs keep their plan.
KEEP_PLAN = "CYPHER replan=skip\n"


def _keep_plan(statement: str) -> str:
    return KEEP_PLAN + statement


ENTITY = {k: _keep_plan(v) for k, v in ENTITY.items()}
ENSURE_ENTITY = {k: _keep_plan(v) for k, v in ENSURE_ENTITY.items()}
CLAIM = {k: _keep_plan(v) for k, v in CLAIM.items()}
HOP = {k: _keep_plan(v) for k, v in HOP.items()}
ALIAS, EXTERNAL_ID, SOURCE, ENSURE_SOURCE, KNOWN, PROPOSITION = map(
    _keep_plan, (ALIAS, EXTERNAL_ID, SOURCE, ENSURE_SOURCE, KNOWN, PROPOSITION))
DELETE_HOPS, RETRACT_CLAIM, DELIVERS, PROPOSITIONS_OF, SIBLINGS, CHAINS_OF_CLAIMS = map(
    _keep_plan, (DELETE_HOPS, RETRACT_CLAIM, DELIVERS, PROPOSITIONS_OF, SIBLINGS, CHAINS_OF_CLAIMS))
CHAINS_DUE_SET, CHAINS_DUE, CHAIN_PROMISES, CHAIN_DEVELOPERS, CHAIN_AFFILIATIONS = map(
    _keep_plan, (CHAINS_DUE_SET, CHAINS_DUE, CHAIN_PROMISES, CHAIN_DEVELOPERS, CHAIN_AFFILIATIONS))
CHAINS_UNLINK, CHAINS_DONE, REVISED_BY, RESOLUTION, RETRACT_RESOLUTION, DUE_FOR_RECHECK, STATUS = map(
    _keep_plan, (CHAINS_UNLINK, CHAINS_DONE, REVISED_BY, RESOLUTION, RETRACT_RESOLUTION, DUE_FOR_RECHECK, STATUS))
CHECKPOINT_GET, CHECKPOINT_SET, STATUS_AT_SET = map(_keep_plan, (CHECKPOINT_GET, CHECKPOINT_SET, STATUS_AT_SET))
