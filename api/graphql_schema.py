"""The GraphQL schema: queries on both clocks, mutations through the ingest path, and a
subscription to the event log. ``build_schema()`` is the one place it is assembled;
``schema/schema.graphql`` is exported from it."""
from __future__ import annotations

import asyncio
import datetime as dt
from enum import Enum
from typing import Annotated, AsyncGenerator, Optional

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, ParserCache, QueryDepthLimiter, ValidationCache
from strawberry.types import Info

from claimgraph.graph.readmodel import ClaimFilter as RowFilter
from claimgraph.ingest import commands
from claimgraph.schema.errors import InputError, NotFoundError

from .context import Context, decode_cursor, encode_cursor
from .errors import INTERNAL, error_code, log
from .graphql_types import (
    AsOf,
    Channel,
    Claim,
    ClaimConnection,
    ClaimFilter,
    ClaimSort,
    Entity,
    EntityConnection,
    EntityEdge,
    EntityKind,
    Event,
    EventConnection,
    EventEdge,
    Hardware,
    Modality,
    Model,
    MutationResult,
    Organization,
    PageInfo,
    Person,
    Product,
    Source,
    SourceConnection,
    SourceEdge,
    TrackRecord,
    Verdict,
    claim_connection,
    claim_from_row,
    entity_from_row,
    event_from_stored,
    source_from_row,
)

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2000


@strawberry.type
class Query:
    @strawberry.field(description="The position of the newest event in the log.")
    def head(self, info: Info[Context, None]) -> int:
        return info.context.head

    @strawberry.field(description="An entity by id or by name/alias; merged ids lead to the surviving entity.")
    def entity(self, info: Info[Context, None], id: strawberry.ID, as_of: Optional[AsOf] = None) -> Optional[Entity]:
        ctx = info.context
        asof = ctx.asof(as_of)
        target = ctx.store.read.resolve(id, asof)
        return entity_from_row(ctx.store.read.entity(target, asof), asof) if target else None

    @strawberry.field
    def entities(self, info: Info[Context, None], kind: Optional[EntityKind] = None, search: Optional[str] = None,
                 first: Optional[int] = None, after: Optional[str] = None,
                 as_of: Optional[AsOf] = None) -> EntityConnection:
        ctx = info.context
        asof = ctx.asof(as_of)
        n = ctx.first(first)
        start = decode_cursor(after, "e", 1)[0] if after else None
        rows, total = ctx.store.read.entities(kind.value if kind else None, search, asof, limit=n + 1, after=start)
        edges = [EntityEdge(cursor=encode_cursor("e", r.id), node=entity_from_row(r, asof)) for r in rows[:n]]
        return EntityConnection(total_count=total, edges=edges, page_info=PageInfo(
            has_next_page=len(rows) > n, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field
    def claim(self, info: Info[Context, None], id: strawberry.ID, as_of: Optional[AsOf] = None) -> Optional[Claim]:
        ctx = info.context
        asof = ctx.asof(as_of)
        row = ctx.store.read.claim(id, asof)
        return claim_from_row(row, asof, ctx) if row else None

    @strawberry.field
    def claims(self, info: Info[Context, None], filter: Optional[ClaimFilter] = None, first: Optional[int] = None,
               after: Optional[str] = None, as_of: Optional[AsOf] = None,
               sort: ClaimSort = ClaimSort.STATED_ASC) -> ClaimConnection:
        ctx = info.context
        return claim_connection(ctx, filter.to_row_filter() if filter else RowFilter(), ctx.asof(as_of),
                                first, after, sort)

    @strawberry.field(description="Claims by or about an entity, in stated order.")
    def timeline(self, info: Info[Context, None], entity: strawberry.ID, first: Optional[int] = None,
                 after: Optional[str] = None, as_of: Optional[AsOf] = None) -> ClaimConnection:
        ctx = info.context
        return claim_connection(ctx, RowFilter(mentions=entity), ctx.asof(as_of), first, after)

    @strawberry.field
    def source(self, info: Info[Context, None], id: strawberry.ID, as_of: Optional[AsOf] = None) -> Optional[Source]:
        ctx = info.context
        return source_from_row(ctx.store.read.sources_by_id([id], ctx.asof(as_of))[id])

    @strawberry.field
    def sources(self, info: Info[Context, None], first: Optional[int] = None, after: Optional[str] = None,
                as_of: Optional[AsOf] = None) -> SourceConnection:
        ctx = info.context
        n = ctx.first(first)
        start = decode_cursor(after, "s", 1)[0] if after else None
        rows, total = ctx.store.read.sources(ctx.asof(as_of), limit=n + 1, after=start)
        edges = [SourceEdge(cursor=encode_cursor("s", r["id"]), node=source_from_row(r)) for r in rows[:n]]
        return SourceConnection(total_count=total, edges=edges, page_info=PageInfo(
            has_next_page=len(rows) > n, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(description="A claimant's promises by status. A promise is a claim stated as promised, "
                                  "planned or predicted, or any claim with a due date that is not a denial.")
    def track_record(self, info: Info[Context, None], claimant: strawberry.ID, as_of: Optional[AsOf] = None,
                     at: Optional[dt.date] = None) -> TrackRecord:
        ctx = info.context
        asof = ctx.asof(as_of)
        target = ctx.store.read.resolve(claimant, asof)
        if target is None:
            raise NotFoundError(f"no entity {claimant!r}")
        r = ctx.store.read.track_record(target, asof=asof, at=at)
        return TrackRecord(promises=r.promises, kept=r.kept, broken=r.broken, partly_kept=r.partly_kept,
                           withdrawn=r.withdrawn, unresolvable=r.unresolvable, pending=r.pending,
                           overdue=r.overdue, claims=[claim_from_row(c, asof, ctx) for c in r.claims],
                           claimant_id=target, asof=asof)

    @strawberry.field(description="The event log, oldest first, after a position.")
    def events(self, info: Info[Context, None], after: Optional[int] = None, first: Optional[int] = None) -> EventConnection:
        ctx = info.context
        n = ctx.first(first)
        after = after or 0
        if after < 0:
            raise InputError(f"'after' must be 0 or more, got {after}")
        stored = list(ctx.store.log.read(after=after, upto=min(ctx.head, after + n + 1)))
        edges = [EventEdge(cursor=str(e.seq), node=event_from_stored(e)) for e in stored[:n]]
        return EventConnection(total_count=ctx.head, edges=edges, page_info=PageInfo(
            has_next_page=len(stored) > n, end_cursor=edges[-1].cursor if edges else None))


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
    channel: Channel
    subject: strawberry.ID
    predicate: str
    modality: Modality
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
    verdict: Verdict
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
    data = strawberry.asdict(obj) if not isinstance(obj, dict) else obj
    out = {}
    for k, v in data.items():
        if v is None:
            continue
        out[k] = v.value if hasattr(v, "value") and not isinstance(v, (str, int, float)) else v
        if isinstance(v, dict):
            out[k] = _clean(v)
    return out


def _result(ctx: Context, r, claim=None, entity=None) -> MutationResult:
    ctx.head = ctx.store.head()
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
        r = commands.record_claim(ctx.store, data, source, actor=actor)
        row = ctx.store.read.claim(r.claim_ids[0]) if r.claim_ids else None
        return _result(ctx, r, claim=claim_from_row(row, None) if row else None)

    @strawberry.mutation(description="Withdraw a claim recorded in error (needs a bearer token).")
    def retract_claim(self, info: Info[Context, None], id: strawberry.ID, reason: str) -> MutationResult:
        ctx = info.context
        return _result(ctx, commands.retract_claim(ctx.store, id, reason, actor=ctx.require_actor()))

    @strawberry.mutation(description="Withdraw a resolution recorded in error (needs a bearer token).")
    def retract_resolution(self, info: Info[Context, None], id: strawberry.ID, reason: str) -> MutationResult:
        ctx = info.context
        return _result(ctx, commands.retract_resolution(ctx.store, id, reason, actor=ctx.require_actor()))

    @strawberry.mutation(description="Record later evidence about a claimed proposition (needs a bearer token).")
    def resolve_proposition(self, info: Info[Context, None], input: ResolveInput) -> MutationResult:
        ctx = info.context
        actor = ctx.require_actor()
        data = _clean(input)
        source = data.pop("source")
        return _result(ctx, commands.resolve_proposition(ctx.store, data, source, actor=actor))

    @strawberry.mutation(description="Declare two entities the same; `from` then redirects to `into`.")
    def merge_entities(self, info: Info[Context, None],
                       from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
                       into: strawberry.ID) -> MutationResult:
        ctx = info.context
        r = commands.merge_entities(ctx.store, from_, into, actor=ctx.require_actor())
        return _result(ctx, r, entity=entity_from_row(ctx.store.read.entity(ctx.store.read.resolve(into)), None))

    @strawberry.mutation(description="Ingest a claim file given as text; its source text inline or as sourceText.")
    def ingest_document(self, info: Info[Context, None], content: str, format: DocumentFormat = DocumentFormat.YAML,
                        source_text: Optional[str] = None) -> MutationResult:
        ctx = info.context
        r = commands.ingest_text(ctx.store, content, fmt=format.value, source_text=source_text,
                                 actor=ctx.require_actor(), name="ingestDocument")
        return _result(ctx, r)


POLL_SECONDS = 0.2


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Events as they are appended (by any process), from a position on.")
    async def events(self, info: Info[Context, None], after: Optional[int] = None) -> AsyncGenerator[Event, None]:
        ctx = info.context
        if ctx.require_token_for_queries:  # HTTP queries are checked in front; WebSocket here
            ctx.require_actor()
        store = ctx.store
        position = store.head() if after is None else after
        while True:
            batch = list(store.log.read(after=position, batch=500))
            for e in batch:
                yield event_from_stored(e)
                position = e.seq
            if not batch:
                await asyncio.sleep(POLL_SECONDS)


class ClaimgraphSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Only unexpected errors are logged (with their traceback); user errors are not."""
        for error in errors:
            if error_code(error) == INTERNAL:
                log.error("%s", error.message, exc_info=error.original_error)


def build_schema() -> strawberry.Schema:
    # One instance of each for all requests: the limiters' validation rules are then the
    # same objects every time, so ValidationCache can reuse a document's validation.
    shared = [QueryDepthLimiter(max_depth=MAX_DEPTH), MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
              MaxTokensLimiter(max_token_count=MAX_TOKENS), ParserCache(maxsize=512), ValidationCache(maxsize=512)]
    return ClaimgraphSchema(
        query=Query, mutation=Mutation, subscription=Subscription,
        types=[Person, Organization, Model, Hardware, Product],
        extensions=[(lambda ext=ext: ext) for ext in shared])
