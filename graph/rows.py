"""What the read model answers with: entity and claim rows, claim filters and track
records (plain dataclasses)."""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimgraph.schema.values import is_promise, number

#: a JSON-like mapping handed to callers (a source, a resolution, an object value)
Record = dict[str, Any]


@dataclass
class EntityRow:
    id: str
    kind: str
    name: str
    aliases: list[tuple[str, str | None]]
    external_ids: dict[str, str]
    seq_from: int
    merged_from: list[str] = field(default_factory=list)


@dataclass
class ClaimRow:
    id: str
    claimant: str
    subject: str
    predicate: str
    object: Record | None
    quantity: float | int | None
    unit: str | None
    due: str | None
    valid_from: str | None
    valid_to: str | None
    stated: str
    channel: str
    modality: str
    confidence: float | None
    extractor: str | None
    actor: str
    recorded_at: str
    seq: int
    proposition_id: str
    source_id: str
    quote: str
    start: int
    end: int
    language: str | None
    verified: bool
    status: str

    @property
    def is_promise(self) -> bool:
        return is_promise(self.modality, self.due)

    def as_json(self) -> Record:
        d = dict(self.__dict__)
        d["is_promise"] = self.is_promise
        return d


@dataclass
class ClaimFilter:
    claimant: str | None = None
    subject: str | None = None
    mentions: str | None = None
    about: str | None = None
    predicate: str | None = None
    modality: str | None = None
    status: str | None = None
    channel: str | None = None
    stated_from: str | None = None
    stated_to: str | None = None
    text: str | None = None
    extracted: bool | None = None
    source: str | None = None
    #: promises only (``claimgraph.schema.promises.is_promise``, as SQL)
    promise: bool | None = None
    all_of: list["ClaimFilter"] | None = None
    any_of: list["ClaimFilter"] | None = None


@dataclass
class TrackRecord:
    claimant: str
    promises: int = 0
    kept: int = 0
    broken: int = 0
    partly_kept: int = 0
    withdrawn: int = 0
    unresolvable: int = 0
    pending: int = 0
    overdue: int = 0
    claims: list[ClaimRow] = field(default_factory=list)




def claim_row(row: Sequence[Any], canon: Callable[[str], str]) -> ClaimRow:
    """A claim row from the columns of ``claim_sql.CLAIM_COLUMNS``, entity ids followed
    through merges by ``canon``."""
    (cid, claimant, subject, predicate, obj, qty, unit, due, valid_from, valid_to, stated, channel, modality, conf,
     extractor, actor, rec, seq, pid, sid, quote, start, end, lang, verified, status) = row
    obj = json.loads(obj) if obj else None
    if obj and "entity" in obj:
        obj = {"entity": canon(obj["entity"])}
    return ClaimRow(cid, canon(claimant), canon(subject), predicate, obj, number(qty), unit, due, valid_from, valid_to,
                    stated,
                    channel, modality, conf, extractor, actor, rec, seq, pid, sid, quote, start, end,
                    lang, bool(verified), status)
