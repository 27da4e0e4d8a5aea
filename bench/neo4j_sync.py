"""Neo4j projection throughput vs a naive loader, and vs the SQLite rebuild of the same log.

Projects a synthetic log (cached under bench/out/) into a running Neo4j with
`Neo4jProjection.sync --rebuild` and reports events/s and total time. In the same run:
  naive     one claim per transaction with individual MERGE statements, on a sample
            of the same claims (its events/s is extrapolated from the sample)
  rebuild   the SQLite read-model rebuild of the same log (the target: sync < 3x it)

Needs a Neo4j (deploy/neo4j/neo4j.sh start); NEO4J_URI/USER/PASSWORD as for the CLI.
Note: it wipes claimgraph's nodes in that Neo4j.

    python3 bench/neo4j_sync.py [--events 510000] [--sample 2000] [--batch 5000]
"""
from __future__ import annotations

import argparse
import sys
import time

from replay import build

from claimgraph.graph.neo4j_projection import Neo4jProjection, Neo4jSettings, connect
from claimgraph.graph.store import Store

from common import cached_db, table

NAIVE = [
    "MERGE (p:Proposition {id: $prop}) SET p.predicate = $predicate, p.due = $due",
    "MERGE (s:Entity {id: $subject})",
    "MATCH (p:Proposition {id: $prop}), (s:Entity {id: $subject}) MERGE (p)-[:SUBJECT]->(s)",
    "MERGE (c:Claim {id: $id}) SET c.stated = $stated, c.modality = $modality, c.quote = $quote, c.seq = $seq",
    "MERGE (e:Entity {id: $claimant})",
    "MATCH (e:Entity {id: $claimant}), (c:Claim {id: $id}) MERGE (e)-[:CLAIMED]->(c)",
    "MATCH (c:Claim {id: $id}), (p:Proposition {id: $prop}) MERGE (c)-[:STATES]->(p)",
    "MERGE (s:Source {id: $source})",
    "MATCH (c:Claim {id: $id}), (s:Source {id: $source}) MERGE (c)-[:REPORTED_IN]->(s)",
]


def naive_load(driver, store: Store, sample: int) -> tuple[float, int]:
    """One transaction per claim, one MERGE per node/relationship (into separate labels)."""
    claims = []
    for seq, t, d, _actor, _recorded in store.log.read_payloads(0, store.head()):
        if t == "claim-recorded":
            p, ev = d["proposition"], d["evidence"]
            claims.append({"id": "naive-" + d["claim_id"], "prop": "naive-" + p["id"], "predicate": p["predicate"],
                           "due": p.get("due"), "subject": "naive-" + p["subject"], "stated": d["stated"],
                           "modality": d["modality"], "quote": ev["quote"], "seq": seq,
                           "claimant": "naive-" + d["claimant"], "source": "naive-" + ev["source_id"]})
            if len(claims) >= sample:
                break
    start = time.perf_counter()
    with driver.session() as s:
        for c in claims:
            def work(tx, c=c):
                for statement in NAIVE:
                    tx.run(statement, **c).consume()
            s.execute_write(work)
    elapsed = time.perf_counter() - start
    with driver.session() as s:
        s.run("MATCH (n) WHERE n.id STARTS WITH 'naive-' CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
    return elapsed, len(claims)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=510_000)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=5000)
    args = ap.parse_args()
    db = cached_db(f"neo4j-{args.events}.db", build, args.events)
    store = Store(str(db))
    claims = store.conn.execute("SELECT COUNT(*) FROM rm_claims").fetchone()[0]
    driver = connect(Neo4jSettings.from_env())
    projection = Neo4jProjection(driver, store.log)
    projection.wipe()

    t = time.perf_counter()
    store.rebuild()
    rebuild_s = time.perf_counter() - t

    done = [0]

    def progress(n):
        done[0] += n
        print(f"\rneo4j sync: {done[0]:,}/{store.head():,} events ({time.perf_counter() - t0:.0f} s)",
              end="", file=sys.stderr)

    t0 = time.perf_counter()
    applied = projection.sync(batch_size=args.batch, rebuild=True, progress=progress)
    sync_s = time.perf_counter() - t0
    print(file=sys.stderr)
    naive_s, naive_n = naive_load(driver, store, args.sample)
    driver.close()

    sync_claims_per_s = claims / sync_s
    naive_claims_per_s = naive_n / naive_s
    rows = [
        ["claimgraph sync (UNWIND+MERGE batches)", f"{applied:,} events / {claims:,} claims", f"{sync_s:.1f}",
         f"{applied / sync_s:,.0f}", f"{sync_claims_per_s:,.0f}", f"{sync_claims_per_s / naive_claims_per_s:.1f}x"],
        ["naive: 1 claim per transaction, single MERGEs", f"sample of {naive_n:,} claims", f"{naive_s:.1f}",
         "", f"{naive_claims_per_s:,.0f}", "1.0x"],
        ["SQLite read-model rebuild (same log)", f"{store.head():,} events", f"{rebuild_s:.1f}",
         f"{store.head() / rebuild_s:,.0f}", f"{claims / rebuild_s:,.0f}", ""],
    ]
    print(f"Neo4j projection of a log of {store.head():,} events ({claims:,} claims), batches of {args.batch}\n")
    print(table(["loader", "size", "seconds", "events/s", "claims/s", "vs naive"], rows))
    print(f"\nsync = {sync_claims_per_s / naive_claims_per_s:.1f}x the naive loader (target >= 20x); "
          f"sync time {sync_s:.1f} s vs rebuild x 3 = {3 * rebuild_s:.1f} s "
          f"(target: less; ratio {sync_s / rebuild_s:.2f}x the rebuild)")
    store.close()


if __name__ == "__main__":
    main()
