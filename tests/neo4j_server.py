"""The Neo4j server the tests use: never the user's. It has its own home and ports
(``CLAIMGRAPH_TEST_NEO4J_HOME``, default ``~/.cache/claimgraph/neo4j-test``; Bolt
``CLAIMGRAPH_TEST_NEO4J_BOLT_PORT`` 7688, HTTP ``CLAIMGRAPH_TEST_NEO4J_HTTP_PORT`` 7475),
started with ``deploy/neo4j/neo4j.sh``. ``CLAIMGRAPH_TEST_NEO4J_URI`` names an external
server instead (which the tests wipe: never point it at data you keep).

    python3 tests/neo4j_server.py start|stop|status
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "deploy" / "neo4j" / "neo4j.sh"
PASSWORD = "claimgraph-test"


def _cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimgraph"


def home() -> str:
    return os.environ.get("CLAIMGRAPH_TEST_NEO4J_HOME") or str(_cache() / "neo4j-test")


def bolt_port() -> int:
    return int(os.environ.get("CLAIMGRAPH_TEST_NEO4J_BOLT_PORT", "7688"))


def http_port() -> int:
    return int(os.environ.get("CLAIMGRAPH_TEST_NEO4J_HTTP_PORT", "7475"))


def external() -> bool:
    return bool(os.environ.get("CLAIMGRAPH_TEST_NEO4J_URI"))


def client_env() -> dict[str, str]:
    """What claimgraph reads to reach the test server (set for the whole test session)."""
    return {"NEO4J_URI": os.environ.get("CLAIMGRAPH_TEST_NEO4J_URI") or f"bolt://localhost:{bolt_port()}",
            "NEO4J_USER": os.environ.get("CLAIMGRAPH_TEST_NEO4J_USER", "neo4j"),
            "NEO4J_PASSWORD": os.environ.get("CLAIMGRAPH_TEST_NEO4J_PASSWORD", PASSWORD),
            "NEO4J_DATABASE": "neo4j"}


def script(command: str, check: bool = True) -> int:
    env = {**os.environ, "CLAIMGRAPH_NEO4J_HOME": home(), "NEO4J_BOLT_PORT": str(bolt_port()),
           "NEO4J_HTTP_PORT": str(http_port()), "NEO4J_PASSWORD": PASSWORD}
    return subprocess.run(["bash", str(SCRIPT), command], env=env, check=check).returncode


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("start", "stop", "status"):
        sys.exit(__doc__)
    if external():
        sys.exit(0)
    sys.exit(script(sys.argv[1], check=False))
