"""RDF documents to events: claimgraph's own exports, schema.org data and Wikidata entity
exports (see ``claimgraph.ingest.rdf``), and other vocabularies through a mapping file.

Every document becomes an import plan and goes through one gate
(``claimgraph.schema.decide_import``): the domain checks of claim files, identity
by external id, ids recomputed from content. The result carries a report (new, updated,
merged, claims, sources, skipped by reason); a document in which nothing is recognised
is an error that names its most frequent classes and properties. Every imported event
names the document in its ``reason``; ids are content-derived, so importing a file twice
appends nothing."""
from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

from claimgraph.schema.decide_import import ExternalRef, ImportPlan, candidate_ids, decide_import, short_reason, slug_for
from claimgraph.schema.errors import InputError
from claimgraph.schema.events import DomainEvent
from claimgraph.schema.model import ENTITY_ID_RE

from .rdf.common import Options, Skips
from .rdf.foreign import ForeignReader
from .rdf.own import OwnReader
from .rdf.parse import Document
from .rdf.report import ImportReport
from .rdf.wikidata import ACTOR, WIKIDATA, WikidataReader

__all__ = ["ACTOR", "WIKIDATA", "Mapping", "Options", "ImportReport", "plan_document", "decide_document",
           "events_from"]

KINDS = {"person", "org", "model", "hardware", "product"}


@dataclass
class Mapping:
    """User mapping of other vocabularies: class IRI -> kind; property IRI -> 'name',
    'alias', 'external_id:<scheme>' or a predicate for Wikidata-style statements."""
    classes: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> "Mapping":
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as e:
            raise InputError(f"cannot read the mapping file: {e}", file=str(path)) from None
        if not isinstance(data, dict) or set(data) - {"classes", "properties"}:
            raise InputError("a mapping file has 'classes' (IRI: kind) and 'properties' (IRI: role)", file=str(path))
        for iri, kind in (data.get("classes") or {}).items():
            if kind not in KINDS:
                raise InputError(f"class {iri}: kind {kind!r} is not one of {sorted(KINDS)}", file=str(path))
        return cls(dict(data.get("classes") or {}), dict(data.get("properties") or {}))


def plan_document(doc: Document, mapping: Mapping | None = None,
                  options: Options | None = None) -> tuple[ImportPlan, Skips]:
    """What a parsed document says, in claimgraph's terms, and what was left out."""
    plan, skips = ImportPlan(doc.name), Skips()
    options = options or Options()
    try:
        OwnReader(doc, plan, skips, options).read()
        foreign = ForeignReader(doc, plan, skips, options, mapping or Mapping())
        foreign.entities()
        WikidataReader(foreign).run()
        foreign.schema_org()
    except InputError as e:
        raise e.located(file=doc.name) from None
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(f"cannot import: {short_reason(e) if isinstance(e, ValueError) else e}",
                         file=doc.name) from None
    return plan, skips


def nothing_recognised(doc: Document, skips: Skips) -> InputError:
    classes, properties = doc.vocabulary()
    shown = "; ".join(f"{reason} ({len(ex)})" for reason, ex in sorted(skips.reasons.items(),
                                                                        key=lambda kv: -len(kv[1]))[:3])
    return InputError(
        "nothing recognised: no claimgraph, schema.org or Wikidata entity, claim or source "
        f"({doc.count} triples). Most frequent classes: "
        f"{', '.join(f'<{c}> ({n})' for c, n in classes) or 'none'}; properties: "
        f"{', '.join(f'<{p}> ({n})' for p, n in properties) or 'none'}"
        + (f"; left out: {shown}" if shown else "") +
        ". Map classes and properties with --mapping map.yaml (see README, RDF)", file=doc.name)


def wanted(plan: ImportPlan) -> tuple[set, set, set, set, set]:
    """What the gate needs to know from the database about a plan: external ids, ids,
    names, proposition ids and source ids."""
    ext: set = set()
    ids: set = {WIKIDATA}
    names: set = set()
    for e in plan.entities:
        ext.update(e.external_ids)
        names.add(e.name)
        names.update(a.name for a in e.aliases)
        if e.entity_id:
            ids.add(e.entity_id)
        else:
            ids.update(candidate_ids(e.kind, slug_for(e.name, e.external_ids), e.external_ids))

    def add(ref) -> None:
        if isinstance(ref, ExternalRef):
            ext.add((ref.scheme, ref.value))
        elif isinstance(ref, str) and ENTITY_ID_RE.match(ref):
            ids.add(ref)

    for c in plan.claims:
        for ref in (c.claimant, c.subject, c.object):
            add(ref)
    for _, a, b in plan.merges:
        add(a)
        add(b)
    props = {r.proposition for r in plan.resolutions}
    sources = {c.evidence.source_id for c in plan.claims} | {r.evidence.source_id for r in plan.resolutions}
    sources |= {s.source_id for s in plan.sources}
    return ext, ids, names, props, sources


def decide_document(read, doc: Document, mapping: Mapping | None = None,
                    options: Options | None = None) -> tuple[list[DomainEvent], ImportReport]:
    """The events a parsed document stands for and its report (before appending);
    raises InputError naming the document."""
    plan, skips = plan_document(doc, mapping, options)
    if plan.empty():
        raise nothing_recognised(doc, skips)
    ext, ids, names, props, sources = wanted(plan)
    known = read.import_known(ext, ids, names, props, sources)
    outcome = decide_import(plan, known)
    report = ImportReport(doc.name, doc.format, entities_new=len(outcome.entities_new),
                          entities_updated=len(set(outcome.entities_updated)),
                          entities_unchanged=len(set(outcome.entities_unchanged) - set(outcome.entities_updated)),
                          entities_merged=len(outcome.merged), claims=dict(outcome.claims),
                          resolutions=outcome.resolutions, sources=outcome.sources,
                          ids_recomputed=outcome.ids_recomputed)
    report.add_skips(skips.reasons)
    report.add_skips(outcome.skipped)
    return outcome.events, report


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document's terms are read: millions
    of small acyclic objects make it scan again and again for nothing (reference
    counting still frees them)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def events_from(doc: Document, mapping: Mapping | None = None, options: Options | None = None,
                read=None) -> list[DomainEvent]:
    """The events of a document against an empty database (or ``read``, a read model)."""
    if read is None:
        from claimgraph.graph.db import connect
        from claimgraph.graph.store import Store
        store = Store(":memory:", conn=connect(":memory:"))
        read = store.read
    return decide_document(read, doc, mapping, options)[0]
