"""Text the command line prints: claims, promise chains and track records. Pure
functions of read-model rows; the commands only choose what to show."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from claimgraph.graph.promises import Record
from claimgraph.graph.readmodel import ClaimRow
from claimgraph.schema.promises import Slippage
from claimgraph.schema.values import object_label


def status_word(status: str) -> str:
    return status.replace("_", " ")


def describe(c: ClaimRow) -> str:
    """subject predicate object ×quantity (due …)"""
    text = f"{c.subject} {c.predicate}"
    if c.object:
        text += f" {object_label(c.object)}"
    if c.quantity is not None:
        text += f" ×{c.quantity}{' ' + c.unit if c.unit else ''}"
    if c.due:
        text += f" (due {c.due})"
    return text


def claim_lines(claims: Iterable[ClaimRow], indent: str = "") -> list[str]:
    out = []
    for c in claims:
        out.append(f"{indent}{c.stated:<11} {c.claimant:<26} {c.modality:<9} {describe(c)}  [{status_word(c.status)}]")
        out.append(f"{indent}{'':<11} „{c.quote}“  ({c.channel}; {c.source_id} {c.start}–{c.end})")
    return out


def chain_summary(s: Slippage, claims: list[ClaimRow], today: dt.date) -> str:
    """One line a reader can follow: each due date the promise had, how it turned out,
    and the delivery measured against the first date."""
    status = {c.id: c.status for c in claims}
    steps: list[str] = []
    previous: tuple[str | None, str] | None = None
    for r in s.revisions:
        step = (r.due, status_word(status.get(r.claim, "pending")))
        if step != previous:
            steps.append(f"promised {'by ' + r.due if r.due else 'without a date'} ({r.stated}) → {step[1]}")
            previous = step
    text = "; ".join(steps)
    if s.delivered is not None:
        delay = s.delay_days(today)
        text += f"; delivered {s.delivered.date}, " + (f"{delay} days after the first date" if delay
                                                       else "on time")
    elif s.first_due is not None:
        text += f"; not delivered, {s.delay_days(today)} days past the first date"
    return text


def chain_table(s: Slippage, claims: list[ClaimRow], today: dt.date) -> list[str]:
    status = {c.id: c.status for c in claims}
    lines = [f"{s.subject} {s.predicate}: {len(s.revisions)} revisions, {s.slips} slips, first due "
             f"{s.first_due or '-'}, last due {s.last_due or '-'}, delivered "
             f"{s.delivered.date if s.delivered else '-'}, delay {s.delay_days(today) or 0} days",
             f"{'stated':<11} {'claimant':<26} {'due':<11} status"]
    lines += [f"{r.stated:<11} {r.claimant:<26} {r.due or '-':<11} {status_word(status.get(r.claim, 'pending'))}"
              for r in s.revisions]
    return lines


def chain_json(s: Slippage, claims: list[ClaimRow], today: dt.date) -> dict[str, object]:
    status = {c.id: c.status for c in claims}
    last = s.revisions[-1].claim if s.revisions else None
    return {"subject": s.subject, "predicate": s.predicate, "slips": s.slips, "firstDue": s.first_due,
            "lastDue": s.last_due, "delivered": s.delivered.date if s.delivered else None,
            "delayDays": s.delay_days(today), "status": status.get(last) if last else None,
            "revisions": [{"stated": r.stated, "due": r.due, "claimant": r.claimant, "claim": r.claim,
                           "status": status.get(r.claim)} for r in s.revisions]}


RECORD_FIELDS = ("promises", "kept", "broken", "partly_kept", "withdrawn", "unresolvable", "pending", "overdue",
                 "on_time", "late", "average_delay_days", "slips_per_promise")


def record_counts(r: Record) -> dict[str, object]:
    counts: dict[str, object] = {k: getattr(r, k) for k in RECORD_FIELDS}
    counts["slips_per_promise"] = round(r.slips_per_promise, 2)
    return counts


def record_line(r: Record) -> str:
    counts = record_counts(r)
    delay = counts.pop("average_delay_days")
    text = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    return text + (f", {delay} days average delay of delivered promises" if delay is not None else "")
