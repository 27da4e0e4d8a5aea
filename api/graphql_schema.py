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

import datetime as dt
from collections.abc import AsyncIterator
from enum import Enum
from itertools import islice
from typing import Annotated, AsyncGenerator, Optional

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from claimgraph.graph import promises
from claimgraph.graph.readmodel import ClaimFilter as RowFilter
from claimgraph.ingest import commands
from claimgraph.schema import model
from claimgraph.schema.errors import NotFoundError

from .context import Context, decode_cursor, encode_cursor, event_position
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
