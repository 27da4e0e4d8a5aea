"""Ingesting files into a store: choose the reader by extension, decide, append.

Each file is one transaction: it is appended whole or not at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimgraph.graph.store import Store
from claimgraph.schema.claimfile import ClaimFile
from claimgraph.schema.decide import decide_claim_file, references
from claimgraph.schema.errors import InputError
from claimgraph.schema.events import ClaimRecorded
from claimgraph.schema.formats import FORMATS, RDF_SUFFIXES, format_of
from claimgraph.schema.model import source_id
from claimgraph.schema.text import nfc

from .claimfile import load_claim_file

DEFAULT_ACTOR = "claimgraph-ingest@1"


@dataclass
class IngestResult:
    file: str
    appended: int
    duplicates: int
    first_seq: int | None = None
    claim_ids: list[str] = field(default_factory=list)


def detect_format(path: Path, fmt: str | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})", file=str(path))
        return fmt
    found = format_of(path)
    if not found:
        raise InputError(f"cannot tell the format from the extension {path.suffix!r} (claim files: "
                         f".yaml .yml .json; RDF: {' '.join(sorted(RDF_SUFFIXES))}; articles: .txt .md .html; "
                         "or pass --format)", file=str(path))
    return found


def ingest_document(store: Store, doc: ClaimFile, source_text: str, *, origin: str | None,
                    actor: str = DEFAULT_ACTOR, line_of=lambda p: None, file: str | None = None) -> IngestResult:
    """Decide the events for a parsed claim file and append them in one transaction."""
    store.refresh()
    refs, pairs = references(doc)
    known = store.read.known(refs, pairs, [source_id(nfc(source_text))])
    try:
        events = decide_claim_file(doc, source_text, known, line_of=line_of, origin=origin)
    except InputError as e:
        raise e.located(file=file) from None
    # the actor is who asked (the authenticated caller, the local user); a document's own
    # `extractor` is kept on its claims, never taken as the actor
    result = store.append(events, actor=actor, reason=f"ingest {origin or 'document'}")
    return IngestResult(file or origin or "document", len(result.appended), len(result.duplicates),
                        result.appended[0] if result.appended else None,
                        [e.claim_id for e in events if isinstance(e, ClaimRecorded)])


@dataclass
class RdfIngestResult(IngestResult):
    """An RDF import's result with its report (``report.text()``, ``report.as_json()``)."""
    report: object = None


def ingest_rdf(store: Store, path: Path, fmt: str, mapping=None, options=None,
               actor: str = DEFAULT_ACTOR) -> RdfIngestResult:
    """Import one RDF document through the import gate, appended whole or not at all."""
    from .rdf_import import collector_paused, decide_document
    from .rdf_parse import parse_file

    with collector_paused():
        doc = parse_file(path, fmt)
        store.refresh()
        events, report = decide_document(store.read, doc, mapping, options)
        del doc
    result = store.append(events, actor=actor, reason=f"ingest {path.name}")
    report.file = str(path)
    report.events_appended, report.duplicates = len(result.appended), len(result.duplicates)
    return RdfIngestResult(str(path), len(result.appended), len(result.duplicates),
                           result.appended[0] if result.appended else None,
                           [e.claim_id for e in events if isinstance(e, ClaimRecorded)], report=report)


def extract_article(store: Store | None, path: Path, extractor: str = "rules", min_confidence: float | None = None,
                    **metadata) -> tuple[dict, str, list[list[str]]]:
    """(claim-file dict, extractor name, per-claim review notes) for an article:
    candidates for review or ingest. ``min_confidence`` overrides the extractor's
    threshold (rule-based extractor only); notes are empty for other extractors."""
    from .extract import get_extractor
    from .extract.article import read_article
    from .extract.rules import RuleExtractor, UnsupportedLanguage

    article = read_article(path, **metadata)
    engine = get_extractor(extractor)
    known = store.read.alias_map() if store is not None else None
    try:
        if isinstance(engine, RuleExtractor):
            if min_confidence is not None:
                engine = RuleExtractor(engine.model, min_confidence)
            found = engine.run(article, known)
            kept = found.kept(engine.min_confidence)
            return found.claim_file(engine.min_confidence), engine.name, [c.checks for c in kept]
        data = engine.extract(article, known)
        return data, engine.name, [[] for _ in data.get("claims", [])]
    except UnsupportedLanguage as e:
        raise InputError(f"no claims extracted: {e}", file=str(path)) from None


def ingest_article(store: Store, path: Path, extractor: str = "rules", actor: str = DEFAULT_ACTOR,
                   **metadata) -> IngestResult:
    """Extract candidate claims and ingest them, marked as machine-extracted (each claim
    names its extractor and keeps its confidence; the actor is who ingests)."""
    store.refresh()
    data, _, _ = extract_article(store, path, extractor, **metadata)
    try:
        doc = ClaimFile.model_validate(data)
    except Exception as e:  # an extractor bug must not half-append anything
        raise InputError(f"the extractor produced an invalid claim file: {e}", file=str(path)) from None
    if not doc.claims:
        return IngestResult(str(path), 0, 0)
    return ingest_document(store, doc, doc.source.text or "", origin=path.name, actor=actor, file=str(path))


def ingest_path(store: Store, path: str | Path, fmt: str | None = None,
                actor: str = DEFAULT_ACTOR, mapping=None, rdf_options=None) -> IngestResult:
    path = Path(path)
    fmt = detect_format(path, fmt)
    if fmt == "article":
        return ingest_article(store, path, actor=actor)
    if fmt != "claims":
        return ingest_rdf(store, path, fmt, mapping, rdf_options, actor=actor)
    loaded = load_claim_file(path)
    return ingest_document(store, loaded.doc, loaded.source_text, origin=path.name, actor=actor,
                           line_of=loaded.line_of, file=loaded.path)
