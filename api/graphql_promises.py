"""GraphQL for promises: revision chains (``slippage``), track records with delivery
figures, and the leaderboard. The rules are ``claimgraph.schema.promises``; the answers
come from ``claimgraph.graph.promises``."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import strawberry
from strawberry.types import Info

from claimgraph.graph import promises
from claimgraph.graph.readmodel import ClaimRow
from claimgraph.schema import model

from .context import MAX_FIRST, Context
from .graphql_types import Claim, Entity, claim_from_row, entity_from_row


def _entity(ctx: Context, entity_id: str, asof: int | None) -> Entity:
    return entity_from_row(ctx.entities(asof).get(entity_id), asof)  # type: ignore[return-value]


@strawberry.type(description="One promise of a revision chain: when it was stated, when it was due, by whom.")
class Revision:
    stated: str
    due: Optional[str]
    claim: Claim
    claimant_id: strawberry.Private[str]
    asof: strawberry.Private[Optional[int]]

    @strawberry.field
    def claimant(self, info: Info[Context, None]) -> Entity:
        return _entity(info.context, self.claimant_id, self.asof)


@strawberry.type(description="How a promise about a subject was revised: its restated promises in the order they "
                             "were stated (by one camp: the claimant, the organizations it leads, owns or founded, "
                             "and the subject's developers), how often the due date moved later, and the delivery "
                             "measured against the first date.")
class Slippage:
    predicate: str
    revisions: list[Revision]
    slips: int = strawberry.field(description="times the due date moved later from one revision to the next")
    first_due: Optional[str]
    last_due: Optional[str]
    delivered: Optional[str] = strawberry.field(description="the date of the earliest delivery, if any by `at`")
    delay_days: Optional[int] = strawberry.field(
        description="days from the end of the first due period to the delivery (or to `at` while undelivered); "
                    "0 when on time or not yet due")
    status: Optional[model.Status] = strawberry.field(description="the status of the latest revision")
    subject_id: strawberry.Private[str]
    asof: strawberry.Private[Optional[int]]

    @strawberry.field
    def subject(self, info: Info[Context, None]) -> Entity:
        return _entity(info.context, self.subject_id, self.asof)


def slippage_of(ctx: Context, subject: str, predicate: str, asof: int | None, at: dt.date) -> Slippage:
    chain, rows = promises.slippage(ctx.read, subject, predicate, asof=asof, at=at)
    by_id: dict[str, ClaimRow] = {c.id: c for c in rows}
    revisions = [Revision(stated=r.stated, due=r.due, claim=claim_from_row(by_id[r.claim], asof, ctx),
                          claimant_id=r.claimant, asof=asof) for r in chain.revisions]
    last = by_id[chain.revisions[-1].claim].status if chain.revisions else None
    return Slippage(predicate=predicate, revisions=revisions, slips=chain.slips, first_due=chain.first_due,
                    last_due=chain.last_due, delivered=chain.delivered.date if chain.delivered else None,
                    delay_days=chain.delay_days(at), status=model.Status(last) if last else None,
                    subject_id=chain.subject, asof=asof)


@strawberry.type(description="A claimant's promises by status, with delivery figures.")
class TrackRecord:
    promises: int
    kept: int
    broken: int
    partly_kept: int
    withdrawn: int
    unresolvable: int
    pending: int
    overdue: int
    on_time: int = strawberry.field(description="kept, and delivered within the due period (or without one)")
    late: int = strawberry.field(description="delivered after the end of the due period")
    average_delay_days: Optional[float] = strawberry.field(
        description="mean days late over the promises a delivery settled (on time counts 0)")
    slips_per_promise: float = strawberry.field(
        description="times the claimant moved a due date later, per promise")
    settled: int = strawberry.field(description="kept, broken, partly kept or withdrawn")
    kept_rate: Optional[float] = strawberry.field(description="kept / settled")
    claims: list[Claim]
    claimant_id: strawberry.Private[str]
    asof: strawberry.Private[Optional[int]]

    @strawberry.field
    def claimant(self, info: Info[Context, None]) -> Entity:
        return _entity(info.context, self.claimant_id, self.asof)


def track_record_of(ctx: Context, r: promises.Record, asof: int | None, with_claims: bool = True) -> TrackRecord:
    return TrackRecord(promises=r.promises, kept=r.kept, broken=r.broken, partly_kept=r.partly_kept,
                       withdrawn=r.withdrawn, unresolvable=r.unresolvable, pending=r.pending, overdue=r.overdue,
                       on_time=r.on_time, late=r.late, average_delay_days=r.average_delay_days,
                       slips_per_promise=round(r.slips_per_promise, 3), settled=r.settled, kept_rate=r.kept_rate,
                       claims=[claim_from_row(c, asof, ctx) for c in r.claims] if with_claims else [],
                       claimant_id=r.claimant, asof=asof)


def leaderboard_of(ctx: Context, min_settled: int, first: int, asof: int | None, at: dt.date) -> list[TrackRecord]:
    if not 1 <= first <= MAX_FIRST:
        from .context import FirstTooLarge
        raise FirstTooLarge(f"'first' must be between 1 and {MAX_FIRST}, got {first}")
    ranked = promises.leaderboard(ctx.read, max(1, min_settled), asof=asof, at=at, limit=first)
    return [track_record_of(ctx, r, asof, with_claims=False) for r in ranked]
