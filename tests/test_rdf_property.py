"""Property: whatever the domain accepts exports as valid RDF in every format, conforms to
the shipped shapes, and round-trips isomorphically (export -> ingest into an empty
database -> export gives the same dataset). Riot checks every export of every example in
one run at the end."""
from __future__ import annotations

import io
import itertools
import tempfile
from importlib.resources import files
from pathlib import Path

import rdflib
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rdf_jena import SUFFIX, problems, riot

from claimgraph.graph.rdf_export import FORMATS, write
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.schema.model import CORE_PREDICATES

RDFLIB = {"trig": "trig", "nquads": "nquads", "jsonld": "json-ld", "turtle": "turtle"}
LETTERS = st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd"), max_codepoint=0x2FFFF)
WORD = st.text(LETTERS, min_size=1, max_size=8)
PHRASE = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)
LANG = st.sampled_from([None, "en", "de", "en-us", "en-GB", "de-CH", "zh-Hant-TW", "sr-Latn-RS", "ja", "ar"])
KINDS = ("person", "org", "model", "hardware", "product")


def partial_dates():
    return st.dates(min_value=__import__("datetime").date(1990, 1, 1),
                    max_value=__import__("datetime").date(2030, 12, 31)).flatmap(
        lambda d: st.sampled_from([d.isoformat()[:4], d.isoformat()[:7], d.isoformat()]))


@st.composite
def claim_files(draw):
    entities = []
    for slug in draw(st.lists(SLUG, min_size=1, max_size=4, unique=True)):
        kind = draw(st.sampled_from(KINDS))
        entity = {"id": f"{kind}:{slug}", "name": draw(PHRASE)}
        aliases = draw(st.lists(st.tuples(PHRASE, LANG), max_size=3))
        if aliases:
            entity["aliases"] = [{"name": n, "lang": lang} if lang else n for n, lang in aliases]
        if draw(st.booleans()):
            entity["external_ids"] = {"wikidata": f"Q{draw(st.integers(1, 10**9))}"}
        entities.append(entity)
    ids = [e["id"] for e in entities]
    quotes = draw(st.lists(PHRASE, min_size=1, max_size=4, unique=True))
    text = " | ".join(quotes) + "\n"
    claims = []
    for quote in quotes:
        claim = {"claimant": draw(st.sampled_from(ids)), "stated": draw(partial_dates()),
                 "channel": draw(st.sampled_from(["x_post", "blog", "interview", "docs", "other"])),
                 "subject": draw(st.sampled_from(ids)), "predicate": draw(st.sampled_from(CORE_PREDICATES)),
                 "modality": draw(st.sampled_from(["asserted", "promised", "planned", "hedged", "denied"])),
                 "quote": quote}
        shape = draw(st.sampled_from(["none", "entity", "date", "value", "text"]))
        if shape == "entity":
            claim["object"] = draw(st.sampled_from(ids))
        elif shape == "date":
            claim["object"] = {"date": draw(partial_dates())}
        elif shape == "value":
            claim["object"] = {"value": draw(st.integers(0, 10**6) | st.floats(0.5, 1e6, allow_nan=False)),
                               "unit": draw(st.sampled_from([None, "GPU", "USD", "Mrd. €"]))}
        elif shape == "text":
            claim["object"] = {"text": draw(PHRASE)}
        if draw(st.booleans()):
            claim["due"] = draw(partial_dates())
        if draw(st.booleans()):
            start, end = sorted([draw(partial_dates()), draw(partial_dates())])
            claim["valid_from"] = start
            if draw(st.booleans()) and end[:len(start)] >= start:
                claim["valid_to"] = end
        if draw(st.booleans()):
            claim["language"] = draw(LANG.filter(bool))
        claims.append(claim)
    merges = []
    same_kind = [(a, b) for a, b in itertools.permutations(ids, 2) if a.split(":")[0] == b.split(":")[0]]
    if same_kind and draw(st.booleans()):
        a, b = draw(st.sampled_from(same_kind))
        merges.append({"from": a, "into": b})
    return {"source": {"text": text, "language": draw(LANG), "published": draw(partial_dates())},
            "entities": entities, "claims": claims, "merges": merges}


def export(store, fmt: str) -> str:
    out = io.StringIO()
    write(store.read, fmt, out)
    return out.getvalue()


def quads(text: str, fmt: str) -> set:
    d = rdflib.Dataset()
    d.parse(data=text, format=RDFLIB[fmt])
    return {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in d.quads()}


def test_whatever_the_domain_accepts_exports_valid_isomorphic_rdf(tmp_path):
    from pyshacl import validate
    shapes = rdflib.Graph().parse(data=(files("claimgraph.schema") / "shapes.ttl").read_text(), format="turtle")
    written: list[Path] = []

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(claim_files())
    def check(doc):
        work = Path(tempfile.mkdtemp(dir=tmp_path))
        path = work / "doc.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with Store(str(work / "a.db")) as a:
            ingest_path(a, path)
            texts = {fmt: export(a, fmt) for fmt in FORMATS}
        data = rdflib.Graph().parse(data=texts["turtle"], format="turtle")
        ok, _, report = validate(data, shacl_graph=shapes, inference="none")
        assert ok, report
        for fmt in ("trig", "nquads", "jsonld"):
            exported = work / f"export{SUFFIX[fmt]}"
            exported.write_text(texts[fmt], encoding="utf-8")
            with Store(str(work / f"b-{fmt}.db")) as b:
                ingest_path(b, exported)
                again = export(b, fmt)
                assert ingest_path(b, exported).appended == 0
            # no blank nodes anywhere: equal quad sets are isomorphic datasets
            assert quads(again, fmt) == quads(texts[fmt], fmt)
        turtle = work / "export.ttl"
        turtle.write_text(texts["turtle"], encoding="utf-8")
        written.extend(work / f"export{SUFFIX[fmt]}" for fmt in FORMATS)

    check()
    assert len(written) >= 4 * 10
    proc = riot(*written)  # skips (with the reason) only where Java is missing, never under CI
    assert proc.returncode == 0 and not problems(proc), proc.stderr[:5000]
