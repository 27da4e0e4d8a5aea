"""RDF export and import on ≥100,000 claims vs plain rdflib and pyoxigraph (the floor).

Builds (once, cached under bench/out/) a log whose quotes are real spans of their
sources, then in one run:
  export   claimgraph N-Quads and TriG export; rdflib serialising the same data
           (parsed into an rdflib Dataset first, not timed); pyoxigraph serialising it
  import   claimgraph ingest of the N-Quads and TriG files into an empty database
           (parse, the import gate, append, read model); rdflib only parsing each file;
           pyoxigraph only parsing it; the same for a bundle of Wikidata entity
           documents (labels in several languages, ranked statements with qualifiers
           and references)
  scaling  TriG export time at 10%, 50% and 100% of the claims (as-of positions)

Times are medians of --repeat runs (exports) and --import-repeat runs (imports); the
last line says whether the targets hold (N-Quads export ≥ 2x rdflib, import ≥ 1x
rdflib parse-only).

    python3 bench/rdf.py [--claims 100000] [--repeat 3] [--import-repeat 1] [--wikidata-items 20000]
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

from claimgraph.graph.rdf_export import write
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.ingest.rdf_import import Options
from claimgraph.schema.decide import claim_id_of
from claimgraph.schema.events import ClaimRecorded, EntityRegistered, SourceRegistered
from claimgraph.schema.model import Evidence, ObjectValue, Proposition, source_id

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
                                    i if obj else None, None, None if obj else f"{2024 + i % 3}-12-31",
                                    valid_from=f"{2022 + i % 3}" if i % 5 == 0 else None)
            ev = Evidence(source_id=sid, quote=sentence, start=offset, end=offset + len(sentence), language="en")
            stated, modality = f"{2023 + i % 3}-{1 + i % 12:02d}", "promised" if not obj else "asserted"
            events.append(ClaimRecorded(
                claim_id=claim_id_of(f"person:p-{i % 500}", prop.id, stated, "blog", modality, ev),
                claimant=f"person:p-{i % 500}", proposition=prop, stated=stated, channel="blog", modality=modality,
                evidence=ev))
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


def median_of(repeat: int, fn):
    """(median seconds, last result) of ``repeat`` runs of ``fn``."""
    times, result = [], None
    for _ in range(repeat):
        t, result = timed(fn)
        times.append(t)
    return statistics.median(times), result


WD_PREFIXES = """@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix psv: <http://www.wikidata.org/prop/statement/value/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix pqv: <http://www.wikidata.org/prop/qualifier/value/> .
@prefix pr: <http://www.wikidata.org/prop/reference/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix wikibase: <http://wikiba.se/ontology#> .
@prefix s: <http://www.wikidata.org/entity/statement/> .
@prefix ref: <http://www.wikidata.org/reference/> .
@prefix v: <http://www.wikidata.org/value/> .
@prefix data: <https://www.wikidata.org/wiki/Special:EntityData/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def wikidata_bundle(path: Path, items: int) -> None:
    """Entity documents in the shape of Special:EntityData Turtle: organizations with
    labels in several languages, founders and chief executives (statements with ranks,
    qualifiers, precision and one or two references), and the people they name."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(WD_PREFIXES)
        for i in range(items):
            org, person = 1_000_000 + i, 5_000_000 + i
            out.write(f"""
data:Q{org} schema:about wd:Q{org} ; schema:dateModified "2024-10-02T11:20:07Z"^^xsd:dateTime .
wd:Q{org} a wikibase:Item ; rdfs:label "Lab {i}"@en , "Labor {i}"@de , "研究所{i}"@ja ;
  schema:description "research laboratory number {i}"@en ; skos:altLabel "L{i}"@en ;
  wdt:P31 wd:Q4830453 ; wdt:P112 wd:Q{person} ; wdt:P169 wd:Q{person} ;
  p:P112 s:Q{org}-a ; p:P169 s:Q{org}-b , s:Q{org}-c .
s:Q{org}-a a wikibase:Statement ; wikibase:rank wikibase:NormalRank ; ps:P112 wd:Q{person} ;
  prov:wasDerivedFrom ref:r{i}a , ref:r{i}b .
s:Q{org}-b a wikibase:Statement ; wikibase:rank wikibase:PreferredRank ; ps:P169 wd:Q{person} ;
  pq:P580 "2019-03-01T00:00:00Z"^^xsd:dateTime ; pqv:P580 v:t{i} ; prov:wasDerivedFrom ref:r{i}a .
s:Q{org}-c a wikibase:Statement ; wikibase:rank wikibase:DeprecatedRank ; ps:P169 wd:Q{person + 1} .
v:t{i} wikibase:timeValue "2019-03-01T00:00:00Z"^^xsd:dateTime ; wikibase:timePrecision "10"^^xsd:integer .
ref:r{i}a pr:P854 <https://news.example.org/{i}> ; pr:P813 "2024-05-01T00:00:00Z"^^xsd:dateTime .
ref:r{i}b pr:P248 wd:Q130879 ; pr:P577 "2023-01-01T00:00:00Z"^^xsd:dateTime .
wd:Q{person} rdfs:label "Person {i}"@en , "Персона {i}"@ru ; wdt:P31 wd:Q5 .
""")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each export step (the median is shown)")
    ap.add_argument("--import-repeat", type=int, default=1, help="runs of each import step")
    ap.add_argument("--wikidata-items", type=int, default=20_000, help="organizations in the Wikidata bundle")
    args = ap.parse_args()
    db = cached_db(f"rdf-v2-{args.claims}.db", build, args.claims)
    store = Store(str(db))
    store.refresh()
    write(store.read, "nquads", io.StringIO())  # warm the page cache once, for every export alike
    work = Path(tempfile.mkdtemp(prefix="cg-rdf-"))
    rows = []
    ratios = {}
    for fmt, ext, oxfmt, rdflib_fmt in (("nquads", ".nq", ox.RdfFormat.N_QUADS, "nquads"),
                                        ("trig", ".trig", ox.RdfFormat.TRIG, "trig")):
        path = work / f"export{ext}"

        def export():
            with open(path, "w", encoding="utf-8") as out:
                return write(store.read, fmt, out)

        t_cg, quads = median_of(args.repeat, export)
        ds = rdflib.Dataset()
        ds.parse(path, format=rdflib_fmt)
        t_rdflib, _ = median_of(args.repeat, lambda: ds.serialize(format=rdflib_fmt, encoding="utf-8"))
        ds = None
        parsed = list(ox.parse(path=str(path), format=oxfmt))
        t_ox, _ = median_of(args.repeat, lambda: ox.serialize(parsed, format=oxfmt))
        parsed = None
        ratios[f"export {fmt}"] = t_rdflib / t_cg
        rows += [[f"export {fmt}", "claimgraph", f"{t_cg:.2f}", f"{quads / t_cg:,.0f}", f"{t_rdflib / t_cg:.2f}x"],
                 [f"export {fmt}", "rdflib serialize", f"{t_rdflib:.2f}", f"{quads / t_rdflib:,.0f}", "1.00x"],
                 [f"export {fmt}", "pyoxigraph serialize (floor)", f"{t_ox:.2f}", f"{quads / t_ox:,.0f}",
                  f"{t_rdflib / t_ox:.2f}x"]]
        rows += import_rows(f"import {fmt}", path, rdflib_fmt, oxfmt, quads, work, args.import_repeat, ratios)
    bundle = work / "wikidata.ttl"
    wikidata_bundle(bundle, args.wikidata_items)
    wd_quads = sum(1 for _ in ox.parse(path=str(bundle), format=ox.RdfFormat.TURTLE))
    rows += import_rows("import Wikidata TTL", bundle, "turtle", ox.RdfFormat.TURTLE, wd_quads, work,
                        args.import_repeat, ratios)
    claims = store.conn.execute("SELECT seq_from FROM rm_claims ORDER BY seq_from").fetchall()
    scaling = []
    for share in (0.1, 0.5, 1.0):
        n = max(1, int(len(claims) * share))
        asof = claims[n - 1][0]
        t, count = median_of(args.repeat, lambda: write(store.read, "trig", io.StringIO(), asof=asof))
        scaling.append([f"{n:,} claims", f"{count:,} quads", f"{t:.2f}", f"{t / n * 1e6:.1f}"])
    print(f"RDF on {len(claims):,} claims ({quads:,} quads per export); Wikidata bundle of "
          f"{args.wikidata_items:,} organizations ({wd_quads:,} triples). Medians of {args.repeat} runs (exports) "
          f"and {args.import_repeat} (imports).\n")
    print(table(["step", "who", "seconds", "quads/s", "speed vs rdflib"], rows))
    print()
    print(table(["TriG export of", "size", "seconds", "µs per claim"], scaling))
    print()
    targets = {"export nquads": 2.0, "import nquads": 1.0, "import trig": 1.0, "import Wikidata TTL": 1.0}
    print("targets: " + "; ".join(f"{k} ≥ {v:g}x rdflib: {ratios[k]:.2f}x "
                                  f"{'met' if ratios[k] >= v else 'NOT MET'}" for k, v in targets.items()))
    store.close()


def import_rows(step: str, path: Path, rdflib_fmt: str, oxfmt, quads: int, work: Path, repeat: int,
                ratios: dict) -> list[list[str]]:
    """claimgraph ingest into an empty database vs rdflib and pyoxigraph parsing only."""
    t_parse_rdflib, _ = median_of(repeat, lambda: rdflib.Dataset().parse(path, format=rdflib_fmt))
    t_parse_ox, _ = median_of(repeat, lambda: sum(1 for _ in ox.parse(path=str(path), format=oxfmt)))
    runs = iter(range(repeat))

    def ingest():
        with Store(str(work / f"import-{path.stem}-{next(runs)}.db")) as target:
            return ingest_path(target, path, rdf_options=Options(retrieved="2025-01-01"))

    t_import, result = median_of(repeat, ingest)
    ratios[step] = t_parse_rdflib / t_import
    report = getattr(result, "report", None)
    what = f" → {sum(report.claims.values()):,} claims" if report is not None else ""
    return [[step, f"claimgraph ingest (parse+gate+append+read model){what}", f"{t_import:.2f}",
             f"{quads / t_import:,.0f}", f"{t_parse_rdflib / t_import:.2f}x"],
            [step, "rdflib parse only", f"{t_parse_rdflib:.2f}", f"{quads / t_parse_rdflib:,.0f}", "1.00x"],
            [step, "pyoxigraph parse only (floor)", f"{t_parse_ox:.2f}", f"{quads / t_parse_ox:,.0f}",
             f"{t_parse_rdflib / t_parse_ox:.2f}x"]]


if __name__ == "__main__":
    main()
