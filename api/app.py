"""The ASGI app: GraphQL at /graphql over HTTP (GET and POST, GraphQL over HTTP with
``application/graphql-response+json`` and ``application/json``) and WebSocket
(``graphql-transport-ws``), GraphiQL for browsers, /health, CORS, and a result cache.

Every transport reads its input within the size limit, applies the same bearer-token
rule (``Tokens.check``) and hands the operation to ``Service``, which runs it through
the engine's steps. Work that reads the database runs on worker threads, each with its
own read-only connection and one consistent snapshot, under a deadline that interrupts
SQLite; the event loop only routes, looks up the caches and answers /health.
"""
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
from pathlib import Path
from queue import SimpleQueue
from typing import Any

import anyio
import anyio.to_thread
import orjson
from graphql import OperationDefinitionNode
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from claimgraph.graph.db import connect_reader, deadline
from claimgraph.graph.eventlog import EventLog, StoredEvent
from claimgraph.graph.projection import NAME as READ_MODEL
from claimgraph.graph.readmodel import ReadModel
from claimgraph.graph.store import Store

from .auth import Tokens, connection_params_authorization
from .context import Context, Deadline
from .errors import (
    DEADLINE_EXCEEDED,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    OPERATION_NOT_SUPPORTED,
    PAYLOAD_TOO_LARGE,
    TOO_COMPLEX,
    UNSUPPORTED_MEDIA_TYPE,
    DeadlineExceeded,
    RequestError,
    as_request_error,
    bad_request,
    error_body,
    error_code,
    format_errors,
)
from .graphql_schema import MAX_VARIABLE_NESTING, Engine, Limits, Prepared, build_schema, nesting

STATIC = Path(__file__).parent / "static"
GRAPHIQL_HTML = (STATIC / "graphiql.html").read_text(encoding="utf-8")
JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
_CONTENT_TYPES = {JSON: b"application/json; charset=utf-8",
                  GRAPHQL_RESPONSE: b"application/graphql-response+json; charset=utf-8"}
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


# -- HTTP ------------------------------------------------------------------------------------

def negotiate(accept: str | None) -> str:
    """The response media type for an Accept header (GraphQL over HTTP): the best of
    ``application/graphql-response+json`` and ``application/json``; ``*/*``,
    ``application/*`` or no header mean ``application/json``."""
    if not accept or not accept.strip():
        return JSON
    best, best_q = None, 0.0
    for item in accept.split(","):
        media, _, rest = item.partition(";")
        media = media.strip().lower()
        q = _quality(rest)
        if media == GRAPHQL_RESPONSE:
            choice = GRAPHQL_RESPONSE
        elif media in (JSON, "*/*", "application/*"):
            choice = JSON
        else:
            continue
        if q > best_q or (q == best_q and choice == GRAPHQL_RESPONSE and q > 0):
            best, best_q = choice, q
    if best is None:
        raise RequestError(NOT_ACCEPTABLE, f"this endpoint answers with {GRAPHQL_RESPONSE} or {JSON}", 406)
    return best


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def check_content_type(headers: Headers) -> None:
    raw = headers.get("content-type")
    if raw == JSON:
        return
    media, _, rest = (raw or "").partition(";")
    charset = next((v.strip().strip('"').lower() for k, _, v in (p.partition("=") for p in rest.split(";"))
                    if k.strip().lower() == "charset"), "utf-8")
    if media.strip().lower() != JSON or charset not in ("utf-8", "utf8"):
        raise RequestError(UNSUPPORTED_MEDIA_TYPE, "send the request as 'Content-Type: application/json' "
                                                   "(UTF-8)", 415)


async def read_body(request: Request, headers: Headers, limit: int) -> bytes:
    """The body, refused as soon as it passes ``limit`` bytes (nothing more is read); a
    body that comes in more than one piece is refused at once when its declared length
    is too large."""
    chunks: list[bytes] = []
    size, receive = 0, request.receive
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk, more = message.get("body", b""), message.get("more_body", False)
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        if not more:
            return b"".join(chunks) + chunk if chunks else chunk
        if not chunks:
            _check_length(headers.get("content-length"), limit)
        chunks.append(chunk)


def _check_length(length: str | None, limit: int) -> None:
    if length is not None and (not length.isdigit() or int(length) > limit):
        raise too_large(limit) if length.isdigit() else bad_request("Content-Length is not a number")


def too_large(limit: int) -> RequestError:
    return RequestError(PAYLOAD_TOO_LARGE, f"the request is larger than {limit} bytes", 413)


def params_from_body(body: bytes) -> Params:
    if not body.strip():
        raise bad_request("the body is empty: send a JSON object with the document in 'query'")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise bad_request("the body is not valid JSON (in UTF-8)") from None
    if not isinstance(data, dict):
        raise bad_request("the body must be a JSON object with the document in 'query'")
    return Params.from_mapping(data)


def params_from_query_string(request: Request) -> Params:
    data: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if key in data:
            raise bad_request(f"the parameter {key[:50]!r} is given more than once")
        data[key] = value
    for key in ("variables", "extensions"):
        if key in data:
            try:
                data[key] = orjson.loads(data[key]) if data[key] else None
            except orjson.JSONDecodeError:
                raise bad_request(f"'{key}' must be a JSON object") from None
    return Params.from_mapping(data)


class GraphQLHTTP:
    """POST and GET at /graphql (and GraphiQL for a browser's GET without a query);
    any other method is refused in the same JSON shape."""

    def __init__(self, service: Service):
        self.service = service

    async def __call__(self, scope, receive, send) -> None:
        """As a plain ASGI app: this endpoint turns every error into its response itself."""
        response = await self.endpoint(Request(scope, receive))
        await response(scope, receive, send)

    async def endpoint(self, request: Request) -> Response | Answer:
        method, headers = request.method, request.headers
        if method in ("GET", "HEAD") and "query" not in request.query_params and \
                "text/html" in headers.get("accept", ""):
            return HTMLResponse(GRAPHIQL_HTML)
        try:
            media = negotiate(headers.get("accept"))
        except RequestError as e:
            return self.error(e, JSON)
        try:
            outcome = await self.handle(request, method, headers)
        except ClientDisconnect:
            return Response(status_code=400)
        except Exception as e:
            return self.error(as_request_error(e), media)
        return self.respond(outcome.body, 200, media, {"x-claimgraph-cache": outcome.cache})

    async def handle(self, request: Request, method: str, headers: Headers) -> Outcome:
        if method not in ("GET", "HEAD", "POST"):
            raise RequestError(METHOD_NOT_ALLOWED, f"use GET or POST, not {method}", 405,
                               headers={"allow": "GET, POST"})
        started = time.monotonic()
        transport = "POST" if method == "POST" else "GET"
        raw = (transport, await self.raw(request, transport, headers), headers.get("authorization"))
        operation = self.service.requests.get(raw)
        if operation is None:
            params = params_from_body(raw[1]) if transport == "POST" else params_from_query_string(request)
            credentials = self.service.tokens.actor(raw[2])
            operation = await self.service.operation(params, credentials, transport)
            self.service.requests.put(raw, operation)
        found, head = self.service.cached(operation)
        if found is not None:
            return found
        until = Deadline(self.service.limits.deadline_seconds, started)
        return await _until_disconnect(request, until, lambda: self.service.execute(operation, until, head))

    async def raw(self, request: Request, transport: str, headers: Headers) -> bytes:
        """The request's parameters as sent (the body, or the query string), within the limit."""
        limit = self.service.limits.max_body_bytes
        if transport == "POST":
            check_content_type(headers)
            return await read_body(request, headers, limit)
        query_string = request.scope.get("query_string", b"")
        if len(query_string) > limit:
            raise too_large(limit)
        return query_string

    def error(self, e: RequestError, media: str) -> Answer:
        status = e.status or (200 if media == JSON else 400)
        return self.respond(orjson.dumps({"errors": e.formatted()}), status, media, e.headers)

    @staticmethod
    def respond(body: bytes, status: int, media: str, headers: Mapping[str, str]) -> "Answer":
        return Answer(body, status, media, headers)


class Answer:
    """A JSON answer, sent as its two ASGI messages: cache hits are the hot path, and a
    full Response object costs more than looking the answer up does."""

    __slots__ = ("body", "status", "headers")

    def __init__(self, body: bytes, status: int, media: str, headers: Mapping[str, str]):
        self.body, self.status = body, status
        self.headers = [(b"content-type", _CONTENT_TYPES[media]), (b"content-length", str(len(body)).encode())]
        self.headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


async def _until_disconnect(request: Request, until: Deadline, work) -> Outcome:
    """``await work()``, cancelling its deadline when the client goes away meanwhile."""
    outcome: list = []
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(_cancel_on_disconnect, request, until)
        try:
            outcome.append(await work())
        except BaseException as e:  # handed out of the task group unwrapped
            outcome.append(e)
        tasks.cancel_scope.cancel()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


async def _cancel_on_disconnect(request: Request, until: Deadline) -> None:
    """Cancel the request's work when the client goes away."""
    with contextlib.suppress(Exception):
        while (await request.receive())["type"] != "http.disconnect":
            pass
        until.cancel()


# -- WebSocket (graphql-transport-ws) -----------------------------------------------------

PROTOCOL = "graphql-transport-ws"


class GraphQLWebSocket:
    """The ``graphql-transport-ws`` protocol: ``connection_init`` (credentials in its
    payload or the upgrade request) → ``connection_ack``; ``subscribe`` → ``next``…
    ``complete`` or ``error``; ``complete`` from the client stops an operation;
    ``ping``/``pong``. Protocol violations close the socket with the protocol's codes."""

    def __init__(self, service: Service):
        self.service = service

    async def endpoint(self, ws: WebSocket) -> None:
        if PROTOCOL not in ws.scope.get("subprotocols", []):
            await ws.accept()
            await ws.close(4406, "Subprotocol not acceptable")
            return
        await ws.accept(subprotocol=PROTOCOL)
        session = _Session(self.service, ws)
        async with anyio.create_task_group() as tasks:
            session.tasks = tasks
            tasks.start_soon(session.init_timeout)
            try:
                await session.receive_loop()
            finally:
                session.stop_all()
                tasks.cancel_scope.cancel()


class _Close(Exception):
    def __init__(self, code: int, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


class _Session:
    def __init__(self, service: Service, ws: WebSocket):
        self.service, self.ws = service, ws
        self.credentials: Any = None
        self.acked = False
        self.running: dict[str, tuple[anyio.CancelScope, Deadline]] = {}
        self.tasks: Any = None
        self.send_lock = anyio.Lock()

    async def init_timeout(self) -> None:
        await anyio.sleep(self.service.limits.ws_init_seconds)
        if not self.acked:
            await self.close(4408, "Connection initialisation timeout")

    async def receive_loop(self) -> None:
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    return
                await self.handle(message)
        except _Close as c:
            await self.close(c.code, c.reason)
        except WebSocketDisconnect:
            return

    async def handle(self, message: Mapping[str, Any]) -> None:
        text = message.get("text")
        if text is None or len(text) > self.service.limits.max_body_bytes:
            raise _Close(4400, "Invalid message received" if text is None else "Message too large")
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            raise _Close(4400, "Invalid message received") from None
        kind = data.get("type") if isinstance(data, dict) else None
        handler = {"connection_init": self.on_init, "ping": self.on_ping, "pong": self.on_pong,
                   "subscribe": self.on_subscribe, "complete": self.on_complete}.get(kind)  # type: ignore[arg-type]
        if handler is None:
            raise _Close(4400, "Invalid message received")
        await handler(data)

    async def on_init(self, data: dict) -> None:
        if self.acked:
            raise _Close(4429, "Too many initialisation requests")
        payload = data.get("payload")
        if payload is not None and not isinstance(payload, dict):
            raise _Close(4400, "Invalid message received")
        given = connection_params_authorization(payload)
        if given is None:
            given = self.ws.headers.get("authorization")
        tokens = self.service.tokens
        self.credentials = tokens.actor(given)
        try:
            tokens.check(self.credentials, None)
        except RequestError as e:
            raise _Close(4403, f"Forbidden: {e.code}: {e}"[:120]) from None
        self.acked = True
        await self.send({"type": "connection_ack"})

    async def on_ping(self, data: dict) -> None:
        await self.send({"type": "pong"})

    async def on_pong(self, data: dict) -> None:
        return None

    async def on_subscribe(self, data: dict) -> None:
        if not self.acked:
            raise _Close(4401, "Unauthorized")
        op_id, payload = data.get("id"), data.get("payload")
        if not isinstance(op_id, str) or not op_id or len(op_id) > 256 or not isinstance(payload, dict):
            raise _Close(4400, "Invalid message received")
        if op_id in self.running:
            raise _Close(4409, f"Subscriber for {op_id[:64]} already exists")
        if len(self.running) >= self.service.limits.ws_operations:
            await self.send({"id": op_id, "type": "error", "payload": error_body(
                "TOO_MANY_OPERATIONS", f"at most {self.service.limits.ws_operations} operations may run at once "
                                       "on one connection")["errors"]})
            return
        try:
            params = Params.from_mapping(payload)
        except RequestError as e:
            await self.send({"id": op_id, "type": "error", "payload": e.formatted()})
            return
        scope, until = anyio.CancelScope(), Deadline(self.service.limits.deadline_seconds)
        self.running[op_id] = (scope, until)
        self.tasks.start_soon(self.run, op_id, params, scope, until)

    async def on_complete(self, data: dict) -> None:
        self.stop(data.get("id"))

    def stop(self, op_id: object) -> None:
        """Stop an operation: its task, and the work it may have on a worker thread."""
        found = self.running.pop(op_id, None) if isinstance(op_id, str) else None
        if found is not None:
            found[0].cancel()
            found[1].cancel()

    def stop_all(self) -> None:
        for op_id in list(self.running):
            self.stop(op_id)

    async def run(self, op_id: str, params: Params, scope: anyio.CancelScope, until: Deadline) -> None:
        with scope:
            try:
                await self.execute(op_id, params, until)
            except Exception as e:  # only this operation ends
                self.running.pop(op_id, None)
                await self.send({"id": op_id, "type": "error", "payload": as_request_error(e).formatted()})
                return
            if self.running.pop(op_id, None) is not None:
                await self.send({"id": op_id, "type": "complete"})

    async def execute(self, op_id: str, params: Params, until: Deadline) -> None:
        operation = await self.service.operation(params, self.credentials, "ws")
        if operation.kind == "subscription":
            await self.run_stream(op_id, operation)
            return
        outcome = await self.service.result(operation, until)
        await self.send_raw(b'{"id":' + orjson.dumps(op_id) + b',"type":"next","payload":' + outcome.body + b"}")

    async def run_stream(self, op_id: str, operation: Operation) -> None:
        results = await self.service.stream(operation)
        if isinstance(results, dict):
            await self.send({"id": op_id, "type": "next", "payload": results})
            return
        async for result in results:
            await self.send({"id": op_id, "type": "next", "payload": result})

    async def send(self, message: dict) -> None:
        await self.send_raw(orjson.dumps(message))

    async def send_raw(self, data: bytes) -> None:
        async with self.send_lock:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                await self.ws.send_text(data.decode("utf-8"))

    async def close(self, code: int, reason: str) -> None:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await self.ws.close(code, reason)
        if self.tasks is not None:
            self.tasks.cancel_scope.cancel()


# -- the app ---------------------------------------------------------------------------------

class App:
    """The ASGI app. HTTP requests to /graphql go straight to the GraphQL endpoint (they
    are the hot path, and the endpoint answers every error itself); everything else —
    the WebSocket, /health, GraphiQL's assets, lifespan — through Starlette."""

    def __init__(self, graphql, starlette: Starlette):
        self.graphql, self.starlette = graphql, starlette
        self.state = starlette.state

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/graphql":
            await self.graphql(scope, receive, send)
        else:
            await self.starlette(scope, receive, send)


def create_app(settings: Settings) -> App:
    service = Service(settings)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse(service.health())

    routes = [WebSocketRoute("/graphql", GraphQLWebSocket(service).endpoint), Route("/health", health),
              Mount("/static", StaticFiles(directory=STATIC), name="static")]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        service.close()

    cors: dict[str, Any] = {"allow_origins": settings.cors_origins, "allow_methods": ["GET", "POST", "OPTIONS"],
            "allow_headers": ["authorization", "content-type", "accept"]}
    starlette = Starlette(routes=routes, lifespan=lifespan,
                          middleware=[Middleware(CORSMiddleware, **cors)] if settings.cors_origins else [])
    starlette.state.service = service
    graphql: Any = GraphQLHTTP(service)
    return App(CORSMiddleware(graphql, **cors) if settings.cors_origins else graphql, starlette)
