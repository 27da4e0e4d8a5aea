"""Commands from users and APIs (record, retract, resolve, merge, ingest a document),
each appended through the same path as claim files: build a claim file or decide the
events from the current state, then append in one transaction."""
from __future__ import annotations

from pydantic import ValidationError

from claimgraph.graph.store import Store
from claimgraph.schema.claimfile import ClaimFile
from claimgraph.schema.errors import InputError, NotFoundError
from claimgraph.schema.events import ClaimRetracted, EntitiesMerged, EventRetracted, ResolutionRetracted

from .claimfile import _parse, _pydantic_error, max_bytes
from .pipeline import DEFAULT_ACTOR, IngestResult, ingest_document


def _doc(data: dict, file: str, lines: dict | None = None) -> ClaimFile:
    try:
        return ClaimFile.model_validate(data)
    except ValidationError as e:
        raise _pydantic_error(e, file, lines or {}) from None


def _source_block(store: Store, source: dict) -> tuple[dict, str]:
    """A claim file's source block and text, from an existing source id or inline text."""
    source = {k: v for k, v in source.items() if v is not None}
    if "id" in source:
        found = store.read.source(source.pop("id"))
        if found is None:
            raise NotFoundError("no such source")
        block = {k: found[k] for k in ("url", "title", "publisher", "published", "language") if found.get(k)}
        return {**block, "text": found["text"]}, found["text"]
    if not source.get("text"):
        raise InputError("give the source as 'id' (a known source) or 'text'", field="source")
    return source, source["text"]


def record_claim(store: Store, claim: dict, source: dict, *, actor: str,
                 entities: list[dict] | None = None) -> IngestResult:
    block, text = _source_block(store, source)
    doc = _doc({"source": block, "entities": entities or [], "claims": [claim]}, "recordClaim")
    return ingest_document(store, doc, text, origin="api", actor=actor, file="recordClaim")


def resolve_proposition(store: Store, resolution: dict, source: dict, *, actor: str) -> IngestResult:
    block, text = _source_block(store, source)
    doc = _doc({"source": block, "resolutions": [resolution]}, "resolveProposition")
    return ingest_document(store, doc, text, origin="api", actor=actor, file="resolveProposition")


def retract_claim(store: Store, claim_id: str, reason: str, *, actor: str) -> IngestResult:
    store.refresh()
    if not reason.strip():
        raise InputError("a retraction needs a reason", field="reason")
    if store.read.claim(claim_id) is None:
        raise NotFoundError(f"no claim {claim_id!r} (or it is already retracted)")
    version = len(store.log.stream(claim_id))
    r = store.append([ClaimRetracted(claim_id=claim_id, reason=reason)], actor=actor,
                     reason=f"retract {claim_id}", expected={claim_id: version})
    return IngestResult("retractClaim", len(r.appended), len(r.duplicates), r.appended[0] if r.appended else None)


def retract_resolution(store: Store, resolution_id: str, reason: str, *, actor: str) -> IngestResult:
    store.refresh()
    if not reason.strip():
        raise InputError("a retraction needs a reason", field="reason")
    events = store.log.stream(resolution_id)
    if not events or not any(r["id"] == resolution_id for p in [events[0].data["proposition_id"]]
                             for r in store.read.resolutions(p)):
        raise NotFoundError(f"no resolution {resolution_id!r} (or it is already retracted)")
    r = store.append([ResolutionRetracted(resolution_id=resolution_id, reason=reason)], actor=actor,
                     expected={resolution_id: len(events)})
    return IngestResult("retractResolution", len(r.appended), len(r.duplicates), r.appended[0] if r.appended else None)


def merge_entities(store: Store, from_ref: str, into_ref: str, *, actor: str) -> IngestResult:
    store.refresh()
    a, b = store.read.resolve(from_ref), store.read.resolve(into_ref)
    if a is None or b is None:
        raise NotFoundError(f"no entity {from_ref if a is None else into_ref!r}")
    if a == b:
        raise InputError(f"{from_ref} and {into_ref} are already the same entity")
    if a.split(":")[0] != b.split(":")[0]:
        raise InputError(f"cannot merge {a} into {b}: they are of different kinds")
    r = store.append([EntitiesMerged(from_id=a, into_id=b)], actor=actor, reason=f"merge {a} into {b}")
    return IngestResult("mergeEntities", len(r.appended), len(r.duplicates), r.appended[0] if r.appended else None)


def retract_event(store: Store, seq: int, reason: str, *, actor: str) -> IngestResult:
    """Append the compensation for an event the read model could not project."""
    store.refresh()
    if not reason.strip():
        raise InputError("a retraction needs a reason", field="reason")
    open_faults = {f[0]: f for f in store.projection.faults() if f[3] is None}
    stored = store.log.get(seq)
    if stored is None:
        raise NotFoundError(f"no event {seq} in the log (head is {store.head()})")
    if seq not in open_faults:
        raise InputError(f"event {seq} ({stored.type}) is projected as it should be (or already retracted); only "
                         "events that cannot be projected are retracted this way — claims and resolutions "
                         "recorded in error are withdrawn with retractClaim / retractResolution")
    r = store.append([EventRetracted(seq=seq, target_id=stored.event_id, reason=reason)], actor=actor,
                     reason=f"retract event {seq}")
    return IngestResult("retract", len(r.appended), len(r.duplicates), r.appended[0] if r.appended else None)


def _check_size(text: str, what: str, name: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes():
        raise InputError(f"{what} is {size / 1048576:.1f} MiB, over the limit of {max_bytes() / 1048576:.0f} MiB "
                         "(CLAIMGRAPH_MAX_FILE_MB)", file=name)


def ingest_text(store: Store, content: str, *, fmt: str = "yaml", source_text: str | None = None,
                actor: str = DEFAULT_ACTOR, name: str = "document") -> IngestResult:
    """A claim file given as text. Its source must be inline (``text:``) or given as
    ``source_text``: a server never reads paths named by a client. The same size limit
    applies as to files."""
    _check_size(content, "the document", name)
    if source_text is not None:
        _check_size(source_text, "the source text", name)
    data, lines = _parse(content, name, fmt == "json")
    if not isinstance(data, dict):
        raise InputError("a claim file is a mapping with 'source' and 'claims'", file=name, line=1)
    source = data.get("source")
    if isinstance(source, dict) and source_text is not None:
        if "text" in source or "path" in source:
            raise InputError("give the source text either in the document or as sourceText, not both", file=name)
        data = {**data, "source": {**source, "text": source_text}}
    if isinstance(source, dict) and "path" in source:
        raise InputError("a document sent to the server cannot name a file path; put the text in "
                         "'source.text' or pass sourceText", file=name, field="source.path")
    doc = _doc(data, name, lines)
    return ingest_document(store, doc, doc.source.text or "", origin=name, actor=actor,
                           line_of=lambda p: None, file=name)
