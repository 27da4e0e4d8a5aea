"""Events to the rows of one Neo4j batch.

A batch is built in two passes over its events: the first turns each event into rows
(following merges as they happen) and notes which entities and sources the claims
mention; the second looks up the names of those it has not seen (one query) and writes
the claims' captions. What the builder remembers between batches — names, which ids
exist, where merged ids lead — is bounded (least recently used names are forgotten and
looked up again), so any log size fits in the same memory.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from claimgraph.schema import dates
from claimgraph.schema.promises import AFFILIATIONS, delivery_of_claim, family_of
from claimgraph.schema.text import alias_key
from claimgraph.schema.values import follow, is_promise, object_label

from . import captions
from .statements import LABELS

log = logging.getLogger("claimgraph.neo4j")
#: predicates whose asserted claims decide who belongs to whose camp in a revision chain
TIES = frozenset({"develops", *AFFILIATIONS})
Row = dict[str, Any]
Event = tuple[int, str, dict[str, Any], str, str]
#: ids -> the ones that exist in Neo4j, with the entity's name (None for a source)
Lookup = Callable[[list[str]], dict[str, str | None]]


def _clean(d: Mapping[str, Any]) -> Row:
    return {k: v for k, v in d.items() if v is not None}


class Names:
    """Entity and source ids known to exist in the projection, with the entities' names;
    at most ``size`` of them, the least recently used forgotten first."""

    def __init__(self, size: int = 100_000):
        self.size = size
        self._known: OrderedDict[str, str | None] = OrderedDict()

    def __contains__(self, key: str) -> bool:
        return key in self._known

    def get(self, key: str) -> str | None:
        self._known.move_to_end(key)
        return self._known[key]

    def put(self, key: str, name: str | None) -> None:
        self._known[key] = name
        self._known.move_to_end(key)
        while len(self._known) > self.size:
            self._known.popitem(last=False)

    def forget(self, key: str) -> None:
        self._known.pop(key, None)

    def clear(self) -> None:
        self._known.clear()


def initial_status(due_end: str | None, today: str) -> tuple[str, str | None]:
    """The status of a proposition nothing has resolved yet, and the day it may change."""
    if due_end is None:
        return "pending", None
    if due_end < today:
        return "overdue", None
    return "pending", (dt.date.fromisoformat(due_end) + dt.timedelta(days=1)).isoformat()


@dataclass
class Texts:
    """What captions say about one claim."""
    claim: str
    proposition: str
    what: str


def proposition_text(subject: str, subject_name: str | None, predicate: str, obj: Mapping[str, Any] | None,
                     object_name: str | None, quantity: float | int | None, unit: str | None,
                     due: str | None) -> str:
    """The caption of a proposition: ``Grok 3 release by 2024-12``."""
    return captions.proposition_caption(captions.short_name(subject_name, subject), captions.statement(
        predicate, captions.object_text(obj, object_name), quantity, unit, due))


def texts(claimant: str, claimant_name: str | None, subject: str, subject_name: str | None,
          predicate: str, obj: Mapping[str, Any] | None, object_name: str | None,
          quantity: float | int | None, unit: str | None, due: str | None,
          modality: str, stated: str) -> Texts:
    """The captions of a claim and of its proposition, and the statement its one-hop
    relationship shows (``release by 2024-12``: the relationship's type says how it was
    said)."""
    subject_short = captions.short_name(subject_name, subject)
    obj_text = captions.object_text(obj, object_name)
    plain = captions.statement(predicate, obj_text, quantity, unit, due)
    said = captions.variants(predicate, obj_text, quantity, unit, due, denied=modality == "denied")
    return Texts(claim=captions.claim_caption(captions.short_name(claimant_name, claimant), subject_short,
                                              said, stated),
                 proposition=captions.proposition_caption(subject_short, plain),
                 what=captions.fitting(captions.variants(predicate, obj_text, quantity, unit, due), captions.HOP_MAX))


@dataclass
class _PendingClaim:
    """A claim's row before its captions are written (they need names)."""
    row: Row
    claimant: str
    subject: str
    object_entity: str | None
    obj: dict[str, Any] | None
    predicate: str
    quantity: float | int | None
    unit: str | None
    due: str | None
    modality: str
    stated: str
    proposition: Row | None  # the proposition's row, the first time the batch sees it


@dataclass
class Batch:
    """The rows of the events ``first < seq <= last``."""
    first: int
    last: int
    last_hash: str = ""
    entities: dict[str, list[Row]] = field(default_factory=lambda: {label: [] for label in LABELS.values()})
    ensure_entities: dict[str, list[Row]] = field(default_factory=lambda: {label: [] for label in LABELS.values()})
    aliases: list[Row] = field(default_factory=list)
    external_ids: list[Row] = field(default_factory=list)
    sources: list[Row] = field(default_factory=list)
    ensure_sources: list[str] = field(default_factory=list)
    propositions: dict[str, Row] = field(default_factory=dict)
    #: modality -> claim rows
    claims: dict[str, list[Row]] = field(default_factory=dict)
    resolutions: list[Row] = field(default_factory=list)
    retract_claims: list[Row] = field(default_factory=list)
    retract_resolutions: list[Row] = field(default_factory=list)
    merges: list[tuple[str, str]] = field(default_factory=list)
    #: propositions whose status a resolution in this batch may have changed
    resolved: set[str] = field(default_factory=set)
    #: facts that deliver a subject: {subject, predicates: the promise predicates they settle}
    deliveries: list[Row] = field(default_factory=list)
    #: subjects whose revision chains promises in this batch may have changed
    chains: set[str] = field(default_factory=set)
    #: claims that tie organizations to subjects or people (develops, leads, owns, founded)
    ties: list[str] = field(default_factory=list)
    events: int = 0
    today: str = ""
    pending: list[_PendingClaim] = field(default_factory=list)

    def claim_count(self) -> int:
        return sum(len(rows) for rows in self.claims.values())


Handler = Callable[["BatchBuilder", Batch, int, dict[str, Any], str, str], None]


class BatchBuilder:
    """Turns events into batches; keeps the names, known ids and redirects between them."""

    def __init__(self, names: Names | None = None):
        self.names = names or Names()
        #: propositions written already (those forgotten are written again harmlessly)
        self.propositions = Names(200_000)
        #: subjects this sync has marked for their revision chains already (marks stay until
        #: the sync's end writes the chains)
        self.marked = Names(100_000)
        self.redirects: dict[str, str] = {}

    def canon(self, entity_id: str) -> str:
        return follow(self.redirects, entity_id) if self.redirects else entity_id

    def reset(self, redirects: dict[str, str]) -> None:
        self.names.clear()
        self.propositions.clear()
        self.marked.clear()
        self.redirects = dict(redirects)

    def build(self, first: int, last: int, events: Iterable[Event], lookup: Lookup, today: str) -> Batch:
        batch = Batch(first, last, today=today)
        for seq, type_, d, actor, recorded_at in events:
            batch.events += 1
            try:
                HANDLERS[type_](self, batch, seq, d, actor, recorded_at)
            except Exception as e:  # noqa: BLE001 - one event that cannot be projected must not stop the rest
                # (a value an older version let into the log: the read model lists it as a fault)
                log.warning("event %s (%s) cannot be projected into Neo4j: %s: %s", seq, type_, type(e).__name__, e)
        self._finish_claims(batch, lookup)
        for pid in batch.propositions:
            self.propositions.put(pid, None)
        for subject in batch.chains:
            self.marked.put(subject, None)
        for a, _ in batch.merges:
            self.names.forget(a)
        return batch

    # -- the second pass: names, missing endpoints, captions ---------------------------
    def _finish_claims(self, b: Batch, lookup: Lookup) -> None:
        if not b.pending:
            return
        mentioned: dict[str, None] = {}
        for c in b.pending:
            for x in (c.claimant, c.subject, c.object_entity, c.row["source"]):
                if x is not None and x not in self.names:
                    mentioned[x] = None
        if mentioned:
            found = lookup(list(mentioned))
            for x in mentioned:
                if x in found:
                    self.names.put(x, found[x])
                elif x.startswith("source:") or ":" not in x:
                    b.ensure_sources.append(x)
                    self.names.put(x, None)
                else:
                    name = captions.name_from_id(x)
                    kind = x.split(":", 1)[0]
                    b.ensure_entities[LABELS[kind]].append({"id": x, "kind": kind, "name": name})
                    self.names.put(x, name)
        for c in b.pending:
            t = texts(c.claimant, self._name(c.claimant), c.subject, self._name(c.subject), c.predicate, c.obj,
                      self._name(c.object_entity), c.quantity, c.unit, c.due, c.modality, c.stated)
            c.row["caption"], c.row["what"] = t.claim, t.what
            if c.proposition is not None:
                c.proposition["caption"] = t.proposition
        b.pending.clear()

    def _name(self, entity_id: str | None) -> str | None:
        if entity_id is None:
            return None
        return self.names.get(entity_id) if entity_id in self.names else None

    def claim(self, b: Batch, seq: int, d: dict[str, Any], actor: str, recorded_at: str) -> None:
        """The rows of a claim (flat, one key per property: a None value leaves the
        property unset); its captions follow in the second pass."""
        p, ev = d["proposition"], d["evidence"]
        obj = {k: v for k, v in (p.get("object") or {}).items() if v is not None} or None
        object_entity = self.canon(obj["entity"]) if obj and obj.get("entity") else None
        if obj and object_entity:
            obj = {"entity": object_entity}
        claimant, subject = self.canon(d["claimant"]), self.canon(p["subject"])
        due, modality, predicate, pid, stated = p.get("due"), d["modality"], p["predicate"], p["id"], d["stated"]
        promise = is_promise(modality, due)
        delivered = delivery_of_claim(predicate, modality, obj, stated)
        origin = d.get("recorded")  # imported: where it was first recorded
        row = {"id": d["claim_id"], "caption": None, "stated": stated, "channel": d["channel"],
               "modality": modality, "promise": promise, "predicate": predicate,
               "quote": ev["quote"], "start": ev["start"], "end": ev["end"],
               "language": ev.get("language"), "verified": ev.get("verified", True),
               "confidence": d.get("confidence"), "extractor": d.get("extractor"),
               "actor": origin["by"] if origin else actor, "recordedAt": origin["at"] if origin else recorded_at,
               "seq": seq, "delivered": delivered, "deliveredStart": dates.start_iso(delivered) if delivered else None,
               "settles": list(family_of(predicate)) if delivered else None,
               "prop": pid, "claimant": claimant, "subject": subject, "source": ev["source_id"], "due": due,
               "what": None}
        proposition = None
        if pid not in b.propositions and pid not in self.propositions:
            due_end = dates.end_iso(due) if due else None
            status, recheck = initial_status(due_end, b.today)
            proposition = b.propositions[pid] = {
                "id": pid, "subject": p["subject"], "predicate": predicate, "object": object_label(obj) or None,
                "objectJson": orjson.dumps(obj, option=orjson.OPT_SORT_KEYS).decode() if obj else None,
                "quantity": p.get("quantity"), "unit": p.get("unit"), "due": due, "dueEnd": due_end,
                "validFrom": p.get("valid_from"), "validTo": p.get("valid_to"), "seq": seq,
                "caption": None, "status": status, "recheck": recheck, "subjectId": subject,
                "objectId": object_entity}
        b.claims.setdefault(modality, []).append(row)
        b.pending.append(_PendingClaim(row, claimant, subject, object_entity, obj, predicate, p.get("quantity"),
                                       p.get("unit"), due, modality, stated, proposition))
        if delivered:
            b.deliveries.append({"subject": subject, "predicates": row["settles"]})
        if promise and subject not in self.marked:
            b.chains.add(subject)
        if predicate in TIES and modality == "asserted":
            b.ties.append(d["claim_id"])




def hop_row(claim_id: str, stated: str, predicate: str, due: str | None, promise: bool, what: str) -> Row:
    """What a claim's one-hop relationship is made from (its status comes from the
    proposition in Neo4j)."""
    return {"id": claim_id, "stated": stated, "predicate": predicate, "due": due, "promise": promise, "what": what}


# -- the first pass: one handler per event type -------------------------------------------
def _claim_recorded(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str, recorded_at: str) -> None:
    bb.claim(b, seq, d, actor, recorded_at)


def _entity_registered(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str,
                       recorded_at: str) -> None:
    aliases = [a["name"] for a in d.get("aliases") or ()]
    b.entities[LABELS[d["kind"]]].append({
        "id": d["entity_id"], "kind": d["kind"], "name": d["name"], "aliases": aliases,
        "aliasKeys": sorted({alias_key(x) for x in [d["name"], *aliases]}),
        "externalIds": [f"{k}:{v}" for k, v in sorted((d.get("external_ids") or {}).items())],
        "seq": seq})
    bb.names.put(d["entity_id"], d["name"])


def _entity_aliased(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str, recorded_at: str) -> None:
    b.aliases.append({"id": bb.canon(d["entity_id"]), "alias": d["alias"], "key": alias_key(d["alias"])})


def _external_id_added(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str,
                       recorded_at: str) -> None:
    b.external_ids.append({"id": bb.canon(d["entity_id"]), "value": f"{d['scheme']}:{d['value']}"})


def _source_registered(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str,
                       recorded_at: str) -> None:
    b.sources.append({"id": d["source_id"], "props": _clean({
        "id": d["source_id"], "title": d.get("title"), "url": d.get("url"),
        "publisher": d.get("publisher"), "published": d.get("published"),
        "language": d.get("language"), "origin": d.get("origin"), "text": d["text"], "seq": seq,
        "caption": captions.source_caption(d["source_id"], d.get("publisher"), d.get("published"), d.get("title"),
                                           d.get("url"))})})
    bb.names.put(d["source_id"], None)


def _proposition_resolved(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str,
                          recorded_at: str) -> None:
    ev = d["evidence"]
    origin = d.get("recorded")
    b.resolutions.append({"id": d["resolution_id"], "proposition": d["proposition_id"],
                          "source": ev["source_id"], "props": _clean({
                              "id": d["resolution_id"], "verdict": d["verdict"], "known": d["known"],
                              "knownStart": dates.start(d["known"]).isoformat(), "quote": ev["quote"],
                              "start": ev["start"], "end": ev["end"], "language": ev.get("language"),
                              "actor": origin["by"] if origin else actor,
                              "recordedAt": origin["at"] if origin else recorded_at, "seq": seq,
                              "caption": captions.resolution_caption(d["verdict"], d["known"])})})
    b.resolved.add(d["proposition_id"])


def _claim_retracted(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str, recorded_at: str) -> None:
    b.retract_claims.append({"id": d["claim_id"], "seq": seq, "reason": d["reason"]})


def _resolution_retracted(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str,
                          recorded_at: str) -> None:
    b.retract_resolutions.append({"id": d["resolution_id"], "seq": seq, "reason": d["reason"]})


def _event_retracted(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str,
                     recorded_at: str) -> None:
    """The retracted event could not be projected and was skipped when it was read."""


def _entities_merged(bb: BatchBuilder, b: Batch, seq: int, d: dict[str, Any], actor: str, recorded_at: str) -> None:
    a, into = bb.canon(d["from_id"]), bb.canon(d["into_id"])
    if a != into:
        b.merges.append((a, into))
        bb.redirects[a] = into


#: event type -> the function that adds its rows to a batch
HANDLERS: dict[str, Handler] = {
    "claim-recorded": _claim_recorded,
    "entity-registered": _entity_registered,
    "entity-aliased": _entity_aliased,
    "external-id-added": _external_id_added,
    "source-registered": _source_registered,
    "proposition-resolved": _proposition_resolved,
    "claim-retracted": _claim_retracted,
    "resolution-retracted": _resolution_retracted,
    "entities-merged": _entities_merged,
    "event-retracted": _event_retracted,
}
