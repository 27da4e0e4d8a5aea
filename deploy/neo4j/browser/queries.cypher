// claimgraph: example queries for Neo4j Browser. The claimgraph guide (opened after login
// by deploy/neo4j/neo4j.sh) offers each as a one-click query; or paste one, or star it.
// Queries return paths, so Browser draws and counts the relationships too.

// Who said what about Grok 3
// One hop: an arrow from claimant to subject per claim, typed by how it was said, with the promise's status.
MATCH path = (who:Entity)-[r]->(:Entity {id: 'model:grok-3'})
WHERE r.claimId IS NOT NULL
RETURN path;

// Everything about Grok 3
// The claims in full: who claimed, the claim, the proposition it states, and how it was resolved.
MATCH path = (who:Entity)-[:CLAIMED]->(c:Claim)-[:STATES]->(p:Proposition)-[:SUBJECT|OBJECT]->(:Entity {id: 'model:grok-3'})
WHERE c.seqTo IS NULL
OPTIONAL MATCH resolved = (r:Resolution)-[:RESOLVES]->(p) WHERE r.seqTo IS NULL
RETURN path, resolved;

// Musk's promises and how they turned out
// Promised, planned or predicted, or given a due date; with the resolutions.
MATCH path = (:Person {id: 'person:elon-musk'})-[:CLAIMED]->(c:Claim {promise: true})-[:STATES]->(p:Proposition)-[:SUBJECT]->(:Entity)
WHERE c.seqTo IS NULL
OPTIONAL MATCH resolved = (r:Resolution)-[:RESOLVES]->(p) WHERE r.seqTo IS NULL
RETURN path, resolved;

// How Grok 3's release date moved
// Revision chains: each promise REVISED_BY the next of the same camp, "slipped" when the date moved later.
MATCH (:Entity {id: 'model:grok-3'})<-[:SUBJECT]-(first:Proposition)
WHERE NOT EXISTS { (:Proposition)-[:REVISED_BY]->(first) }
MATCH path = (first)-[:REVISED_BY*]->(last:Proposition)
WHERE NOT EXISTS { (last)-[:REVISED_BY]->() }
RETURN path;

// Who claimed what about H100s
// Found by id or alias; H100s as subject or object.
MATCH (h:Hardware) WHERE h.id = 'hardware:nvidia-h100' OR 'H100' IN h.aliases
MATCH path = (who:Entity)-[:CLAIMED]->(c:Claim)-[:STATES]->(:Proposition)-[:SUBJECT|OBJECT]->(h)
WHERE c.seqTo IS NULL
RETURN path;

// Where it was reported
// Sources and the claims quoted from them.
MATCH path = (who:Entity)-[:CLAIMED]->(c:Claim)-[:REPORTED_IN]->(:Source)
WHERE c.seqTo IS NULL
RETURN path;

// Promises by status
// One hop, the status on each arrow.
MATCH path = (who:Entity)-[r]->(:Entity)
WHERE r.claimId IS NOT NULL AND r.promise
RETURN path;

// Broken promises, by claimant
// A table: what was promised, how, when, in whose words.
MATCH (who:Entity)-[:CLAIMED]->(c:Claim {promise: true})-[:STATES]->(p:Proposition {status: 'broken'})
WHERE c.seqTo IS NULL
RETURN who.name AS claimant, p.caption AS promise, c.modality AS said, c.stated AS stated, c.quote AS quote
ORDER BY claimant, stated;

// Overdue promises
// A table: the due date has passed and nothing has resolved them yet.
MATCH (who:Entity)-[:CLAIMED]->(c:Claim {promise: true})-[:STATES]->(p:Proposition {status: 'overdue'})
WHERE c.seqTo IS NULL
RETURN who.name AS claimant, p.caption AS promise, p.due AS due, c.stated AS stated, c.quote AS quote
ORDER BY claimant, due;
