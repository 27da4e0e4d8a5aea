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
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from .http import GraphQLHTTP
from .service import Service, Settings
from .websocket import GraphQLWebSocket

STATIC = Path(__file__).parent / "static"


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
