"""schema.org as web pages publish it: JSON-LD naming the schema.org context by URL (http
or https), served from the copy that ships with claimgraph, never fetched."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from claimgraph.ingest.pipeline import ingest_path
from claimgraph.ingest.rdf_import import Options
from claimgraph.ingest.rdf_parse import parse_file, schema_org_context
from claimgraph.schema.errors import InputError

DATA = Path(__file__).parent / "rdf_data"
DAY = Options(retrieved="2025-03-01")


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("context", ["https://schema.org", "http://schema.org", "https://schema.org/",
                                     "http://schema.org/", "https://schema.org/docs/jsonldcontext.jsonld"])
def test_the_schema_org_context_is_served_locally(tmp_path, offline, context):
    path = tmp_path / "page.jsonld"
    path.write_text(json.dumps({"@context": context, "@type": "Organization", "@id": "https://lab.example/#org",
                                "name": "Example Lab", "foundingDate": "2021-05-04",
                                "sameAs": "https://www.wikidata.org/wiki/Q42"}))
    doc = parse_file(path, "jsonld")
    props = {str(p): v for p, v in doc.subjects()[next(iter(doc.subjects()))].items()}
    assert str(props["http://schema.org/name"][0]) == "Example Lab"
    assert str(props["http://schema.org/sameAs"][0]) == "https://www.wikidata.org/wiki/Q42"  # an IRI, as typed
    assert str(props["http://schema.org/foundingDate"][0].datatype) == "http://schema.org/Date"


def test_the_shipped_context_types_what_the_import_reads():
    ctx = schema_org_context()
    assert ctx["@vocab"] == "http://schema.org/"
    assert ctx["sameAs"]["@type"] == "@id" and ctx["url"]["@type"] == "@id"
    assert ctx["foundingDate"]["@type"] == "Date" and ctx["founder"] == {"@id": "schema:founder"}


def test_contexts_in_arrays_and_nested_nodes(tmp_path, offline):
    path = tmp_path / "nested.jsonld"
    path.write_text(json.dumps({"@context": ["https://schema.org", {"ex": "https://example.org/"}],
                                "@graph": [{"@context": "http://schema.org", "@type": "Person", "name": "Ada",
                                            "ex:code": "A1"}]}))
    doc = parse_file(path, "jsonld")
    props = next(iter(doc.subjects().values()))
    assert {str(p) for p in props} >= {"http://schema.org/name", "https://example.org/code"}


@pytest.mark.parametrize("body, reason", [
    ({"@context": "https://example.org/context.jsonld", "name": "x"}, "remote @context"),
    ({"@context": ["https://schema.org", "https://w3id.org/other"], "name": "x"}, "remote @context"),
    ({"@context": {"@import": "https://example.org/c.jsonld"}, "name": "x"}, "remote"),
])
def test_other_remote_contexts_are_refused(store, tmp_path, offline, body, reason):
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(body))
    with pytest.raises(InputError, match=reason):
        ingest_path(store, path)
    assert store.head() == 0


def test_deep_json_is_refused_with_a_reason(store, tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_text('{"@context": "https://schema.org", "a": ' + "[" * 100000 + "]" * 100000 + "}")
    with pytest.raises(InputError, match="nested too deeply"):
        ingest_path(store, path)


def test_json_syntax_errors_name_the_line(store, tmp_path):
    path = tmp_path / "broken.jsonld"
    path.write_text('{\n  "@context": "https://schema.org",\n  "name": "x",\n  "founder": ,\n}\n')
    with pytest.raises(InputError) as info:
        ingest_path(store, path)
    assert info.value.line == 4


def test_common_properties_become_claims(store, offline):
    r = ingest_path(store, DATA / "openai-about.jsonld", rdf_options=DAY)
    openai = store.read.by_external_id("wikidata", "Q21708200")
    altman = store.read.by_external_id("wikidata", "Q7407093")
    chatgpt = store.read.resolve("ChatGPT")
    brockman = store.read.resolve("Greg Brockman")  # given as a plain name
    assert openai and altman and chatgpt and brockman and brockman.startswith("person:")
    found = {(c.subject, c.predicate, json.dumps(c.object, sort_keys=True)) for c in store.read.claims()}
    assert (altman, "founded", json.dumps({"entity": openai})) in found
    assert (brockman, "founded", json.dumps({"entity": openai})) in found
    assert (openai, "founded_on", json.dumps({"date": "2015-12-11"})) in found
    assert (openai, "develops", json.dumps({"entity": chatgpt})) in found  # creator of the software
    assert (openai, "publishes", json.dumps({"entity": chatgpt})) in found
    assert (chatgpt, "released", json.dumps({"date": "2022-11-30"})) in found
    # the page's publisher states them, on the page's date, quoted from a source rendering the data
    claims = store.read.claims()
    assert {c.claimant for c in claims} == {openai} and {c.stated for c in claims} == {"2024-05-13"}
    source = store.read.source(claims[0].source_id)
    assert source["url"] == "https://openai.example.com/about/"
    assert all(source["text"][c.start:c.end] == c.quote for c in claims)
    assert r.report.claims == {"schema.org claim": len(claims)}
    assert store.read.resolve("OpenAI, L.L.C.") == openai  # legalName as an alias
    assert ingest_path(store, DATA / "openai-about.jsonld", rdf_options=DAY).appended == 0


def test_works_for_and_employee(store):
    ingest_path(store, DATA / "nvidia-corp.jsonld", rdf_options=DAY)
    nvidia = store.read.by_external_id("wikidata", "Q182477")
    dally = store.read.resolve("Bill Dally")
    jensen = store.read.by_external_id("wikidata", "Q305177")
    works = {(c.subject, c.object["entity"]) for c in store.read.claims() if c.predicate == "works_for"}
    assert works == {(dally, nvidia), (jensen, nvidia)}
    (founding,) = [c for c in store.read.claims() if c.predicate == "founded_on"]
    assert founding.object == {"date": "1993-04"}
    # two nodes naming Q182477 (the corporation and Dally's employer) are one entity
    assert len([e for e in store.read.entities(kind="org")[0] if e.external_ids.get("wikidata") == "Q182477"]) == 1
