// claimgraph: example queries for Neo4j Browser (paste one, or star it as a favorite).
// Load the style first: drag deploy/neo4j/browser/claimgraph.grass onto the Browser window.

// Musk's promises and how they turned out
MATCH (m:Person {id: 'person:elon-musk'})-[:CLAIMED]->(c:Claim)-[:STATES]->(p:Proposition)
WHERE c.modality IN ['promised', 'planned', 'predicted', 'hedged'] AND c.seqTo IS NULL
OPTIONAL MATCH (r:Resolution)-[:RESOLVES]->(p) WHERE r.seqTo IS NULL
RETURN m, c, p, r;

// Everything about Grok 3
MATCH (g:Entity {id: 'model:grok-3'})
OPTIONAL MATCH (g)<-[:SUBJECT|OBJECT]-(p:Proposition)<-[:STATES]-(c:Claim)<-[:CLAIMED]-(who:Entity)
OPTIONAL MATCH (c)-[:REPORTED_IN]->(s:Source)
OPTIONAL MATCH (r:Resolution)-[:RESOLVES]->(p)
RETURN g, p, c, who, s, r;

// Who claimed what about H100s
MATCH (h:Hardware) WHERE h.id = 'hardware:nvidia-h100' OR 'H100' IN h.aliases
MATCH (h)<-[:SUBJECT|OBJECT]-(p:Proposition)<-[:STATES]-(c:Claim)<-[:CLAIMED]-(who:Entity)
RETURN who, c, p, h;

// Broken promises, by claimant (a table)
MATCH (who:Entity)-[:CLAIMED]->(c:Claim)-[:STATES]->(p:Proposition)<-[:RESOLVES]-(r:Resolution {verdict: 'broken'})
WHERE c.seqTo IS NULL AND r.seqTo IS NULL
RETURN who.name AS claimant, p.caption AS proposition, c.stated AS stated, c.quote AS quote
ORDER BY claimant, stated;

// Overdue promises: due date passed, no resolution yet (a table)
MATCH (who:Entity)-[:CLAIMED]->(c:Claim)-[:STATES]->(p:Proposition)
WHERE p.dueEnd < toString(date()) AND c.seqTo IS NULL
  AND NOT EXISTS { MATCH (r:Resolution)-[:RESOLVES]->(p) WHERE r.seqTo IS NULL }
RETURN who.name AS claimant, p.caption AS proposition, p.due AS due, c.quote AS quote;
