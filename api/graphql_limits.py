"""What one GraphQL request may cost: the limits (each configurable by environment and
``serve`` option) and the error a request gets for passing one."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import RequestError

# -- limits --------------------------------------------------------------------------

def _limit(default, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Limits:
    """What one request may cost. Each is configurable as ``CLAIMGRAPH_<NAME>`` (e.g.
    ``CLAIMGRAPH_MAX_BODY_BYTES``) and as a ``serve`` option (``--max-body-bytes``)."""

    max_body_bytes: int = _limit(1 << 20, "largest request body, GET query string or WebSocket message")
    max_tokens: int = _limit(2000, "most lexical tokens in a document")
    max_depth: int = _limit(12, "deepest nesting of selections (fragments expanded)")
    max_aliases: int = _limit(30, "most aliases in a document")
    max_cost: int = _limit(10000, "highest cost of an operation (see the README for the formula)")
    max_filter_terms: int = _limit(20, "most terms in one claim filter (AND/OR included)")
    max_filter_depth: int = _limit(4, "deepest nesting of AND/OR in one claim filter")
    deadline_seconds: float = _limit(5.0, "longest a request may run before it is stopped")
    max_text_slice: int = _limit(65536, "most characters of a text served at once")
    cache_bytes: int = _limit(64 << 20, "size of the result cache in bytes")
    # Python runs one thread at a time: a second one overlaps a request's SQLite reads
    # with another's Python; more only trade the loop's time for switching (bench/graphql_api.py)
    workers: int = _limit(2, "threads running requests; a quarter as many more (at least one) run the "
                             "costliest, one at a time by default")
    ws_operations: int = _limit(16, "most operations running at once on one WebSocket")
    ws_init_seconds: float = _limit(3.0, "time a WebSocket has to send connection_init")

    def __post_init__(self):
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not value > 0:
                raise ValueError(f"{f.name} must be more than 0, got {value}")

    @classmethod
    def from_env(cls, **given: Any) -> "Limits":
        """Limits from ``given`` values (None: not given), then ``CLAIMGRAPH_<NAME>``,
        then the defaults. Raises ValueError naming the bad one."""
        values = {}
        for f in dataclasses.fields(cls):
            value = given.get(f.name)
            env = env_name(f.name)
            if value is None and os.environ.get(env, "").strip():
                kind = float if isinstance(f.default, float) else int
                try:
                    value = kind(os.environ[env])
                except ValueError:
                    raise ValueError(f"{env}: not a number: {os.environ[env]!r}") from None
            if value is not None:
                values[f.name] = value
        return cls(**values)

    @property
    def heavy_cost(self) -> int:
        """Operations above this cost run on their own (smaller) set of threads."""
        return max(1, self.max_cost // 10)


def env_name(name: str) -> str:
    return f"CLAIMGRAPH_{name.upper()}"


def too_complex(message: str) -> RequestError:
    from .errors import TOO_COMPLEX, RequestError  # here, so that `claimgraph --help` need not load graphql

    return RequestError(TOO_COMPLEX, message)
