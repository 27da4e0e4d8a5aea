"""RDF export and import on ≥100,000 claims vs plain rdflib and pyoxigraph (the floor).

Builds (once, cached under bench/out/) a log whose quotes are real spans of their
sources, then in one run:
  export   claimgraph N-Quads and TriG export; rdflib serialising the same data
           (parsed into an rdflib Dataset first, not timed); pyoxigraph serialising it
  import   claimgraph ingest of the N-Quads and TriG files into an empty database
           (parse, events, append, read model); rdflib only parsing each file;
           pyoxigraph only parsing it
  scaling  TriG export time at 10%, 50% and 100% of the claims (as-of positions)

    python3 bench/rdf.py [--claims 100000]
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

from claimgraph.graph.rdf_export import write
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.schema.events import ClaimRecorded, EntityRegistered, SourceRegistered
from claimgraph.schema.model import Evidence, ObjectValue, Proposition, content_id, source_id

from common import cached_db, table


def build(path: Path, claims: int, per_source: int = 100) -> None:
    store = Store(str(path))
    store.log.append([EntityRegistered(entity_id=f"person:p-{i}", kind="person", name=f"Person {i}")
                      for i in range(500)] +
                     [EntityRegistered(entity_id=f"model:m-{i}", kind="model", name=f"Model M{i}",
                                       aliases=({"name": f"M{i}", "lang": "en"},)) for i in range(2000)] +
                     [EntityRegistered(entity_id=f"hardware:h-{i}", kind="hardware", name=f"H{i}") for i in range(50)],
                     actor="bench@1")
    for s in range(0, claims, per_source):
        sentences = [f"Person {i % 500} said Model M{i % 2000} ships with {i} GPUs." for i in range(s, s + per_source)]
        text = " ".join(sentences)
        sid = source_id(text)
        events = [SourceRegistered(source_id=sid, text=text, title=f"Article {s}", language="en",
                                   published="2024-06-01", url=f"https://example.org/{s}")]
        offset = 0
        for i, sentence in zip(range(s, s + per_source), sentences):
            obj = ObjectValue(entity=f"hardware:h-{i % 50}") if i % 3 == 0 else None
            prop = Proposition.make(f"model:m-{i % 2000}", "trained_on" if obj else "release", obj,
                                    i if obj else None, None, None if obj else f"{2024 + i % 3}-12-31")
            events.append(ClaimRecorded(
                claim_id=content_id("claim", i), claimant=f"person:p-{i % 500}", proposition=prop,
                stated=f"{2023 + i % 3}-{1 + i % 12:02d}", channel="blog", modality="promised" if not obj else "asserted",
                evidence=Evidence(source_id=sid, quote=sentence, start=offset, end=offset + len(sentence), language="en")))
            offset += len(sentence) + 1
        store.log.append(events, actor="bench@1")
        print(f"\rbuilding: {s + per_source:,} claims", end="", file=sys.stderr)
    print(file=sys.stderr)
    store.refresh()
    store.close()


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=100_000)
    args = ap.parse_args()
    db = cached_db(f"rdf-{args.claims}.db", build, args.claims)
    store = Store(str(db))
    store.refresh()
    work = Path(tempfile.mkdtemp(prefix="cg-rdf-"))
    rows = []
    files = {}
    for fmt, ext, oxfmt, rdflib_fmt in (("nquads", ".nq", ox.RdfFormat.N_QUADS, "nquads"),
                                        ("trig", ".trig", ox.RdfFormat.TRIG, "trig")):
        path = work / f"export{ext}"
        with open(path, "w", encoding="utf-8") as out:
            t_cg, quads = timed(lambda: write(store.read, fmt, out))
        files[fmt] = path
        ds = rdflib.Dataset()
        ds.parse(path, format=rdflib_fmt)
        t_rdflib, _ = timed(lambda: ds.serialize(format=rdflib_fmt, encoding="utf-8"))
        parsed = list(ox.parse(path=str(path), format=oxfmt))
        t_ox, _ = timed(lambda: ox.serialize(parsed, format=oxfmt))
        rows += [[f"export {fmt}", "claimgraph", f"{t_cg:.2f}", f"{quads / t_cg:,.0f}", f"{t_rdflib / t_cg:.2f}x"],
                 [f"export {fmt}", "rdflib serialize", f"{t_rdflib:.2f}", f"{quads / t_rdflib:,.0f}", "1.00x"],
                 [f"export {fmt}", "pyoxigraph serialize (floor)", f"{t_ox:.2f}", f"{quads / t_ox:,.0f}",
                  f"{t_rdflib / t_ox:.2f}x"]]
        t_parse_rdflib, _ = timed(lambda: rdflib.Dataset().parse(path, format=rdflib_fmt))
        t_parse_ox, _ = timed(lambda: sum(1 for _ in ox.parse(path=str(path), format=oxfmt)))
        with Store(str(work / f"import-{fmt}.db")) as target:
            t_import, r = timed(lambda: ingest_path(target, path))
        rows += [[f"import {fmt}", "claimgraph ingest (parse+events+append+read model)", f"{t_import:.2f}",
                  f"{quads / t_import:,.0f}", f"{t_parse_rdflib / t_import:.2f}x"],
                 [f"import {fmt}", "rdflib parse only", f"{t_parse_rdflib:.2f}", f"{quads / t_parse_rdflib:,.0f}", "1.00x"],
                 [f"import {fmt}", "pyoxigraph parse only (floor)", f"{t_parse_ox:.2f}", f"{quads / t_parse_ox:,.0f}",
                  f"{t_parse_rdflib / t_parse_ox:.2f}x"]]
    claims = store.conn.execute("SELECT seq_from FROM rm_claims ORDER BY seq_from").fetchall()
    scaling = []
    for share in (0.1, 0.5, 1.0):
        n = max(1, int(len(claims) * share))
        asof = claims[n - 1][0]
        t, count = timed(lambda: write(store.read, "trig", io.StringIO(), asof=asof))
        scaling.append([f"{n:,} claims", f"{count:,} quads", f"{t:.2f}", f"{t / n * 1e6:.1f}"])
    print(f"RDF on {len(claims):,} claims ({quads:,} quads per export)\n")
    print(table(["step", "who", "seconds", "quads/s", "speed vs rdflib"], rows))
    print()
    print(table(["TriG export of", "size", "seconds", "µs per claim"], scaling))
    store.close()


if __name__ == "__main__":
    main()
