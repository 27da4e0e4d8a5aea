"""Bearer tokens for the GraphQL API, and the one rule every transport applies.

Tokens come from ``CLAIMGRAPH_TOKENS`` (comma-separated ``name:token`` or bare tokens)
and/or a tokens file (``--tokens-file``, ``CLAIMGRAPH_TOKENS_FILE``): one ``name:token``
per line; blank lines and lines starting with ``#`` are ignored, and a ``#`` after
whitespace starts a comment. A token is at least 16 characters of ``A-Z a-z 0-9 - . _ ~
+ /`` (optionally ending in ``=``, as RFC 6750 allows); a name is ``A-Z a-z 0-9 _ . @ -``.
Anything else stops the server at start with the line it is on. The name becomes the
actor of the events a mutation appends (``api:name``).

Credentials come as ``Authorization: Bearer <token>`` (an HTTP header, the WebSocket
upgrade request's header, or ``connectionParams.Authorization`` of
``graphql-transport-ws``). The rule (``check``): credentials that are present must be
valid; mutations always need them, queries and subscriptions only when
``CLAIMGRAPH_REQUIRE_TOKEN_FOR_QUERIES`` is on.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from claimgraph.schema.errors import InputError

from .errors import UNAUTHENTICATED, RequestError

MIN_TOKEN_LENGTH = 16
TOKEN_RE = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
NAME_RE = re.compile(r"[A-Za-z0-9_.@\-]+")
_BEARER = re.compile(r"[ \t]*bearer[ \t]+(\S*)[ \t]*", re.I)


class TokensError(InputError):
    """The tokens configuration is malformed."""


class _Invalid:
    """Credentials were given but are not valid (distinct from giving none)."""


INVALID = _Invalid()


@dataclass
class Tokens:
    by_digest: dict[bytes, str] = field(default_factory=dict)
    require_for_queries: bool = False

    @classmethod
    def from_env(cls, tokens_file: str | None = None) -> "Tokens":
        """Tokens from the environment and the tokens file; raises ``TokensError``
        naming the entry or line of the first malformed one."""
        tokens = cls(require_for_queries=_flag(os.environ.get("CLAIMGRAPH_REQUIRE_TOKEN_FOR_QUERIES", "")))
        for n, entry in enumerate(os.environ.get("CLAIMGRAPH_TOKENS", "").split(","), 1):
            if entry.strip():
                tokens.add(entry.strip(), where=f"CLAIMGRAPH_TOKENS entry {n}", default_name=f"token{n}")
        path = tokens_file or os.environ.get("CLAIMGRAPH_TOKENS_FILE")
        if path:
            for n, line in _lines(Path(path)):
                tokens.add(line, where=f"{path}:{n}", default_name=f"token{n}")
        return tokens

    def add(self, entry: str, where: str, default_name: str) -> None:
        name, sep, token = entry.rpartition(":")
        if sep and not name:
            raise TokensError(f"{where}: the name before ':' is empty")
        name = name or default_name
        if not NAME_RE.fullmatch(name):
            raise TokensError(f"{where}: the name may only hold A-Z a-z 0-9 _ . @ -")
        if not token:
            raise TokensError(f"{where}: the token of {name!r} is empty")
        if not TOKEN_RE.fullmatch(token):
            raise TokensError(f"{where}: the token of {name!r} may only hold A-Z a-z 0-9 - . _ ~ + / (and a final =)")
        if len(token) < MIN_TOKEN_LENGTH:
            raise TokensError(f"{where}: the token of {name!r} is shorter than {MIN_TOKEN_LENGTH} characters")
        digest = _digest(token)
        if digest in self.by_digest:
            raise TokensError(f"{where}: the token of {name!r} is already given to {self.by_digest[digest]!r}")
        self.by_digest[digest] = name

    def actor(self, authorization: str | None) -> str | _Invalid | None:
        """``api:<name>`` for a valid ``Bearer <token>``, ``INVALID`` for any other
        bearer credentials, ``None`` when none were given (other schemes, such as a
        proxy's ``Basic``, are not ours and count as none)."""
        if authorization is None or not authorization.lstrip().lower().startswith("bearer"):
            return None
        match = _BEARER.fullmatch(authorization)
        token = match.group(1) if match else ""
        if not TOKEN_RE.fullmatch(token):
            return INVALID
        digest = _digest(token)
        for known, name in self.by_digest.items():
            if hmac.compare_digest(known, digest):
                return f"api:{name}"
        return INVALID

    def check(self, actor: str | _Invalid | None, operation: str | None) -> str | None:
        """The rule for every transport: the actor to run as, or ``RequestError``
        (``UNAUTHENTICATED``). ``operation`` is ``query``, ``mutation``,
        ``subscription``, or ``None`` before the document is read."""
        if actor is INVALID:
            raise unauthenticated("the bearer token is not valid")
        if actor is None and (operation == "mutation" or self.require_for_queries):
            what = "mutations" if operation == "mutation" else "every operation"
            raise unauthenticated(f"this server needs 'Authorization: Bearer <token>' for {what}")
        return actor if isinstance(actor, str) else None


def unauthenticated(message: str) -> RequestError:
    return RequestError(UNAUTHENTICATED, message, 401, headers={"www-authenticate": 'Bearer realm="claimgraph"'})


def connection_params_authorization(payload: object) -> str | None:
    """The ``Authorization`` a ``graphql-transport-ws`` client put in its
    ``connectionParams`` (any letter case; ``headers.Authorization`` too) as a bearer
    header value, or None. A bare token is taken as ``Bearer <token>``; a value that is
    not a string counts as given and invalid."""
    if not isinstance(payload, Mapping):
        return None
    for scope in (payload, payload.get("headers")):
        if isinstance(scope, Mapping):
            for key, value in scope.items():
                if isinstance(key, str) and key.lower() == "authorization":
                    if not isinstance(value, str):
                        return "Bearer "
                    return value if value.lstrip().lower().startswith("bearer") else f"Bearer {value}"
    return None


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii")).digest()


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise TokensError(f"{path}: cannot read the tokens file ({e})") from None
    for n, raw in enumerate(text.splitlines(), 1):
        line = re.split(r"\s#", raw, maxsplit=1)[0].strip()
        if line and not line.startswith("#"):
            yield n, line
