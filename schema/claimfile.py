"""The claim-file format as strict pydantic models.

Unknown fields are errors (``extra="forbid"``) so a typo never silently drops data.
"""
from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .datetypes import PartialDate
from .limits import (
    MAX_ALIASES,
    MAX_EXTERNAL_IDS,
    Actor,
    ExternalValue,
    Name,
    Number,
    Quote,
    Scheme,
    Score,
    SourceText,
    TextValue,
    Title,
    Unit,
    Url,
)
from .model import Alias, Channel, EntityId, Kind, Language, Modality, Predicate, Verdict, check_interval, check_object_shape


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceSpec(Strict):
    path: Title | None = None
    text: SourceText | None = None
    url: Url | None = None
    title: Title | None = None
    publisher: Name | None = None
    published: PartialDate | None = None
    language: Language | None = None

    @model_validator(mode="after")
    def _path_or_text(self) -> "SourceSpec":
        if (self.path is None) == (self.text is None):
            raise ValueError("give exactly one of 'path' (a file next to this one) or 'text' (inline)")
        return self


class AliasSpec(Strict):
    name: Name
    lang: Language | None = None


class EntitySpec(Strict):
    id: EntityId
    kind: Kind | None = None
    name: Name | None = None
    aliases: list[Union[Name, AliasSpec]] = Field(default=[], max_length=MAX_ALIASES)
    external_ids: dict[Scheme, ExternalValue] = Field(default={}, max_length=MAX_EXTERNAL_IDS)

    @model_validator(mode="after")
    def _kind_matches_id(self) -> "EntitySpec":
        prefix = self.id.split(":", 1)[0]
        if self.kind is not None and self.kind.value != prefix:
            raise ValueError(f"kind '{self.kind.value}' does not match the id prefix '{prefix}:'")
        return self

    def alias_list(self) -> list[Alias]:
        return [Alias(name=a) if isinstance(a, str) else Alias(name=a.name, lang=a.lang) for a in self.aliases]


class ObjectSpec(Strict):
    """A proposition's object as written: an entity (id or name) or a typed value."""
    entity: Name | None = None
    date: PartialDate | None = None
    value: Number | None = None
    unit: Unit | None = None
    text: TextValue | None = None

    _shape = model_validator(mode="after")(check_object_shape)


class ClaimSpec(Strict):
    claimant: Name
    stated: PartialDate
    channel: Channel
    subject: Name
    predicate: Predicate
    object: Union[Name, ObjectSpec, None] = None
    quantity: Number | None = None
    unit: Unit | None = None
    modality: Modality
    due: PartialDate | None = None
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    quote: Quote
    language: Language | None = None
    confidence: Score | None = None

    @model_validator(mode="after")
    def _interval(self) -> ClaimSpec:
        check_interval(self.valid_from, self.valid_to)
        return self


class ResolutionSpec(Strict):
    subject: Name
    predicate: Predicate
    object: Union[Name, ObjectSpec, None] = None
    quantity: Number | None = None
    due: PartialDate | None = None
    verdict: Verdict
    known: PartialDate
    #: "open": every proposition of this subject and predicate still open at ``known``
    scope: Literal["open"] | None = None
    quote: Quote
    language: Language | None = None

    @model_validator(mode="after")
    def _due_or_scope(self) -> ResolutionSpec:
        if self.scope == "open" and self.due is not None:
            raise ValueError("give either 'due' (one proposition) or 'scope: open' (every open one), not both")
        return self


class MergeSpec(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: Name = Field(alias="from")
    into: Name


class ClaimFile(Strict):
    source: SourceSpec
    entities: list[EntitySpec] = []
    claims: list[ClaimSpec] = []
    resolutions: list[ResolutionSpec] = []
    merges: list[MergeSpec] = []
    #: set by extractors: "name@version"; claims are then marked as machine-extracted
    extractor: Actor | None = None
