"""An optional secret that turns the log's hash chain into a chain of authentication
codes (HMAC-SHA-256).

Without a key, anyone who can write the database file can rewrite history and recompute
every hash. With a key, each event also carries ``HMAC(key, the material its hash
covers)``; as that material includes the previous event's hash, one valid code vouches
for everything before it. ``claimgraph verify`` checks the codes when it has the key.

The key comes from ``CLAIMGRAPH_LOG_KEY`` (at least 16 characters) or from the file named
by ``CLAIMGRAPH_LOG_KEY_FILE`` (at least 16 bytes). Once a log holds authenticated events
it refuses appends without the key, or with another one.
"""
from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from claimgraph.schema.errors import ClaimgraphError

MIN_KEY_BYTES = 16


class LogKeyError(ClaimgraphError):
    """The log key is missing, too short or not the one the log was signed with."""

    code = "LOG_KEY"


class LogKey:
    def __init__(self, secret: bytes):
        if len(secret) < MIN_KEY_BYTES:
            raise LogKeyError(f"the log key must be at least {MIN_KEY_BYTES} bytes long (got {len(secret)})")
        self._secret = secret

    @classmethod
    def from_env(cls) -> LogKey | None:
        text = os.environ.get("CLAIMGRAPH_LOG_KEY")
        if text:
            return cls(text.encode())
        path = os.environ.get("CLAIMGRAPH_LOG_KEY_FILE")
        if path:
            try:
                return cls(Path(path).read_bytes().strip())
            except OSError as e:
                raise LogKeyError(f"cannot read the log key file {path}: {e.strerror}") from None
        return None

    def mac(self, material: str) -> str:
        return self.mac_parts(material.encode(), b"")

    def mac_parts(self, prefix: bytes, data: bytes) -> str:
        """The code of ``prefix`` followed by ``data`` (hashed in turn, never joined)."""
        code = hmac.new(self._secret, prefix, hashlib.sha256)
        code.update(data)
        return code.hexdigest()

    def matches(self, material: str, mac: str | None) -> bool:
        return self.matches_parts(material.encode(), b"", mac)

    def matches_parts(self, prefix: bytes, data: bytes, mac: str | None) -> bool:
        return mac is not None and hmac.compare_digest(self.mac_parts(prefix, data), mac)
