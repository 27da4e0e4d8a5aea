"""GraphQL types, each converted from read-model rows in one place.

The enums are the domain's own (``claimgraph.schema.model``), exposed with upper-case
value names; every list of more than a few items is one generic Relay connection."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, Generic, Optional, TypeVar

import strawberry
from strawberry.scalars import JSON
from strawberry.schema.name_converter import NameConverter
from strawberry.types import Info

from claimgraph.graph.readmodel import ClaimFilter as RowFilter
from claimgraph.graph.readmodel import ClaimRow, EntityRow
from claimgraph.schema import model

from .context import BadCursor, Context, decode_cursor, encode_cursor

# The domain enums, registered before any type uses them.
EntityKind = strawberry.enum(model.Kind, name="EntityKind", description="What an entity is.")
Channel = strawberry.enum(model.Channel, description="Where a claim was made.")
Modality = strawberry.enum(model.Modality, description="How a claim was stated.")
Verdict = strawberry.enum(model.Verdict, description="How a proposition turned out.")
Status = strawberry.enum(model.Status, description="A proposition's status at a valid-time date.")


class EnumNames(NameConverter):
    """GraphQL enum values are the domain enum names in upper case (``X_POST``)."""

    def from_enum_value(self, enum, enum_value) -> str:
        return enum_value.name.upper()


@strawberry.enum(description="The order of a list of claims.")
class ClaimSort(Enum):
    STATED_ASC = "stated_asc"
    STATED_DESC = "stated_desc"
    RECORDED_ASC = "recorded_asc"
    RECORDED_DESC = "recorded_desc"


_SORTS = {ClaimSort.STATED_ASC: ("stated", False), ClaimSort.STATED_DESC: ("stated", True),
          ClaimSort.RECORDED_ASC: ("recorded", False), ClaimSort.RECORDED_DESC: ("recorded", True)}


@strawberry.input(description="A recorded-time point: exactly one of a log position or a time.")
class AsOf:
    seq: Optional[int] = None
    time: Optional[dt.datetime] = None


@strawberry.input(description="Claims matching every field given here; `AND`: also every one of these "
                              "filters; `OR`: also at least one of them. `text` matches a substring, taken "
                              "literally (% and _ are plain characters).")
class ClaimFilter:
    claimant: Optional[strawberry.ID] = None
    subject: Optional[strawberry.ID] = None
    mentions: Optional[strawberry.ID] = strawberry.field(default=None, description="claimant, subject or object")
    predicate: Optional[str] = None
    modality: Optional[model.Modality] = None
    status: Optional[model.Status] = strawberry.field(default=None, description="status today")
    channel: Optional[model.Channel] = None
    stated_from: Optional[str] = strawberry.field(default=None, description="partial date, inclusive")
    stated_to: Optional[str] = strawberry.field(default=None, description="partial date, inclusive")
    text: Optional[str] = strawberry.field(default=None, description="in the quote, predicate or object")
    extracted: Optional[bool] = strawberry.field(default=None, description="machine-extracted or not")
    source: Optional[strawberry.ID] = None
    all_of: Optional[list["ClaimFilter"]] = strawberry.field(default=None, name="AND")
    any_of: Optional[list["ClaimFilter"]] = strawberry.field(default=None, name="OR")

    def to_row_filter(self) -> RowFilter:
        return RowFilter(
            claimant=self.claimant, subject=self.subject, mentions=self.mentions, predicate=self.predicate,
            modality=_value(self.modality), status=_value(self.status), channel=_value(self.channel),
            stated_from=self.stated_from, stated_to=self.stated_to, text=self.text, extracted=self.extracted,
            source=self.source,
            all_of=[f.to_row_filter() for f in self.all_of] if self.all_of else None,
            any_of=[f.to_row_filter() for f in self.any_of] if self.any_of else None)


def _value(member: Enum | None) -> str | None:
    return member.value if member is not None else None


# -- Relay connections -------------------------------------------------------------

T = TypeVar("T")
R = TypeVar("R")


@strawberry.type(description="Where a page of a list starts and ends (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="more items follow endCursor (false for an empty page)")
    has_previous_page: bool = strawberry.field(description="the page started after a cursor")
    start_cursor: Optional[str]
    end_cursor: Optional[str]


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], int]]

    @strawberry.field(description="How many items the whole list has (not only this page).")
    def total_count(self) -> int:
        return self.count()


def page(rows: Sequence[R], n: int, cursor: Callable[[R], str], node: Callable[[R], Any],
         count: Callable[[], int], has_previous: bool) -> Connection[Any]:
    """A page of ``n`` items from ``rows`` (which holds up to ``n + 1``: one more says
    that more follow)."""
    edges = [Edge(cursor=cursor(r), node=node(r)) for r in rows[:n]]
    info = PageInfo(has_next_page=len(rows) > n and bool(edges), has_previous_page=has_previous,
                    start_cursor=edges[0].cursor if edges else None, end_cursor=edges[-1].cursor if edges else None)
    return Connection(edges=edges, page_info=info, count=count)


# -- entities ----------------------------------------------------------------------

@strawberry.type
class Label:
    name: str
    language: Optional[str]


@strawberry.type
class ExternalId:
    scheme: str
    value: str


@strawberry.interface(description="A person, organization, AI model, hardware item or product.")
class Entity:
    id: strawberry.ID
    kind: model.Kind
    name: str
    aliases: list[str]
    labels: list[Label] = strawberry.field(description="aliases with their languages")
    external_ids: list[ExternalId]
    merged_ids: list[strawberry.ID] = strawberry.field(description="ids merged into this entity")
    recorded_seq: int
    asof: strawberry.Private[Optional[int]]

    @strawberry.field(description="Claims this entity made (as claimant).")
    def claims_made(self, info: Info[Context, None], first: Optional[int] = None, after: Optional[str] = None,
                    sort: ClaimSort = ClaimSort.STATED_ASC,
                    filter: Optional[ClaimFilter] = None) -> Optional[Connection["Claim"]]:
        return claim_connection(info.context, _scoped(filter, RowFilter(claimant=self.id)), self.asof, first, after, sort)

    @strawberry.field(description="Claims whose subject or object is this entity.")
    def claims_about(self, info: Info[Context, None], first: Optional[int] = None, after: Optional[str] = None,
                     sort: ClaimSort = ClaimSort.STATED_ASC,
                     filter: Optional[ClaimFilter] = None) -> Optional[Connection["Claim"]]:
        return claim_connection(info.context, _scoped(filter, RowFilter(about=self.id)), self.asof, first, after, sort)


def _scoped(given: ClaimFilter | None, scope: RowFilter) -> RowFilter:
    f = given.to_row_filter() if given else RowFilter()
    f.all_of = (f.all_of or []) + [scope]
    return f


@strawberry.type
class Person(Entity):
    pass


@strawberry.type
class Organization(Entity):
    pass


@strawberry.type
class Model(Entity):
    pass


@strawberry.type
class Hardware(Entity):
    pass


@strawberry.type
class Product(Entity):
    pass


ENTITY_TYPES: list[type[Entity]] = [Person, Organization, Model, Hardware, Product]
_ENTITY_TYPES: dict[model.Kind, type[Entity]] = dict(zip(model.Kind, ENTITY_TYPES, strict=True))


def entity_from_row(row: EntityRow | None, asof: int | None) -> Entity | None:
    if row is None:
        return None
    kind = model.Kind(row.kind)
    return _ENTITY_TYPES[kind](
        id=strawberry.ID(row.id), kind=kind, name=row.name, aliases=list(dict.fromkeys(a for a, _ in row.aliases)),
        labels=[Label(name=a, language=lang) for a, lang in row.aliases],
        external_ids=[ExternalId(scheme=k, value=v) for k, v in sorted(row.external_ids.items())],
        merged_ids=[strawberry.ID(m) for m in row.merged_from], recorded_seq=row.seq_from, asof=asof)


# -- sources and evidence ----------------------------------------------------------

@strawberry.type
class Source:
    id: strawberry.ID
    url: Optional[str]
    title: Optional[str]
    publisher: Optional[str]
    published: Optional[str]
    language: Optional[str]
    origin: Optional[str]
    recorded_seq: int

    @strawberry.field(description="The length of the text in characters.")
    def length(self, info: Info[Context, None]) -> int:
        return info.context.source_lengths().get(self.id) or 0

    @strawberry.field(description="The text every quote is checked against, in slices: characters `start` to "
                                  "`start + length` (evidence offsets count the same way). `length` defaults to "
                                  "the rest of the text, and at most the server's slice size (65536 unless "
                                  "configured) is served at once; compare with the source's `length`.")
    def text(self, info: Info[Context, None], start: int = 0, length: Optional[int] = None) -> str:
        ctx = info.context
        if start < 0 or (length is not None and not 0 <= length <= ctx.max_text):
            raise SliceOutOfRange(f"text(start, length) needs start >= 0 and 0 <= length <= {ctx.max_text}, "
                                  f"got start={start}, length={length}")
        return ctx.source_slice(self.id, start, ctx.max_text if length is None else length)


class SliceOutOfRange(BadCursor):
    code = "BAD_USER_INPUT"


def source_from_row(row: dict | None) -> Source | None:
    if row is None:
        return None
    return Source(id=row["id"], url=row["url"], title=row["title"], publisher=row["publisher"],
                  published=row["published"], language=row["language"], origin=row["origin"],
                  recorded_seq=row["seq"])


@strawberry.type
class Evidence:
    quote: str
    language: Optional[str]
    start: int
    end: int
    verified: bool
    source_id: strawberry.Private[str]
    asof: strawberry.Private[Optional[int]]

    @strawberry.field
    def source(self, info: Info[Context, None]) -> Optional[Source]:
        return source_from_row(info.context.sources(self.asof).get(self.source_id))


@strawberry.type
class ClaimObject:
    """A proposition's object: an entity or a typed value."""
    kind: str = strawberry.field(description="entity, date, quantity or text")
    label: str
    date: Optional[str]
    value: Optional[float]
    unit: Optional[str]
    text: Optional[str]
    entity_id: Optional[strawberry.ID]
    asof: strawberry.Private[Optional[int]]

    @strawberry.field
    def entity(self, info: Info[Context, None]) -> Optional[Entity]:
        if self.entity_id is None:
            return None
        return entity_from_row(info.context.entities(self.asof).get(self.entity_id), self.asof)


def object_from_dict(obj: dict | None, asof: int | None) -> ClaimObject | None:
    if not obj:
        return None
    if "entity" in obj:
        kind, label = "entity", obj["entity"]
    elif "date" in obj:
        kind, label = "date", obj["date"]
    elif "value" in obj:
        kind, label = "quantity", f"{obj['value']}{' ' + obj['unit'] if obj.get('unit') else ''}"
    else:
        kind, label = "text", obj.get("text", "")
    return ClaimObject(kind=kind, label=label, date=obj.get("date"), value=obj.get("value"), unit=obj.get("unit"),
                       text=obj.get("text"), entity_id=obj.get("entity"), asof=asof)


# -- events ------------------------------------------------------------------------

@strawberry.type
class Event:
    seq: int
    id: strawberry.ID
    type: str
    version: int
    stream: str
    stream_version: int
    recorded_at: dt.datetime
    actor: str
    reason: Optional[str]
    data: JSON = strawberry.field(description="the event's payload; strings longer than the server's slice size "
                                              "are cut to it and listed in `truncated`")
    truncated: list[str] = strawberry.field(description="JSON Pointers of the strings cut short in `data`")
    hash: str
    prev_hash: str


def event_from_stored(e, max_text: int) -> Event:
    data, truncated = _bounded(e.data, max_text)
    return Event(seq=e.seq, id=strawberry.ID(e.event_id), type=e.type, version=e.version, stream=e.stream_id,
                 stream_version=e.stream_version, recorded_at=_time(e.recorded_at), actor=e.actor,
                 reason=e.reason, data=data, truncated=truncated, hash=e.hash, prev_hash=e.prev_hash)


def _bounded(data: Any, limit: int) -> tuple[Any, list[str]]:
    """``data`` with every string over ``limit`` characters cut to it, and the JSON
    Pointers of those strings. Walks iteratively, so no nesting can exhaust the stack."""
    truncated: list[str] = []
    if not _has_long_string(data, limit):
        return data, truncated
    root: list = [None]
    todo: list[tuple[object, object, object, str]] = [(data, root, 0, "")]
    while todo:
        value, parent, key, pointer = todo.pop()
        if isinstance(value, str) and len(value) > limit:
            value = value[:limit]
            truncated.append(pointer)
        elif isinstance(value, dict):
            copy: dict = {}
            todo.extend((v, copy, k, f"{pointer}/{_escape(str(k))}") for k, v in value.items())
            value = copy
        elif isinstance(value, list):
            items: list = [None] * len(value)
            todo.extend((v, items, i, f"{pointer}/{i}") for i, v in enumerate(value))
            value = items
        parent[key] = value  # type: ignore[index]
    return root[0], sorted(truncated)


def _has_long_string(data: object, limit: int) -> bool:
    todo = [data]
    while todo:
        value = todo.pop()
        if isinstance(value, str) and len(value) > limit:
            return True
        if isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
    return False


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _time(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


# -- claims ------------------------------------------------------------------------

@strawberry.type
class Resolution:
    id: strawberry.ID
    verdict: model.Verdict
    known: str
    recorded_at: dt.datetime
    seq: int
    evidence: Evidence


@strawberry.type
class Claim:
    id: strawberry.ID
    predicate: str
    quantity: Optional[float]
    unit: Optional[str]
    modality: model.Modality
    channel: model.Channel
    stated: str = strawberry.field(description="partial date: 2024, 2024-07 or 2024-07-22")
    due: Optional[str]
    confidence: Optional[float]
    extractor: Optional[str] = strawberry.field(description="set when the claim was machine-extracted")
    actor: str
    recorded_at: dt.datetime
    seq: int
    proposition_id: strawberry.ID
    is_promise: bool
    evidence: Evidence
    object: Optional[ClaimObject]
    claimant_id: strawberry.Private[str]
    subject_id: strawberry.Private[str]
    valid_from: Optional[str] = strawberry.field(description="when the proposition starts to hold (partial date)")
    valid_to: Optional[str] = strawberry.field(description="when the proposition stops holding (partial date)")
    current_status: strawberry.Private[str]
    asof: strawberry.Private[Optional[int]]

    @strawberry.field
    def claimant(self, info: Info[Context, None]) -> Entity:
        return entity_from_row(info.context.entities(self.asof).get(self.claimant_id), self.asof)  # type: ignore[return-value]

    @strawberry.field
    def subject(self, info: Info[Context, None]) -> Entity:
        return entity_from_row(info.context.entities(self.asof).get(self.subject_id), self.asof)  # type: ignore[return-value]

    @strawberry.field(description="Status on the valid-time axis at a date (default: today).")
    def status(self, info: Info[Context, None], at: Optional[dt.date] = None) -> model.Status:
        if at is None:
            return model.Status(self.current_status)
        return model.Status(info.context.statuses(self.asof, at).get(self.proposition_id) or "pending")

    @strawberry.field(description="Resolutions of this claim's proposition.")
    def resolutions(self, info: Info[Context, None]) -> list[Resolution]:
        info.context.check()
        return [Resolution(id=r["id"], verdict=model.Verdict(r["verdict"]), known=r["known"],
                           recorded_at=_time(r["recorded_at"]), seq=r["seq"],
                           evidence=Evidence(quote=r["quote"], language=r["language"], start=r["start"],
                                             end=r["end"], verified=True, source_id=r["source_id"], asof=self.asof))
                for r in info.context.read.resolutions(self.proposition_id, self.asof)]

    @strawberry.field(description="The events behind this claim and its proposition's resolutions.")
    def history(self, info: Info[Context, None]) -> list[Event]:
        ctx = info.context
        ctx.check()
        events = list(ctx.log.stream(self.id))
        for r in ctx.read.resolutions(self.proposition_id):
            events.extend(ctx.log.stream(r["id"]))
        limit = self.asof if self.asof is not None else ctx.head
        return [event_from_stored(e, ctx.max_text) for e in sorted(events, key=lambda e: e.seq) if e.seq <= limit]


def claim_from_row(c: ClaimRow, asof: int | None, ctx: Context | None = None) -> Claim:
    if ctx is not None:  # announce what this claim's fields may ask for (see Context.Batched)
        entities = ctx.entities(asof)
        entities.want(c.claimant)
        entities.want(c.subject)
        if c.object and "entity" in c.object:
            entities.want(c.object["entity"])
        ctx.sources(asof).want(c.source_id)
        ctx.source_lengths().want(c.source_id)
        ctx.batch("propositions", asof, None).wanted.add(c.proposition_id)
    return Claim(
        id=strawberry.ID(c.id), predicate=c.predicate, quantity=c.quantity, unit=c.unit,
        modality=model.Modality(c.modality), channel=model.Channel(c.channel), stated=c.stated, due=c.due,
        confidence=c.confidence, extractor=c.extractor, actor=c.actor, recorded_at=_time(c.recorded_at), seq=c.seq,
        proposition_id=strawberry.ID(c.proposition_id), is_promise=c.is_promise,
        evidence=Evidence(quote=c.quote, language=c.language, start=c.start, end=c.end, verified=c.verified,
                          source_id=c.source_id, asof=asof),
        object=object_from_dict(c.object, asof), claimant_id=c.claimant, subject_id=c.subject,
        valid_from=c.valid_from, valid_to=c.valid_to, current_status=c.status, asof=asof)


def claim_connection(ctx: Context, f: RowFilter, asof: int | None, first: int | None, after: str | None,
                     sort: ClaimSort = ClaimSort.STATED_ASC) -> Connection[Claim]:
    n = ctx.first(first)
    order, descending = _SORTS[sort]
    key = _claim_key(after, order) if after is not None else None
    rows = ctx.read.claims(f, asof=asof, at=ctx.today, limit=n + 1, after=key, order=order,
                           descending=descending) if n else []

    def cursor(r: ClaimRow) -> str:
        return encode_cursor("cs", r.stated, r.seq) if order == "stated" else encode_cursor("cr", r.seq)

    return page(rows, n, cursor, lambda r: claim_from_row(r, asof, ctx),
                lambda: ctx.read.count_claims(f, asof=asof, at=ctx.today), has_previous=after is not None)


def _claim_key(after: str, order: str) -> tuple:
    if order == "stated":
        stated, seq = decode_cursor(after, "cs", 2)
        return stated, _int(seq, after)
    (seq,) = decode_cursor(after, "cr", 1)
    return (_int(seq, after),)


def _int(text: str, cursor: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) < 19):
        raise BadCursor(f"not a cursor of this list: {cursor[:100]!r}")
    return int(text)


@strawberry.type
class MutationResult:
    appended: int = strawberry.field(description="events appended")
    duplicates: int = strawberry.field(description="events already in the log (nothing new)")
    seq: Optional[int] = strawberry.field(description="log position of the first appended event")
    head: int
    claim: Optional[Claim] = None
    entity: Optional[Entity] = None
