"""The input formats claimgraph reads, and the file suffixes that name them."""
from __future__ import annotations

from pathlib import PurePath

CLAIM_FILE_SUFFIXES = {".yaml": "claims", ".yml": "claims", ".json": "claims"}
ARTICLE_SUFFIXES = {".txt": "article", ".md": "article", ".markdown": "article", ".html": "article",
                    ".htm": "article"}
RDF_SUFFIXES = {".nq": "nquads", ".nt": "ntriples", ".ttl": "turtle", ".trig": "trig", ".jsonld": "jsonld",
                ".json-ld": "jsonld", ".rdf": "rdfxml", ".owl": "rdfxml"}
RDF_NAMES = {"nquads": "N-Quads", "ntriples": "N-Triples", "turtle": "Turtle", "trig": "TriG",
             "jsonld": "JSON-LD", "rdfxml": "RDF/XML"}

#: suffix -> format, for every file ``claimgraph ingest`` reads
SUFFIXES: dict[str, str] = {**CLAIM_FILE_SUFFIXES, **ARTICLE_SUFFIXES, **RDF_SUFFIXES}
#: every format name, for ``--format``
FORMATS: tuple[str, ...] = ("claims", "article", *sorted(RDF_NAMES))
#: sidecar metadata files of articles are not documents of their own
SIDECAR_SUFFIX = ".meta.yaml"


def format_of(path: PurePath) -> str | None:
    """The format a file's suffix names, or None."""
    return SUFFIXES.get(path.suffix.lower())


def is_document(path: PurePath) -> bool:
    """Whether a file found in a folder is one ``claimgraph ingest`` reads."""
    return format_of(path) is not None and not path.name.endswith(SIDECAR_SUFFIX)
