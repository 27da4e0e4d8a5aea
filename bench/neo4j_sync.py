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
It deletes claimgraph's nodes in that Neo4j. With CLAIMGRAPH_NEO4J_HOME naming the home of a
local server started by neo4j.sh, the table also shows the server's CPU seconds (and the
client's): on a shared machine they vary less than the wall time.

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
#: what the sync's process may hold: two batches of rows, the driver, and caches of at most
#: 100,000 names, 200,000 proposition ids and 65,536 captions of each kind
MEMORY_CAP_MIB = 512


def server_cpu() -> float | None:
    """CPU seconds used so far by the local Neo4j that deploy/neo4j/neo4j.sh started (its
    home: CLAIMGRAPH_NEO4J_HOME, else deploy/neo4j/run), if known."""
    import os
    home = os.environ.get("CLAIMGRAPH_NEO4J_HOME") or Path(__file__).resolve().parents[1] / "deploy/neo4j/run"
    try:
        pid = (Path(home) / "neo4j.pid").read_text().strip()
        if not pid.isdigit():
            return None
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_cpu() -> float:
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase(name: str, db: str, upto: int | None, batch: int) -> dict[str, float | None]:
    """Run one phase in this process; returns seconds, events applied and claims."""
    import resource

    from claimgraph.graph.neo4j import Neo4jProjection, Neo4jSettings, connect
    from claimgraph.graph.store import Store

    store = Store(db)
    server: float | None = None
    written: int | None = None
    if name == "rebuild":
        cpu, t = client_cpu(), time.perf_counter()
        applied = store.rebuild()
        seconds, cpu = time.perf_counter() - t, client_cpu() - cpu
    else:
        driver = connect(Neo4jSettings.from_env())
        if name == "baseline":
            sys.path.insert(0, str(HERE))
            from neo4j_baseline import Neo4jProjection as Baseline
            projection: Neo4jProjection | Baseline = Baseline(driver, store.log)
        else:
            projection = Neo4jProjection(driver, store.log)
        projection.wipe()  # into an empty database (not timed)
        before, cpu, t = server_cpu(), client_cpu(), time.perf_counter()
        applied = projection.sync(batch_size=batch, upto=upto)
        seconds, cpu = time.perf_counter() - t, client_cpu() - cpu
        after = server_cpu()
        server = after - before if after is not None and before is not None else None
        records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
        written = records[0]["n"]
        records, _, _ = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n")
        written += records[0]["n"]
        driver.close()
    n = upto if upto is not None else store.head()
    claims = store.conn.execute("SELECT COUNT(*) FROM events WHERE type = 'claim-recorded' AND seq <= ?",
                                (n,)).fetchone()[0]
    store.close()
    return {"seconds": seconds, "applied": applied, "claims": claims, "client_cpu": cpu, "server_cpu": server,
            "written": written,
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB}


def run(name: str, db: Path, upto: int | None, batch: int) -> dict[str, float | None]:
    """A phase in its own process (its peak memory is its own)."""
    args = [sys.executable, __file__, "--phase", name, "--db", str(db), "--batch", str(batch)]
    if upto is not None:
        args += ["--upto", str(upto)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    result: dict[str, float | None] = json.loads(out.strip().splitlines()[-1])
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

    built = time.perf_counter()
    db = cached_db(f"neo4j-{args.events}.db", build, args.events)
    built = time.perf_counter() - built  # only the first run builds the log (it is cached)
    started = time.perf_counter()
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

    def median(name: str, key: str = "seconds") -> float:
        return statistics.median(float(r[key] or 0) for r in runs[name])

    def spread(name: str) -> str:
        times = sorted(float(r["seconds"] or 0) for r in runs[name])
        return f"{times[0]:.1f}–{times[-1]:.1f}"

    def cpu(result_or_name: str | dict[str, float | None]) -> str:
        if isinstance(result_or_name, str):
            server = [r["server_cpu"] for r in runs[result_or_name]]
            client = median(result_or_name, "client_cpu")
            server_s = f"{statistics.median(float(x) for x in server if x is not None):.1f}" \
                if all(x is not None for x in server) and result_or_name != "rebuild" else "–"
        else:
            client = float(result_or_name["client_cpu"] or 0)
            server_s = f"{result_or_name['server_cpu']:.1f}" if result_or_name["server_cpu"] is not None else "–"
        return f"{server_s} / {client:.1f}"

    def peak(name: str) -> str:
        return f"{max(float(r['rss_mib'] or 0) for r in runs[name]):.0f}"

    base, sync, rebuild = median("baseline"), median("sync"), median("rebuild")
    prefix_claims, all_claims = float(runs["sync"][0]["claims"] or 0), float(full["claims"] or 0)
    whole = float(full["seconds"] or 0)
    def elements(result: dict[str, float | None]) -> str:
        return f"{float(result['written'] or 0):,.0f}" if result.get("written") else "–"

    rows = [
        ["before: previous projection", f"first {compare:,}", f"{base:.1f}", spread("baseline"), cpu("baseline"),
         f"{compare / base:,.0f}", f"{prefix_claims / base:,.0f}", elements(runs["baseline"][0]), peak("baseline")],
        ["after: claimgraph sync", f"first {compare:,}", f"{sync:.1f}", spread("sync"), cpu("sync"),
         f"{compare / sync:,.0f}", f"{prefix_claims / sync:,.0f}", elements(runs["sync"][0]), peak("sync")],
        ["claimgraph sync, whole log", f"{args.events:,}", f"{whole:.1f}", "(1 run)", cpu(full),
         f"{args.events / whole:,.0f}", f"{all_claims / whole:,.0f}", elements(full),
         f"{float(full['rss_mib'] or 0):.0f}"],
        ["SQLite read-model rebuild", f"{args.events:,}", f"{rebuild:.1f}", spread("rebuild"), cpu("rebuild"),
         f"{args.events / rebuild:,.0f}", f"{all_claims / rebuild:,.0f}", "–", peak("rebuild")],
    ]
    print(f"Neo4j projection of a log of {args.events:,} events ({all_claims:,.0f} claims), batches of {args.batch}, "
          f"into an empty database; medians of {args.repeat} runs\n")
    print(table(["loader", "events", "median s", "range s", "CPU s server / client", "events/s", "claims/s",
                 "nodes + relationships", "peak RSS MiB"], rows))
    speedup = base / sync
    ratio = whole / rebuild
    memory = float(full["rss_mib"] or 0)
    prefix_memory = max(float(r["rss_mib"] or 0) for r in runs["sync"])
    print()
    print(f"target: sync >= 5x faster than before (same events, same run): {speedup:.2f}x — {verdict(speedup >= 5)}")
    print(f"goal:   sync within 3x the SQLite rebuild of the same log: {ratio:.2f}x — {verdict(ratio <= 3)}")
    print(f"target: memory bounded — the sync keeps two batches and capped caches, whatever the log's size: "
          f"peak RSS {prefix_memory:.0f} MiB for {compare:,} events, {memory:.0f} MiB for {args.events:,} "
          f"(<= {MEMORY_CAP_MIB} MiB): {verdict(memory <= MEMORY_CAP_MIB)}")
    cached = f" (and {built:.0f} s building the log, once: it is cached)" if built > 1 else " (the log was cached)"
    print(f"target: the bench completes within 5 minutes: {elapsed:.0f} s{cached} — {verdict(elapsed <= 300)}")


if __name__ == "__main__":
    main()
