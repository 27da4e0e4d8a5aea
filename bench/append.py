"""Bulk append: claimgraph's append path vs plain sqlite3 (floor) vs eventsourcing (peer).

All three write the same N claim events in batches of the same size, to a fresh file
database each run, in WAL mode. Reports the median of the runs, events/s and ratios.

    python3 bench/append.py [--events 50000] [--batch 5000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import gc
import tempfile
import uuid
from pathlib import Path

from claimgraph.graph.db import connect
from claimgraph.graph.eventlog import DDL, EventLog, event_hash
from claimgraph.schema.events import ClaimRecorded

from common import claim_payload, dumps, table, timed


def run_claimgraph(payloads, batch, folder):
    log = EventLog(connect(Path(folder) / "cg.db"))
    for i in range(0, len(payloads), batch):
        events = [ClaimRecorded.model_validate(p) for p in payloads[i:i + batch]]
        log.append(events, actor="bench@1", reason="bench")
    log.conn.close()


def run_claimgraph_raw(rows, batch, folder):
    """claimgraph's append of pre-validated rows: dedupe, versions, hash chain, write."""
    log = EventLog(connect(Path(folder) / "cgraw.db"))
    for i in range(0, len(rows), batch):
        log.append_raw(rows[i:i + batch], actor="bench@1", reason="bench")
    log.conn.close()


def floor_rows(payloads):
    rows, prev = [], "0" * 64
    for seq, p in enumerate(payloads, 1):
        data = dumps({k: v for k, v in p.items() if v is not None})
        eid = uuid.uuid4().hex
        h = event_hash(prev, seq, eid, p["claim_id"], 1, "claim-recorded", 2, data, "bench@1", "bench",
                       "2026-01-01T00:00:00.000000Z")
        rows.append((seq, eid, p["claim_id"], 1, "claim-recorded", 2, data, "bench@1", "bench",
                     "2026-01-01T00:00:00.000000Z", prev, h))
        prev = h
    return rows


def run_sqlite(rows, batch, folder):
    conn = connect(Path(folder) / "plain.db")
    conn.executescript(DDL)
    for i in range(0, len(rows), batch):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows[i:i + batch])
        conn.execute("COMMIT")
    conn.close()


def run_eventsourcing(stored, batch, folder):
    from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
    datastore = SQLiteDatastore(str(Path(folder) / "es.db"))
    recorder = SQLiteApplicationRecorder(datastore)
    recorder.create_table()
    for i in range(0, len(stored), batch):
        recorder.insert_events(stored[i:i + batch])
    datastore.close()


_ES_CLAIM = None


def _es_claim_class():
    """One aggregate class per process (eventsourcing registers classes by topic)."""
    global _ES_CLAIM
    if _ES_CLAIM is None:
        from eventsourcing.domain import Aggregate, event

        class Claim(Aggregate):
            @event("Recorded")
            def __init__(self, claim_id: str, claimant: str, proposition: dict, stated: str, channel: str,
                         modality: str, evidence: dict, confidence, extractor):
                self.claim_id = claim_id
        _ES_CLAIM = Claim
    return _ES_CLAIM


def run_eventsourcing_app(payloads, batch, folder):
    """eventsourcing's whole append path: aggregate events -> mapper/transcoder -> recorder."""
    import os

    from eventsourcing.application import Application
    claim = _es_claim_class()
    os.environ.update(PERSISTENCE_MODULE="eventsourcing.sqlite", SQLITE_DBNAME=str(Path(folder) / "esapp.db"))
    app = Application()
    for i in range(0, len(payloads), batch):
        app.save(*[claim(**p) for p in payloads[i:i + batch]])
    app.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=50000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    payloads = [claim_payload(i) for i in range(args.events)]
    rows = floor_rows(payloads)
    from eventsourcing.persistence import StoredEvent
    validated = [ClaimRecorded.model_validate(p) for p in payloads]
    raw = [(e.event_id(), e.stream_id(), e.TYPE, e.VERSION, e.model_dump_json(exclude_none=True)) for e in validated]
    stored = [StoredEvent(uuid.uuid5(uuid.NAMESPACE_URL, p["claim_id"]), 1, "claimgraph:ClaimRecorded",
                          dumps(p).encode()) for p in payloads]
    # the inputs are built once; freezing them keeps the garbage collector from rescanning
    # them during every timed run (the same for every path)
    gc.collect()
    gc.freeze()
    results = {}
    for name, fn in (("plain sqlite3 executemany (floor)", lambda d: run_sqlite(rows, args.batch, d)),
                     ("claimgraph append (validate+hash+write)", lambda d: run_claimgraph(payloads, args.batch, d)),
                     ("claimgraph append_raw (pre-validated: hash+write)", lambda d: run_claimgraph_raw(raw, args.batch, d)),
                     ("eventsourcing SQLiteApplicationRecorder (peer)", lambda d: run_eventsourcing(stored, args.batch, d)),
                     ("eventsourcing Application.save (peer, whole path)",
                      lambda d: run_eventsourcing_app(payloads, args.batch, d))):
        def once():
            with tempfile.TemporaryDirectory() as d:
                fn(d)
        results[name] = timed(once, args.repeat)
    floor = results["plain sqlite3 executemany (floor)"][0]
    peer = results["eventsourcing SQLiteApplicationRecorder (peer)"][0]
    mine = results["claimgraph append (validate+hash+write)"][0]
    print(f"append of {args.events} claim events in batches of {args.batch}, median of {args.repeat} runs\n")
    print(table(["path", "median s", "events/s", "vs floor", "vs eventsourcing"],
                [[n, f"{t:.3f}", f"{args.events / t:,.0f}", f"{floor / t:.2f}x", f"{peer / t:.2f}x"]
                 for n, (t, _) in results.items()]))
    app = results["eventsourcing Application.save (peer, whole path)"][0]
    print(f"\nclaimgraph throughput = {floor / mine:.2f}x the floor (target >= 0.5x), "
          f"{peer / mine:.2f}x the eventsourcing recorder, {app / mine:.2f}x eventsourcing's whole "
          "append path (target >= 2x)")


if __name__ == "__main__":
    main()
