"""claimgraph's RDF vocabulary and IRIs. Pure: no I/O.

Every thing has a stable IRI under one base; each claim's proposition lives in its own
named graph, and all claim graph IRIs share one namespace (``…/graph/``), which keeps
TriG output linear. Partial dates keep their precision as ``xsd:gYear``,
``xsd:gYearMonth`` or ``xsd:date``.
"""
from __future__ import annotations

BASE = "https://w3id.org/claimgraph/"
CG = BASE + "vocab#"
ENTITY = BASE + "entity/"
CLAIM = BASE + "claim/"
PROPOSITION = BASE + "proposition/"
RESOLUTION = BASE + "resolution/"
SOURCE = BASE + "source/"
GRAPH = BASE + "graph/"
PREDICATE = BASE + "predicate/"
CHANNEL = BASE + "channel/"
MODALITY = BASE + "modality/"
VERDICT = BASE + "verdict/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SDO = "https://schema.org/"
WD = "http://www.wikidata.org/entity/"

PREFIXES = {"cg": CG, "entity": ENTITY, "claim": CLAIM, "prop": PROPOSITION, "res": RESOLUTION,
            "src": SOURCE, "graph": GRAPH, "pred": PREDICATE, "channel": CHANNEL, "modality": MODALITY,
            "verdict": VERDICT, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS, "prov": PROV,
            "schema": SDO, "wd": WD}

KIND_CLASSES = {"person": SDO + "Person", "org": SDO + "Organization", "model": CG + "Model",
                "hardware": CG + "Hardware", "product": SDO + "Product"}


def entity_iri(entity_id: str) -> str:
    kind, slug = entity_id.split(":", 1)
    return f"{ENTITY}{kind}/{slug}"


def entity_id(iri: str) -> str | None:
    if not iri.startswith(ENTITY):
        return None
    kind, _, slug = iri[len(ENTITY):].partition("/")
    return f"{kind}:{slug}" if kind and slug else None


def hex_of(content_id: str) -> str:
    return content_id.split(":", 1)[1]


def date_datatype(partial: str) -> str:
    return XSD + {4: "gYear", 7: "gYearMonth", 10: "date"}[len(partial)]
