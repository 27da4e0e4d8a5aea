"""Running the app for tests: in this process (``InProcess``: httpx's ASGI transport,
Starlette's test client for WebSocket), or as ``claimgraph serve`` under uvicorn on a
free port (``running``) where the process boundary is the point; and the npm packages
of the reference GraphQL clients (``node_modules``), installed once into a cache."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
import weakref
from pathlib import Path

import httpx
import pytest

#: the reference packages the conformance tests run (exact versions: results must not drift)
NPM_PACKAGES = {"graphql-http": "1.23.1", "graphql-ws": "6.4.2", "graphql": "16.11.0", "ws": "8.18.3"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(args: list[str], port: int, env: dict | None = None, timeout: float = 30):
    """Run ``claimgraph ARGS`` until /health answers on ``port``; stop it afterwards."""
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.api.cli", *args],
                            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited early ({proc.returncode}):\n{proc.stderr.read()}")
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline:
                raise RuntimeError("server did not come up in time")
            time.sleep(0.05)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


class InProcess:
    """An ASGI app driven in this process. HTTP goes through httpx's ASGI transport,
    which streams request bodies as given (so size limits are really exercised), on
    one event loop in a helper thread; WebSocket through Starlette's test client."""

    def __init__(self, app, base: str = "http://claimgraph.test"):
        from anyio.from_thread import start_blocking_portal
        self.app, self.base = app, base
        self.service = app.state.service
        self._portal = contextlib.ExitStack()
        self.portal = self._portal.enter_context(start_blocking_portal())
        self.client = self.portal.call(self._client)
        weakref.finalize(self, self._portal.close)

    async def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=self.base, timeout=60)

    def request(self, method: str, path: str = "/graphql", **kw) -> httpx.Response:
        return self.portal.call(lambda: self.client.request(method, path, **kw))

    def post(self, path: str = "/graphql", **kw) -> httpx.Response:
        return self.request("POST", path, **kw)

    def get(self, path: str = "/graphql", **kw) -> httpx.Response:
        return self.request("GET", path, **kw)

    def query(self, query: str, token: str | None = None, **variables) -> dict:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return self.post(json={"query": query, "variables": variables}, headers=headers).json()

    @contextlib.contextmanager
    def websocket(self, headers: dict | None = None, subprotocols=("graphql-transport-ws",)):
        with warnings.catch_warnings():  # Starlette's test client nags about its httpx dependency
            warnings.simplefilter("ignore")
            from starlette.testclient import TestClient
            client = TestClient(self.app)
        with client.websocket_connect("/graphql", subprotocols=list(subprotocols), headers=dict(headers or {})) as ws:
            yield ws


def node_modules() -> Path:
    """The reference npm packages (``NPM_PACKAGES``), installed on first use into
    ``$CLAIMGRAPH_NPM_CACHE`` (default ``~/.cache/claimgraph/npm``) and reused after.
    Skips when node/npm are missing, except under CI, where nothing may skip."""
    if not (shutil.which("node") and shutil.which("npm")):
        reason = "node and npm are not installed: the reference GraphQL clients run on node"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; under CI they may not skip")
        print(f"skipping: {reason}", file=sys.stderr)
        pytest.skip(reason)
    home = Path(os.environ.get("CLAIMGRAPH_NPM_CACHE") or Path.home() / ".cache" / "claimgraph" / "npm")
    home.mkdir(parents=True, exist_ok=True)
    manifest = json.dumps({"private": True, "dependencies": NPM_PACKAGES}, indent=2, sort_keys=True)
    stamp = home / ".installed"
    if not (stamp.exists() and stamp.read_text() == manifest):
        (home / "package.json").write_text(manifest)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=home, check=True,
                       capture_output=True, text=True, timeout=600)
        stamp.write_text(manifest)
    return home / "node_modules"


def run_node(script: str, *args: str, timeout: float = 120) -> dict:
    """Run a CommonJS ``script`` with the reference packages; it prints one JSON object."""
    modules = node_modules()
    proc = subprocess.run(["node", "-e", script, "--", *args], env={**os.environ, "NODE_PATH": str(modules)},
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"node failed ({proc.returncode}):\n{proc.stderr}\n{proc.stdout}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
