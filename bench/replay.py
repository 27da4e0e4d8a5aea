"""Rebuild of the read model from a large log vs the floor, and as-of query cost.

Builds (once, cached in the benchmark cache folder, see common.cache_dir) a log of N events: entities, sources, claims,
resolutions and retractions. Then, each in a fresh process so peak memory is its own:
  floor    read every event with plain sqlite3, json-decode it, and insert one row per
           event with executemany
  rebuild  claimgraph's Projection.rebuild (drop, replay, index)
and finally the same claims query at an early log position and on the current state.

    python3 bench/replay.py [--events 1000000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from claimgraph.graph.db import connect
from claimgraph.graph.readmodel import ClaimFilter
from claimgraph.graph.store import Store
from claimgraph.schema.events import ClaimRecorded, ClaimRetracted, PropositionResolved

from common import cached_db, claim_payload, entity_events, source_events, table


def build(path: Path, events: int) -> None:
    store = Store(str(path))
    fixed = list(entity_events()) + list(source_events())
    store.log.append(fixed, actor="bench@1")
    i, batch = 0, 10000
    remaining = events - len(fixed)
    t = time.perf_counter()
    while remaining > 0:
        n = min(batch, remaining)
        out = []
        for j in range(i, i + n):
            if j % 50 == 49:  # now and then a resolution or a retraction of an earlier claim
                p = claim_payload(j - 49)
                if j % 100 == 99:
                    out.append(ClaimRetracted(claim_id=p["claim_id"], reason="bench"))
                else:
                    out.append(PropositionResolved(
                        resolution_id=f"resolution:{j:016x}", proposition_id=p["proposition"]["id"],
                        verdict="broken", known="2025-01", evidence=p["evidence"]))
            else:
                out.append(ClaimRecorded.model_validate(claim_payload(j)))
        store.log.append(out, actor="bench@1")
        i += n
        remaining -= n
        print(f"\rbuilding log: {store.head():,} events ({time.perf_counter() - t:.0f} s)", end="", file=sys.stderr)
    print(file=sys.stderr)
    store.projection.catch_up()
    store.close()


def phase_floor(db: str) -> None:
    conn = connect(db)
    conn.execute("DROP TABLE IF EXISTS floor_rows")
    conn.execute("CREATE TABLE floor_rows (seq INTEGER PRIMARY KEY, type TEXT, stream TEXT, payload TEXT)")
    position = 0
    while True:
        rows = conn.execute("SELECT seq, type, stream_id, data FROM events WHERE seq > ? ORDER BY seq LIMIT 20000",
                            (position,)).fetchall()
        if not rows:
            break
        conn.execute("BEGIN")
        out = []
        for seq, type_, stream, data in rows:
            d = json.loads(data)
            out.append((seq, type_, stream, d.get("claim_id") or stream))
        conn.executemany("INSERT INTO floor_rows VALUES (?,?,?,?)", out)
        conn.execute("COMMIT")
        position = rows[-1][0]
    conn.execute("DROP TABLE floor_rows")


def phase_rebuild(db: str) -> None:
    store = Store(db)
    store.rebuild()
    store.close()


def run_phase(phase: str, db: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of a phase run in its own process."""
    code = (f"import sys, time, resource; sys.path.insert(0, {str(Path(__file__).parent)!r}); import replay; "
            f"t = time.perf_counter(); replay.phase_{phase}({str(db)!r}); "
            f"print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    seconds, rss = out.split()
    return float(seconds), float(rss)


def query_times(db: Path, repeat: int = 30) -> dict:
    store = Store(str(db))
    head = store.head()
    early = head // 20
    f = ClaimFilter(claimant="person:p-7")
    out = {}
    for label, asof in (("current state", None), (f"as of position {early:,}", early)):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            rows = store.read.claims(f, asof=asof, limit=20, order="stated", descending=True)
            times.append(time.perf_counter() - t)
        out[label] = (statistics.median(times), len(rows))
    store.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    db = cached_db(f"replay-{args.events}.db", build, args.events)
    results = {"floor": [], "rebuild": []}
    for _ in range(args.repeat):
        for phase in results:
            results[phase].append(run_phase(phase, db))
    rows = []
    floor_t = statistics.median(t for t, _ in results["floor"])
    for phase, label in (("floor", "floor: sqlite3 read + json decode + executemany 1 row/event"),
                         ("rebuild", "claimgraph rebuild (drop, replay, index)")):
        t = statistics.median(x for x, _ in results[phase])
        rss = max(r for _, r in results[phase])
        rows.append([label, f"{t:.2f}", f"{args.events / t:,.0f}", f"{t / floor_t:.2f}x", f"{rss:.0f}"])
    print(f"replay of a log of {args.events:,} events, median of {args.repeat} runs\n")
    print(table(["phase", "median s", "events/s", "time vs floor", "peak RSS MiB"], rows))
    q = query_times(db)
    (cur_t, cur_n), (early_label, (early_t, early_n)) = q["current state"], list(q.items())[1]
    print()
    print(table(["query: 20 latest claims of one claimant", "median ms", "rows"],
                [["current state", f"{cur_t * 1000:.2f}", cur_n],
                 [early_label, f"{early_t * 1000:.2f}", early_n]]))
    print(f"\nrebuild = {statistics.median(t for t, _ in results['rebuild']) / floor_t:.2f}x the floor's time "
          f"(target <= 3x); peak memory {max(r for _, r in results['rebuild']):.0f} MiB (target <= 1024); "
          f"as-of query = {early_t / cur_t:.2f}x the current-state query (target <= 3x)")


if __name__ == "__main__":
    main()
