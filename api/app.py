"""The ASGI app: GraphQL (with GraphiQL) at /graphql, /health, CORS, and a result cache.

The read model changes only when the log head moves, so a query's result is cached by
(request body, authorization, head): a repeated query costs one SQL lookup of the head.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graphql import GraphQLSyntaxError, OperationType, parse
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL

from claimgraph.graph.store import Store

from .auth import Tokens
from .context import Context
from .errors import format_result
from .graphql_schema import build_schema

STATIC = Path(__file__).parent / "static"
GRAPHIQL_HTML = (STATIC / "graphiql.html").read_text(encoding="utf-8")


@dataclass
class Settings:
    db: str
    tokens: Tokens = field(default_factory=Tokens)
    cors_origins: list[str] = field(default_factory=list)
    cache_entries: int = 2048

    @classmethod
    def from_env(cls, db: str, tokens_file: str | None = None, cors: list[str] | None = None) -> "Settings":
        origins = cors if cors else [o for o in os.environ.get("CLAIMGRAPH_CORS_ORIGINS", "").split(",") if o]
        return cls(db=db, tokens=Tokens.from_env(tokens_file), cors_origins=origins)


class ClaimgraphGraphQL(GraphQL):
    def __init__(self, schema, store: Store, tokens: Tokens):
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self.store, self.tokens = store, tokens

    async def get_context(self, request, response) -> Context:
        auth = request.headers.get("authorization")
        return Context(self.store, actor=self.tokens.actor(auth),
                       require_token_for_queries=self.tokens.require_for_queries)

    async def process_result(self, request, result):
        return format_result(result)

    async def render_graphql_ide(self, request):
        """GraphiQL from the bundled assets: no network needed in the browser either."""
        return HTMLResponse(GRAPHIQL_HTML)


@lru_cache(maxsize=1024)
def _is_query(document: str, operation_name: str | None) -> bool:
    try:
        doc = parse(document)
    except GraphQLSyntaxError:
        return False
    ops = [d for d in doc.definitions if hasattr(d, "operation")]
    chosen = [o for o in ops if operation_name is None or (o.name and o.name.value == operation_name)]
    return len(chosen) == 1 and chosen[0].operation == OperationType.QUERY


class ResultCache:
    """ASGI middleware caching successful GraphQL query results per log head."""

    def __init__(self, app, store: Store, tokens: Tokens, entries: int):
        self.app, self.store, self.tokens, self.entries = app, store, tokens, entries
        self.cache: OrderedDict[bytes, bytes] = OrderedDict()
        self.head = -1
        self.hits = self.misses = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = dict(scope["headers"])
        auth = headers.get(b"authorization", b"")
        if self.tokens.require_for_queries and self.tokens.actor(auth.decode("latin-1")) is None:
            return await _send_json(send, 401, {"data": None, "errors": [{
                "message": "this server needs 'Authorization: Bearer <token>' for queries too",
                "extensions": {"code": "UNAUTHENTICATED"}}]})
        head = self.store.head()
        if head != self.head:
            self.cache.clear()
            self.head = head
        key = hashlib.sha256(body + b"\x00" + auth).digest()
        cached = self.cache.get(key)
        if cached is not None:
            self.hits += 1
            self.cache.move_to_end(key)
            return await _send_body(send, 200, cached, b"hit")
        self.misses += 1
        cacheable = _cacheable(body)
        sent: list = []

        async def replay():
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message):
            if not cacheable:
                return await send(message)
            sent.append(message)

        await self.app(scope, replay, capture)
        if not cacheable:
            return
        start = next(m for m in sent if m["type"] == "http.response.start")
        payload = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        if start["status"] == 200 and b'"errors"' not in payload:
            self.cache[key] = payload
            if len(self.cache) > self.entries:
                self.cache.popitem(last=False)
        start = dict(start)
        start["headers"] = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"] + [
            (b"content-length", str(len(payload)).encode()), (b"x-claimgraph-cache", b"miss")]
        await send(start)
        await send({"type": "http.response.body", "body": payload})


def _cacheable(body: bytes) -> bool:
    try:
        data = json.loads(body)
    except ValueError:
        return False
    if not isinstance(data, dict) or not isinstance(data.get("query"), str):
        return False
    return _is_query(data["query"], data.get("operationName"))


async def _send_body(send, status: int, body: bytes, cache: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"x-claimgraph-cache", cache)]})
    await send({"type": "http.response.body", "body": body})


async def _send_json(send, status: int, data: dict) -> None:
    await _send_body(send, status, json.dumps(data).encode(), b"skip")


def create_app(settings: Settings) -> Starlette:
    store = Store(settings.db)
    store.refresh()
    graphql_app = ClaimgraphGraphQL(build_schema(), store, settings.tokens)
    cached = ResultCache(graphql_app, store, settings.tokens, settings.cache_entries)

    async def health(request: Request) -> JSONResponse:
        store.refresh()
        head, checkpoint = store.head(), store.projection.checkpoint()
        return JSONResponse({"status": "ok", "head": head, "readModel": checkpoint, "lag": head - checkpoint,
                             "cache": {"hits": cached.hits, "misses": cached.misses}})

    middleware = []
    if settings.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                                     allow_methods=["GET", "POST", "OPTIONS"],
                                     allow_headers=["authorization", "content-type"]))
    routes = [Route("/health", health), Route("/graphql", cached, methods=["GET", "POST"]),
              WebSocketRoute("/graphql", cached), Mount("/static", StaticFiles(directory=STATIC), name="static")]
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        store.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.store = store
    app.state.cache = cached
    return app
