"""One error shape for every GraphQL response: ``{message, locations, path,
extensions: {code}}`` with a stable code. Unexpected exceptions are masked (their
details go to the log, not to the client)."""
from __future__ import annotations

import logging
import re

from graphql import GraphQLError

from claimgraph.schema.errors import ClaimgraphError

log = logging.getLogger("claimgraph.api")

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
TOO_COMPLEX = "QUERY_TOO_COMPLEX"
BAD_USER_INPUT = "BAD_USER_INPUT"
INTERNAL = "INTERNAL_SERVER_ERROR"

_LIMITS = re.compile(r"exceeds maximum operation depth|aliases found|more than \d+ tokens", re.I)


def error_code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, ClaimgraphError):
        return original.code
    if original is not None and not isinstance(original, GraphQLError):
        return INTERNAL
    message = error.message
    if _LIMITS.search(message):
        return TOO_COMPLEX
    if message.startswith("Syntax Error"):
        return PARSE_FAILED
    if message.startswith("Variable '$") or "got invalid value" in message:
        return BAD_USER_INPUT
    return VALIDATION_FAILED


def format_error(error: GraphQLError) -> dict:
    code = error_code(error)
    formatted = error.formatted
    if code == INTERNAL:
        formatted = {k: v for k, v in formatted.items() if k in ("locations", "path")}
        formatted["message"] = "Internal server error (details are in the server log)."
    formatted["extensions"] = {**(formatted.get("extensions") or {}), "code": code}
    return formatted


def format_result(result) -> dict:
    out: dict = {"data": result.data}
    if result.errors:
        out["errors"] = [format_error(e) for e in result.errors]
    return out
