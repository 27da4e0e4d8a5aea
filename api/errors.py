"""One error shape for every GraphQL response, over HTTP and WebSocket alike:
``{message, locations?, path?, extensions: {code}}`` with a stable code.

The code is decided where the error is raised, never by reading its message: request
errors (transport, parsing, validation, limits, variables, authentication) are raised
as ``RequestError`` with their code and HTTP status; errors in resolvers carry the code
of their ``ClaimgraphError``. Anything else is unexpected: it is masked as
``INTERNAL_SERVER_ERROR`` and its details go to the server log, not to the client.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from graphql import GraphQLError

from claimgraph.schema.errors import ClaimgraphError

log = logging.getLogger("claimgraph.api")

BAD_REQUEST = "BAD_REQUEST"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
UNAUTHENTICATED = "UNAUTHENTICATED"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
OPERATION_NOT_SUPPORTED = "OPERATION_NOT_SUPPORTED"
TOO_COMPLEX = "QUERY_TOO_COMPLEX"
BAD_USER_INPUT = "BAD_USER_INPUT"
DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
INTERNAL = "INTERNAL_SERVER_ERROR"

INTERNAL_MESSAGE = "Internal server error (details are in the server log)."


class RequestError(Exception):
    """A request that is not executed at all. ``status`` is the HTTP status; ``None``
    means "a GraphQL request error": 200 for ``application/json`` clients, 400 for
    ``application/graphql-response+json`` ones (GraphQL over HTTP)."""

    def __init__(self, code: str, message: str, status: int | None = None,
                 errors: Sequence[GraphQLError] = (), headers: dict[str, str] | None = None):
        super().__init__(message)
        self.code, self.status, self.headers = code, status, headers or {}
        self.errors = list(errors) or [GraphQLError(message)]

    def formatted(self) -> list[dict]:
        """The errors with this request's code (their messages are the server's own)."""
        return [{**e.formatted, "extensions": {**(e.extensions or {}), "code": self.code}} for e in self.errors]


class DeadlineExceeded(ClaimgraphError):
    """The request ran past its deadline and was stopped."""

    code = DEADLINE_EXCEEDED


def as_request_error(error: Exception) -> RequestError:
    """Any error that ends a request, as the request error to answer with; anything
    unexpected is logged and masked."""
    if isinstance(error, RequestError):
        return error
    if isinstance(error, DeadlineExceeded):
        return RequestError(DEADLINE_EXCEEDED, str(error), 503)
    log.error("unexpected error in a request", exc_info=error)
    return RequestError(INTERNAL, INTERNAL_MESSAGE, 500)


def bad_request(message: str) -> RequestError:
    return RequestError(BAD_REQUEST, message, 400)


def error_code(error: GraphQLError) -> str:
    """The code of an error raised during execution: its own ``extensions.code``, or
    that of the ``ClaimgraphError`` behind it; anything else is internal."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if isinstance(error.original_error, ClaimgraphError):
        return error.original_error.code
    return INTERNAL


def format_error(error: GraphQLError, code: str | None = None) -> dict:
    code = code or error_code(error)
    formatted: dict = dict(error.formatted)
    if code == INTERNAL:
        log.error("%s", error.message, exc_info=error.original_error or error)
        formatted = {k: v for k, v in formatted.items() if k in ("locations", "path")}
        formatted["message"] = INTERNAL_MESSAGE
    formatted["extensions"] = {**(formatted.get("extensions") or {}), "code": code}
    return formatted


def format_errors(errors: Iterable[GraphQLError]) -> list[dict]:
    return [format_error(e) for e in errors]


def error_body(code: str, message: str) -> dict:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}
