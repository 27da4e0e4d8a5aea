"""Deciding: a claim file plus what is already known becomes a list of events.

Pure: the caller loads a ``Known`` snapshot first (the read model does that) and
appends the result; nothing here reads or writes anything.
"""
from __future__ import annotations

from typing import Callable, Iterable

from . import dates
from .claimfile import ClaimFile, ClaimSpec, ObjectSpec, ResolutionSpec
from .errors import InputError
from .events import (
    ClaimRecorded,
    DomainEvent,
    EntitiesMerged,
    EntityAliased,
    EntityRegistered,
    PropositionResolved,
    SourceRegistered,
)
from .external_ids import check as check_external_id
from .known import Known, KnownEntity
from .model import (
    ENTITY_ID_RE,
    Alias,
    Evidence,
    ObjectValue,
    Proposition,
    kind_of,
    name_from_id,
)
from .text import QuoteLocator, alias_key, nfc
from .values import content_id, number, source_id

#: a path into a claim file (("claims", 3, "quote")) and its line, when known
Path = tuple[str | int, ...]
LineOf = Callable[[Path], "int | None"]


def references(doc: ClaimFile) -> tuple[set[str], set[tuple[str, str]]]:
    """Every entity reference in a claim file, and the (subject, predicate) pairs its
    resolutions name: what a ``Known`` snapshot must cover."""
    refs: set[str] = {e.id for e in doc.entities}
    for e in doc.entities:
        refs.add(e.name or "")
        refs.update(a.name for a in e.alias_list())
    for c in doc.claims:
        refs.update((c.claimant, c.subject))
        if isinstance(c.object, str):
            refs.add(c.object)
        elif c.object is not None and c.object.entity:
            refs.add(c.object.entity)
    pairs = set()
    for r in doc.resolutions:
        refs.add(r.subject)
        pairs.add((r.subject, r.predicate))
    for m in doc.merges:
        refs.update((m.from_, m.into))
    refs.discard("")
    return refs, pairs


class _Decision:
    def __init__(self, doc: ClaimFile, text: str, known: Known, line_of: LineOf, origin: str | None):
        self.doc, self.known, self.line_of, self.origin = doc, known, line_of, origin
        self.text = nfc(text)
        self.source_id = source_id(self.text)
        self.events: list[DomainEvent] = []
        self.new_entities: dict[str, KnownEntity] = {}
        self.local_alias: dict[str, set[str]] = {}
        self._spans: dict[str, tuple[int, int] | None] | None = None

    def fail(self, path: Path, reason: str) -> InputError:
        return InputError(reason, line=self.line_of(path), field=".".join(map(str, path)))

    # -- entities ---------------------------------------------------------------
    def entity(self, entity_id: str) -> KnownEntity | None:
        return self.new_entities.get(entity_id) or self.known.entities.get(entity_id)

    def register(self, entity_id: str, name: str | None, aliases: Iterable[Alias],
                 external_ids: dict[str, str] | None = None) -> None:
        entity_id = self.known.canonical(entity_id)
        existing = self.entity(entity_id)
        if existing is None:
            aliases = [a for a in aliases if alias_key(a.name)]
            ent = KnownEntity(entity_id, name or name_from_id(entity_id))
            ent.alias_keys = {alias_key(ent.name)} | {alias_key(a.name) for a in aliases}
            self.new_entities[entity_id] = ent
            self.events.append(EntityRegistered(entity_id=entity_id, kind=kind_of(entity_id),
                                                name=ent.name, aliases=tuple(aliases),
                                                external_ids=external_ids or {}))
        else:
            ent = existing
            extra = list(aliases) + ([Alias(name=name)] if name else [])
            for a in extra:
                key = alias_key(a.name)
                if key and key not in ent.alias_keys:
                    ent.alias_keys.add(key)
                    self.events.append(EntityAliased(entity_id=entity_id, alias=a.name, lang=a.lang))
        for key in ent.alias_keys:
            self.local_alias.setdefault(key, set()).add(entity_id)

    def resolve(self, ref: str, path: Path) -> str:
        """An entity id for a reference that is an id or a name/alias."""
        if ENTITY_ID_RE.match(ref):
            entity_id = self.known.canonical(ref)
            if self.entity(entity_id) is None:
                self.register(entity_id, None, ())
            return entity_id
        if ":" in ref and ref.split(":", 1)[0] in ("person", "org", "model", "hardware", "product"):
            raise self.fail(path, f"not an entity id: {ref!r} (slugs are lowercase letters, digits, '-' and '.')")
        key = alias_key(ref)
        ids = self.local_alias.get(key) or {self.known.canonical(i) for i in self.known.alias_index.get(key, ())}
        if not ids:
            raise self.fail(path, f"unknown entity {ref!r}: not an id (kind:slug) and no entity has this name or alias")
        if len(ids) > 1:
            raise self.fail(path, f"ambiguous name {ref!r}: it names {', '.join(sorted(ids))}; use an id")
        return next(iter(ids))

    def object_value(self, obj: str | ObjectSpec | None, path: Path) -> ObjectValue | None:
        if obj is None:
            return None
        if isinstance(obj, str):
            return ObjectValue(entity=self.resolve(obj, path))
        if obj.entity:
            return ObjectValue(entity=self.resolve(obj.entity, path + ("entity",)))
        return ObjectValue(**obj.model_dump(exclude={"entity"}))

    # -- evidence ---------------------------------------------------------------
    def evidence(self, quote: str, language: str | None, path: Path) -> Evidence:
        if self._spans is None:  # every quote of the document, found in one pass over the text
            locator = QuoteLocator(self.text)
            self._spans = locator.locate_all([c.quote for c in self.doc.claims] +
                                             [r.quote for r in self.doc.resolutions])
        span = self._spans.get(quote)
        if span is None:
            raise self.fail(path + ("quote",), f"quote not found in the source text: {quote[:80]!r}")
        start, end = span
        return Evidence(source_id=self.source_id, quote=self.text[start:end], start=start, end=end,
                        language=language or self.doc.source.language)

    # -- the whole document -----------------------------------------------------
    def run(self) -> list[DomainEvent]:
        doc = self.doc
        if self.source_id not in self.known.sources:
            s = doc.source
            self.events.append(SourceRegistered(
                source_id=self.source_id, text=self.text, url=s.url, title=s.title,
                publisher=s.publisher, published=s.published, language=s.language, origin=self.origin))
        for i, e in enumerate(doc.entities):
            for scheme, value in e.external_ids.items():
                try:
                    check_external_id(scheme, value)
                except ValueError as err:
                    raise self.fail(("entities", i, "external_ids", scheme), str(err)) from None
            self.register(e.id, e.name, e.alias_list(), e.external_ids)
        for i, m in enumerate(doc.merges):
            self.merge(i, m.from_, m.into)
        props: dict[tuple[str, str], list[Proposition]] = {}
        for i, c in enumerate(doc.claims):
            event = self.claim(i, c)
            props.setdefault((event.proposition.subject, event.proposition.predicate), []).append(event.proposition)
            self.events.append(event)
        for i, r in enumerate(doc.resolutions):
            self.events.extend(self.resolution(i, r, props))
        return self.events

    def merge(self, i: int, from_ref: str, into_ref: str) -> None:
        path = ("merges", i)
        a = self.resolve(from_ref, path + ("from",))
        b = self.resolve(into_ref, path + ("into",))
        if a == b:
            raise self.fail(path, f"cannot merge {a} into itself")
        if a.split(":")[0] != b.split(":")[0]:
            raise self.fail(path, f"cannot merge {a} into {b}: they are of different kinds")
        self.known.redirects[a] = b
        self.events.append(EntitiesMerged(from_id=a, into_id=b))

    def claim(self, i: int, c: ClaimSpec) -> ClaimRecorded:
        path = ("claims", i)
        claimant = self.resolve(c.claimant, path + ("claimant",))
        subject = self.resolve(c.subject, path + ("subject",))
        obj = self.object_value(c.object, path + ("object",))
        prop = Proposition.make(subject, c.predicate, obj, c.quantity, c.unit, c.due, c.valid_from, c.valid_to)
        ev = self.evidence(c.quote, c.language, path)
        claim_id = content_id("claim", {
            "claimant": claimant, "proposition": prop.id, "stated": c.stated,
            "channel": c.channel.value, "modality": c.modality.value,
            "source": ev.source_id, "start": ev.start, "end": ev.end})
        return ClaimRecorded(claim_id=claim_id, claimant=claimant, proposition=prop, stated=c.stated,
                             channel=c.channel, modality=c.modality, evidence=ev,
                             confidence=c.confidence, extractor=self.doc.extractor)

    def resolution(self, i: int, r: ResolutionSpec,
                   local: dict[tuple[str, str], list[Proposition]]) -> list[PropositionResolved]:
        """Targeting: subject and predicate (and object/quantity when given) with ``due``
        exactly — no ``due`` names the proposition without one — or, with ``scope: open``,
        every such proposition still open at ``known``."""
        path = ("resolutions", i)
        subject = self.resolve(r.subject, path + ("subject",))
        obj = self.object_value(r.object, path + ("object",))
        candidates = {p.id: p for p in local.get((subject, r.predicate), []) +
                      self.known.propositions.get((subject, r.predicate), [])}
        same = [p for p in candidates.values()
                if (obj is None or (p.object and p.object.canonical() == obj.canonical()))
                and (r.quantity is None or number(p.quantity) == number(r.quantity))]
        if r.scope == "open":
            known_start = dates.start(r.known).isoformat()
            matching = [p for p in same if self.known.settled.get(p.id, "9999") > known_start]
        else:
            matching = [p for p in same if p.due == r.due]
        if not matching:
            raise self.fail(path, self._no_match(subject, r, obj, same))
        if len(matching) > 1 and r.scope != "open":
            options = "; ".join(_fields_naming(p) for p in matching)
            raise self.fail(path, f"ambiguous: {len(matching)} propositions match {subject} {r.predicate}"
                                  f"{' due ' + r.due if r.due else ' without a due date'}; name one with "
                                  f"the fields that tell them apart: {options}")
        ev = self.evidence(r.quote, r.language, path)
        return [PropositionResolved(
            resolution_id=content_id("resolution", {"proposition": prop.id, "verdict": r.verdict.value,
                                                    "known": r.known, "source": ev.source_id,
                                                    "start": ev.start, "end": ev.end}),
            proposition_id=prop.id, verdict=r.verdict, known=r.known, evidence=ev)
            for prop in sorted(matching, key=lambda p: p.id)]

    @staticmethod
    def _no_match(subject: str, r: ResolutionSpec, obj: ObjectValue | None, same: list[Proposition]) -> str:
        what = f"{subject} {r.predicate}{' ' + obj.label() if obj else ''}"
        if r.scope == "open":
            return f"no proposition {what} is still open at {r.known}"
        if not same:
            return f"no claim states a proposition {what}: a resolution must name a claimed proposition"
        dues = sorted({p.due for p in same if p.due})
        wanted = f"due {r.due}" if r.due else "without a due date"
        return (f"no proposition {what} {wanted}; claimed are: "
                + ", ".join([f"due: {d}" for d in dues] + (["(no due)"] if any(p.due is None for p in same) else []))
                + " (or write scope: open for every one still open)")


def _fields_naming(p: Proposition) -> str:
    """The claim-file fields that name one proposition, as they would be written."""
    parts = [f"due: {p.due}" if p.due else "no due"]
    if p.object is not None:
        parts.append(f"object: {p.object.label()}")
    if p.quantity is not None:
        parts.append(f"quantity: {number(p.quantity)}")
    return "{" + ", ".join(parts) + "}"


def decide_claim_file(doc: ClaimFile, source_text: str, known: Known,
                      line_of: LineOf = lambda path: None, origin: str | None = None) -> list[DomainEvent]:
    """The events that record ``doc``; raises InputError naming the field and line."""
    return _Decision(doc, source_text, known, line_of, origin).run()


# -- imports: RDF and other structured documents ---------------------------------------
#
# Every imported document becomes an ``ImportPlan`` (what it says, in claimgraph's terms)
# and goes through ``decide_import``: the same checks as claim files (undeclared entity
# ids are created, merges stay within a kind and never close a cycle, resolutions need a
# known proposition, quotes are exact spans of their sources) and ids recomputed from
# content. Identity of foreign entities is decided here too: by external id, then by
# name within a kind, else a new readable id that collides with nothing.


def claim_id_of(claimant: str, proposition_id: str, stated: str, channel: str, modality: str,
                evidence: Evidence) -> str:
    """A claim's id from its content (the same for claim files and every import)."""
    return content_id("claim", {
        "claimant": claimant, "proposition": proposition_id, "stated": stated, "channel": channel,
        "modality": modality, "source": evidence.source_id, "start": evidence.start, "end": evidence.end})


def resolution_id_of(proposition_id: str, verdict: str, known: str, evidence: Evidence) -> str:
    return content_id("resolution", {"proposition": proposition_id, "verdict": verdict, "known": known,
                                     "source": evidence.source_id, "start": evidence.start, "end": evidence.end})
