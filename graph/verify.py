"""Checks of the log's content that its hash chain alone cannot make: every stored quote
must still be the exact span of its source text that its offsets name, and every source
text must still hash to its id.

A rewritten log whose hashes were recomputed passes the chain check (unless it is keyed);
it does not pass this one unless the quotes and sources were rewritten consistently — and
a source text rewritten so changes the source's id, which this check catches too.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection

import orjson

from claimgraph.schema.errors import IntegrityError
from claimgraph.schema.values import source_id

from .eventlog import EventLog, Fault

#: sources kept in memory at once while checking (evidence usually cites recent sources)
SOURCE_CACHE = 8


class _Sources:
    """Source texts looked up in the log itself (never in a projection), a few at a time."""

    def __init__(self, log: EventLog):
        self.log = log
        self.cache: OrderedDict[str, str | None] = OrderedDict()

    def text(self, sid: str) -> str | None:
        if sid in self.cache:
            self.cache.move_to_end(sid)
            return self.cache[sid]
        row = self.log.conn.execute("SELECT seq, data FROM events WHERE stream_id = ? AND type = 'source-registered'"
                                    " ORDER BY seq LIMIT 1", (sid,)).fetchone()
        text: str | None = None
        if row is not None:
            text = orjson.loads(row[1]).get("text")
            if not isinstance(text, str) or source_id(text) != sid:
                raise IntegrityError(f"event log: the text of {sid} (event {row[0]}) does not hash to its id")
        self.cache[sid] = text
        if len(self.cache) > SOURCE_CACHE:
            self.cache.popitem(last=False)
        return text


def check_evidence(log: EventLog, upto: int | None = None, skip: Collection[int] = ()) -> int:
    """Re-locate every quote of every claim and resolution in its source; returns how many
    were checked, raises IntegrityError for the first that is not where it says. Events in
    ``skip`` (those the projection could not use, reported on their own) are passed over."""
    sources = _Sources(log)
    checked = 0
    faults: list[Fault] = []  # unreadable events are reported by the projection
    head = log.head() if upto is None else upto
    for seq, type_, data, _, _ in log.read_payloads(0, head, faults=faults):
        if type_ not in ("claim-recorded", "proposition-resolved") or seq in skip:
            continue
        ev = data.get("evidence") or {}
        sid, start, end, quote = ev.get("source_id"), ev.get("start"), ev.get("end"), ev.get("quote")
        text = sources.text(sid) if isinstance(sid, str) else None
        if text is None:
            raise IntegrityError(f"event log: event {seq} cites {sid}, which is not in the log")
        if not (isinstance(start, int) and isinstance(end, int) and text[start:end] == quote):
            raise IntegrityError(f"event log: the quote of event {seq} is not at {start}–{end} of {sid} "
                                 f"({str(quote)[:60]!r})")
        checked += 1
    return checked
