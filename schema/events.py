"""Event types. Each has an explicit, stable ``TYPE`` name and a schema ``VERSION``;
the class name is never stored, so classes can be renamed without breaking old logs.
Older payload versions are upcast on read by the functions in ``UPCASTERS``.

Every event also knows its stream (the aggregate it belongs to) and its *dedupe key*:
the event id is derived from type + key, so appending the same fact twice is a no-op.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import Field

from .dates import PartialDateText as PartialDate
from .model import Alias, Channel, Evidence, Frozen, Kind, Modality, Proposition, Verdict
from .model import EntityIdText as EntityId
from .model import LanguageText as Language


#: an event's payload as stored: the JSON object of its fields
Payload = dict[str, Any]


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
    name: str = Field(min_length=1)
    aliases: tuple[Alias, ...] = ()
    external_ids: dict[str, str] = {}

    def stream_id(self) -> str:
        return self.entity_id


class EntityAliased(DomainEvent):
    """An entity gained another name (alias), optionally in a language."""
    TYPE: ClassVar[str] = "entity-aliased"
    entity_id: EntityId
    alias: str = Field(min_length=1)
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
    scheme: str = Field(min_length=1)
    value: str = Field(min_length=1)

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
    source_id: str
    text: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: PartialDate | None = None
    language: Language | None = None
    origin: str | None = None

    def stream_id(self) -> str:
        return self.source_id


class Recorded(Frozen):
    """Where an imported fact was first recorded: its original recorded time and actor
    (another claimgraph's export), and the document it was imported from."""
    at: str
    by: str
    document: str | None = None


class ClaimRecorded(DomainEvent):
    """Who stated which proposition, when, through which channel, with the quote.

    Version 2 groups the quote, offsets and source into ``evidence`` and adds
    ``confidence`` and ``extractor``; version 1 payloads are upcast on read.
    """
    TYPE: ClassVar[str] = "claim-recorded"
    VERSION: ClassVar[int] = 2
    claim_id: str
    claimant: EntityId
    proposition: Proposition
    stated: PartialDate
    channel: Channel
    modality: Modality
    evidence: Evidence
    confidence: float | None = Field(default=None, ge=0, le=1)
    extractor: str | None = None
    recorded: Recorded | None = None

    def stream_id(self) -> str:
        return self.claim_id


class ClaimRetracted(DomainEvent):
    """A claim was recorded in error (not: it turned out false) and is withdrawn."""
    TYPE: ClassVar[str] = "claim-retracted"
    claim_id: str
    reason: str = Field(min_length=1)

    def stream_id(self) -> str:
        return self.claim_id


class PropositionResolved(DomainEvent):
    """Later evidence about a proposition: a verdict known from a date on."""
    TYPE: ClassVar[str] = "proposition-resolved"
    resolution_id: str
    proposition_id: str
    verdict: Verdict
    known: PartialDate
    evidence: Evidence
    recorded: Recorded | None = None

    def stream_id(self) -> str:
        return self.resolution_id


class ResolutionRetracted(DomainEvent):
    """A resolution was recorded in error and no longer counts."""
    TYPE: ClassVar[str] = "resolution-retracted"
    resolution_id: str
    reason: str = Field(min_length=1)

    def stream_id(self) -> str:
        return self.resolution_id


EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.TYPE: cls for cls in (EntityRegistered, EntityAliased, ExternalIdAdded, EntitiesMerged, SourceRegistered,
                              ClaimRecorded, ClaimRetracted, PropositionResolved, ResolutionRetracted)
}


def _claim_recorded_v1_to_v2(data: Payload) -> Payload:
    """v1 kept source_id/quote/start/end/language flat on the claim."""
    data = dict(data)
    data["evidence"] = {k: data.pop(k) for k in ("source_id", "quote", "start", "end")}
    data["evidence"]["language"] = data.pop("language", None)
    data["evidence"]["verified"] = True
    return data


#: (type, from_version) -> function taking a payload of that version to the next
UPCASTERS: dict[tuple[str, int], Callable[[Payload], Payload]] = {
    ("claim-recorded", 1): _claim_recorded_v1_to_v2,
}


def upcast(type_: str, version: int, data: Payload) -> Payload:
    """The payload in the current version of its type."""
    cls = EVENT_TYPES.get(type_)
    if cls is None:
        raise ValueError(f"unknown event type {type_!r}")
    while version < cls.VERSION:
        data = UPCASTERS[(type_, version)](data)
        version += 1
    return data


def to_event(type_: str, version: int, data: Payload) -> DomainEvent:
    return EVENT_TYPES[type_].model_validate(upcast(type_, version, data))
