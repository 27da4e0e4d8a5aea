"""The W3C RDF 1.1 syntax suites: every negative-syntax test is rejected, every
positive-syntax (and evaluation) test is accepted, by the parser ``ingest`` uses."""
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, RDF

from claimgraph.ingest.rdf_parse import check_syntax
from claimgraph.schema.errors import InputError

SUITES = Path(__file__).resolve().parents[2] / "shared" / "rdf-tests"
RDFT = Namespace("http://www.w3.org/ns/rdftest#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
FORMATS = {"rdf-n-triples": "ntriples", "rdf-n-quads": "nquads", "rdf-turtle": "turtle", "rdf-trig": "trig"}


def cases():
    out = []
    for folder, fmt in FORMATS.items():
        manifest = SUITES / folder / "manifest.ttl"
        if not manifest.exists():
            continue
        g = Graph().parse(manifest, format="turtle")
        for test, kind in g.subject_objects(RDF.type):
            name = str(kind).rsplit("#", 1)[-1]
            if not name.startswith("Test") or name.endswith("NegativeEval"):
                continue
            action = g.value(test, MF.action)
            negative = "NegativeSyntax" in name
            out.append(pytest.param(fmt, Path(str(action).replace("file://", "")), negative,
                                    id=f"{folder}/{str(test).rsplit('#', 1)[-1]}"))
    return out


CASES = cases()


def test_the_suites_are_there():
    assert len(CASES) > 600, f"expected the W3C suites beside the project, found {len(CASES)} tests"


@pytest.mark.parametrize("fmt, path, negative", CASES)
def test_w3c_syntax(fmt, path, negative):
    if negative:
        with pytest.raises(InputError, match="invalid"):
            check_syntax(path, fmt)
    else:
        check_syntax(path, fmt)
