"""Bearer tokens for the GraphQL API.

Tokens come from ``CLAIMGRAPH_TOKENS`` (comma-separated ``name:token`` or bare tokens)
and/or a tokens file (``CLAIMGRAPH_TOKENS_FILE``: one ``name:token`` per line, ``#``
comments). The name becomes the actor of the events a mutation appends (``api:name``).
"""
from __future__ import annotations

import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Tokens:
    by_token: dict[str, str] = field(default_factory=dict)
    require_for_queries: bool = False

    @classmethod
    def from_env(cls, tokens_file: str | None = None) -> "Tokens":
        entries: list[str] = [t for t in os.environ.get("CLAIMGRAPH_TOKENS", "").split(",") if t.strip()]
        path = tokens_file or os.environ.get("CLAIMGRAPH_TOKENS_FILE")
        if path:
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    entries.append(line)
        by_token = {}
        for i, entry in enumerate(entries):
            name, _, token = entry.strip().rpartition(":")
            by_token[token] = name or f"token{i + 1}"
        required = os.environ.get("CLAIMGRAPH_REQUIRE_TOKEN_FOR_QUERIES", "").lower() in ("1", "true", "yes")
        return cls(by_token, required)

    def actor(self, authorization: str | None) -> str | None:
        """``api:<name>`` for a valid ``Bearer <token>`` header, else None."""
        if not authorization or not authorization.lower().startswith("bearer "):
            return None
        given = authorization[7:].strip()
        for token, name in self.by_token.items():
            if hmac.compare_digest(token, given):
                return f"api:{name}"
        return None
