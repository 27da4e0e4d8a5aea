"""What every transport shares: readers on their own read-only connections, the day
answers are computed for, the result cache, and the service that checks, caches and runs
an operation under its deadline."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from queue import SimpleQueue
from typing import Any

import anyio
import anyio.to_thread
import orjson
from graphql import OperationDefinitionNode

from claimgraph.graph.db import connect_reader, deadline
from claimgraph.graph.eventlog import EventLog, StoredEvent
from claimgraph.graph.projection import NAME as READ_MODEL
from claimgraph.graph.readmodel import ReadModel
from claimgraph.graph.store import Store

from .auth import Tokens
from .context import Context, Deadline
from .errors import (
    DEADLINE_EXCEEDED,
    METHOD_NOT_ALLOWED,
    OPERATION_NOT_SUPPORTED,
    TOO_COMPLEX,
    DeadlineExceeded,
    RequestError,
    bad_request,
    error_code,
    format_errors,
)
from .graphql_cost import nesting
from .graphql_engine import MAX_VARIABLE_NESTING, Engine, Prepared
from .graphql_limits import Limits
from .graphql_schema import build_schema

POLL_SECONDS = 0.2
REFRESH_EVENTS = 5000
LIGHT_QUERY_CHARS = 4096


@dataclass
class Settings:
    db: str
    tokens: Tokens = field(default_factory=Tokens)
    cors_origins: list[str] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls, db: str, tokens_file: str | None = None, cors: list[str] | None = None,
                 **limits: Any) -> "Settings":
        """Raises ``TokensError`` or ``ValueError`` for a bad configuration."""
        origins = cors if cors else [o for o in os.environ.get("CLAIMGRAPH_CORS_ORIGINS", "").split(",") if o]
        return cls(db=db, tokens=Tokens.from_env(tokens_file), cors_origins=origins, limits=Limits.from_env(**limits))


# -- reading the database -------------------------------------------------------------

class Reader:
    """A read-only connection with the read model and log read through it."""

    def __init__(self, path: str):
        self.conn = connect_reader(path)
        self.log = EventLog(self.conn)
        self.read = ReadModel(self.conn)

    def checkpoint(self) -> int:
        row = self.conn.execute("SELECT seq FROM rm_checkpoint WHERE name = ?", (READ_MODEL,)).fetchone()
        return row[0] if row else 0

    def head(self) -> int:
        return self.log.head()

    @contextlib.contextmanager
    def snapshot(self, until: Deadline) -> Iterator[int]:
        """One read transaction (a consistent view) under ``until``; yields the log
        position the read model reflects in it."""
        try:
            with deadline(self.conn, until.expired):
                self.conn.execute("BEGIN")
                head = self.checkpoint()
                self.read.at_version(head)
                yield head
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")


class Readers:
    """One reader per worker thread, handed out and taken back."""

    def __init__(self, path: str, size: int):
        self.free: SimpleQueue[Reader] = SimpleQueue()
        self.all = [Reader(path) for _ in range(size)]
        for r in self.all:
            self.free.put(r)

    @contextlib.contextmanager
    def reader(self) -> Iterator[Reader]:
        r = self.free.get()
        try:
            yield r
        finally:
            self.free.put(r)

    def close(self) -> None:
        for r in self.all:
            r.conn.close()


class Today:
    """Today's (local) date, looked up again only once the day is over."""

    def __init__(self) -> None:
        self.day, self.until = dt.date.today(), 0.0

    def __call__(self) -> dt.date:
        if time.time() >= self.until:
            self.day = dt.date.today()
            self.until = dt.datetime.combine(self.day + dt.timedelta(days=1), dt.time()).timestamp()
        return self.day


today = Today()


# -- the result cache --------------------------------------------------------------------

class ResultCache:
    """Response bodies of successful queries, valid while the log head stays where it
    was; least recently used dropped first, bounded in bytes. Keys are digests of the
    normalized document, operation name, variables, caller and (for answers that depend
    on it) the date."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.bytes = max_bytes, 0
        self.entries: OrderedDict[bytes, bytes] = OrderedDict()
        self.head = -1
        self.hits = self.misses = 0

    @staticmethod
    def key(prepared: Prepared, operation_name: str | None, variables: Mapping | None, actor: str | None,
            today: dt.date) -> bytes:
        parts: list[str | bytes] = [prepared.digest, operation_name or "",
                                    orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS), actor or "",
                                    today.isoformat() if prepared.dated else ""]
        h = hashlib.sha256()
        for p in parts:
            data = p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "big") + data)
        return h.digest()

    def get(self, key: bytes, head: int) -> bytes | None:
        if head != self.head:
            self.clear(head)
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.entries.move_to_end(key)
        return found

    def put(self, key: bytes, head: int, body: bytes) -> None:
        if head != self.head or len(body) > self.max_bytes // 8 or key in self.entries:
            return
        self.entries[key] = body
        self.bytes += len(body)
        while self.bytes > self.max_bytes:
            _, old = self.entries.popitem(last=False)
            self.bytes -= len(old)

    def clear(self, head: int) -> None:
        self.entries.clear()
        self.bytes, self.head = 0, head


class RequestMemo:
    """Queries already checked, by their request exactly as sent (transport, body or
    query string, Authorization), for the day they were checked on: a repeated request
    skips straight to the result cache. Bounded by the bytes of the requests."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.bytes = max_bytes, 0
        self.entries: OrderedDict[tuple, Operation] = OrderedDict()

    def get(self, raw: tuple) -> Operation | None:
        found = self.entries.get(raw)
        return found if found is not None and found.today == today() else None

    def put(self, raw: tuple, operation: Operation) -> None:
        size = len(raw[1]) + 64
        if operation.kind != "query" or size > self.max_bytes // 16 or raw in self.entries:
            return
        self.entries[raw] = operation
        self.bytes += size
        while self.bytes > self.max_bytes:
            old, _ = self.entries.popitem(last=False)
            self.bytes -= len(old[1]) + 64


# -- operations ------------------------------------------------------------------------------

@dataclass
class Params:
    """The GraphQL request parameters, checked for type."""
    query: str
    operation_name: str | None = None
    variables: dict | None = None

    @classmethod
    def from_mapping(cls, data: Mapping) -> "Params":
        query, name = data.get("query"), data.get("operationName")
        variables, extensions = data.get("variables"), data.get("extensions")
        if not isinstance(query, str):
            raise bad_request("'query' must be a string holding the GraphQL document" if query is not None
                              else "'query' is missing: send the GraphQL document in 'query'")
        if name is not None and not isinstance(name, str):
            raise bad_request("'operationName' must be a string or null")
        if variables is not None and not isinstance(variables, dict):
            raise bad_request("'variables' must be an object or null")
        if extensions is not None and not isinstance(extensions, dict):
            raise bad_request("'extensions' must be an object or null")
        return cls(query, name, variables)


@dataclass
class Operation:
    prepared: Prepared
    op: OperationDefinitionNode
    params: Params
    actor: str | None
    today: dt.date
    key: bytes | None = None  # in the result cache (queries)

    @property
    def kind(self) -> str:
        return self.op.operation.value


@dataclass
class Outcome:
    """The response body of a query or mutation, and how the cache served it."""
    body: bytes
    cache: str = "skip"


class Service:
    """Runs operations for every transport; owns the writer, the readers, the caches
    and the threads."""

    def __init__(self, settings: Settings):
        self.settings, self.limits, self.tokens = settings, settings.limits, settings.tokens
        self.writer = Store(settings.db)
        self.writer.refresh()
        self.write_lock = threading.Lock()
        workers = self.limits.workers
        heavy = max(1, workers // 4)
        self.light, self.heavy = anyio.CapacityLimiter(workers), anyio.CapacityLimiter(heavy)
        self.readers = Readers(settings.db, workers + heavy)
        self.loop_reader = Reader(settings.db)  # only for the event loop's O(1) look-ups
        self.engine = Engine(build_schema(), self.limits)
        self.cache = ResultCache(self.limits.cache_bytes)
        self.requests = RequestMemo(4 << 20)
        self.running = 0
        self._running_lock = threading.Lock()

    def close(self) -> None:
        self.readers.close()
        self.loop_reader.conn.close()
        self.writer.close()

    # -- the steps before execution ----------------------------------------------------
    async def operation(self, params: Params, credentials: Any, transport: str) -> Operation:
        """The checked operation; raises ``RequestError``."""
        self.tokens.check(credentials, None)
        if params.variables and nesting(params.variables, MAX_VARIABLE_NESTING):
            raise RequestError(TOO_COMPLEX, f"the variables nest deeper than {MAX_VARIABLE_NESTING}")
        prepared = self.engine.known(params.query)
        if prepared is None:
            limiter = self.light if len(params.query) <= LIGHT_QUERY_CHARS else self.heavy
            prepared = await anyio.to_thread.run_sync(self.engine.document, params.query, limiter=limiter)
        op = self.engine.operation(prepared, params.operation_name)
        kind = op.operation.value
        if kind == "subscription" and transport != "ws":
            raise RequestError(OPERATION_NOT_SUPPORTED,
                               "subscriptions are served over WebSocket (graphql-transport-ws) at this path")
        if transport == "GET" and kind == "mutation":
            raise RequestError(METHOD_NOT_ALLOWED, "a mutation cannot be sent with GET: use POST", 405,
                               headers={"allow": "POST"})
        actor = self.tokens.check(credentials, kind)
        return Operation(prepared, op, params, actor, today())

    def cached(self, operation: Operation) -> tuple[Outcome | None, int]:
        """The cached answer to a query if the log has not moved since it was made, and
        the log head it was looked up at."""
        head = self.loop_reader.head()
        if operation.kind != "query":
            return None, head
        if operation.key is None:
            p = operation.params
            operation.key = self.cache.key(operation.prepared, p.operation_name, p.variables, operation.actor,
                                           operation.today)
        found = self.cache.get(operation.key, head)
        return (Outcome(found, "hit") if found is not None else None), head

    async def result(self, operation: Operation, until: Deadline) -> Outcome:
        """The response body of a query or mutation: from the cache, or run on a worker
        thread within the cost limit and the deadline."""
        found, head = self.cached(operation)
        return found or await self.execute(operation, until, head)

    async def execute(self, operation: Operation, until: Deadline, head: int) -> Outcome:
        cost = self.engine.cost(operation.prepared, operation.op, operation.params.variables)
        light = cost <= self.limits.heavy_cost and len(operation.params.query) <= LIGHT_QUERY_CHARS
        work = self._query if operation.kind == "query" else self._mutation
        seen, body, clean = await anyio.to_thread.run_sync(work, operation, until,
                                                           limiter=self.light if light else self.heavy)
        if operation.key is None:
            return Outcome(body)
        if clean and seen == head:
            self.cache.put(operation.key, seen, body)
        return Outcome(body, "miss")

    def _query(self, operation: Operation, until: Deadline) -> tuple[int, bytes, bool]:
        self._refresh()
        with self._counted(), self.readers.reader() as reader, reader.snapshot(until) as head:
            ctx = Context(read=reader.read, log=reader.log, head=head, actor=operation.actor, today=operation.today,
                          deadline=until, max_text=self.limits.max_text_slice)
            return (head, *self._run(operation, ctx, until))

    def _mutation(self, operation: Operation, until: Deadline) -> tuple[int, bytes, bool]:
        with self._counted(), self.write_lock:
            ctx = Context.for_store(self.writer, operation.actor, today=operation.today,
                                    max_text=self.limits.max_text_slice)
            return (ctx.head, *self._run(operation, ctx, None))  # an append is never cut short

    def _run(self, operation: Operation, ctx: Context, until: Deadline | None) -> tuple[bytes, bool]:
        result = self.engine.execute(operation.prepared, operation.op, operation.params.variables, ctx)
        if until is not None and (until.expired() or any(error_code(e) == DEADLINE_EXCEEDED
                                                         for e in result.errors or ())):
            raise DeadlineExceeded(f"the request ran longer than its deadline ({self.limits.deadline_seconds} s) "
                                   "and was stopped" if not until.cancelled else "the request was cancelled")
        out: dict = {"data": result.data}
        if result.errors:
            out["errors"] = format_errors(result.errors)
        return orjson.dumps(out), not result.errors

    @contextlib.contextmanager
    def _counted(self) -> Iterator[None]:
        with self._running_lock:
            self.running += 1
        try:
            yield
        finally:
            with self._running_lock:
                self.running -= 1

    def _refresh(self) -> None:
        """Bring the read model closer to the log: at most ``REFRESH_EVENTS`` events per
        request, and not while someone is writing (this request then reads the state
        before, which is consistent too)."""
        if self.write_lock.acquire(blocking=False):
            try:
                projection = self.writer.projection
                start, head = projection.checkpoint(), self.writer.head()
                if head > start:
                    projection.catch_up(upto=min(head, start + REFRESH_EVENTS))
                self.writer.read.at_version(projection.checkpoint())
            finally:
                self.write_lock.release()

    # -- subscriptions -----------------------------------------------------------------
    async def stream(self, operation: Operation) -> AsyncIterator[dict] | dict:
        """A subscription's results as formatted dicts, or one formatted error result."""
        self.engine.cost(operation.prepared, operation.op, operation.params.variables)
        ctx = Context(read=self.loop_reader.read, log=self.loop_reader.log, head=self.loop_reader.head(),
                      actor=operation.actor, today=operation.today, max_text=self.limits.max_text_slice,
                      follow=self.follow)
        results = await self.engine.subscribe(operation.prepared, operation.op, operation.params.variables, ctx)
        if not hasattr(results, "__aiter__"):
            return _formatted(results)
        return _formatted_stream(results)

    async def follow(self, position: int) -> AsyncIterator[list[StoredEvent]]:
        """Batches of events after ``position``, as they are appended by anyone."""
        while True:
            if self.loop_reader.head() <= position:
                await anyio.sleep(POLL_SECONDS)
                continue
            batch = await anyio.to_thread.run_sync(self._events_after, position, limiter=self.light)
            if batch:
                position = batch[-1].seq
                yield batch

    def _events_after(self, position: int) -> list[StoredEvent]:
        with self.readers.reader() as reader, reader.snapshot(Deadline(self.limits.deadline_seconds)):
            return list(itertools.islice(reader.log.read(after=position, batch=200), 200))

    def health(self) -> dict:
        head, checkpoint = self.loop_reader.head(), self.loop_reader.checkpoint()
        cache = self.cache
        return {"status": "ok", "head": head, "readModel": checkpoint, "lag": head - checkpoint,
                "running": self.running,
                "cache": {"hits": cache.hits, "misses": cache.misses, "entries": len(cache.entries),
                          "bytes": cache.bytes}}


def _formatted(result) -> dict:
    out: dict = {"data": result.data}
    if result.errors:
        out["errors"] = format_errors(result.errors)
    return out


async def _formatted_stream(results) -> AsyncIterator[dict]:
    async for result in results:
        yield _formatted(result)
