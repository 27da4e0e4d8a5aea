"""GraphQL types (written by hand, converted from read-model rows in one place each)."""
from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from claimgraph.graph.readmodel import ClaimFilter as RowFilter
from claimgraph.graph.readmodel import ClaimRow, EntityRow

from .context import Context, decode_cursor, encode_cursor


@strawberry.enum(description="What an entity is.")
class EntityKind(Enum):
    PERSON = "person"
    ORG = "org"
    MODEL = "model"
    HARDWARE = "hardware"
    PRODUCT = "product"


@strawberry.enum
class Channel(Enum):
    X_POST = "x_post"
    PODCAST = "podcast"
    INTERVIEW = "interview"
    KEYNOTE = "keynote"
    BLOG = "blog"
    DOCS = "docs"
    PRESS_RELEASE = "press_release"
    WEBSITE_CODE = "website_code"
    PRESS_REPORT = "press_report"
    LIVESTREAM = "livestream"
    OTHER = "other"


@strawberry.enum
class Modality(Enum):
    ASSERTED = "asserted"
    PROMISED = "promised"
    PLANNED = "planned"
    PREDICTED = "predicted"
    HEDGED = "hedged"
    DENIED = "denied"
    ASPIRED = "aspired"


@strawberry.enum(description="A proposition's status at a valid-time date.")
class Status(Enum):
    PENDING = "pending"
    OVERDUE = "overdue"
    KEPT = "kept"
    BROKEN = "broken"
    PARTLY_KEPT = "partly_kept"
    WITHDRAWN = "withdrawn"
    UNRESOLVABLE = "unresolvable"


@strawberry.enum
class Verdict(Enum):
    KEPT = "kept"
    BROKEN = "broken"
    PARTLY_KEPT = "partly_kept"
    WITHDRAWN = "withdrawn"
    UNRESOLVABLE = "unresolvable"


@strawberry.enum
class ClaimSort(Enum):
    STATED_ASC = "stated_asc"
    STATED_DESC = "stated_desc"
    RECORDED_ASC = "recorded_asc"
    RECORDED_DESC = "recorded_desc"


@strawberry.input(description="A recorded-time point: exactly one of a log position or a time.")
class AsOf:
    seq: Optional[int] = None
    time: Optional[dt.datetime] = None


@strawberry.input(description="Claims matching every given field (and all of allOf, and one of anyOf).")
class ClaimFilter:
    claimant: Optional[strawberry.ID] = None
    subject: Optional[strawberry.ID] = None
    mentions: Optional[strawberry.ID] = strawberry.field(default=None, description="claimant, subject or object")
    predicate: Optional[str] = None
    modality: Optional[Modality] = None
    status: Optional[Status] = None
    channel: Optional[Channel] = None
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
            modality=self.modality.value if self.modality else None,
            status=self.status.value if self.status else None,
            channel=self.channel.value if self.channel else None,
            stated_from=self.stated_from, stated_to=self.stated_to, text=self.text, extracted=self.extracted,
            source=self.source,
            all_of=[f.to_row_filter() for f in self.all_of] if self.all_of else None,
            any_of=[f.to_row_filter() for f in self.any_of] if self.any_of else None)


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: Optional[str]


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
    kind: EntityKind
    name: str
    aliases: list[str]
    labels: list[Label] = strawberry.field(description="aliases with their languages")
    external_ids: list[ExternalId]
    merged_ids: list[strawberry.ID] = strawberry.field(description="ids merged into this entity")
    recorded_seq: int
    asof: strawberry.Private[Optional[int]]

    @strawberry.field(description="Claims this entity made (as claimant).")
    def claims_made(self, info: Info[Context, None], first: Optional[int] = None, after: Optional[str] = None,
                    sort: ClaimSort = ClaimSort.STATED_ASC, filter: Optional[ClaimFilter] = None) -> "ClaimConnection":
        f = filter.to_row_filter() if filter else RowFilter()
        f.all_of = (f.all_of or []) + [RowFilter(claimant=self.id)]
        return claim_connection(info.context, f, self.asof, first, after, sort)

    @strawberry.field(description="Claims whose subject or object is this entity.")
    def claims_about(self, info: Info[Context, None], first: Optional[int] = None, after: Optional[str] = None,
                     sort: ClaimSort = ClaimSort.STATED_ASC, filter: Optional[ClaimFilter] = None) -> "ClaimConnection":
        f = filter.to_row_filter() if filter else RowFilter()
        f.all_of = (f.all_of or []) + [RowFilter(about=self.id)]
        return claim_connection(info.context, f, self.asof, first, after, sort)


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


_ENTITY_TYPES = {"person": Person, "org": Organization, "model": Model, "hardware": Hardware, "product": Product}


def entity_from_row(row: EntityRow | None, asof: int | None) -> Entity | None:
    if row is None:
        return None
    return _ENTITY_TYPES[row.kind](
        id=row.id, kind=EntityKind(row.kind), name=row.name, aliases=list(dict.fromkeys(a for a, _ in row.aliases)),
        labels=[Label(name=a, language=lang) for a, lang in row.aliases],
        external_ids=[ExternalId(scheme=k, value=v) for k, v in sorted(row.external_ids.items())],
        merged_ids=row.merged_from, recorded_seq=row.seq_from, asof=asof)


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

    @strawberry.field(description="The full text every quote is checked against.")
    def text(self, info: Info[Context, None]) -> str:
        return info.context.store.read.source(self.id)["text"]


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
    data: JSON
    hash: str
    prev_hash: str


def event_from_stored(e) -> Event:
    return Event(seq=e.seq, id=e.event_id, type=e.type, version=e.version, stream=e.stream_id,
                 stream_version=e.stream_version, recorded_at=_time(e.recorded_at), actor=e.actor,
                 reason=e.reason, data=e.data, hash=e.hash, prev_hash=e.prev_hash)


def _time(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@strawberry.type
class Resolution:
    id: strawberry.ID
    verdict: Verdict
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
    modality: Modality
    channel: Channel
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
    current_status: strawberry.Private[str]
    asof: strawberry.Private[Optional[int]]

    @strawberry.field
    def claimant(self, info: Info[Context, None]) -> Entity:
        return entity_from_row(info.context.entities(self.asof).get(self.claimant_id), self.asof)

    @strawberry.field
    def subject(self, info: Info[Context, None]) -> Entity:
        return entity_from_row(info.context.entities(self.asof).get(self.subject_id), self.asof)

    @strawberry.field(description="Status on the valid-time axis at a date (default: today).")
    def status(self, info: Info[Context, None], at: Optional[dt.date] = None) -> Status:
        if at is None:
            return Status(self.current_status)
        return Status(info.context.statuses(self.asof, at).get(self.proposition_id) or "pending")

    @strawberry.field(description="Resolutions of this claim's proposition.")
    def resolutions(self, info: Info[Context, None]) -> list[Resolution]:
        return [Resolution(id=r["id"], verdict=Verdict(r["verdict"]), known=r["known"],
                           recorded_at=_time(r["recorded_at"]), seq=r["seq"],
                           evidence=Evidence(quote=r["quote"], language=r["language"], start=r["start"],
                                             end=r["end"], verified=True, source_id=r["source_id"], asof=self.asof))
                for r in info.context.store.read.resolutions(self.proposition_id, self.asof)]

    @strawberry.field(description="The events behind this claim and its proposition's resolutions.")
    def history(self, info: Info[Context, None]) -> list[Event]:
        store = info.context.store
        events = list(store.log.stream(self.id))
        for r in store.read.resolutions(self.proposition_id):
            events.extend(store.log.stream(r["id"]))
        limit = self.asof if self.asof is not None else store.head()
        return [event_from_stored(e) for e in sorted(events, key=lambda e: e.seq) if e.seq <= limit]


def claim_from_row(c: ClaimRow, asof: int | None, ctx: Context | None = None) -> Claim:
    if ctx is not None:  # announce what this claim's fields may ask for (see Context.Batched)
        entities = ctx.entities(asof)
        entities.want(c.claimant)
        entities.want(c.subject)
        if c.object and "entity" in c.object:
            entities.want(c.object["entity"])
        ctx.sources(asof).want(c.source_id)
        ctx.batch("propositions", asof, None).wanted.add(c.proposition_id)
    return Claim(
        id=c.id, predicate=c.predicate, quantity=c.quantity, unit=c.unit, modality=Modality(c.modality),
        channel=Channel(c.channel), stated=c.stated, due=c.due, confidence=c.confidence, extractor=c.extractor,
        actor=c.actor, recorded_at=_time(c.recorded_at), seq=c.seq, proposition_id=c.proposition_id,
        is_promise=c.is_promise,
        evidence=Evidence(quote=c.quote, language=c.language, start=c.start, end=c.end, verified=c.verified,
                          source_id=c.source_id, asof=asof),
        object=object_from_dict(c.object, asof), claimant_id=c.claimant, subject_id=c.subject,
        current_status=c.status, asof=asof)


@strawberry.type
class ClaimEdge:
    cursor: str
    node: Claim


@strawberry.type
class ClaimConnection:
    total_count: int
    edges: list[ClaimEdge]
    page_info: PageInfo


def claim_connection(ctx: Context, f: RowFilter, asof: int | None, first: int | None, after: str | None,
                     sort: ClaimSort = ClaimSort.STATED_ASC, at: dt.date | None = None) -> ClaimConnection:
    n = ctx.first(first)
    order = "stated" if sort in (ClaimSort.STATED_ASC, ClaimSort.STATED_DESC) else "recorded"
    descending = sort in (ClaimSort.STATED_DESC, ClaimSort.RECORDED_DESC)
    key = None
    if after is not None:
        if order == "stated":
            stated, seq = decode_cursor(after, "cs", 2)
            key = (stated, _int(seq, after))
        else:
            (seq,) = decode_cursor(after, "cr", 1)
            key = (_int(seq, after),)
    read = ctx.store.read
    rows, total = read.claims_page(f, asof=asof, at=at, limit=n + 1, after=key, order=order, descending=descending)
    more = len(rows) > n
    rows = rows[:n]
    edges = [ClaimEdge(cursor=encode_cursor("cs", r.stated, r.seq) if order == "stated" else encode_cursor("cr", r.seq),
                       node=claim_from_row(r, asof, ctx)) for r in rows]
    return ClaimConnection(total_count=total, edges=edges,
                           page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if edges else None))


def _int(text: str, cursor: str) -> int:
    try:
        return int(text)
    except ValueError:
        from .context import BadCursor
        raise BadCursor(f"not a cursor of this list: {cursor!r}") from None


@strawberry.type
class EntityEdge:
    cursor: str
    node: Entity


@strawberry.type
class EntityConnection:
    total_count: int
    edges: list[EntityEdge]
    page_info: PageInfo


@strawberry.type
class SourceEdge:
    cursor: str
    node: Source


@strawberry.type
class SourceConnection:
    total_count: int
    edges: list[SourceEdge]
    page_info: PageInfo


@strawberry.type
class EventEdge:
    cursor: str
    node: Event


@strawberry.type
class EventConnection:
    total_count: int
    edges: list[EventEdge]
    page_info: PageInfo


@strawberry.type
class TrackRecord:
    promises: int
    kept: int
    broken: int
    partly_kept: int
    withdrawn: int
    unresolvable: int
    pending: int
    overdue: int
    claims: list[Claim]
    claimant_id: strawberry.Private[str]
    asof: strawberry.Private[Optional[int]]

    @strawberry.field
    def claimant(self, info: Info[Context, None]) -> Entity:
        return entity_from_row(info.context.entities(self.asof).get(self.claimant_id), self.asof)


@strawberry.type
class MutationResult:
    appended: int = strawberry.field(description="events appended")
    duplicates: int = strawberry.field(description="events already in the log (nothing new)")
    seq: Optional[int] = strawberry.field(description="log position of the first appended event")
    head: int
    claim: Optional[Claim] = None
    entity: Optional[Entity] = None
