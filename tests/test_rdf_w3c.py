"""The W3C RDF 1.1 syntax suites (from the package registry, see ``w3c_suites``): every
negative-syntax test is rejected and every positive-syntax (and evaluation) test is
accepted by the parser ``ingest`` uses."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from rdflib import RDF, Graph, Namespace

from claimgraph.ingest.rdf_parse import check_syntax
from claimgraph.schema.errors import InputError

from w3c_suites import SUITES, suites_dir

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
FORMATS = {"ntriples": "ntriples", "nquads": "nquads", "turtle": "turtle", "trig": "trig", "rdf-xml": "rdfxml"}


def cases() -> list:
    try:
        root = suites_dir()
    except Exception as e:  # no registry: say so in the one test below
        return [pytest.param(None, None, None, id=f"unavailable: {e}")]
    out = []
    for folder in SUITES:
        manifest = root / folder / "manifest.ttl"
        g = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
        for test, kind in g.subject_objects(RDF.type):
            name = str(kind).rsplit("#", 1)[-1]
            if not name.startswith("Test") or name.endswith("NegativeEval"):
                continue
            action = g.value(test, MF.action)
            out.append(pytest.param(FORMATS[folder], Path(unquote(urlparse(str(action)).path)),
                                    "NegativeSyntax" in name, id=f"{folder}/{str(test).rsplit('#', 1)[-1]}"))
    return out


CASES = cases()


def test_the_suites_are_there():
    if CASES[0].values[0] is None:
        reason = f"the W3C suites could not be fetched from the package registry ({CASES[0].id})"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    assert len(CASES) > 800, f"expected the W3C syntax suites, found {len(CASES)} tests"


@pytest.mark.parametrize("fmt, path, negative", [c for c in CASES if c.values[0] is not None])
def test_w3c_syntax(fmt, path, negative):
    if negative:
        with pytest.raises(InputError, match="invalid"):
            check_syntax(path, fmt)
    else:
        check_syntax(path, fmt)
