"""What a decision needs to know of the current state: a snapshot the read model loads
for the references of one document (plain data: no I/O, no pydantic)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .values import follow

if TYPE_CHECKING:
    from .model import Proposition


@dataclass
class KnownEntity:
    id: str
    name: str
    alias_keys: set[str] = field(default_factory=set)


@dataclass
class Known:
    """The part of the current state a decision needs (loaded by the caller)."""
    entities: dict[str, KnownEntity] = field(default_factory=dict)
    alias_index: dict[str, set[str]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    propositions: dict[tuple[str, str], list[Proposition]] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    #: proposition id -> the first day it had a verdict (a resolution, or a delivery that
    #: settles it), for resolutions that target every proposition still open
    settled: dict[str, str] = field(default_factory=dict)

    def canonical(self, entity_id: str) -> str:
        return follow(self.redirects, entity_id)


@dataclass
class ImportKnown(Known):
    """``Known`` plus what identity by external id needs."""
    #: (scheme, value) -> canonical entity id
    external: dict[tuple[str, str], str] = field(default_factory=dict)
    #: entity id -> its (scheme, value) pairs
    external_of: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: entity id -> (alias key, language) pairs it has
    alias_pairs: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: ids in use (entities or redirects), among those asked for
    taken: set[str] = field(default_factory=set)
    proposition_by_id: dict[str, Proposition] = field(default_factory=dict)
    source_texts: dict[str, str] = field(default_factory=dict)
