"""Wikidata entity exports (Special:EntityData Turtle, Jena-written RDF/XML, truthy
N-Triples): identity by Q-id, ranks, qualifiers, precision, every reference, unreferenced
statements, and a report that leaves nothing out silently."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.ingest.rdf_import import Options
from claimgraph.schema.errors import InputError

from helpers import run_cli, write_claim_file

DATA = Path(__file__).parent / "rdf_data"
DAY = Options(retrieved="2025-03-01")


def ingest(store, name: str, options: Options = DAY, folder: Path | None = None):
    return ingest_path(store, (folder or DATA) / name, rdf_options=options)


def claims_of(store, **match) -> list:
    return [c for c in store.read.claims() if all(getattr(c, k) == v for k, v in match.items())]


def test_identity_never_collides_and_reads_any_script(store):
    r = ingest(store, "labs.ttl")
    deepseek = store.read.by_external_id("wikidata", "Q131577300")
    moonshot = store.read.by_external_id("wikidata", "Q124385721")
    assert deepseek and moonshot and deepseek != moonshot  # not both org:x
    assert deepseek.startswith("org:") and len(deepseek) > len("org:x") and moonshot.startswith("org:")
    assert store.read.entity(deepseek).name == "深度求索"
    # two items labelled Gemini stay two entities; the second keeps its alias Bard
    gemini_a = store.read.by_external_id("wikidata", "Q107395410")
    gemini_b = store.read.by_external_id("wikidata", "Q116352282")
    assert gemini_a != gemini_b and gemini_a and gemini_b
    assert store.read.resolve("Bard") == gemini_b
    assert r.report.entities_new == 5  # and org:wikidata, the claimant of the inception statement


def test_the_same_item_from_another_file_and_format_is_one_entity(store):
    ingest(store, "Q182477.ttl")
    nvidia = store.read.by_external_id("wikidata", "Q182477")
    r = ingest(store, "nvidia-corp.jsonld")  # schema.org, sameAs Q182477, named "Nvidia Corporation"
    assert store.read.by_external_id("wikidata", "Q182477") == nvidia
    assert store.read.resolve("Nvidia") == nvidia and store.read.resolve("Nvidia Corporation") == nvidia
    assert r.report.entities_updated == 1
    assert len([e for e in store.read.entities(kind="org")[0] if e.external_ids.get("wikidata") == "Q182477"]) == 1
    # Jensen Huang (Q305177) too: the employee in the JSON-LD is the CEO of the Turtle file
    jensen = store.read.by_external_id("wikidata", "Q305177")
    assert claims_of(store, subject=jensen, predicate="works_for", object={"entity": nvidia})


def test_a_known_entity_gains_ids_and_labels_through_events(tmp_path):
    with Store(str(tmp_path / "m.db")) as store:
        folder = tmp_path / "cf"
        ingest_path(store, write_claim_file(folder, """
source: {path: article.txt, published: 2024-01-02}
entities:
  - {id: person:elon-musk, name: Elon Musk}
claims:
  - {claimant: person:elon-musk, stated: 2024-01-02, channel: x_post, subject: person:elon-musk,
     predicate: release, modality: promised, quote: "Alice said"}
""", article="Alice said that Foo 2 ships in 2025.\n"))
        before = store.head()
        r = ingest(store, "Q317521.ttl")
        assert r.appended > 0 and r.report.entities_updated == 1 and r.report.entities_new == 0
        musk = store.read.entity("person:elon-musk")
        assert musk.external_ids["wikidata"] == "Q317521"
        assert store.read.by_external_id("wikidata", "Q317521") == "person:elon-musk"
        assert {"Илон Маск", "イーロン・マスク", "일론 머스크", "Elon Reeve Musk"} <= {a for a, _ in musk.aliases}
        # learned later, so an as-of question before the import does not know them
        assert store.read.entity("person:elon-musk", asof=before).external_ids == {}
        types = [e.type for e in store.log.read(after=before)]
        # 17 labels (one is already his name) and 2 aliases
        assert "external-id-added" in types and types.count("entity-aliased") == 16 + 2
        assert "entity-registered" not in types


def test_statements_about_entities_described_elsewhere_are_kept(store):
    r = ingest(store, "Q317521.ttl")  # Musk owns xAI; xAI is described in another file
    assert not claims_of(store, predicate="owns")
    assert r.report.skipped["refers to an entity that is neither in the document nor known"][0] == 1
    ingest(store, "xai.ttl")
    ingest(store, "Q317521.ttl")
    (owns,) = claims_of(store, predicate="owns")
    assert owns.subject == "person:elon-musk" and owns.object == {"entity": store.read.by_external_id("wikidata",
                                                                                                      "Q116528187")}


def test_ranks_qualifiers_and_precision(store):
    r = ingest(store, "Q21708200.ttl")
    openai = store.read.by_external_id("wikidata", "Q21708200")
    huang = store.read.by_external_id("wikidata", "Q305177")
    # deprecated: never a claim (Jensen Huang did not found OpenAI), and reported
    assert not [c for c in store.read.claims() if huang and c.subject == huang]
    assert r.report.skipped["deprecated rank"][0] == 1
    shear = store.read.by_external_id("wikidata", "Q28925837")
    (leads,) = claims_of(store, subject=shear, predicate="leads")
    assert leads.object == {"entity": openai}
    assert (leads.valid_from, leads.valid_to) == ("2023-11-20", "2023-11-21")  # not open-ended
    altman = store.read.by_external_id("wikidata", "Q7407093")
    (ceo,) = claims_of(store, subject=altman, predicate="leads")
    assert (ceo.valid_from, ceo.valid_to) == ("2019-03", None)  # month precision kept
    assert "preferred rank" in store.read.source(ceo.source_id)["text"]
    (inception,) = claims_of(store, subject=openai, predicate="founded_on")
    assert inception.object == {"date": "2015-12"}  # not the first of the month
    assert "normal rank" in store.read.source(inception.source_id)["text"]


def test_every_reference_is_evidence_in_any_order(store, tmp_path):
    ingest(store, "Q21708200.ttl")
    altman = store.read.by_external_id("wikidata", "Q7407093")
    founded = claims_of(store, subject=altman, predicate="founded")
    assert len(founded) == 2 and len({c.source_id for c in founded}) == 2  # one source per reference
    urls = {store.read.source(c.source_id)["url"] for c in founded}
    assert urls == {"https://www.example-news.com/2015/12/11/tech/openai-launch.html", "https://openai.com/about"}
    # the same document with its references (and statements) in another order
    text = (DATA / "Q21708200.ttl").read_text()
    swapped = text.replace("ref:0c0a6e4b8c1f1b2a3d4e5f60718293a4b5c6d7e8 , ref:1d1b7f5c9d2a2c3b4e5f6071829304b5c6d7e8f9",
                           "ref:1d1b7f5c9d2a2c3b4e5f6071829304b5c6d7e8f9 , ref:0c0a6e4b8c1f1b2a3d4e5f60718293a4b5c6d7e8")
    assert swapped != text
    blocks = swapped.split("\n\n")
    (tmp_path / "reordered.ttl").write_text("\n\n".join(blocks[:1] + blocks[1:][::-1]))
    with Store(str(tmp_path / "b.db")) as other:
        ingest(other, "reordered.ttl", folder=tmp_path)
        assert {c.id for c in other.read.claims()} == {c.id for c in store.read.claims()}


def test_turtle_and_jena_rdfxml_of_one_graph_give_the_same_claims(tmp_path):
    with Store(str(tmp_path / "a.db")) as a, Store(str(tmp_path / "b.db")) as b:
        ingest(a, "Q21708200.ttl")
        ingest(b, "Q21708200.rdf")
        assert {c.id for c in a.read.claims()} == {c.id for c in b.read.claims()}
        assert len(a.read.claims()) == 7
        # and importing the other format into the same database adds nothing
        assert ingest(a, "Q21708200.rdf").appended == 0


def test_unreferenced_and_imported_only_statements_are_marked_or_skipped(store, tmp_path):
    ingest(store, "Q21708200.ttl")
    musk = store.read.by_external_id("wikidata", "Q317521")
    sutskever = store.read.by_external_id("wikidata", "Q21712134")
    (imported,) = claims_of(store, subject=musk, predicate="founded")
    (bare,) = claims_of(store, subject=sutskever, predicate="founded")
    assert imported.source_id == bare.source_id  # the entity document itself
    doc = store.read.source(bare.source_id)
    assert doc["url"] == "https://www.wikidata.org/wiki/Special:EntityData/Q21708200"
    assert "imported from a Wikimedia project (P143)" in doc["text"] and "no reference" in doc["text"]
    assert bare.stated == "2024-10-02"  # the document's schema:dateModified
    assert bare.claimant == "org:wikidata"
    with Store(str(tmp_path / "skip.db")) as other:
        r = ingest(other, "Q21708200.ttl", Options(unreferenced="skip", retrieved="2025-03-01"))
        assert len(other.read.claims()) == 5
        assert r.report.skipped["unreferenced (--unreferenced skip)"][0] == 2


def test_truthy_ntriples_become_marked_claims_without_doubling_full_statements(store):
    r = ingest(store, "truthy.nt")
    nvidia = store.read.by_external_id("wikidata", "Q182477")
    assert {c.predicate for c in store.read.claims()} == {"leads", "founded_on"}
    assert r.report.claims == {"truthy claim": 2}
    assert "truthy value" in store.read.source(store.read.claims()[0].source_id)["text"]
    assert r.report.skipped["date without wikibase:timePrecision (read as a day)"][0] == 1
    # the full export has the same wdt: values next to its statements: no truthy claims from it
    r = ingest(store, "Q182477.ttl")
    assert "truthy claim" not in r.report.claims
    assert nvidia == store.read.by_external_id("wikidata", "Q182477")


def test_nothing_vanishes_without_a_word(store):
    r = ingest(store, "labs.ttl")
    skipped = r.report.skipped
    assert skipped["unmapped class"][0] == 1 and "ChatGPT" in skipped["unmapped class"][1][0]
    described = ingest(store, "Q21708200.ttl").report.skipped["description (claimgraph keeps none)"]
    assert described[0] == 2 and any("US-amerikanisches" in e for e in described[1])
    report = r.report.as_json()
    assert report["entities"]["new"] == 5 and report["skipped"]["unmapped class"]["count"] == 1
    text = r.report.text()
    assert "unmapped class" in text and "entities: 5 new" in text


def test_importing_twice_appends_nothing(store):
    for name in ("Q21708200.ttl", "Q182477.ttl", "labs.ttl", "truthy.nt"):
        assert ingest(store, name).appended > 0
        assert ingest(store, name).appended == 0


def test_a_document_with_nothing_recognised_fails_and_names_its_vocabulary(store, tmp_path):
    path = tmp_path / "other.ttl"
    path.write_text("@prefix v: <http://example.org/v#> .\n" + "".join(
        f'<http://example.org/x/{i}> a v:Lab ; v:title "Lab {i}" ; v:city "Paris" .\n' for i in range(5)))
    with pytest.raises(InputError, match="nothing recognised") as info:
        ingest_path(store, path)
    message = str(info.value)
    assert "http://example.org/v#Lab" in message and "http://example.org/v#title" in message
    assert "--mapping" in message and store.head() == 0
    proc = run_cli("ingest", str(path), db=tmp_path / "c.db", check=False)
    assert proc.returncode == 1 and "nothing recognised" in proc.stderr


def test_cli_prints_the_report_and_json(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name in ("Q21708200.rdf", "labs.ttl", "openai-about.jsonld"):
        shutil.copy(DATA / name, folder / name)
    out = run_cli("ingest", str(folder / "labs.ttl"), db=tmp_path / "a.db").stdout
    assert "entities: 5 new" in out and "unmapped class" in out
    lines = run_cli("ingest", "--json", "--unreferenced", "skip", str(folder), db=tmp_path / "b.db").stdout
    reports = [json.loads(line)["report"] for line in lines.splitlines()]
    assert {Path(r["file"]).name for r in reports} == {"Q21708200.rdf", "labs.ttl", "openai-about.jsonld"}
    assert all(r["claimsTotal"] >= 0 and "skipped" in r for r in reports)
    wd = next(r for r in reports if r["file"].endswith(".rdf"))
    assert wd["skipped"]["unreferenced (--unreferenced skip)"]["count"] == 2


def test_a_redirect_between_known_items_merges_their_entities(tmp_path):
    with Store(str(tmp_path / "r.db")) as store:
        ingest_path(store, write_claim_file(tmp_path / "cf", """
source: {path: article.txt}
entities:
  - {id: org:deepmind, name: DeepMind, external_ids: {wikidata: Q15733006}}
  - {id: org:google-deepmind, name: Google DeepMind, external_ids: {wikidata: Q118476219}}
"""))
        path = tmp_path / "redirect.ttl"
        path.write_text("@prefix wd: <http://www.wikidata.org/entity/> .\n"
                        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                        "@prefix wdt: <http://www.wikidata.org/prop/direct/> .\n"
                        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                        "wd:Q118476219 owl:sameAs wd:Q15733006 .\n"
                        'wd:Q15733006 rdfs:label "Google DeepMind"@en ; wdt:P31 wd:Q4830453 .\n')
        r = ingest(store, "redirect.ttl", folder=tmp_path)
        assert r.report.entities_merged == 1
        assert store.read.canonical("org:google-deepmind") == store.read.canonical("org:deepmind")
        assert store.read.resolve("DeepMind") == store.read.resolve("Google DeepMind")


def test_any_triple_order_gives_the_same_result(tmp_path):
    """Property: the N-Triples of an entity export in any order import as the same
    entities, claims and sources."""
    import pyoxigraph as ox
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    lines = sorted({str(q.triple) + " ." for q in ox.parse(path=str(DATA / "Q21708200.ttl"),
                                                             format=ox.RdfFormat.TURTLE)})
    with Store(str(tmp_path / "ref.db")) as ref:
        path = tmp_path / "sorted.nt"
        path.write_text("\n".join(lines) + "\n")
        ingest(ref, "sorted.nt", folder=tmp_path)
        expected = ({c.id for c in ref.read.claims()}, {e.id for e in ref.read.entities(limit=100)[0]})
    runs = iter(range(10**6))

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.permutations(lines))
    def check(order):
        n = next(runs)
        path = tmp_path / f"order-{n}.nt"
        path.write_text("\n".join(order) + "\n")
        with Store(str(tmp_path / f"order-{n}.db")) as store:
            ingest(store, path.name, folder=tmp_path)
            got = ({c.id for c in store.read.claims()}, {e.id for e in store.read.entities(limit=100)[0]})
        assert got == expected

    check()
    assert len(expected[0]) == 7
