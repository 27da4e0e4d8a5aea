"""Exports checked by Apache Jena: ``riot --validate --strict`` for every format, and Jena's
SHACL engine against the shipped shapes. Jena comes from Maven Central through
``deploy/jena/jena.sh`` (cached after the first run). Without Java or Maven the tests
skip with the reason, except under CI, where nothing may skip."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from claimgraph.graph.rdf_export import FORMATS, write
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.ingest.rdf_import import Options

from helpers import ROOT

SCRIPT = ROOT / "deploy" / "jena" / "jena.sh"
DATA = Path(__file__).parent / "rdf_data"
SUFFIX = {"trig": ".trig", "nquads": ".nq", "jsonld": ".jsonld", "turtle": ".ttl"}
BUNDLE = ("Q21708200.rdf", "Q182477.ttl", "labs.ttl", "Q317521.ttl", "openai-about.jsonld", "nvidia-corp.jsonld",
          "truthy.nt", "xai.ttl")


def jena_missing() -> str | None:
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed: the Jena checks need Java 17 and Maven"
    return None


def need_jena() -> None:
    reason = jena_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; under CI they may not skip")
        pytest.skip(reason)


def jena(*args: str) -> subprocess.CompletedProcess:
    """Run a Jena command (``riot …``, ``shacl …``) through deploy/jena/jena.sh."""
    need_jena()
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=600)


def riot(*paths: Path) -> subprocess.CompletedProcess:
    """``riot --validate --strict`` over the files (one JVM for all of them)."""
    return jena("riot", "--validate", "--strict", *map(str, paths))


def problems(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stderr.splitlines() if " ERROR " in line or " WARN " in line]


def exports(store, folder: Path, stem: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for fmt in FORMATS:
        path = folder / f"{stem}{SUFFIX[fmt]}"
        with open(path, "w", encoding="utf-8") as f:
            write(store.read, fmt, f)
        out.append(path)
    return out


@pytest.fixture(scope="module")
def bundle_exports(tmp_path_factory):
    """Exports in every format of the sample plus a mixed bundle of foreign documents."""
    from claimgraph.api.cli import sample_dir
    from claimgraph.graph.store import Store

    folder = tmp_path_factory.mktemp("jena")
    shutil.copytree(sample_dir(), folder / "sample")
    with Store(str(folder / "bundle.db")) as store:
        ingest_path(store, folder / "sample" / "grok3-delay.yaml")
        sample = exports(store, folder / "out", "sample")
        for name in BUNDLE:
            ingest_path(store, DATA / name, rdf_options=Options(retrieved="2025-03-01"))
        mixed = exports(store, folder / "out", "bundle")
    return sample + mixed


def test_every_export_format_passes_riot_strict(bundle_exports):
    proc = riot(*bundle_exports)
    assert proc.returncode == 0 and not problems(proc), proc.stderr
    assert {p.suffix for p in bundle_exports} == {".nq", ".trig", ".ttl", ".jsonld"}


def test_riot_catches_what_it_should(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text('<http://a> <http://b> <http://c d> .\n<http://a> <http://b> "x"@not_a_tag .\n')
    proc = riot(bad)
    assert proc.returncode != 0 and problems(proc)


def conforms(report: str) -> bool:
    """sh:conforms of a SHACL validation report (Turtle)."""
    import rdflib
    g = rdflib.Graph().parse(data=report, format="turtle")
    (value,) = set(g.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#conforms")))
    return bool(value.toPython())


def test_jena_shacl_accepts_the_export(bundle_exports):
    turtle = next(p for p in bundle_exports if p.name == "bundle.ttl")
    proc = jena("shacl", "validate", "--shapes", str(ROOT / "schema" / "shapes.ttl"), "--data", str(turtle))
    assert proc.returncode == 0, proc.stderr
    assert conforms(proc.stdout), proc.stdout[:3000]


def test_shapes_fail_in_jena_too_when_broken(tmp_path, bundle_exports):
    turtle = next(p for p in bundle_exports if p.name == "bundle.ttl")
    broken = tmp_path / "broken.ttl"
    broken.write_text(turtle.read_text().replace("prov#wasAttributedTo", "prov#wasAssociatedWith"))
    proc = jena("shacl", "validate", "--shapes", str(ROOT / "schema" / "shapes.ttl"), "--data", str(broken))
    assert not conforms(proc.stdout)


def test_the_jsonld_export_expands_with_pyld(bundle_exports):
    import json

    from pyld import jsonld

    path = next(p for p in bundle_exports if p.name == "bundle.jsonld")
    data = json.loads(path.read_text())

    def no_network(url, options=None):
        raise AssertionError(f"pyld tried to load {url}")

    expanded = jsonld.expand(data, {"documentLoader": no_network})
    assert len(expanded) > 10
    nquads = jsonld.to_rdf(data, {"format": "application/n-quads", "documentLoader": no_network})
    assert "https://w3id.org/claimgraph/vocab#quote" in nquads
    assert io.StringIO(nquads).read().count("\n") > 100
