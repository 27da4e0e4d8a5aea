"""The GraphQL schema (queries on both clocks, mutations through the ingest path, a
subscription to the event log) and the ``Engine`` that runs operations on it within
limits.

Every operation, whatever the transport, goes through the same steps, each bounded
before the next starts:

1. ``prescan``: the document is lexed once (no parse yet) and refused when it has too
   many tokens, nests selections or values too deeply or has too many aliases; the
   token stream also gives the normalized document (no whitespace or comments) that
   keys the caches.
2. parse and validate (memoized per document text, bounded in bytes).
3. ``Cost``: the operation's cost, with fragments expanded, ``first`` multiplied along
   nested connections and filter terms counted from literals and variables alike.
4. variables are coerced, then the operation executes.

``schema/schema.graphql`` is exported from ``build_schema()``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from inspect import isawaitable
from itertools import islice
from typing import Annotated, Any, AsyncGenerator, Optional

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TokenKind,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_composite_type,
    is_list_type,
    parse,
    subscribe,
    validate,
)
from graphql.error import GraphQLSyntaxError
from graphql.execution import ExecutionResult, Executor
from graphql.execution.execute import assume_not_async_iterable, assume_not_awaitable
from graphql.language import Lexer
from graphql.language import Source as Text
from graphql.utilities import value_from_ast_untyped
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from claimgraph.graph import promises
from claimgraph.graph.readmodel import ClaimFilter as RowFilter
from claimgraph.ingest import commands
from claimgraph.schema import model
from claimgraph.schema.errors import NotFoundError

from .context import MAX_FIRST, Context, decode_cursor, encode_cursor, event_position
from .errors import (
    BAD_USER_INPUT,
    OPERATION_NOT_SUPPORTED,
    OPERATION_RESOLUTION_FAILURE,
    PARSE_FAILED,
    TOO_COMPLEX,
    VALIDATION_FAILED,
    RequestError,
)
from .graphql_promises import Slippage, TrackRecord, leaderboard_of, slippage_of, track_record_of
from .graphql_types import (
    ENTITY_TYPES,
    AsOf,
    Claim,
    ClaimFilter,
    ClaimSort,
    Connection,
    Entity,
    EnumNames,
    Event,
    MutationResult,
    Source,
    claim_connection,
    claim_from_row,
    entity_from_row,
    event_from_stored,
    page,
    source_from_row,
)


@strawberry.type
class Query:
    @strawberry.field(description="The position of the newest event in the log.")
    def head(self, info: Info[Context, None]) -> int:
        return info.context.head

    @strawberry.field(description="An entity by id or by name/alias; merged ids lead to the surviving entity.")
    def entity(self, info: Info[Context, None], id: strawberry.ID, as_of: Optional[AsOf] = None) -> Optional[Entity]:
        ctx = info.context
        asof = ctx.asof(as_of)
        target = ctx.read.resolve(id, asof)
        return entity_from_row(ctx.read.entity(target, asof), asof) if target else None

    @strawberry.field(description="Entities in id order; `search` matches a substring of a name, alias or id, "
                                  "taken literally.")
    def entities(self, info: Info[Context, None], kind: Optional[model.Kind] = None, search: Optional[str] = None,
                 first: Optional[int] = None, after: Optional[str] = None,
                 as_of: Optional[AsOf] = None) -> Optional[Connection[Entity]]:
        ctx = info.context
        asof = ctx.asof(as_of)
        n = ctx.first(first)
        start = decode_cursor(after, "e", 1)[0] if after is not None else None
        rows, total = ctx.read.entities(kind.value if kind else None, search, asof, limit=n + 1, after=start)
        return page(rows, n, lambda r: encode_cursor("e", r.id), lambda r: entity_from_row(r, asof),
                    lambda: total, has_previous=after is not None)

    @strawberry.field
    def claim(self, info: Info[Context, None], id: strawberry.ID, as_of: Optional[AsOf] = None) -> Optional[Claim]:
        ctx = info.context
        asof = ctx.asof(as_of)
        row = ctx.read.claim(id, asof, at=ctx.today)
        return claim_from_row(row, asof, ctx) if row else None

    @strawberry.field
    def claims(self, info: Info[Context, None], filter: Optional[ClaimFilter] = None, first: Optional[int] = None,
               after: Optional[str] = None, as_of: Optional[AsOf] = None,
               sort: ClaimSort = ClaimSort.STATED_ASC) -> Optional[Connection[Claim]]:
        ctx = info.context
        return claim_connection(ctx, filter.to_row_filter() if filter else RowFilter(), ctx.asof(as_of),
                                first, after, sort)

    @strawberry.field(description="Claims by or about an entity, in stated order.")
    def timeline(self, info: Info[Context, None], entity: strawberry.ID, first: Optional[int] = None,
                 after: Optional[str] = None, as_of: Optional[AsOf] = None) -> Optional[Connection[Claim]]:
        ctx = info.context
        return claim_connection(ctx, RowFilter(mentions=entity), ctx.asof(as_of), first, after)

    @strawberry.field
    def source(self, info: Info[Context, None], id: strawberry.ID,
               as_of: Optional[AsOf] = None) -> Optional[Source]:
        ctx = info.context
        return source_from_row(ctx.read.sources_by_id([id], ctx.asof(as_of))[id])

    @strawberry.field
    def sources(self, info: Info[Context, None], first: Optional[int] = None, after: Optional[str] = None,
                as_of: Optional[AsOf] = None) -> Optional[Connection[Source]]:
        ctx = info.context
        n = ctx.first(first)
        start = decode_cursor(after, "s", 1)[0] if after is not None else None
        rows, total = ctx.read.sources(ctx.asof(as_of), limit=n + 1, after=start)
        return page(rows, n, lambda r: encode_cursor("s", r["id"]), source_from_row, lambda: total,
                    has_previous=after is not None)

    @strawberry.field(description="A claimant's promises by status. A promise is a claim stated as promised, "
                                  "planned or predicted, or any claim with a due date that is not a denial. "
                                  "Null (with a NOT_FOUND error) for an unknown claimant.")
    def track_record(self, info: Info[Context, None], claimant: strawberry.ID, as_of: Optional[AsOf] = None,
                     at: Optional[dt.date] = None) -> Optional[TrackRecord]:
        ctx = info.context
        asof = ctx.asof(as_of)
        target = ctx.read.resolve(claimant, asof)
        if target is None:
            raise NotFoundError(f"no entity {claimant[:100]!r}")
        return track_record_of(ctx, promises.track_record(ctx.read, target, asof=asof, at=at or ctx.today), asof)

    @strawberry.field(description="How a promise about a subject was revised (the revision chain of its "
                                  "`predicate` promises) and how late it was delivered. Null (with a NOT_FOUND "
                                  "error) for an unknown subject.")
    def slippage(self, info: Info[Context, None], subject: strawberry.ID, predicate: str = "release",
                 as_of: Optional[AsOf] = None, at: Optional[dt.date] = None) -> Optional[Slippage]:
        ctx = info.context
        asof = ctx.asof(as_of)
        target = ctx.read.resolve(subject, asof)
        if target is None:
            raise NotFoundError(f"no entity {subject[:100]!r}")
        return slippage_of(ctx, target, predicate[:80], asof, at or ctx.today)

    @strawberry.field(description="Who keeps their word: claimants with at least `minSettled` settled promises, "
                                  "the best kept rate first (then more settled, then less delay).")
    def leaderboard(self, info: Info[Context, None], min_settled: int = 3, first: int = 20,
                    as_of: Optional[AsOf] = None, at: Optional[dt.date] = None) -> list[TrackRecord]:
        ctx = info.context
        return leaderboard_of(ctx, min_settled, first, ctx.asof(as_of), at or ctx.today)

    @strawberry.field(description="The event log, oldest first. An event's cursor is its log position: "
                                  "`after: \"0\"` starts at the beginning, `after: \"42\"` after event 42.")
    def events(self, info: Info[Context, None], after: Optional[str] = None,
               first: Optional[int] = None) -> Optional[Connection[Event]]:
        ctx = info.context
        n = ctx.first(first)
        position = event_position(after, 0)
        stored = list(islice(ctx.log.read(after=position, upto=ctx.head, batch=n + 1), n + 1)) if n else []
        return page(stored, n, lambda e: str(e.seq), lambda e: event_from_stored(e, ctx.max_text),
                    lambda: ctx.head, has_previous=position > 0)


@strawberry.input
class ObjectInput:
    entity: Optional[strawberry.ID] = None
    date: Optional[str] = None
    value: Optional[float] = None
    unit: Optional[str] = None
    text: Optional[str] = None


@strawberry.input(description="A known source by id, or a new one with its full text.")
class SourceInput:
    id: Optional[strawberry.ID] = None
    text: Optional[str] = None
    url: Optional[str] = None
    title: Optional[str] = None
    publisher: Optional[str] = None
    published: Optional[str] = None
    language: Optional[str] = None


@strawberry.input
class RecordClaimInput:
    claimant: strawberry.ID
    stated: str
    channel: model.Channel
    subject: strawberry.ID
    predicate: str
    modality: model.Modality
    quote: str
    source: SourceInput
    object: Optional[ObjectInput] = None
    quantity: Optional[float] = None
    unit: Optional[str] = None
    due: Optional[str] = None
    language: Optional[str] = None
    confidence: Optional[float] = None


@strawberry.input
class ResolveInput:
    subject: strawberry.ID
    predicate: str
    verdict: model.Verdict
    known: str
    quote: str
    source: SourceInput
    object: Optional[ObjectInput] = None
    due: Optional[str] = None
    quantity: Optional[float] = None


@strawberry.enum
class DocumentFormat(Enum):
    YAML = "yaml"
    JSON = "json"


def _clean(obj) -> dict:
    """An input object as plain data for the ingest commands: no nulls, enum values."""
    data = strawberry.asdict(obj) if not isinstance(obj, dict) else obj
    out = {}
    for k, v in data.items():
        if v is None:
            continue
        out[k] = v.value if isinstance(v, Enum) else _clean(v) if isinstance(v, dict) else v
    return out


def _result(ctx: Context, r, claim=None, entity=None) -> MutationResult:
    ctx.head = ctx.writer().head()
    return MutationResult(appended=r.appended, duplicates=r.duplicates, seq=r.first_seq, head=ctx.head,
                          claim=claim, entity=entity)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Record one claim (needs a bearer token).")
    def record_claim(self, info: Info[Context, None], input: RecordClaimInput) -> MutationResult:
        ctx = info.context
        actor = ctx.require_actor()
        data = _clean(input)
        source = data.pop("source")
        r = commands.record_claim(ctx.writer(), data, source, actor=actor)
        row = ctx.read.claim(r.claim_ids[0], at=ctx.today) if r.claim_ids else None
        return _result(ctx, r, claim=claim_from_row(row, None) if row else None)

    @strawberry.mutation(description="Withdraw a claim recorded in error (needs a bearer token).")
    def retract_claim(self, info: Info[Context, None], id: strawberry.ID, reason: str) -> MutationResult:
        ctx = info.context
        return _result(ctx, commands.retract_claim(ctx.writer(), id, reason, actor=ctx.require_actor()))

    @strawberry.mutation(description="Withdraw a resolution recorded in error (needs a bearer token).")
    def retract_resolution(self, info: Info[Context, None], id: strawberry.ID, reason: str) -> MutationResult:
        ctx = info.context
        return _result(ctx, commands.retract_resolution(ctx.writer(), id, reason, actor=ctx.require_actor()))

    @strawberry.mutation(description="Record later evidence about a claimed proposition (needs a bearer token).")
    def resolve_proposition(self, info: Info[Context, None], input: ResolveInput) -> MutationResult:
        ctx = info.context
        actor = ctx.require_actor()
        data = _clean(input)
        source = data.pop("source")
        return _result(ctx, commands.resolve_proposition(ctx.writer(), data, source, actor=actor))

    @strawberry.mutation(description="Declare two entities the same; `from` then redirects to `into` "
                                     "(needs a bearer token).")
    def merge_entities(self, info: Info[Context, None],
                       from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
                       into: strawberry.ID) -> MutationResult:
        ctx = info.context
        r = commands.merge_entities(ctx.writer(), from_, into, actor=ctx.require_actor())
        target = ctx.read.resolve(into)
        return _result(ctx, r, entity=entity_from_row(ctx.read.entity(target), None) if target else None)

    @strawberry.mutation(description="Ingest a claim file given as text; its source text inline or as sourceText "
                                     "(needs a bearer token).")
    def ingest_document(self, info: Info[Context, None], content: str, format: DocumentFormat = DocumentFormat.YAML,
                        source_text: Optional[str] = None) -> MutationResult:
        ctx = info.context
        r = commands.ingest_text(ctx.writer(), content, fmt=format.value, source_text=source_text,
                                 actor=ctx.require_actor(), name="ingestDocument")
        return _result(ctx, r)


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Events as they are appended (by any process) after a position: an event "
                                         "cursor, i.e. a log position such as \"0\" (default: the current head).")
    async def events(self, info: Info[Context, None], after: Optional[str] = None) -> AsyncGenerator[Event, None]:
        ctx = info.context
        position = event_position(after, ctx.head)
        if ctx.follow is None:
            raise NotFoundError("subscriptions are served over WebSocket (graphql-transport-ws)")
        return _events(ctx.follow(position), ctx.max_text)


async def _events(batches: AsyncIterator[list], max_text: int) -> AsyncGenerator[Event, None]:
    async for batch in batches:
        for e in batch:
            yield event_from_stored(e, max_text)


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription, types=ENTITY_TYPES,
                             config=StrawberryConfig(name_converter=EnumNames()))


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
    workers: int = _limit(4, "threads running requests; a quarter as many more run the costliest, one at a time "
                             "by default")
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


# -- step 1: the pre-scan ------------------------------------------------------------

#: names whose answers depend on today's date (statuses, overdue counts)
DATED_NAMES = frozenset({"status", "overdue", "pending", "trackRecord", "ClaimFilter", "Status", "slippage",
                         "leaderboard"})
#: deepest nesting of brackets in argument values (keeps the parser's recursion shallow)
MAX_VALUE_NESTING = 32
_OPENERS = {TokenKind.BRACE_L: "}", TokenKind.PAREN_L: ")", TokenKind.BRACKET_L: "]"}
_CLOSERS = {TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R}


def too_complex(message: str) -> RequestError:
    return RequestError(TOO_COMPLEX, message)


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


# -- step 3: the cost ------------------------------------------------------------------

COST_CONNECTION = 10   # a list page: one query for the page, one for totalCount
COST_TERM = 5          # each filter term
COST_SCAN = 4000       # a `text` or `status` term of a claims list not narrowed by claimant/subject/mentions
COST_TEXT = 16         # Source.text and Event.data: up to a whole text slice each
COST_INTROSPECTION = 100
#: assumed sizes of plain lists of objects (connections use their `first`)
LIST_SIZES = {("TrackRecord", "claims"): 100, ("Claim", "history"): 10, ("Claim", "resolutions"): 5,
              ("Query", "leaderboard"): 20, ("Slippage", "revisions"): 20}
#: fields that read more than their selection shows: the leaderboard reads every promise,
#: a revision chain a subject's promises and their camp
FIXED_COSTS = {("Query", "leaderboard"): COST_SCAN, ("Query", "slippage"): 2 * COST_CONNECTION}
DEFAULT_LIST_SIZE = 10
LARGE_FIELDS = {("Source", "text"), ("Event", "data")}
SCOPED_LISTS = {"claimsMade", "claimsAbout", "timeline"}
NARROWING_TERMS = {"claimant", "subject", "mentions"}
EXPENSIVE_TERMS = {"text", "status"}


class Cost:
    """The cost of one operation of a validated document, for given raw variables:

    - every field selected costs 1 (``__schema``/``__type`` cost 100 in all);
    - a connection (and ``trackRecord``) adds 10, plus 5 per filter term; each ``text``
      or ``status`` term of a claims list not narrowed by ``claimant``, ``subject`` or
      ``mentions`` adds 4000 (it reads every claim);
    - what is selected under a connection's ``edges`` counts ``first`` times (default 20);
      under other lists of objects 10 times (``trackRecord.claims`` 100, ``history`` 10,
      ``resolutions`` 5);
    - ``Source.text`` and ``Event.data`` add 16 (up to a whole text slice);
    - ``leaderboard`` adds 4000 (it reads every promise), ``slippage`` 20.

    It also measures the depth with fragments expanded. Fragments are costed once per
    ``first`` they are used with, so nesting them cannot make this slow."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any], limits: Limits):
        self.schema, self.variables, self.limits = schema, dict(variables), limits
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.memo: dict[tuple[str, int | None], tuple[int, int]] = {}
        self.dynamic = False  # whether the cost depends on the variables

    def operation(self, op: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(op.operation)
        cost, depth = self.selections(op.selection_set, root, None)
        self._check(cost, depth)
        return cost

    def _check(self, cost: int, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise too_complex(f"selections are nested deeper than {self.limits.max_depth} (fragments expanded)")
        if cost > self.limits.max_cost:
            raise too_complex(f"the operation would cost {cost}, more than {self.limits.max_cost} "
                              "(fewer or smaller pages, or narrower filters, cost less)")

    def selections(self, node: SelectionSetNode | None, parent, first: int | None) -> tuple[int, int]:
        cost = depth = 0
        for sel in node.selections if node else ():
            if isinstance(sel, FieldNode):
                c, d = self.field(sel, parent, first)
            elif isinstance(sel, InlineFragmentNode):
                target = self.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                c, d = self.selections(sel.selection_set, target, first)
            elif isinstance(sel, FragmentSpreadNode):
                c, d = self.fragment(sel, first)
            else:
                continue
            cost, depth = cost + c, max(depth, d)
            self._check(cost, depth)
        return cost, depth

    def fragment(self, spread: FragmentSpreadNode, first: int | None) -> tuple[int, int]:
        key = (spread.name.value, first)
        if key not in self.memo:
            self.memo[key] = (0, 0)  # a cycle (refused by validation anyway) costs nothing more
            fragment = self.fragments.get(spread.name.value)
            if fragment is not None:
                target = self.schema.get_type(fragment.type_condition.name.value)
                self.memo[key] = self.selections(fragment.selection_set, target, first)
        return self.memo[key]

    def field(self, node: FieldNode, parent, first: int | None) -> tuple[int, int]:
        name = node.name.value
        if name.startswith("__"):
            return (COST_INTROSPECTION if name in ("__schema", "__type") else 1), 0
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:
            return 1, 1
        named = get_named_type(definition.type)
        cost, times, child_first = 1, 1, None
        if name == "edges" and first is not None:
            times = first
        elif is_list_type(get_nullable_type(definition.type)) and is_composite_type(named):
            times = LIST_SIZES.get((parent.name, name), DEFAULT_LIST_SIZE)
        if named.name.endswith("Connection") or name == "trackRecord":
            child_first = self.first(node)
            cost += self.connection(node, name)
        if (parent.name, name) in LARGE_FIELDS:
            cost += COST_TEXT
        cost += FIXED_COSTS.get((parent.name, name), 0)
        if node.selection_set is None:
            return cost, 1
        child_cost, child_depth = self.selections(node.selection_set, named, child_first)
        return cost + times * child_cost, child_depth + 1

    def arguments(self, node: FieldNode) -> dict[str, Any]:
        """The field's arguments as plain data (variables filled in); notes whether any
        variable was read, since then the cost holds for these variables only."""
        args = {}
        for a in node.arguments or ():
            self.dynamic = self.dynamic or _has_variable(a.value)
            args[a.name.value] = value_from_ast_untyped(a.value, self.variables)
        return args

    def first(self, node: FieldNode) -> int:
        value = self.arguments(node).get("first")
        if value is None:
            return 20
        return value if isinstance(value, int) and 0 <= value <= MAX_FIRST else MAX_FIRST

    def connection(self, node: FieldNode, name: str) -> int:
        args = self.arguments(node)
        terms, expensive, narrowed = filter_terms(args.get("filter"), self.limits)
        if args.get("search") is not None:
            terms += 1
        scoped = narrowed or name in SCOPED_LISTS or name != "claims"
        return COST_CONNECTION + COST_TERM * terms + (COST_TERM if scoped else COST_SCAN) * expensive


def _has_variable(node: ValueNode) -> bool:
    todo = [node]
    while todo:
        value = todo.pop()
        if isinstance(value, VariableNode):
            return True
        if isinstance(value, ListValueNode):
            todo.extend(value.values)
        elif isinstance(value, ObjectValueNode):
            todo.extend(f.value for f in value.fields)
    return False


def filter_terms(value: Any, limits: Limits) -> tuple[int, int, bool]:
    """(terms, expensive terms, narrowed by an indexed field at the top) of a claim
    filter given as plain data (literal and variables merged). Walks iteratively and
    refuses a filter over the breadth or depth limits before anything else reads it."""
    terms = expensive = visited = 0
    narrowed = isinstance(value, Mapping) and any(value.get(k) is not None for k in NARROWING_TERMS)
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        visited += 1
        if depth > limits.max_filter_depth:
            raise too_complex(f"a claim filter nests AND/OR deeper than {limits.max_filter_depth}")
        if isinstance(item, list):
            todo.extend((x, depth) for x in item)
        elif isinstance(item, Mapping):
            for key, x in item.items():
                if key in ("AND", "OR"):
                    todo.append((x, depth + 1))
                elif x is not None:
                    terms += 1
                    expensive += key in EXPENSIVE_TERMS
        if terms > limits.max_filter_terms or visited > 4 * limits.max_filter_terms + 16:
            raise too_complex(f"a claim filter has more than {limits.max_filter_terms} terms")
    return terms, expensive, narrowed


def nesting(value: Any, limit: int) -> bool:
    """Whether plain data nests deeper than ``limit`` (iteratively)."""
    todo = [(value, 0)]
    while todo:
        item, depth = todo.pop()
        if depth > limit:
            return True
        if isinstance(item, Mapping):
            todo.extend((x, depth + 1) for x in item.values())
        elif isinstance(item, list):
            todo.extend((x, depth + 1) for x in item)
    return False


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

