"""GraphQL over WebSocket (graphql-transport-ws): authentication from the upgrade header
or ``connectionParams``, bounded messages and operations, and subscriptions that follow
the log."""
from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import anyio
import anyio.to_thread
import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from .auth import connection_params_authorization
from .context import Deadline
from .errors import (
    RequestError,
    as_request_error,
    error_body,
)
from .service import Operation, Params, Service

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
