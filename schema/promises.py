"""Promises: what counts as one, how facts settle them, and how their dates slip.

One definition for every reader (read model, GraphQL, command line, Neo4j, RDF):

- A **promise** is a claim stated as promised, planned or predicted, or any claim with a
  due date that is not a denial (``is_promise``).
- A **fact** of a promise predicate settles the open promises of its subject: for
  ``release``, a ``released`` claim stated as asserted (its date object, or else the date
  it was stated), or a resolution ``kept`` of a ``release`` proposition (its known date).
  ``SETTLEMENTS`` declares the families. A promise is then **kept** when the subject was
  delivered by the end of its due period (or it had none) and **broken** otherwise,
  ``days_late`` after that end; the earliest delivery counts. A resolution written by
  hand for the proposition overrides the derived verdict from its own known date on.
- Promises of one subject and predicate by one camp (a claimant, the organizations it
  leads, owns or founded, and the subject's developers) form a **revision chain** in the
  order they were stated; a **slip** is a revision whose due date ends later than the
  one before.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import dates
from .values import is_promise

__all__ = ["SETTLEMENTS", "Delivery", "Revision", "Slippage", "chain", "delivery_of_claim", "family_of",
           "is_promise", "settle"]

#: promise predicate -> the predicates whose asserted claims are facts that settle it
SETTLEMENTS: Mapping[str, tuple[str, ...]] = {
    "release": ("released",),
    "ship": ("shipped", "released"),
    "launch": ("launched", "released"),
    "open_source": ("open_sourced",),
}
#: fact predicate -> the promise predicates it settles
_FACT_OF: dict[str, tuple[str, ...]] = {}
for _promise, _facts in SETTLEMENTS.items():
    for _fact in _facts:
        _FACT_OF[_fact] = (*_FACT_OF.get(_fact, ()), _promise)

#: claims by these predicates tie a person to the organizations it speaks for
AFFILIATIONS = ("leads", "owns", "founded")


def family_of(fact_predicate: str) -> tuple[str, ...]:
    """The promise predicates a fact of this predicate settles (none for most)."""
    return _FACT_OF.get(fact_predicate, ())


@dataclass(frozen=True)
class Delivery:
    """A fact that a subject was delivered: when (a partial date), and what says so."""
    date: str
    source_id: str  # the claim or resolution stating it
    kind: str  # "claim" or "resolution"

    @property
    def day(self) -> dt.date:
        """The first day of the delivery date (a fact dated only by month or year gets the
        benefit of the doubt)."""
        return dates.start(self.date)


def delivery_of_claim(predicate: str, modality: str, obj: Mapping[str, object] | None,
                      stated: str) -> str | None:
    """The delivery date a claim states, if it is a settling fact."""
    if modality != "asserted" or not family_of(predicate):
        return None
    date = obj.get("date") if obj else None
    return date if isinstance(date, str) else stated


def settle(due: str | None, delivered: Delivery, at: dt.date) -> tuple[str, int] | None:
    """(verdict, days late) of a promise due ``due`` whose subject was delivered as
    ``delivered``, at the valid-time date ``at`` (None before the delivery)."""
    if delivered.day > at:
        return None
    if due is None:
        return "kept", 0
    late = (delivered.day - dates.end(due)).days
    return ("kept", 0) if late <= 0 else ("broken", late)


@dataclass(frozen=True)
class Revision:
    """One promise of a chain: when it was stated, when it was due, by whom."""
    stated: str
    due: str | None
    claimant: str
    claim: str
    proposition: str
    seq: int


@dataclass
class Slippage:
    subject: str
    predicate: str
    revisions: list[Revision] = field(default_factory=list)
    delivered: Delivery | None = None

    @property
    def dated(self) -> list[Revision]:
        return [r for r in self.revisions if r.due]

    @property
    def first_due(self) -> str | None:
        return self.dated[0].due if self.dated else None

    @property
    def last_due(self) -> str | None:
        return self.dated[-1].due if self.dated else None

    @property
    def slips(self) -> int:
        """How often the due date moved later from one revision to the next."""
        ends = [dates.end(r.due) for r in self.dated if r.due]
        return sum(1 for a, b in zip(ends, ends[1:], strict=False) if b > a)

    def delay_days(self, today: dt.date) -> int | None:
        """Days from the end of the first due period to the delivery (or to ``today``
        while undelivered); 0 when on time or not yet due."""
        if self.first_due is None:
            return None
        until = self.delivered.day if self.delivered and self.delivered.day <= today else today
        return max(0, (until - dates.end(self.first_due)).days)

    def revised_pairs(self) -> list[tuple[str, str]]:
        """(proposition, the proposition that replaced it) along the chain."""
        out: list[tuple[str, str]] = []
        previous: str | None = None
        for r in self.revisions:
            if previous is not None and r.proposition != previous and (previous, r.proposition) not in out:
                out.append((previous, r.proposition))
            previous = r.proposition
        return out


def camp(claimant: str, affiliations: Mapping[str, set[str]]) -> set[str]:
    """The claimant and the organizations it leads, owns or founded."""
    return {claimant} | affiliations.get(claimant, set())


def chain(subject: str, predicate: str, promises: Iterable[Revision], developers: set[str],
          affiliations: Mapping[str, set[str]]) -> Slippage:
    """The revision chain of a subject's promises: those of the developers' camp when the
    subject has known developers, else those of the camp of whoever promised first."""
    ordered = sorted(promises, key=lambda r: (r.stated, r.seq))
    members: set[str] = set(developers)
    for org in developers:  # people who lead, own or founded a developer belong to its camp
        members |= {person for person, orgs in affiliations.items() if org in orgs}
    if not members and ordered:
        members = camp(ordered[0].claimant, affiliations)
    kept = [r for r in ordered if camp(r.claimant, affiliations) & members]
    return Slippage(subject, predicate, kept)
