"""RDF export and import: round trips, strictness, foreign data, checked output."""
import io
from importlib.resources import files

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from claimgraph.graph.rdf_export import write
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.ingest.rdf_import import Mapping, Options
from claimgraph.schema.errors import InputError
from claimgraph.schema.events import ClaimRetracted, EntitiesMerged

from helpers import run_cli

SUFFIX = {"trig": ".trig", "nquads": ".nq", "jsonld": ".jsonld", "turtle": ".ttl"}
OX = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD,
      "turtle": ox.RdfFormat.TURTLE}


@pytest.fixture
def loaded(store, sample):
    ingest_path(store, sample)
    return store


def export(store, fmt, asof=None) -> str:
    out = io.StringIO()
    write(store.read, fmt, out, asof=asof)
    return out.getvalue()


def dataset(text: str, fmt: str) -> rdflib.Dataset:
    d = rdflib.Dataset()
    d.parse(data=text, format={"nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt])
    return d


def isomorphic_datasets(a: rdflib.Dataset, b: rdflib.Dataset) -> bool:
    """Same named graphs, each isomorphic (rdflib.compare works graph by graph)."""
    ga = {g.identifier: g for g in a.graphs() if len(g)}
    gb = {g.identifier: g for g in b.graphs() if len(g)}
    return ga.keys() == gb.keys() and all(isomorphic(ga[k], gb[k]) for k in ga)


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_lossless_round_trip_is_isomorphic(loaded, tmp_path, fmt):
    loaded.append([EntitiesMerged(from_id="model:grok-2-5", into_id="model:grok-3")], actor="t")
    first = export(loaded, fmt)
    path = tmp_path / f"export{SUFFIX[fmt]}"
    path.write_text(first)
    with Store(str(tmp_path / "empty.db")) as other:
        r = ingest_path(other, path)
        assert r.appended > 0
        second = export(other, fmt)
        assert ingest_path(other, path).appended == 0  # the same file twice appends nothing
        # the same answers, too
        assert [(c.id, c.status, c.quote) for c in other.read.timeline("model:grok-3")] == \
               [(c.id, c.status, c.quote) for c in loaded.read.timeline("model:grok-3")]
    a, b = dataset(first, fmt), dataset(second, fmt)
    assert isomorphic_datasets(a, b)
    assert len(list(a.graphs())) > 10


def test_claim_graphs_and_provenance(loaded):
    d = dataset(export(loaded, "trig"), "trig")
    graphs = {str(g.identifier) for g in d.graphs() if str(g.identifier).startswith("https://w3id.org/claimgraph/graph/")}
    assert len(graphs) == len(loaded.read.claims())
    q = """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX cg: <https://w3id.org/claimgraph/vocab#>
    SELECT ?quote ?who ?when ?src WHERE { ?c a <https://schema.org/Claim> ; cg:quote ?quote ; prov:wasAttributedTo ?who ;
      prov:generatedAtTime ?when ; prov:wasDerivedFrom ?src ;
      cg:stated "2024-07"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> }"""
    rows = list(d.query(q))
    assert rows and all(r.quote.language == "de" for r in rows)
    assert any("Grok 3 nach dem Training" in str(r.quote) for r in rows)


def test_as_of_exports_an_earlier_state(loaded):
    claim = loaded.read.claims()[0]
    loaded.append([ClaimRetracted(claim_id=claim.id, reason="t")], actor="t")
    assert claim.id.split(":")[1] not in export(loaded, "nquads")
    assert claim.id.split(":")[1] in export(loaded, "nquads", asof=loaded.head() - 1)


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld", "turtle"])
def test_every_format_parses_with_an_independent_parser(loaded, fmt):
    text = export(loaded, fmt)
    quads = list(ox.parse(text.encode(), OX[fmt]))
    assert len(quads) > 300


def test_export_validates_against_the_shipped_shapes(loaded):
    from pyshacl import validate
    data = rdflib.Graph().parse(data=export(loaded, "turtle"), format="turtle")
    shapes = rdflib.Graph().parse(data=(files("claimgraph.schema") / "shapes.ttl").read_text(), format="turtle")
    conforms, _, report = validate(data, shacl_graph=shapes, inference="none")
    assert conforms, report


def test_the_shapes_catch_a_broken_export(loaded):
    from pyshacl import validate
    text = export(loaded, "turtle").replace("prov#wasAttributedTo", "prov#wasAssociatedWith")
    data = rdflib.Graph().parse(data=text, format="turtle")
    shapes = rdflib.Graph().parse(data=(files("claimgraph.schema") / "shapes.ttl").read_text(), format="turtle")
    assert not validate(data, shacl_graph=shapes, inference="none")[0]


def test_ontology_file_parses():
    g = rdflib.Graph().parse(data=(files("claimgraph.schema") / "claimgraph.ttl").read_text(), format="turtle")
    assert (rdflib.URIRef("https://w3id.org/claimgraph/vocab#Claim"), rdflib.RDF.type, rdflib.OWL.Class) in g


SCHEMA_ORG = """{
  "@context": {"@vocab": "http://schema.org/"},
  "@graph": [
    {"@id": "https://example.org/people/jensen", "@type": "Person", "name": "Jensen Huang",
     "alternateName": ["Jen-Hsun Huang"], "sameAs": "http://www.wikidata.org/entity/Q305177"},
    {"@id": "https://example.org/orgs/nvidia", "@type": "Corporation", "name": "NVIDIA",
     "alternateName": {"@value": "Nvidia Corporation", "@language": "en"}},
    {"@id": "https://example.org/models/llama", "@type": "SoftwareApplication", "name": "Llama 3"}
  ]
}"""

WIKIDATA = """@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix pr: <http://www.wikidata.org/prop/reference/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix wds: <http://www.wikidata.org/entity/statement/> .
@prefix wdref: <http://www.wikidata.org/reference/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

wd:Q317521 wdt:P31 wd:Q5 ; rdfs:label "Elon Musk"@en, "Elon Musk"@de ; skos:altLabel "Elon Reeve Musk"@en .
wd:Q116528187 wdt:P31 wd:Q4830453 ; rdfs:label "xAI"@en ; skos:altLabel "X.AI Corp"@en ;
  p:P112 wds:Q116528187-1 ; p:P127 wds:Q116528187-2 .
wds:Q116528187-1 ps:P112 wd:Q317521 ; pq:P580 "2023-03-09T00:00:00Z"^^xsd:dateTime ;
  prov:wasDerivedFrom wdref:abc .
wdref:abc pr:P854 <https://example.org/news/xai-founded> ; pr:P813 "2024-05-01T00:00:00Z"^^xsd:dateTime .
wds:Q116528187-2 ps:P127 wd:Q317521 .
"""


def test_schema_org_entities(store, tmp_path):
    path = tmp_path / "people.jsonld"
    path.write_text(SCHEMA_ORG)
    r = ingest_path(store, path)
    assert r.appended == 3
    jensen = store.read.entity("person:jensen-huang")
    assert jensen.external_ids == {"wikidata": "Q305177"} and "Jen-Hsun Huang" in [a for a, _ in jensen.aliases]
    assert store.read.entity("org:nvidia").name == "NVIDIA"
    assert store.read.resolve("Nvidia Corporation") == "org:nvidia"
    assert store.read.entity("model:llama-3") is not None
    assert ingest_path(store, path).appended == 0


def test_wikidata_entities_and_referenced_statements(store, tmp_path):
    path = tmp_path / "wd.ttl"
    path.write_text(WIKIDATA)
    ingest_path(store, path, rdf_options=Options(retrieved="2025-02-03"))
    musk = store.read.entity("person:elon-musk")
    assert musk.external_ids == {"wikidata": "Q317521"} and ("Elon Reeve Musk", "en") in musk.aliases
    claims = {c.predicate: c for c in store.read.claims()}
    assert set(claims) == {"founded", "owns"}
    claim = claims["founded"]  # the referenced statement: its reference is the source
    assert (claim.claimant, claim.subject, claim.predicate, claim.object) == \
           ("org:wikidata", "person:elon-musk", "founded", {"entity": "org:xai"})
    assert claim.stated == "2024-05-01" and claim.valid_from == "2023-03-09"
    source = store.read.source(claim.source_id)
    assert source["url"] == "https://example.org/news/xai-founded" and source["origin"] == "wd.ttl"
    assert source["text"][claim.start:claim.end] == claim.quote
    # the unreferenced one is kept, with the entity document as its source, marked so
    owns = claims["owns"]
    unreferenced = store.read.source(owns.source_id)
    assert "without a reference" in unreferenced["text"] and "no reference" in unreferenced["text"]
    assert owns.stated == "2025-02-03"  # neither a reference date nor a dateModified: the import day
    events = [e for e in store.log.read()]
    assert all(e.reason == "ingest wd.ttl" for e in events)


def test_mapping_file_maps_other_vocabularies(store, tmp_path):
    (tmp_path / "map.yaml").write_text("classes:\n  http://example.org/v#Lab: org\n"
                                       "properties:\n  http://example.org/v#title: name\n"
                                       "  http://example.org/v#nick: alias\n  http://example.org/v#ror: external_id:ror\n")
    (tmp_path / "labs.ttl").write_text('@prefix v: <http://example.org/v#> .\n'
                                       '<http://example.org/labs/1> a v:Lab ; v:title "DeepMind" ; v:nick "GDM" ;'
                                       ' v:ror "00971b260" .\n')
    ingest_path(store, tmp_path / "labs.ttl", mapping=Mapping.load(tmp_path / "map.yaml"))
    lab = store.read.entity("org:deepmind")
    assert lab.external_ids == {"ror": "00971b260"} and store.read.resolve("GDM") == "org:deepmind"


BAD = [
    ("truncated.nq", '<http://a> <http://b> "unterminated .\n', "invalid N-Quads"),
    ("spaces.nt", "<http://a b> <http://b> <http://c> .\n", "invalid N-Triples"),
    ("prefix.ttl", "ex:a ex:b ex:c .\n", "invalid Turtle"),
    ("wrong.trig", '{"@context": {}, "@id": "http://x"}', "invalid TriG"),
    ("remote.jsonld", '{"@context": "https://example.org/ctx.jsonld", "@id": "http://x", "name": "y"}',
     "remote @context"),
    ("nested.jsonld", '{"@context": {"@vocab": "https://schema.org/"}, "@graph": [{"@context": '
                      '"https://example.org/other", "@id": "http://x", "name": "y"}]}', "remote @context"),
    ("empty.ttl", "", "empty"),
]


@pytest.mark.parametrize("name, content, reason", BAD)
def test_invalid_rdf_is_rejected_and_nothing_appended(loaded, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_text(content)
    head = loaded.head()
    with pytest.raises(InputError, match=reason) as info:
        ingest_path(loaded, path)
    assert loaded.head() == head
    assert name in str(info.value)


def test_errors_name_the_line(loaded, tmp_path):
    path = tmp_path / "lines.nt"
    path.write_text('<http://a> <http://b> "ok" .\n<http://a> <http://b> "ok" .\n<http://a> <http://b> <not an iri> .\n')
    with pytest.raises(InputError) as info:
        ingest_path(loaded, path)
    assert info.value.line == 3


def test_a_document_over_the_limit_is_refused(loaded, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMGRAPH_MAX_RDF_MB", "0.0001")
    path = tmp_path / "big.nt"
    path.write_text('<http://a> <http://b> "' + "x" * 500 + '" .\n')
    with pytest.raises(InputError, match="over the limit"):
        ingest_path(loaded, path)


@pytest.mark.parametrize("old, new, reason", [
    ("Doch am 2. Januar", "Doch am 3. Januar", "does not hash to its id"),   # source text edited
    ('vocab#start> "1302"', 'vocab#start> "1303"', "is not at"),             # offsets edited
])
def test_a_tampered_export_is_rejected(loaded, tmp_path, old, new, reason):
    text = export(loaded, "nquads")
    assert old in text
    path = tmp_path / "tampered.nq"
    path.write_text(text.replace(old, new))
    with Store(str(tmp_path / "t.db")) as other:
        with pytest.raises(InputError, match=reason):
            ingest_path(other, path)
        assert other.head() == 0


def test_cli_export_and_ingest(tmp_path, sample):
    db, db2 = tmp_path / "a.db", tmp_path / "b.db"
    run_cli("ingest", str(sample), db=db)
    run_cli("export", "--format", "nquads", "-o", str(tmp_path / "x.nq"), db=db)
    out = run_cli("ingest", str(tmp_path / "x.nq"), db=db2).stdout
    assert "events appended" in out
    empty = run_cli("export", "--format", "trig", "--as-of", "0", db=db).stdout
    assert "@prefix" in empty and "claim/" not in empty.split("\n\n", 1)[1]
