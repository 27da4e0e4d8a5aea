"""Per-request context: what the resolvers read from, the clocks, the caller, the
deadline and the batched look-ups."""
from __future__ import annotations

import base64
import datetime as dt
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from claimgraph.schema.errors import InputError, Unauthenticated

from .errors import DeadlineExceeded

if TYPE_CHECKING:
    from claimgraph.graph.eventlog import EventLog, StoredEvent
    from claimgraph.graph.readmodel import ReadModel
    from claimgraph.graph.store import Store

MAX_FIRST = 100
DEFAULT_FIRST = 20
DEFAULT_MAX_TEXT = 65536


class BadCursor(InputError):
    code = "BAD_CURSOR"


class BadAsOf(InputError):
    code = "BAD_AS_OF"


class FirstTooLarge(InputError):
    code = "FIRST_OUT_OF_RANGE"


class Deadline:
    """When a request must stop: after ``seconds`` (None: never) or once cancelled
    (the client went away). SQLite statements are interrupted through
    ``claimgraph.graph.db.deadline``; resolvers call ``check`` between statements."""

    __slots__ = ("until", "cancelled", "seconds")

    def __init__(self, seconds: float | None, started: float | None = None):
        self.seconds = seconds
        self.until = (started or time.monotonic()) + seconds if seconds else None
        self.cancelled = False

    def expired(self) -> bool:
        return self.cancelled or (self.until is not None and time.monotonic() > self.until)

    def cancel(self) -> None:
        self.cancelled = True

    def check(self) -> None:
        if self.expired():
            raise DeadlineExceeded(f"the request ran longer than its deadline ({self.seconds} s) and was stopped"
                                   if not self.cancelled else "the request was cancelled")


NO_DEADLINE = Deadline(None)


@dataclass
class Context:
    """``read``/``log`` are one consistent snapshot of the database at log position
    ``head``; ``store`` (the writer) is set only for mutations. ``today`` is fixed for
    the whole request, so every answer that depends on the date agrees."""

    read: ReadModel
    log: EventLog
    head: int
    actor: str | None = None
    store: Store | None = None
    today: dt.date = field(default_factory=dt.date.today)
    deadline: Deadline = NO_DEADLINE
    max_text: int = DEFAULT_MAX_TEXT
    follow: Callable[[int], AsyncIterator[list[StoredEvent]]] | None = None
    _loaders: dict = field(default_factory=dict)

    @classmethod
    def for_store(cls, store: Store, actor: str | None = None, **kw: Any) -> "Context":
        """A context reading (and, for mutations, writing) through ``store`` directly:
        for the command line and in-process use."""
        store.refresh()
        return cls(read=store.read, log=store.log, head=store.head(), actor=actor, store=store, **kw)

    # -- auth -----------------------------------------------------------------------
    def require_actor(self) -> str:
        if self.actor is None:
            raise Unauthenticated("this mutation needs 'Authorization: Bearer <token>' with a valid token")
        return self.actor

    def writer(self) -> Store:
        if self.store is None:
            raise Unauthenticated("mutations are not available here")
        return self.store

    def check(self) -> None:
        self.deadline.check()

    # -- clocks ---------------------------------------------------------------------
    def asof(self, value) -> int | None:
        """A log position for an AsOf input (None: the current state)."""
        if value is None:
            return None
        seq, time_ = value.seq, value.time
        if (seq is None) == (time_ is None):
            raise BadAsOf("asOf takes exactly one of 'seq' (a log position) or 'time' (a recorded time)")
        if seq is not None:
            if seq < 0:
                raise BadAsOf(f"asOf.seq must be 0 or more, got {seq}")
            if seq > self.head:
                raise BadAsOf(f"asOf.seq {seq} is beyond the end of the log (head is {self.head})")
            return seq
        if time_.tzinfo is None:
            time_ = time_.replace(tzinfo=dt.timezone.utc)
        return min(self.log.seq_at(time_.isoformat()), self.head)

    # -- paging ---------------------------------------------------------------------
    def first(self, value: int | None) -> int:
        self.check()
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
            found = self._loaders[key] = Batched(fetch_many, self.deadline)
        return found

    def entities(self, asof: int | None) -> "Batched":
        return self.batch("entity", asof, lambda ids: self.read.entities_by_id(ids, asof))

    def sources(self, asof: int | None) -> "Batched":
        return self.batch("source", asof, lambda ids: self.read.sources_by_id(ids, asof))

    def statuses(self, asof: int | None, at: dt.date) -> "Batched":
        """Statuses at ``at``; the propositions to fetch are announced by ``claim_from_row``
        under the name ``propositions``."""
        wanted = self.batch("propositions", asof, None)
        found = self.batch(f"status@{at.isoformat()}", asof, lambda ids: self.read.statuses(ids, asof, at))
        found.wanted |= wanted.wanted
        return found

    def source_lengths(self) -> "Batched":
        """Length in characters of source texts (without reading the texts)."""
        def fetch(ids: list[str]) -> dict[str, int]:
            marks = ",".join("?" * len(ids))
            return dict(self.read.conn.execute(f"SELECT id, length(text) FROM rm_sources WHERE id IN ({marks})", ids))
        return self.batch("source-length", None, fetch)

    def source_slice(self, source_id: str, start: int, length: int) -> str:
        """Characters ``start`` to ``start + length`` of a source text; only they are read."""
        self.check()
        row = self.read.conn.execute("SELECT substr(text, ?, ?) FROM rm_sources WHERE id = ?",
                                     (start + 1, length, source_id)).fetchone()
        return row[0] if row else ""


class Batched:
    """A synchronous DataLoader: objects announce the keys they will need (``want``);
    the first ``get`` fetches every announced key in one call. A page of N claims thus
    costs one query per kind of related object, without async machinery per field."""

    __slots__ = ("fetch_many", "wanted", "found", "deadline")

    def __init__(self, fetch_many, deadline: Deadline = NO_DEADLINE):
        self.fetch_many = fetch_many
        self.wanted: set = set()
        self.found: dict = {}
        self.deadline = deadline

    def want(self, key) -> None:
        if key not in self.found:
            self.wanted.add(key)

    def get(self, key):
        if key not in self.found:
            self.deadline.check()
            self.wanted.add(key)
            wanted = list(self.wanted)
            for i in range(0, len(wanted), 400):
                self.found.update(self.fetch_many(wanted[i:i + 400]))
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
        raise BadCursor(f"not a cursor of this list: {cursor[:100]!r} (use an endCursor/cursor it returned)")
    return parts[1:]


def event_position(cursor: str | None, default: int) -> int:
    """A position in the log from an event cursor: the decimal log position an event
    edge's ``cursor`` holds ("0": from the start); ``default`` when none is given."""
    if cursor is None:
        return default
    if not (cursor.isascii() and cursor.isdigit() and len(cursor) < 19):
        raise BadCursor(f"not an event cursor: {cursor[:100]!r} (use a log position such as \"0\" or an "
                        "event's cursor)")
    return int(cursor)
