"""Event types. Each has an explicit, stable ``TYPE`` name and a schema ``VERSION``;
the class name is never stored, so classes can be renamed without breaking old logs.
Older payload versions are upcast on read by ``versions.upcast``.

Every event also knows its stream (the aggregate it belongs to) and its *dedupe key*:
the event id is derived from type + key, so appending the same fact twice is a no-op.
"""
from __future__ import annotations

import hashlib
from typing import Annotated, ClassVar

from pydantic import Field

from .datetypes import PartialDateText as PartialDate
from .limits import MAX_ALIASES, MAX_EXTERNAL_IDS, Actor, ExternalValue, Name, Reason, Scheme, Score, SourceText, Title, Url
from .model import (
    Alias,
    Channel,
    ClaimId,
    Evidence,
    Frozen,
    Kind,
    Modality,
    Proposition,
    PropositionId,
    ResolutionId,
    SourceId,
    Verdict,
)
from .model import EntityIdText as EntityId
from .model import LanguageText as Language
from .values import Payload
from .versions import upcast


class DomainEvent(Frozen):
    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1

    def stream_id(self) -> str:
        raise NotImplementedError

    def dedupe_key(self) -> str:
        return self.stream_id()

    def event_id(self) -> str:
        return hashlib.sha256(f"{self.TYPE}|{self.dedupe_key()}".encode()).hexdigest()[:32]


class EntityRegistered(DomainEvent):
    """A new entity: id, kind, display name, aliases (with languages), external ids."""
    TYPE: ClassVar[str] = "entity-registered"
    entity_id: EntityId
    kind: Kind
    name: Name
    aliases: tuple[Alias, ...] = Field(default=(), max_length=MAX_ALIASES)
    external_ids: dict[Scheme, ExternalValue] = Field(default={}, max_length=MAX_EXTERNAL_IDS)

    def stream_id(self) -> str:
        return self.entity_id


class EntityAliased(DomainEvent):
    """An entity gained another name (alias), optionally in a language."""
    TYPE: ClassVar[str] = "entity-aliased"
    entity_id: EntityId
    alias: Name
    lang: Language | None = None

    def stream_id(self) -> str:
        return self.entity_id

    def dedupe_key(self) -> str:
        from .text import alias_key
        return f"{self.entity_id}|{alias_key(self.alias)}|{self.lang or ''}"


class ExternalIdAdded(DomainEvent):
    """An entity is known under an id in another scheme (``wikidata``: ``Q42``), learned
    after it was registered."""
    TYPE: ClassVar[str] = "external-id-added"
    entity_id: EntityId
    scheme: Scheme
    value: ExternalValue

    def stream_id(self) -> str:
        return self.entity_id

    def dedupe_key(self) -> str:
        return f"{self.entity_id}|{self.scheme}|{self.value}"


class EntitiesMerged(DomainEvent):
    """``from_id`` is the same entity as ``into_id``; ``from_id`` now redirects there."""
    TYPE: ClassVar[str] = "entities-merged"
    from_id: EntityId
    into_id: EntityId

    def stream_id(self) -> str:
        return self.from_id

    def dedupe_key(self) -> str:
        return f"{self.from_id}|{self.into_id}"


class SourceRegistered(DomainEvent):
    """A document with its full NFC text; its id is derived from that text."""
    TYPE: ClassVar[str] = "source-registered"
    source_id: SourceId
    text: SourceText
    url: Url | None = None
    title: Title | None = None
    publisher: Name | None = None
    published: PartialDate | None = None
    language: Language | None = None
    origin: Title | None = None

    def stream_id(self) -> str:
        return self.source_id


class Recorded(Frozen):
    """Where an imported fact was first recorded: its original recorded time and actor
    (another claimgraph's export), and the document it was imported from."""
    at: Name
    by: Actor
    document: Title | None = None


class ClaimRecorded(DomainEvent):
    """Who stated which proposition, when, through which channel, with the quote.

    Version 2 groups the quote, offsets and source into ``evidence`` and adds
    ``confidence`` and ``extractor``; version 1 payloads are upcast on read.
    """
    TYPE: ClassVar[str] = "claim-recorded"
    VERSION: ClassVar[int] = 2
    claim_id: ClaimId
    claimant: EntityId
    proposition: Proposition
    stated: PartialDate
    channel: Channel
    modality: Modality
    evidence: Evidence
    confidence: Score | None = None
    extractor: Actor | None = None
    recorded: Recorded | None = None

    def stream_id(self) -> str:
        return self.claim_id


class ClaimRetracted(DomainEvent):
    """A claim was recorded in error (not: it turned out false) and is withdrawn."""
    TYPE: ClassVar[str] = "claim-retracted"
    claim_id: ClaimId
    reason: Reason

    def stream_id(self) -> str:
        return self.claim_id


class PropositionResolved(DomainEvent):
    """Later evidence about a proposition: a verdict known from a date on."""
    TYPE: ClassVar[str] = "proposition-resolved"
    resolution_id: ResolutionId
    proposition_id: PropositionId
    verdict: Verdict
    known: PartialDate
    evidence: Evidence
    recorded: Recorded | None = None

    def stream_id(self) -> str:
        return self.resolution_id


class ResolutionRetracted(DomainEvent):
    """A resolution was recorded in error and no longer counts."""
    TYPE: ClassVar[str] = "resolution-retracted"
    resolution_id: ResolutionId
    reason: Reason

    def stream_id(self) -> str:
        return self.resolution_id


class EventRetracted(DomainEvent):
    """An event in the log cannot be projected (it holds a value an earlier version let
    through) and is to be left out: the compensation for a poisoned log, which can
    never be edited. Projections record such events as faults and skip them."""
    TYPE: ClassVar[str] = "event-retracted"
    seq: int = Field(ge=1)
    target_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    reason: Reason

    def stream_id(self) -> str:
        return f"event:{self.target_id}"


EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.TYPE: cls for cls in (EntityRegistered, EntityAliased, ExternalIdAdded, EntitiesMerged, SourceRegistered,
                              ClaimRecorded, ClaimRetracted, PropositionResolved, ResolutionRetracted,
                              EventRetracted)
}


def to_event(type_: str, version: int, data: Payload) -> DomainEvent:
    """The validated event of a stored payload (upcast to the current version first)."""
    return EVENT_TYPES[type_].model_validate(upcast(type_, version, data))
