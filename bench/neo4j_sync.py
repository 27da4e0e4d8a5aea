"""Filling Neo4j: claimgraph's sync against the code it replaced and the SQLite rebuild.

Builds (once, cached in the benchmark cache folder, see common.cache_dir) a log of N
events, then, each phase in a fresh process so that its peak memory is its own:

  baseline  the Neo4j projection as it was before (bench/neo4j_baseline.py: one UNWIND +
            MERGE statement per kind of row, written in turn with reading the log), on the
            first --compare events of the log, into an empty database
  sync      claimgraph's sync (claimgraph.graph.neo4j) on the same events, into an empty
            database: before/after in the same run, --repeat times each, alternating
  full      claimgraph's sync of the whole log into an empty database (once: it is the
            long one) — its time against the SQLite rebuild, its memory against the
            prefix's
  rebuild   the SQLite read-model rebuild of the whole log (--repeat times)

The new sync writes more than the baseline did (one-hop relationships, statuses,
captions, revision chains), so the comparison is of the work each does for the same log.
Prints medians, ratios and every target with met / NOT met.

Needs a Neo4j (deploy/neo4j/neo4j.sh start); NEO4J_URI/USER/PASSWORD as for the CLI.
It deletes claimgraph's nodes in that Neo4j.

    python3 bench/neo4j_sync.py [--events 510000] [--compare 50000] [--repeat 3] [--batch 5000]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from replay import build

from common import cached_db, table

HERE = Path(__file__).resolve().parent
MIB = 1024


def phase(name: str, db: str, upto: int | None, batch: int) -> dict[str, float]:
    """Run one phase in this process; returns seconds, events applied and claims."""
    import resource

    from claimgraph.graph.neo4j import Neo4jProjection, Neo4jSettings, connect
    from claimgraph.graph.store import Store

    store = Store(db)
    if name == "rebuild":
        t = time.perf_counter()
        applied = store.rebuild()
        seconds = time.perf_counter() - t
    else:
        driver = connect(Neo4jSettings.from_env())
        if name == "baseline":
            sys.path.insert(0, str(HERE))
            from neo4j_baseline import Neo4jProjection as Baseline
            projection: Neo4jProjection | Baseline = Baseline(driver, store.log)
        else:
            projection = Neo4jProjection(driver, store.log)
        projection.wipe()  # into an empty database (not timed)
        t = time.perf_counter()
        applied = projection.sync(batch_size=batch, upto=upto)
        seconds = time.perf_counter() - t
        driver.close()
    n = upto if upto is not None else store.head()
    claims = store.conn.execute("SELECT COUNT(*) FROM events WHERE type = 'claim-recorded' AND seq <= ?",
                                (n,)).fetchone()[0]
    store.close()
    return {"seconds": seconds, "applied": applied, "claims": claims,
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB}


def run(name: str, db: Path, upto: int | None, batch: int) -> dict[str, float]:
    """A phase in its own process (its peak memory is its own)."""
    args = [sys.executable, __file__, "--phase", name, "--db", str(db), "--batch", str(batch)]
    if upto is not None:
        args += ["--upto", str(upto)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    print(f"  {name:8} {result['applied']:>9,.0f} events  {result['seconds']:7.1f} s", file=sys.stderr)
    return result


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=510_000)
    ap.add_argument("--compare", type=int, default=50_000, help="events of the before/after comparison")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--upto", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.db, args.upto, args.batch)))
        return

    started = time.perf_counter()
    db = cached_db(f"neo4j-{args.events}.db", build, args.events)
    compare = min(args.compare, args.events)
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "sync": [], "rebuild": []}
    print(f"before/after on the first {compare:,} events, {args.repeat} runs each:", file=sys.stderr)
    for _ in range(args.repeat):
        runs["baseline"].append(run("baseline", db, compare, args.batch))
        runs["sync"].append(run("sync", db, compare, args.batch))
    print(f"the whole log ({args.events:,} events):", file=sys.stderr)
    for _ in range(args.repeat):
        runs["rebuild"].append(run("rebuild", db, None, args.batch))
    full = run("sync", db, None, args.batch)
    elapsed = time.perf_counter() - started

    def median(name: str) -> float:
        return statistics.median(r["seconds"] for r in runs[name])

    def spread(name: str) -> str:
        times = sorted(r["seconds"] for r in runs[name])
        return f"{times[0]:.1f}–{times[-1]:.1f}"

    base, sync, rebuild = median("baseline"), median("sync"), median("rebuild")
    prefix_claims, all_claims = runs["sync"][0]["claims"], full["claims"]
    rows = [
        ["before: baseline projection", f"first {compare:,}", f"{base:.1f}", spread("baseline"),
         f"{compare / base:,.0f}", f"{prefix_claims / base:,.0f}", f"{max(r['rss_mib'] for r in runs['baseline']):.0f}"],
        ["after: claimgraph sync", f"first {compare:,}", f"{sync:.1f}", spread("sync"), f"{compare / sync:,.0f}",
         f"{prefix_claims / sync:,.0f}", f"{max(r['rss_mib'] for r in runs['sync']):.0f}"],
        ["claimgraph sync, whole log", f"{args.events:,}", f"{full['seconds']:.1f}", "(1 run)",
         f"{args.events / full['seconds']:,.0f}", f"{all_claims / full['seconds']:,.0f}", f"{full['rss_mib']:.0f}"],
        ["SQLite read-model rebuild", f"{args.events:,}", f"{rebuild:.1f}", spread("rebuild"),
         f"{args.events / rebuild:,.0f}", f"{all_claims / rebuild:,.0f}",
         f"{max(r['rss_mib'] for r in runs['rebuild']):.0f}"],
    ]
    print(f"Neo4j projection of a log of {args.events:,} events ({all_claims:,} claims), batches of {args.batch}, "
          f"into an empty database; medians of {args.repeat} runs\n")
    print(table(["loader", "events", "median s", "range s", "events/s", "claims/s", "peak RSS MiB"], rows))
    speedup = base / sync
    ratio = full["seconds"] / rebuild
    memory = full["rss_mib"] / max(r["rss_mib"] for r in runs["sync"])
    print()
    print(f"target: sync >= 5x faster than before (same events, same run): {speedup:.2f}x — {verdict(speedup >= 5)}")
    print(f"goal:   sync within 3x the SQLite rebuild of the same log: {ratio:.2f}x — {verdict(ratio <= 3)}")
    print(f"target: memory bounded — peak RSS of the whole log's sync {memory:.2f}x that of the first "
          f"{compare:,} events (<= 1.5x): {verdict(memory <= 1.5)}")
    print(f"target: the bench completes within 5 minutes: {elapsed:.0f} s — {verdict(elapsed <= 300)}")


if __name__ == "__main__":
    main()
