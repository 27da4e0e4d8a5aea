"""Per-request context: the store, the clocks, DataLoaders and the caller."""
from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from claimgraph.graph.store import Store
from claimgraph.schema.errors import InputError, Unauthenticated

MAX_FIRST = 100
DEFAULT_FIRST = 20


class BadCursor(InputError):
    code = "BAD_CURSOR"


class BadAsOf(InputError):
    code = "BAD_AS_OF"


class FirstTooLarge(InputError):
    code = "FIRST_OUT_OF_RANGE"


@dataclass
class Context:
    store: Store
    actor: str | None = None
    require_token_for_queries: bool = False
    head: int = 0
    _loaders: dict = field(default_factory=dict)

    def __post_init__(self):
        self.store.refresh()
        self.head = self.store.head()

    # -- auth -----------------------------------------------------------------------
    def require_actor(self) -> str:
        if self.actor is None:
            raise Unauthenticated("this mutation needs 'Authorization: Bearer <token>' with a valid token")
        return self.actor

    # -- clocks ---------------------------------------------------------------------
    def asof(self, value) -> int | None:
        """A log position for an AsOf input (None: the current state)."""
        if value is None:
            return None
        seq, time = value.seq, value.time
        if (seq is None) == (time is None):
            raise BadAsOf("asOf takes exactly one of 'seq' (a log position) or 'time' (a recorded time)")
        if seq is not None:
            if seq < 0:
                raise BadAsOf(f"asOf.seq must be 0 or more, got {seq}")
            if seq > self.head:
                raise BadAsOf(f"asOf.seq {seq} is beyond the end of the log (head is {self.head})")
            return seq
        if time.tzinfo is None:
            time = time.replace(tzinfo=dt.timezone.utc)
        return self.store.log.seq_at(time.isoformat())

    # -- paging ---------------------------------------------------------------------
    @staticmethod
    def first(value: int | None) -> int:
        if value is None:
            return DEFAULT_FIRST
        if value < 0 or value > MAX_FIRST:
            raise FirstTooLarge(f"'first' must be between 0 and {MAX_FIRST}, got {value}")
        return value

    # -- batched look-ups ------------------------------------------------------------
    def batch(self, name: str, asof: int | None, fetch_many) -> "Batched":
        key = (name, asof)
        found = self._loaders.get(key)
        if found is None:
            found = self._loaders[key] = Batched(fetch_many)
        return found

    def entities(self, asof: int | None) -> "Batched":
        return self.batch("entity", asof, lambda ids: self.store.read.entities_by_id(ids, asof))

    def sources(self, asof: int | None) -> "Batched":
        return self.batch("source", asof, lambda ids: self.store.read.sources_by_id(ids, asof))

    def statuses(self, asof: int | None, at: dt.date) -> "Batched":
        """Statuses at ``at``; the propositions to fetch are announced by ``claim_from_row``
        under the name ``propositions``."""
        wanted = self.batch("propositions", asof, None)
        found = self.batch(f"status@{at.isoformat()}", asof, lambda ids: self.store.read.statuses(ids, asof, at))
        found.wanted |= wanted.wanted
        return found


class Batched:
    """A synchronous DataLoader: objects announce the keys they will need (``want``);
    the first ``get`` fetches every announced key in one call. A page of N claims thus
    costs one query per kind of related object, without async machinery per field."""

    __slots__ = ("fetch_many", "wanted", "found")

    def __init__(self, fetch_many):
        self.fetch_many = fetch_many
        self.wanted: set = set()
        self.found: dict = {}

    def want(self, key) -> None:
        if key not in self.found:
            self.wanted.add(key)

    def get(self, key):
        if key not in self.found:
            self.wanted.add(key)
            self.found.update(self.fetch_many(list(self.wanted)))
            self.wanted.clear()
        return self.found.get(key)


def encode_cursor(*parts: Any) -> str:
    text = "\x1f".join(str(p) for p in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kind: str, arity: int) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = base64.urlsafe_b64decode(padded.encode()).decode().split("\x1f")
    except (ValueError, UnicodeDecodeError):
        parts = []
    if len(parts) != arity + 1 or parts[0] != kind:
        raise BadCursor(f"not a cursor of this list: {cursor!r} (use an endCursor/cursor it returned)")
    return parts[1:]
