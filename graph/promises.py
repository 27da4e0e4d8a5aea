"""Promise questions to the read model: revision chains (how often a date moved, how late
the delivery was), track records with delivery figures, and a leaderboard of who keeps
their word. The rules live in ``claimgraph.schema.promises``; this module only gathers
the rows they need, on both clocks (``asof`` recorded time, ``at`` valid time)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimgraph.schema import dates
from claimgraph.schema.promises import AFFILIATIONS, SETTLEMENTS, Delivery, Revision, Slippage, chain, settle

from .readmodel import ClaimFilter, ClaimRow, ReadModel, TrackRecord


def affiliations(read: ReadModel, people: Iterable[str], asof: int | None = None) -> dict[str, set[str]]:
    """Person -> the organizations an asserted claim says it leads, owns or founded."""
    out: dict[str, set[str]] = {}
    for person in set(people):
        for c in read.claims(ClaimFilter(subject=person, any_of=[ClaimFilter(predicate=p) for p in AFFILIATIONS]),
                             asof=asof):
            if c.modality == "asserted" and c.object and "entity" in c.object:
                out.setdefault(person, set()).add(c.object["entity"])
    return out


def developers(read: ReadModel, subject: str, asof: int | None = None) -> set[str]:
    """The organizations an asserted claim says develop ``subject``."""
    rows = read.claims(ClaimFilter(predicate="develops", about=subject), asof=asof)
    return {c.subject for c in rows if c.modality == "asserted" and c.object
            and c.object.get("entity") == read.canonical(subject, asof)}


def slippage(read: ReadModel, subject: str, predicate: str = "release", asof: int | None = None,
             at: dt.date | None = None) -> tuple[Slippage, list[ClaimRow]]:
    """The revision chain of ``subject``'s ``predicate`` promises, and the chain's claims
    (with their statuses at ``at``)."""
    target = read.canonical(subject, asof)
    rows = read.claims(ClaimFilter(subject=target, predicate=predicate, promise=True), asof=asof, at=at)
    revisions = [Revision(c.stated, c.due, c.claimant, c.id, c.proposition_id, c.seq) for c in rows]
    found = chain(target, predicate, revisions, developers(read, target, asof),
                  affiliations(read, {c.claimant for c in rows}, asof))
    delivered = read.delivery(target, predicate, asof) if predicate in SETTLEMENTS else None
    if delivered is not None and delivered.day <= (at or dt.date.today()):
        found.delivered = delivered
    members = {r.claim for r in found.revisions}
    return found, [c for c in rows if c.id in members]


def lateness(read: ReadModel, claim: ClaimRow, asof: int | None, at: dt.date) -> tuple[Delivery, int] | None:
    """(delivery, days late) when a delivery settles the claim's promise by ``at``."""
    if claim.predicate not in SETTLEMENTS:
        return None
    delivered = read.delivery(claim.subject, claim.predicate, asof)
    settled = settle(claim.due, delivered, at) if delivered is not None else None
    return (delivered, settled[1]) if delivered is not None and settled is not None else None


@dataclass
class Record(TrackRecord):
    """A track record with delivery figures: promises kept on time, delivered late, the
    mean delay of the delivered ones, and how often the claimant moved its due dates."""
    on_time: int = 0
    late: int = 0
    average_delay_days: float | None = None
    slips: int = 0
    delays: list[int] = field(default_factory=list)

    @property
    def slips_per_promise(self) -> float:
        return self.slips / self.promises if self.promises else 0.0

    @property
    def settled(self) -> int:
        return self.kept + self.broken + self.partly_kept + self.withdrawn

    @property
    def kept_rate(self) -> float | None:
        return self.kept / self.settled if self.settled else None


def track_record(read: ReadModel, claimant: str, asof: int | None = None, at: dt.date | None = None) -> Record:
    """The claimant's promises by status, with on-time/late figures and slips."""
    day = at or dt.date.today()
    record = Record(read.canonical(claimant, asof))
    for c in read.claims(ClaimFilter(claimant=claimant, promise=True), asof=asof, at=day):
        _count(record, read, c, asof, day)
    _finish(record)
    return record


def _count(record: Record, read: ReadModel, c: ClaimRow, asof: int | None, day: dt.date) -> None:
    record.promises += 1
    setattr(record, c.status, getattr(record, c.status) + 1)
    record.claims.append(c)
    late = lateness(read, c, asof, day)
    if c.status == "kept" and (late is None or late[1] == 0):
        record.on_time += 1
    if late is not None and c.status in ("kept", "broken"):
        record.delays.append(late[1])
        record.late += late[1] > 0


def _finish(record: Record) -> None:
    record.average_delay_days = round(sum(record.delays) / len(record.delays), 1) if record.delays else None
    by_subject: dict[tuple[str, str], list[ClaimRow]] = {}
    for c in record.claims:
        by_subject.setdefault((c.subject, c.predicate), []).append(c)
    for claims in by_subject.values():
        ends = [dates.end(c.due) for c in sorted(claims, key=lambda c: (c.stated, c.seq)) if c.due]
        record.slips += sum(1 for a, b in zip(ends, ends[1:], strict=False) if b > a)


def leaderboard(read: ReadModel, min_settled: int = 3, asof: int | None = None, at: dt.date | None = None,
                limit: int = 20) -> list[Record]:
    """Claimants with at least ``min_settled`` settled promises, the best kept rate first
    (then more settled promises, then fewer days of delay)."""
    day = at or dt.date.today()
    records: dict[str, Record] = {}
    for c in read.claims(ClaimFilter(promise=True), asof=asof, at=day):
        record = records.setdefault(c.claimant, Record(c.claimant))
        _count(record, read, c, asof, day)
    ranked = []
    for record in records.values():
        _finish(record)
        if record.settled >= min_settled:
            ranked.append(record)
    ranked.sort(key=lambda r: (-(r.kept_rate or 0.0), -r.settled, r.average_delay_days or 0.0, r.claimant))
    return ranked[:limit]


@dataclass(frozen=True)
class Settlement:
    """A promise proposition settled by a delivery of its subject: what settled it, the
    derived verdict and how many days late."""
    proposition: str
    delivery: Delivery
    verdict: str
    days_late: int


def settlements(read: ReadModel, asof: int | None = None, at: dt.date | None = None) -> list[Settlement]:
    """Every promise proposition (of a settlement family) that a delivery settles by
    ``at``, in proposition id order."""
    day = at or dt.date.today()
    n = read.position(asof)
    marks = ",".join("?" * len(SETTLEMENTS))
    out = []
    for pid, subject, predicate, due in read.conn.execute(
            f"SELECT DISTINCT p.id, p.subject, p.predicate, p.due FROM rm_propositions p"
            f" JOIN rm_claims c ON c.proposition_id = p.id WHERE p.predicate IN ({marks})"
            f" AND c.seq_from <= ? AND (c.seq_to IS NULL OR c.seq_to > ?) ORDER BY p.id", (*SETTLEMENTS, n, n)):
        delivered = read.delivery(subject, predicate, asof)
        settled = settle(due, delivered, day) if delivered is not None else None
        if delivered is not None and settled is not None:
            out.append(Settlement(pid, delivered, settled[0], settled[1]))
    return out


def revisions(read: ReadModel, asof: int | None = None) -> list[tuple[str, str]]:
    """(proposition, the proposition that revised it) along every revision chain of a
    promise family, in a stable order."""
    groups: dict[tuple[str, str], list[ClaimRow]] = {}
    for c in read.claims(ClaimFilter(promise=True, any_of=[ClaimFilter(predicate=p) for p in SETTLEMENTS]),
                         asof=asof):
        groups.setdefault((c.subject, c.predicate), []).append(c)
    pairs: list[tuple[str, str]] = []
    for (subject, predicate), claims in sorted(groups.items()):
        if len({c.proposition_id for c in claims}) < 2:
            continue
        found, _ = slippage(read, subject, predicate, asof=asof)
        pairs.extend(found.revised_pairs())
    return pairs
