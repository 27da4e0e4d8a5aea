"""Deciding an import: an RDF document, read into an ``ImportPlan`` of entities, claims
and resolutions, plus what is already known becomes a list of events — through the
same domain checks as claim files (ids recomputed from content, merges within a kind and
without cycles, resolutions of known propositions), with identity decided by external
ids. Pure: the caller loads an ``ImportKnown`` snapshot and appends the result."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .decide import claim_id_of, resolution_id_of
from .errors import InputError
from .events import (
    ClaimRecorded,
    DomainEvent,
    EntitiesMerged,
    EntityAliased,
    EntityRegistered,
    ExternalIdAdded,
    PropositionResolved,
    Recorded,
    SourceRegistered,
)
from .known import ImportKnown
from .model import (
    ENTITY_ID_RE,
    Alias,
    Channel,
    Evidence,
    Modality,
    ObjectValue,
    Proposition,
    Verdict,
    check_interval,
    kind_of,
    name_from_id,
)
from .text import alias_key, nfc


@dataclass(frozen=True)
class ExternalRef:
    """An entity named only by an external id (e.g. a Wikidata item described elsewhere)."""
    scheme: str
    value: str


@dataclass
class ImportEntity:
    """An entity a document describes. ``key`` is the document's name for it (an IRI);
    ``entity_id`` is set when the document gives a claimgraph id (own vocabulary)."""
    key: str
    kind: str
    name: str
    aliases: list[Alias] = field(default_factory=list)
    external_ids: list[tuple[str, str]] = field(default_factory=list)
    entity_id: str | None = None


@dataclass
class ImportClaim:
    what: str
    claimant: str | ExternalRef
    subject: str | ExternalRef
    predicate: str
    object: str | ExternalRef | ObjectValue | None
    stated: str
    channel: str
    modality: str
    evidence: Evidence
    quantity: float | int | None = None
    unit: str | None = None
    due: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    confidence: float | None = None
    extractor: str | None = None
    recorded: Recorded | None = None
    #: the proposition id the document gave (checked, never trusted)
    declared_proposition: str | None = None
    declared_claim: str | None = None
    #: report category ("claim", "unreferenced claim" …)
    category: str = "claim"


@dataclass
class ImportResolution:
    what: str
    proposition: str
    verdict: str
    known: str
    evidence: Evidence
    recorded: Recorded | None = None


@dataclass
class ImportPlan:
    """What one document says, in claimgraph's terms, before identity and checks."""
    name: str
    sources: list[SourceRegistered] = field(default_factory=list)
    entities: list[ImportEntity] = field(default_factory=list)
    merges: list[tuple[str, str, str]] = field(default_factory=list)  # (what, from ref, into ref)
    claims: list[ImportClaim] = field(default_factory=list)
    resolutions: list[ImportResolution] = field(default_factory=list)
    #: sources made by the reader to hold statements (kept only when a claim cites them)
    derived: set[str] = field(default_factory=set)

    def empty(self) -> bool:
        return not (self.sources or self.entities or self.merges or self.claims or self.resolutions)


@dataclass
class ImportOutcome:
    events: list[DomainEvent] = field(default_factory=list)
    #: entity key -> the id it was given
    identity: dict[str, str] = field(default_factory=dict)
    entities_new: list[str] = field(default_factory=list)
    entities_updated: list[str] = field(default_factory=list)
    entities_unchanged: list[str] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)
    claims: dict[str, int] = field(default_factory=dict)
    resolutions: int = 0
    sources: int = 0
    ids_recomputed: int = 0
    #: reason -> examples (every skipped item is counted under a reason)
    skipped: dict[str, list[str]] = field(default_factory=dict)

    def skip(self, reason: str, example: str) -> None:
        self.skipped.setdefault(reason, []).append(example)


def candidate_ids(kind: str, slug: str, external_ids: Iterable[tuple[str, str]]) -> list[str]:
    """The ids a new entity may get, in order of preference: ``kind:slug``, then with its
    first external id (``model:gemini-q123``), then numbered (``-2`` … ``-9``)."""
    out = [f"{kind}:{slug}"]
    for _, value in sorted(external_ids):
        suffix = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        if suffix:
            out.append(f"{kind}:{slug}-{suffix}" if not slug.startswith(suffix) else f"{kind}:{suffix}")
            break
    out += [f"{kind}:{slug}-{n}" for n in range(2, 10)]
    return [i for i in out if ENTITY_ID_RE.match(i)]


class ImportRejected(InputError):
    """An imported document fails a domain check."""


class _ImportDecision:
    def __init__(self, plan: ImportPlan, known: ImportKnown):
        self.plan, self.known = plan, known
        self.out = ImportOutcome()
        self.events = self.out.events
        self.new_ids: dict[str, str] = {}  # id -> kind, for entities registered here
        self.names: dict[str, str] = {}  # id -> name
        self.name_index: dict[str, set[str]] = {}  # alias key of a new entity's name -> ids
        self.pairs: dict[str, set[tuple[str, str]]] = {}
        self.ext: dict[str, set[tuple[str, str]]] = {}
        self.external: dict[tuple[str, str], str] = dict(known.external)
        self.sources: dict[str, str] = {s.source_id: s.text for s in plan.sources}
        #: what is being decided (for error messages)
        self.current = ""

    def fail(self, what: str, reason: str) -> ImportRejected:
        return ImportRejected(f"{what}: {reason}", file=self.plan.name)

    # -- entities -------------------------------------------------------------------
    def exists(self, entity_id: str) -> bool:
        return entity_id in self.new_ids or entity_id in self.known.entities

    def name_of(self, entity_id: str) -> str:
        if entity_id in self.names:
            return self.names[entity_id]
        found = self.known.entities.get(entity_id)
        return found.name if found else name_from_id(entity_id)

    def pairs_of(self, entity_id: str) -> set[tuple[str, str]]:
        if entity_id not in self.pairs:
            self.pairs[entity_id] = set(self.known.alias_pairs.get(entity_id, set()))
        return self.pairs[entity_id]

    def ext_of(self, entity_id: str) -> set[tuple[str, str]]:
        if entity_id not in self.ext:
            self.ext[entity_id] = set(self.known.external_of.get(entity_id, set()))
        return self.ext[entity_id]

    def register(self, entity_id: str, name: str, aliases: Iterable[Alias],
                 external_ids: Iterable[tuple[str, str]], stated: bool = False) -> None:
        """Register a new entity, or add what is new about a known one through events.
        ``stated``: the document names the entity's id (claimgraph's own vocabulary), so
        its external ids are kept as given, like those of claim files."""
        if not self.exists(entity_id):
            unique: list[Alias] = []
            seen: set[tuple[str, str]] = {(alias_key(name), "")}
            spelled: set[tuple[str, str]] = {(name, "")}
            for a in aliases:
                pair = (alias_key(a.name), a.lang or "")
                if pair[0] and (a.name, pair[1]) not in spelled:
                    spelled.add((a.name, pair[1]))
                    seen.add(pair)
                    unique.append(a)
            ids: dict[str, str] = {}
            extra: list[tuple[str, str]] = []
            for scheme, value in external_ids:
                if not stated and (scheme, value) in self.external and self.external[(scheme, value)] != entity_id:
                    continue
                if scheme not in ids:
                    ids[scheme] = value
                elif ids[scheme] != value:
                    extra.append((scheme, value))
            self.events.append(EntityRegistered(entity_id=entity_id, kind=kind_of(entity_id), name=name,
                                                aliases=tuple(unique), external_ids=ids))
            self.new_ids[entity_id] = entity_id.split(":")[0]
            self.names[entity_id] = name
            self.name_index.setdefault(alias_key(name), set()).add(entity_id)
            self.pairs[entity_id] = seen
            self.ext[entity_id] = set(ids.items())
            for pair in ids.items():
                self.external[pair] = entity_id
            for scheme, value in extra:
                self.add_external(entity_id, scheme, value, stated)
            self.out.entities_new.append(entity_id)
            return
        changed = False
        own = self.name_of(entity_id)
        pairs = self.pairs_of(entity_id)
        for a in [Alias(name=name), *aliases]:
            pair = (alias_key(a.name), a.lang or "")
            if not pair[0] or pair in pairs or (a.name == own and not a.lang):
                continue
            pairs.add(pair)
            self.events.append(EntityAliased(entity_id=entity_id, alias=a.name, lang=a.lang))
            changed = True
        for scheme, value in external_ids:
            changed = self.add_external(entity_id, scheme, value, stated) or changed
        if entity_id in self.new_ids:
            return
        (self.out.entities_updated if changed else self.out.entities_unchanged).append(entity_id)

    def add_external(self, entity_id: str, scheme: str, value: str, stated: bool = False) -> bool:
        if (scheme, value) in self.ext_of(entity_id):
            return False
        holder = self.external.get((scheme, value))
        if not stated and holder is not None and self.known.canonical(holder) != entity_id:
            return False  # another entity has it: identity decided that they differ
        self.ext_of(entity_id).add((scheme, value))
        self.external[(scheme, value)] = entity_id
        self.events.append(ExternalIdAdded(entity_id=entity_id, scheme=scheme, value=value))
        return True

    def taken(self, entity_id: str) -> bool:
        return self.exists(entity_id) or entity_id in self.known.taken or entity_id in self.known.redirects

    def identify(self, group: list[ImportEntity]) -> str | None:
        """The id for a group of descriptions of one thing (they share an external id)."""
        first = group[0]
        kinds = {e.kind for e in group}
        what = f"<{first.key}> ({first.name})"
        if len(kinds) > 1:
            self.out.skip("one thing described with different kinds", f"{what}: {', '.join(sorted(kinds))}")
            return None
        kind = first.kind
        ids = sorted({pair for e in group for pair in e.external_ids})
        found = sorted({self.known.canonical(self.external[p]) for p in ids if p in self.external})
        if len(found) > 1:  # the document says two known entities are one: merge them
            kinds_found = {f.split(":")[0] for f in found}
            if kinds_found != {kind}:
                self.out.skip("external ids of entities of another kind",
                              f"{what}: {', '.join(found)}")
                return None
            target = found[0]
            for other in found[1:]:
                self.merge_ids(other, target, what)
            return target
        if found:
            if found[0].split(":")[0] != kind:
                self.out.skip("external id of an entity of another kind", f"{what}: {ids[0][0]} {ids[0][1]} is "
                                                                           f"{found[0]}")
                return None
            return found[0]
        # no external id known: the same name within the kind, unless that one has
        # another id of the same scheme
        schemes = {s for s, _ in ids}
        mine = set(ids)
        matches: set[str] = set()
        for e in group:
            for key in {alias_key(e.name)} - {""}:
                for eid in self.known.alias_index.get(key, set()) | self.name_index.get(key, set()):
                    eid = self.known.canonical(eid)
                    if eid.split(":")[0] != kind:
                        continue
                    theirs = {p for p in self.ext_of(eid) if p[0] in schemes}
                    if theirs and not theirs & mine:
                        continue
                    matches.add(eid)
        if len(matches) == 1:
            return matches.pop()
        for candidate in candidate_ids(kind, slug_for(first.name, ids), ids):
            if not self.taken(candidate):
                return candidate
        self.out.skip("no free id", what)
        return None

    def merge_ids(self, from_id: str, into_id: str, what: str) -> None:
        a, b = from_id, self.known.canonical(into_id)
        if a == b:
            if from_id == into_id:
                raise self.fail(what, f"cannot merge {from_id} into itself")
            raise self.fail(what, f"cannot merge {from_id} into {into_id}: {into_id} is merged into {from_id} "
                                  "already, so that would make a cycle")
        if kind_of(a) != kind_of(b):
            raise self.fail(what, f"cannot merge {a} into {b}: they are of different kinds")
        if a in self.known.redirects:
            if self.known.canonical(a) == b:
                return  # merged already
            raise self.fail(what, f"cannot merge {a} into {b}: it is already merged into {self.known.canonical(a)}")
        if self.known.canonical(b) == a:
            raise self.fail(what, f"cannot merge {a} into {into_id}: {into_id} already leads to {a} (a cycle)")
        self.known.redirects[a] = b
        self.events.append(EntitiesMerged(from_id=a, into_id=b))
        self.out.merged.append((a, b))

    def entities(self) -> None:
        plan = self.plan
        own = [e for e in plan.entities if e.entity_id]
        for e in own:
            assert e.entity_id is not None
            eid = e.entity_id  # as the document names it (merges are separate statements)
            self.out.identity[e.key] = eid
            self.register(eid, e.name, e.aliases, e.external_ids, stated=True)
        # foreign descriptions: one group per thing (descriptions sharing an external id)
        foreign = [e for e in plan.entities if not e.entity_id]
        parent = list(range(len(foreign)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        holder: dict[tuple[str, str], int] = {}
        for i, e in enumerate(foreign):
            for pair in e.external_ids:
                if pair in holder:
                    parent[root(i)] = root(holder[pair])
                else:
                    holder[pair] = i
        groups: dict[int, list[ImportEntity]] = {}
        for i, e in enumerate(foreign):
            groups.setdefault(root(i), []).append(e)
        ordered = sorted(groups.values(), key=lambda g: (sorted(p for e in g for p in e.external_ids),
                                                        g[0].kind, g[0].name, g[0].key))
        for group in ordered:
            found = self.identify(group)
            if found is None:
                continue
            for e in group:
                self.out.identity[e.key] = found
            first, rest = group[0], group[1:]
            aliases = [a for e in group for a in e.aliases] + [Alias(name=e.name) for e in rest]
            self.register(found, first.name, aliases, [p for e in group for p in e.external_ids])

    # -- references ---------------------------------------------------------------------
    def ref(self, ref: str | ExternalRef, what: str, create: bool = True) -> str | None:
        """The entity id a reference stands for, or None (the item is then skipped)."""
        if isinstance(ref, ExternalRef):
            found = self.external.get((ref.scheme, ref.value))
            if found is None:
                self.out.skip("refers to an entity that is neither in the document nor known",
                              f"{what}: {ref.scheme} {ref.value}")
                return None
            return self.known.canonical(found)
        if ref in self.out.identity:
            return self.known.canonical(self.out.identity[ref])
        if ENTITY_ID_RE.match(ref):
            if self.exists(ref):  # as recorded, also when merged since (the read model follows merges)
                return ref
            eid = self.known.canonical(ref)
            if not self.exists(eid) and create:  # undeclared: created as for claim files
                self.register(eid, name_from_id(eid), (), ())
            return eid
        self.out.skip("refers to an entity that was not imported", f"{what}: <{ref}>")
        return None

    def check_evidence(self, what: str, ev: Evidence) -> None:
        text = self.sources.get(ev.source_id)
        if text is None:
            text = self.known.source_texts.get(ev.source_id)
        if text is None:
            raise self.fail(what, f"its evidence cites {ev.source_id}, which is neither in the document nor known")
        if not ev.quote.strip():
            raise self.fail(what, "its quote is empty")
        if ev.end > len(text) or text[ev.start:ev.end] != ev.quote:
            raise self.fail(what, f"quote {ev.quote[:60]!r} is not at {ev.start}–{ev.end} of {ev.source_id}")

    # -- the whole document -------------------------------------------------------------
    def run(self) -> ImportOutcome:
        plan = self.plan
        self.entities()
        for what, from_ref, into_ref in plan.merges:
            a = self.ref(from_ref, what)
            b = self.ref(into_ref, what)
            if a is None or b is None:
                continue
            raw = from_ref if isinstance(from_ref, str) and ENTITY_ID_RE.match(from_ref) else a
            if raw != a and self.known.canonical(raw) == b:
                continue  # this merge is known already
            if a == b:
                raise self.fail(what, f"cannot merge {from_ref} into {into_ref}: "
                                      + ("they are the same entity" if raw == a else "that would make a cycle"))
            self.merge_ids(a, b, what)
        declared: dict[str, set[str]] = {}
        for c in plan.claims:
            event = self.claim(c)
            if event is None:
                continue
            if c.declared_proposition:
                declared.setdefault(c.declared_proposition, set()).add(event.proposition.id)
            self.events.append(event)
            self.out.claims[c.category] = self.out.claims.get(c.category, 0) + 1
        for r in plan.resolutions:
            self.resolution(r, declared)
        # sources first; a source made only to hold statements goes in when one of them does
        used = {e.evidence.source_id for e in self.events if isinstance(e, (ClaimRecorded, PropositionResolved))}
        sources: list[DomainEvent] = []
        for src in plan.sources:
            if src.source_id in self.known.sources or (src.source_id in plan.derived and src.source_id not in used):
                continue
            self.known.sources.add(src.source_id)
            sources.append(src)
            self.out.sources += 1
        self.events[:0] = sources
        return self.out

    def resolvable(self, ref: str | ExternalRef | ObjectValue | None, what: str) -> bool:
        """Whether a reference can be resolved without creating anything for a claim
        that is then left out (recorded as skipped when not)."""
        if isinstance(ref, ExternalRef) and (ref.scheme, ref.value) not in self.external:
            return self.ref(ref, what) is not None
        if isinstance(ref, str) and ref not in self.out.identity and not ENTITY_ID_RE.match(ref):
            return self.ref(ref, what) is not None
        return True

    def claim(self, c: ImportClaim) -> ClaimRecorded | None:
        self.current = c.what
        if not all(self.resolvable(r, c.what) for r in (c.claimant, c.subject, c.object)):
            return None
        claimant = self.ref(c.claimant, c.what)
        subject = self.ref(c.subject, c.what)
        obj: ObjectValue | None
        if isinstance(c.object, (str, ExternalRef)):
            target = self.ref(c.object, c.what)
            if target is None:
                return None
            obj = ObjectValue(entity=target)
        else:
            obj = c.object
        if claimant is None or subject is None:
            return None
        check_interval(c.valid_from, c.valid_to)
        self.check_evidence(c.what, c.evidence)
        prop = Proposition.make(subject, c.predicate, obj, c.quantity, c.unit, c.due, c.valid_from, c.valid_to)
        claim_id = claim_id_of(claimant, prop.id, c.stated, c.channel, c.modality, c.evidence)
        if (c.declared_proposition and c.declared_proposition != prop.id) or \
                (c.declared_claim and c.declared_claim != claim_id):
            self.out.ids_recomputed += 1
        return ClaimRecorded(claim_id=claim_id, claimant=claimant, proposition=prop, stated=c.stated,
                             channel=Channel(c.channel), modality=Modality(c.modality), evidence=c.evidence,
                             confidence=c.confidence, extractor=c.extractor, recorded=c.recorded)

    def resolution(self, r: ImportResolution, declared: dict[str, set[str]]) -> None:
        self.current = r.what
        ids = declared.get(r.proposition)
        if ids is not None and len(ids) > 1:
            raise self.fail(r.what, f"it resolves {r.proposition}, which the document gives to {len(ids)} "
                                    "different propositions")
        if ids:
            pid = next(iter(ids))
        elif r.proposition in self.known.proposition_by_id:
            pid = r.proposition
        else:
            raise self.fail(r.what, f"it resolves {r.proposition}, which no claim in the document or the "
                                    "database states: a resolution must name a claimed proposition")
        self.check_evidence(r.what, r.evidence)
        rid = resolution_id_of(pid, r.verdict, r.known, r.evidence)
        self.events.append(PropositionResolved(resolution_id=rid, proposition_id=pid, verdict=Verdict(r.verdict),
                                               known=r.known, evidence=r.evidence, recorded=r.recorded))
        self.out.resolutions += 1


def slug_for(name: str, external_ids: Iterable[tuple[str, str]] = ()) -> str:
    """A readable slug for a name in any script: the name's own letters, else a
    transliteration, else the first external id (``q123``), else ``entity``."""
    slug = _slug(name)
    if not slug:
        from anyascii import anyascii
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", anyascii(nfc(name)))
        slug = _slug(spaced)
    if not slug:
        for _, value in sorted(external_ids):
            slug = _slug(value)
            if slug:
                break
    return slug or "entity"


def _slug(name: str) -> str:
    import unicodedata
    ascii_ = unicodedata.normalize("NFKD", nfc(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:60].strip("-")


def short_reason(e: ValueError) -> str:
    """A validation error in one line: the first problem, its field and the value."""
    errors = getattr(e, "errors", None)
    if not callable(errors):
        return str(e)
    found = errors()
    if not found:
        return str(e)
    first = found[0]
    field_ = ".".join(str(p) for p in first.get("loc", ()))
    reason = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    value = first.get("input")
    if value is not None and not isinstance(value, (dict, list, tuple)):
        reason += f" (got {str(value)[:80]!r})"
    more = len(found) - 1
    return (f"{field_}: " if field_ else "") + reason + (f" (and {more} more)" if more else "")


def decide_import(plan: ImportPlan, known: ImportKnown) -> ImportOutcome:
    """The events that record an imported document, with what was new, updated, merged
    and skipped (by reason); raises InputError naming the document when a check fails."""
    decision = _ImportDecision(plan, known)
    try:
        return decision.run()
    except InputError:
        raise
    except ValueError as e:
        what = f" ({decision.current})" if decision.current else ""
        raise ImportRejected(f"cannot import{what}: {short_reason(e)}", file=plan.name) from None
