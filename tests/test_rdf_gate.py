"""One gate for every input: RDF in claimgraph's own vocabulary gets the domain checks of
claim files, ids are recomputed from content, and whatever is accepted exports as valid,
shape-conforming RDF."""
from __future__ import annotations

import io
import re
from importlib.resources import files
from pathlib import Path

import pytest
import rdflib

from claimgraph.graph.rdf_export import write
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.ingest.rdf_import import Options
from claimgraph.schema.errors import InputError
from claimgraph.schema.events import EntitiesMerged

from helpers import write_claim_file

DATA = Path(__file__).parent / "rdf_data"
E = "https://w3id.org/claimgraph/entity/"
CG = "https://w3id.org/claimgraph/vocab#"


def export(store, fmt="nquads") -> str:
    out = io.StringIO()
    write(store.read, fmt, out)
    return out.getvalue()


def conforms(store) -> tuple[bool, str]:
    from pyshacl import validate
    data = rdflib.Graph().parse(data=export(store, "turtle"), format="turtle")
    shapes = rdflib.Graph().parse(data=(files("claimgraph.schema") / "shapes.ttl").read_text(), format="turtle")
    ok, _, text = validate(data, shacl_graph=shapes, inference="none")
    return ok, text


@pytest.fixture
def exported(store, sample) -> str:
    ingest_path(store, sample)
    return export(store)


def write_nq(tmp_path: Path, text: str, name: str = "doc.nq") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def rejected(tmp_path: Path, text: str, match: str, db: Store | None = None) -> InputError:
    with (Store(str(tmp_path / "gate.db")) if db is None else _same(db)) as target:
        head = target.head()
        with pytest.raises(InputError, match=match) as info:
            ingest_path(target, write_nq(tmp_path, text))
        assert target.head() == head  # nothing of a bad document enters the log
    return info.value


class _same:
    def __init__(self, store):
        self.store = store

    def __enter__(self):
        return self.store

    def __exit__(self, *exc):
        return False


def test_a_claim_by_an_undeclared_entity_creates_it_and_the_export_conforms(exported, tmp_path):
    text = "\n".join(line for line in exported.splitlines() if not line.startswith(f"<{E}person/elon-musk>"))
    assert f"{E}person/elon-musk" in text  # still the claimant of claims
    with Store(str(tmp_path / "u.db")) as other:
        r = ingest_path(other, write_nq(tmp_path, text))
        assert other.read.entity("person:elon-musk").name == "Elon Musk"
        assert r.report.entities_new >= 1
        ok, report = conforms(other)
        assert ok, report


@pytest.mark.parametrize("merge, reason", [
    (f"<{E}person/elon-musk> <{CG}mergedInto> <{E}org/xai> .", "different kinds"),
    (f"<{E}org/xai> <{CG}mergedInto> <{E}org/xai> .", "same entity|itself"),
    (f"<{E}model/grok-2-5> <{CG}mergedInto> <{E}model/grok-3> .\n"
     f"<{E}model/grok-3> <{CG}mergedInto> <{E}model/grok-2-5> .", "cycle"),
])
def test_merges_stay_within_a_kind_and_never_close_a_cycle(exported, tmp_path, merge, reason):
    rejected(tmp_path, exported + merge + "\n", reason)


def test_a_merge_back_across_documents_is_refused(exported, store, tmp_path):
    store.append([EntitiesMerged(from_id="model:grok-2-5", into_id="model:grok-3")], actor="t")
    text = exported + f"<{E}model/grok-3> <{CG}mergedInto> <{E}model/grok-2-5> .\n"
    rejected(tmp_path, text, "cycle", db=store)
    assert store.read.entity("model:grok-3") is not None  # nothing vanished


def test_a_resolution_needs_a_known_proposition(exported, tmp_path):
    text = re.sub(r"(vocab#resolves> <https://w3id.org/claimgraph/proposition/)[0-9a-f]+", r"\g<1>00000000deadbeef",
                  exported)
    assert text != exported
    rejected(tmp_path, text, "no claim in the document or the database states")


def test_forged_proposition_iris_are_recomputed(exported, tmp_path):
    claims = re.findall(r"<https://w3id.org/claimgraph/claim/([0-9a-f]+)> <https://w3id.org/claimgraph/vocab#states> "
                        r"<https://w3id.org/claimgraph/proposition/([0-9a-f]+)>", exported)
    (_, p1), (c2, p2) = claims[0], next(c for c in claims if c[1] != claims[0][1])
    # claim 2 says it states claim 1's proposition, and describes it under that IRI
    forged = forge(exported, c2, p2, p1)
    forged = "\n".join(line for line in forged.splitlines() if "/resolution/" not in line) + "\n"
    with Store(str(tmp_path / "f.db")) as other:
        r = ingest_path(other, write_nq(tmp_path, forged))
        assert r.report.ids_recomputed >= 1
        rows = {c.id: c for c in other.read.claims()}
        d = rdflib.Dataset()
        d.parse(data=export(other), format="nquads")
        for claim_iri, prop_iri in d.subject_objects(rdflib.URIRef(CG + "states")):
            row = rows["claim:" + str(claim_iri).rsplit("/", 1)[-1]]
            assert str(prop_iri).endswith(row.proposition_id.split(":")[1])  # export agrees with the read model
            graph = d.graph(rdflib.URIRef(str(claim_iri).replace("/claim/", "/graph/")))
            assert {str(s) for s in graph.objects(prop_iri, rdflib.URIRef(CG + "subject"))} == \
                   {E + row.subject.replace(":", "/")}


def forge(text: str, claim: str, own: str, other: str) -> str:
    """The export with ``claim`` stating proposition IRI ``other`` instead of its ``own``
    (in its provenance and in its graph)."""
    out = []
    for line in text.splitlines():
        if line.startswith(f"<https://w3id.org/claimgraph/claim/{claim}>") or \
                line.endswith(f"<https://w3id.org/claimgraph/graph/{claim}> ."):
            line = line.replace(f"proposition/{own}>", f"proposition/{other}>")
        out.append(line)
    return "\n".join(out) + "\n"


def test_a_resolution_of_a_proposition_iri_given_to_two_propositions_is_refused(exported, tmp_path):
    resolved = re.search(r"vocab#resolves> <https://w3id.org/claimgraph/proposition/([0-9a-f]+)>", exported).group(1)
    other = next(p for p in re.findall(r"vocab#states> <https://w3id.org/claimgraph/proposition/([0-9a-f]+)>",
                                       exported) if p != resolved)
    c2 = re.search(rf"<https://w3id.org/claimgraph/claim/([0-9a-f]+)> <{CG}states> "
                   rf"<https://w3id.org/claimgraph/proposition/{other}>", exported).group(1)
    forged = forge(exported, c2, other, resolved)
    rejected(tmp_path, forged, "different propositions")


@pytest.mark.parametrize("old, new, reason", [
    ('#label> "Elon Musk" .', '#label> "Elon Musk" .\n<https://w3id.org/claimgraph/entity/person/elon-musk> '
                              '<http://www.w3.org/2000/01/rdf-schema#label> "Musk" .', "2 values"),
    ('vocab#stated> "2024-07"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .',
     'vocab#stated> "2024-07"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .\n'
     '<https://w3id.org/claimgraph/claim/CLAIM> <https://w3id.org/claimgraph/vocab#stated> '
     '"2024-08"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .', "2 values"),
])
def test_functional_properties_have_one_value(exported, tmp_path, old, new, reason):
    assert old in exported
    line = next(line for line in exported.splitlines() if old in line)
    new = new.replace("<https://w3id.org/claimgraph/claim/CLAIM>", line.split(" ", 1)[0])
    rejected(tmp_path, exported.replace(old, new, 1), reason)


def test_an_empty_quote_is_refused(exported, tmp_path):
    m = re.search(r'(<https://w3id.org/claimgraph/claim/[0-9a-f]+>) <https://w3id.org/claimgraph/vocab#quote> '
                  r'"[^"]*"@de \.', exported)
    claim = m.group(1)
    start = re.search(re.escape(claim) + r' <https://w3id.org/claimgraph/vocab#start> "(\d+)"', exported).group(1)
    text = exported.replace(m.group(0), f'{claim} <https://w3id.org/claimgraph/vocab#quote> ""@de .')
    text = re.sub(re.escape(claim) + r' (<https://w3id.org/claimgraph/vocab#end>) "\d+"', rf'{claim} \1 "{start}"',
                  text)
    rejected(tmp_path, text, "quote: String should have at least 1 character")


@pytest.mark.parametrize("value", ["Q 42", "Q42>", "42", "Q42 ", "https://www.wikidata.org/wiki/Q42"])
def test_external_ids_are_checked_per_scheme(tmp_path, value):
    body = ("source: {path: article.txt}\nentities:\n"
            f"  - {{id: person:alice, name: Alice, external_ids: {{wikidata: {value!r}}}}}\n")
    with Store(str(tmp_path / "x.db")) as store:
        with pytest.raises(InputError, match="not a wikidata id") as info:
            ingest_path(store, write_claim_file(tmp_path / "cf", body))
        assert info.value.field == "entities.0.external_ids.wikidata" and info.value.line
        assert store.head() == 0


def test_external_ids_in_rdf_are_checked(exported, tmp_path):
    text = exported + f'<{E}person/elon-musk> <{CG}externalId> "wikidata:Q 42" .\n'
    rejected(tmp_path, text, "not a wikidata id")


def test_language_tags_keep_one_canonical_case(tmp_path):
    body = """source: {path: article.txt, language: en-us}
entities:
  - {id: person:alice, name: Alice, aliases: [{name: 愛麗絲, lang: zh-hant-tw}, {name: Alicia, lang: ES-mx}]}
claims:
  - {claimant: person:alice, stated: 2024-01-02, channel: blog, subject: model:foo-2, predicate: release,
     modality: promised, due: 2025, quote: "Foo 2 ships in 2025"}
"""
    with Store(str(tmp_path / "a.db")) as a, Store(str(tmp_path / "b.db")) as b:
        ingest_path(a, write_claim_file(tmp_path / "cf", body))
        first = export(a, "trig")
        assert '"愛麗絲"@zh-Hant-TW' in first and '@en-US' in first and '"Alicia"@es-MX' in first
        path = tmp_path / "round.trig"
        path.write_text(first)
        ingest_path(b, path)
        second = export(b, "trig")
        one, two = rdflib.Dataset(), rdflib.Dataset()
        one.parse(data=first, format="trig")
        two.parse(data=second, format="trig")
        assert set(one.quads()) == set(two.quads())  # no blank nodes: equal sets are isomorphic
        assert "@en-us" not in second


@pytest.mark.parametrize("tag", ["en-US-x-twain", "i-klingon", "sgn-BE-FR"])
def test_valid_bcp47_tags_never_reject_a_foreign_document(store, tmp_path, tag):
    path = tmp_path / "labels.ttl"
    path.write_text('@prefix wd: <http://www.wikidata.org/entity/> .\n'
                    '@prefix wdt: <http://www.wikidata.org/prop/direct/> .\n'
                    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    f'wd:Q1 wdt:P31 wd:Q4830453 ; rdfs:label "Lab"@en , "Lab in {tag}"@{tag} .\n')
    r = ingest_path(store, path)
    lab = store.read.by_external_id("wikidata", "Q1")
    assert lab is not None
    kept = [lang for alias, lang in store.read.entity(lab).aliases if alias == f"Lab in {tag}"]
    assert kept == [tag] and "label whose language tag the event model does not accept yet" not in r.report.skipped


def test_invalid_language_tags_are_reported(store, tmp_path):
    path = tmp_path / "labels.ttl"
    path.write_text('@prefix wd: <http://www.wikidata.org/entity/> .\n'
                    '@prefix wdt: <http://www.wikidata.org/prop/direct/> .\n'
                    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    'wd:Q1 wdt:P31 wd:Q4830453 ; rdfs:label "Lab"@en , "Bad"@zz-ZZ .\n')
    r = ingest_path(store, path)
    assert r.report.skipped["label with an invalid language tag"][0] == 1


def test_rdfxml_errors_carry_a_line(store, tmp_path):
    lines = (DATA / "Q21708200.rdf").read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "rdf:resource=" in line and i > 60)
    lines[at] = lines[at].replace('rdf:resource="http', 'rdf:resource="bad iri http')
    path = tmp_path / "broken.rdf"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="invalid RDF/XML") as info:
        ingest_path(store, path)
    assert info.value.line == at + 1 and store.head() == 0
    lines = (DATA / "Q21708200.rdf").read_text().splitlines()
    lines.insert(70, "<rdf:Description>")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as info:
        ingest_path(store, path)
    assert info.value.line is not None and 70 <= info.value.line <= len(lines)


def test_every_accepted_mixed_import_exports_conforming_rdf(store, sample):
    ingest_path(store, sample)
    for name in ("Q21708200.rdf", "Q182477.ttl", "labs.ttl", "Q317521.ttl", "openai-about.jsonld",
                 "nvidia-corp.jsonld", "truthy.nt", "xai.ttl"):
        ingest_path(store, DATA / name, rdf_options=Options(retrieved="2025-03-01"))
    ok, report = conforms(store)
    assert ok, report
    assert len(store.read.claims()) > 30


@pytest.mark.parametrize("old, new", [
    ('vocab#stated> "2024-07"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>',
     'vocab#stated> "2024-13"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'),
    ("<https://w3id.org/claimgraph/channel/x_post>", "<https://w3id.org/claimgraph/channel/carrier_pigeon>"),
])
def test_bad_values_are_named_in_one_line(exported, tmp_path, old, new):
    assert old in exported
    error = rejected(tmp_path, exported.replace(old, new, 1), "claim <")
    assert "validation error" not in str(error) and "\n" not in str(error)
    assert ("2024-13" in str(error)) or ("carrier_pigeon" in str(error))
