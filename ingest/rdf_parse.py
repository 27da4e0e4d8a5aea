"""Strict RDF parsing: pyoxigraph reads the document (it rejects what the W3C suites call
invalid, gives line numbers, and never fetches a remote JSON-LD context), and the result
is handed on as rdflib terms — the library the rest of the code works with. Literals keep
their lexical form (no normalisation)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from claimgraph.schema.errors import InputError
from claimgraph.schema.formats import RDF_NAMES

FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
}
NAMES = RDF_NAMES


def max_bytes() -> int:
    """The largest RDF document accepted (CLAIMGRAPH_MAX_RDF_MB, default 512)."""
    return int(float(os.environ.get("CLAIMGRAPH_MAX_RDF_MB", "512")) * 1024 * 1024)


@dataclass
class Document:
    """A parsed RDF document: ``graphs[graph][subject][predicate] -> [objects]``
    (graph ``None`` is the default graph)."""
    name: str
    graphs: dict = field(default_factory=dict)
    count: int = 0

    def add(self, s, p, o, g) -> None:
        self.graphs.setdefault(g, {}).setdefault(s, {}).setdefault(p, []).append(o)
        self.count += 1

    def subjects(self, graph=None) -> dict:
        return self.graphs.get(graph, {})


def _term(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        lang = t.language
        if lang:
            return Literal(t.value, lang=lang, normalize=False)
        dt = t.datatype.value
        return Literal(t.value, datatype=None if dt.endswith("#string") else URIRef(dt), normalize=False)
    if isinstance(t, ox.DefaultGraph):
        return None
    raise InputError(f"RDF-star triple terms are not supported ({t})")


def parse_file(path: str | Path, fmt: str) -> Document:
    path = Path(path)
    name = NAMES[fmt]
    size = path.stat().st_size
    if size > max_bytes():
        raise InputError(f"{name} document is {size / 1048576:.0f} MiB, over the limit of "
                         f"{max_bytes() / 1048576:.0f} MiB (set CLAIMGRAPH_MAX_RDF_MB)", file=str(path))
    if size == 0:
        raise InputError(f"{name} document is empty", file=str(path))
    doc = Document(path.name)
    base = path.resolve().as_uri()
    cache: dict = {}
    try:
        for q in ox.parse(path=str(path), format=FORMATS[fmt], base_iri=base):
            s, p, o, g = q.subject, q.predicate, q.object, q.graph_name
            doc.add(cache.get(s) or cache.setdefault(s, _term(s)), cache.get(p) or cache.setdefault(p, _term(p)),
                    _term(o), None if isinstance(g, ox.DefaultGraph) else cache.get(g) or cache.setdefault(g, _term(g)))
            if len(cache) > 200000:
                cache.clear()
    except SyntaxError as e:
        reason = str(getattr(e, "msg", e))
        if "LoadDocumentCallback" in reason or "remote context" in reason.lower():
            reason = "the JSON-LD document asks to fetch a remote @context; claimgraph never fetches " \
                     "anything: inline the context"
        raise InputError(f"invalid {name}: {reason}", file=str(path), line=e.lineno) from None
    except (ValueError, OSError) as e:
        raise InputError(f"invalid {name}: {e}", file=str(path)) from None
    if doc.count == 0 and fmt != "jsonld":
        raise InputError(f"{name} document holds no triples", file=str(path))
    return doc


def check_syntax(path: str | Path, fmt: str) -> None:
    """Parse only (for the W3C syntax suites); raises InputError."""
    try:
        for _ in ox.parse(path=str(path), format=FORMATS[fmt], base_iri=Path(path).resolve().as_uri()):
            pass
    except SyntaxError as e:
        raise InputError(f"invalid {NAMES[fmt]}: {getattr(e, 'msg', e)}", file=str(path), line=e.lineno) from None
