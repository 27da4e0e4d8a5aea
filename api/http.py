"""GraphQL over HTTP (GET and POST): content negotiation, bounded bodies, the spec's
status codes, and work that stops when the client goes away."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import orjson
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response

from .context import Deadline
from .errors import (
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    RequestError,
    as_request_error,
    bad_request,
)
from .service import Outcome, Params, Service

STATIC = Path(__file__).parent / "static"
GRAPHIQL_HTML = (STATIC / "graphiql.html").read_text(encoding="utf-8")
JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
_CONTENT_TYPES = {JSON: b"application/json; charset=utf-8",
                  GRAPHQL_RESPONSE: b"application/graphql-response+json; charset=utf-8"}


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
