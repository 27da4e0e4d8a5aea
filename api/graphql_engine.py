"""The engine every GraphQL operation goes through, whatever the transport: a lexer-only
pre-scan (size, tokens, depth, aliases, value nesting) that also gives a normalized
document for the cache key, parsing and validation remembered per document, the cost
check (``graphql_cost``) and execution, all within the limits of ``graphql_limits``."""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from inspect import isawaitable
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    GraphQLSchema,
    OperationDefinitionNode,
    TokenKind,
    get_operation_ast,
    parse,
    subscribe,
    validate,
)
from graphql.error import GraphQLSyntaxError
from graphql.execution import ExecutionResult, Executor
from graphql.execution.execute import assume_not_async_iterable, assume_not_awaitable
from graphql.language import Lexer
from graphql.language import Source as Text

from .context import Context
from .errors import (
    BAD_USER_INPUT,
    OPERATION_NOT_SUPPORTED,
    OPERATION_RESOLUTION_FAILURE,
    PARSE_FAILED,
    VALIDATION_FAILED,
    RequestError,
)
from .graphql_cost import Cost, nesting
from .graphql_limits import Limits, too_complex

# -- step 1: the pre-scan ------------------------------------------------------------

#: names whose answers depend on today's date (statuses, overdue counts)
DATED_NAMES = frozenset({"status", "overdue", "pending", "trackRecord", "ClaimFilter", "Status", "slippage",
                         "leaderboard"})
#: deepest nesting of brackets in argument values (keeps the parser's recursion shallow)
MAX_VALUE_NESTING = 32
_OPENERS = {TokenKind.BRACE_L: "}", TokenKind.PAREN_L: ")", TokenKind.BRACKET_L: "]"}
_CLOSERS = {TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R}


@dataclass
class Scan:
    normalized: str
    tokens: int
    dated: bool


def prescan(query: str, limits: Limits) -> Scan:
    """Lex ``query`` once, refusing it as soon as a limit is passed (before any parse).
    A ``{`` opens a selection set unless it is inside an argument value; a name
    followed by ``:`` directly in a selection set is an alias."""
    lexer = Lexer(Text(query))
    parts: list[str] = []
    stack: list[str] = []  # "s": selection set, "v": inside a value or argument list
    depth = aliases = 0
    dated, previous = False, None
    while (token := lexer.advance()).kind != TokenKind.EOF:
        kind = token.kind
        if len(parts) >= limits.max_tokens:
            raise too_complex(f"the document has more than {limits.max_tokens} tokens")
        if kind in _OPENERS:
            stack.append("s" if kind == TokenKind.BRACE_L and (not stack or stack[-1] == "s") else "v")
            depth += stack[-1] == "s"
            _check_nesting(stack, depth, limits)
        elif kind in _CLOSERS and stack:
            depth -= stack.pop() == "s"
        elif kind == TokenKind.COLON and previous == TokenKind.NAME and stack and stack[-1] == "s":
            aliases += 1
            if aliases > limits.max_aliases:
                raise too_complex(f"the document has more than {limits.max_aliases} aliases")
        elif kind == TokenKind.NAME and token.value in DATED_NAMES:
            dated = True
        parts.append(_token_text(token))
        previous = kind
    return Scan(" ".join(parts), len(parts), dated)


def _check_nesting(stack: list[str], depth: int, limits: Limits) -> None:
    if depth > limits.max_depth:
        raise too_complex(f"selections are nested deeper than {limits.max_depth}")
    if len(stack) - depth > MAX_VALUE_NESTING:
        raise too_complex(f"values are nested deeper than {MAX_VALUE_NESTING}")


def _token_text(token) -> str:
    if token.kind in (TokenKind.STRING, TokenKind.BLOCK_STRING):
        return _quote(token.value)
    return token.value if token.value is not None else token.kind.value


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# -- step 2: parse and validate, memoized -------------------------------------------

@dataclass
class Prepared:
    """A document read once: parsed and validated, or the request error it gives."""
    query: str
    document: DocumentNode | None = None
    digest: bytes = b""  # of the normalized document: the same for every spelling
    dated: bool = False
    error: RequestError | None = None
    operations: dict[str | None, OperationDefinitionNode] = field(default_factory=dict)

    @property
    def doc(self) -> DocumentNode:
        """The parsed document (only asked for once it is known to be there)."""
        assert self.document is not None, "a document that failed has no operations"
        return self.document
    costs: dict[str | None, int] = field(default_factory=dict)  # by operation name, when not variable


class DocumentMemo:
    """Prepared documents by their text, least recently used dropped first, bounded
    by the total length of the texts (the parsed form is a small multiple of it)."""

    def __init__(self, max_chars: int):
        self.max_chars, self.chars = max_chars, 0
        self.entries: OrderedDict[str, Prepared] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, query: str) -> Prepared | None:
        with self.lock:
            found = self.entries.get(query)
            if found is not None:
                self.entries.move_to_end(query)
            return found

    def put(self, prepared: Prepared) -> None:
        size = len(prepared.query)
        if size > self.max_chars // 4:
            return
        with self.lock:
            if prepared.query in self.entries:
                return
            self.entries[prepared.query] = prepared
            self.chars += size
            while self.chars > self.max_chars:
                _, old = self.entries.popitem(last=False)
                self.chars -= len(old.query)


# -- the engine ----------------------------------------------------------------------

MAX_VARIABLE_NESTING = 32


class Engine:
    """Runs operations on the schema within ``limits``; transports call its steps."""

    def __init__(self, schema: strawberry.Schema, limits: Limits):
        self.schema, self.limits = schema, limits
        self.graphql: GraphQLSchema = schema._schema
        self.memo = DocumentMemo(max(limits.max_body_bytes * 4, 4 << 20))

    # step 1 and 2
    def known(self, query: str) -> Prepared | None:
        return self.memo.get(query)

    def document(self, query: str) -> Prepared:
        """``query`` pre-scanned, parsed and validated (memoized, failures included)."""
        prepared = self.memo.get(query)
        if prepared is None:
            prepared = self._prepare(query)
            self.memo.put(prepared)
        return prepared

    def _prepare(self, query: str) -> Prepared:
        prepared = Prepared(query)
        try:
            scan = prescan(query, self.limits)
            prepared.digest = hashlib.sha256(scan.normalized.encode("utf-8", "surrogatepass")).digest()
            prepared.dated = scan.dated
            document = parse(query, max_tokens=self.limits.max_tokens)
        except GraphQLSyntaxError as e:
            prepared.error = RequestError(PARSE_FAILED, e.message, errors=[e])
            return prepared
        except RequestError as e:
            prepared.error = e
            return prepared
        errors = validate(self.graphql, document)
        if errors:
            prepared.error = RequestError(VALIDATION_FAILED, errors[0].message, errors=errors)
            return prepared
        prepared.document = document
        return prepared

    def operation(self, prepared: Prepared, name: str | None) -> OperationDefinitionNode:
        """The operation to run, or ``OPERATION_RESOLUTION_FAILURE``."""
        if prepared.error is not None:
            raise prepared.error
        found = prepared.operations.get(name)
        if found is None:
            found = get_operation_ast(prepared.doc, name)
            if found is None:
                raise RequestError(OPERATION_RESOLUTION_FAILURE,
                                   f"no operation named {name[:100]!r} in the document" if name else
                                   "the document has several operations: say which with operationName")
            prepared.operations[name] = found
        return found

    # step 3
    def cost(self, prepared: Prepared, op: OperationDefinitionNode, variables: Mapping[str, Any] | None) -> int:
        if variables and nesting(variables, MAX_VARIABLE_NESTING):
            raise too_complex(f"the variables nest deeper than {MAX_VARIABLE_NESTING}")
        known = prepared.costs.get(_name(op))
        if known is not None:
            return known
        cost = Cost(self.graphql, prepared.doc, variables or {}, self.limits)
        value = cost.operation(op)
        if not cost.dynamic:  # the same for any variables: remembered with the document
            prepared.costs[_name(op)] = value
        return value

    # step 4
    def execute(self, prepared: Prepared, op: OperationDefinitionNode, variables: Mapping[str, Any] | None,
                ctx: Context) -> ExecutionResult:
        executor = Executor.build(self.graphql, prepared.doc, None, ctx, dict(variables or {}),
                                  _name(op), is_awaitable=assume_not_awaitable,
                                  is_async_iterable=assume_not_async_iterable)
        if isinstance(executor, list):
            raise RequestError(BAD_USER_INPUT, executor[0].message, errors=executor)
        return executor.execute_operation()  # type: ignore[return-value]

    async def subscribe(self, prepared: Prepared, op: OperationDefinitionNode, variables: Mapping[str, Any] | None,
                        ctx: Context) -> AsyncIterator[ExecutionResult] | ExecutionResult:
        check = Executor.build(self.graphql, prepared.doc, None, ctx, dict(variables or {}), _name(op))
        if isinstance(check, list):
            raise RequestError(BAD_USER_INPUT, check[0].message, errors=check)
        result = subscribe(self.graphql, prepared.doc, None, ctx, dict(variables or {}), _name(op))
        return await result if isawaitable(result) else result

    def run(self, ctx: Context, query: str, variables: Mapping[str, Any] | None = None,
            operation_name: str | None = None) -> dict:
        """Every step in this thread, for the command line and tests: the formatted
        result (request errors have no ``data``)."""
        from .errors import format_errors
        try:
            prepared = self.document(query)
            op = self.operation(prepared, operation_name)
            if op.operation.value == "subscription":
                raise RequestError(OPERATION_NOT_SUPPORTED, "subscriptions are served over WebSocket by `serve`")
            self.cost(prepared, op, variables)
            result = self.execute(prepared, op, variables, ctx)
        except RequestError as e:
            return {"errors": e.formatted()}
        out: dict = {"data": result.data}
        if result.errors:
            out["errors"] = format_errors(result.errors)
        return out


def _name(op: OperationDefinitionNode) -> str | None:
    return op.name.value if op.name else None

