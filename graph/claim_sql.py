"""The SQL the claim queries share: a proposition's status on both clocks, the columns of
a claim row, and a claim filter as a WHERE clause (parameters numbered, so nested
filters never collide)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .rows import ClaimFilter

# A proposition's status at valid time :at as known at log position :n: the latest
# resolution written for it, else the verdict a delivery of its subject settles (see
# claimgraph.schema.promises; cg_settled is ReadModel._settled), else pending/overdue.
STATUS_SQL = """COALESCE(
  (SELECT r.verdict FROM rm_resolutions r
    WHERE r.proposition_id = p.id AND r.seq_from <= :n AND (r.seq_to IS NULL OR r.seq_to > :n)
      AND r.known_start <= :at
    ORDER BY r.known_start DESC, r.seq_from DESC LIMIT 1),
  cg_settled(p.subject, p.predicate, p.due, :at, :n),
  CASE WHEN p.due_end IS NOT NULL AND p.due_end < :at THEN 'overdue' ELSE 'pending' END)"""

CLAIM_COLUMNS = f"""c.id, c.claimant, c.subject, c.predicate, p.object, p.quantity, p.unit, p.due, p.valid_from, p.valid_to,
  c.stated, c.channel, c.modality, c.confidence, c.extractor, c.actor, c.recorded_at, c.seq_from,
  c.proposition_id, e.source_id, e.quote, e.start, e.end, e.language, e.verified,
  {STATUS_SQL} AS status"""

#: a claim row c that exists at log position :n (recorded by then, not retracted by then)
ALIVE = "c.seq_from <= :n AND (c.seq_to IS NULL OR c.seq_to > :n)"
#: claimgraph.schema.promises.is_promise, on a claim row c of proposition p
PROMISE_SQL = "(c.modality IN ('promised', 'planned', 'predicted') OR (p.due IS NOT NULL AND c.modality != 'denied'))"

#: filter field -> the column it must equal
EQUAL = {"predicate": "c.predicate", "modality": "c.modality", "channel": "c.channel", "source": "e.source_id"}
#: filter field naming an entity -> the columns of which one must be that entity (or an id merged into it)
ENTITY = {"claimant": ("c.claimant",), "subject": ("c.subject",),
          "mentions": ("c.claimant", "c.subject", "c.object_entity"), "about": ("c.subject", "c.object_entity")}


class FilterSQL:
    """Translates claim filters to SQL. ``ids_of`` gives the ids an entity reference
    stands for (its id and every id merged into it, as of the question's position)."""

    def __init__(self, ids_of: Callable[[str], list[str]]):
        self.ids_of = ids_of
        self.params: dict[str, Any] = {}
        self._count = 0

    def param(self, value: Any) -> str:
        self._count += 1
        name = f"f{self._count}"
        self.params[name] = value
        return ":" + name

    def where(self, f: ClaimFilter) -> str:
        """SQL for one filter: its fields AND-ed, then its all_of and any_of parts."""
        parts = [self._entity(columns, getattr(f, name)) for name, columns in ENTITY.items() if getattr(f, name)]
        parts += [f"{column} = {self.param(getattr(f, name))}" for name, column in EQUAL.items() if getattr(f, name)]
        parts += self._values(f)
        parts += [self.where(part) or "1" for part in f.all_of or ()]
        if f.any_of:
            parts.append("(" + " OR ".join(f"({self.where(part) or '1'})" for part in f.any_of) + ")")
        return " AND ".join(parts)

    def _entity(self, columns: tuple[str, ...], ref: str) -> str:
        marks = ",".join(self.param(i) for i in self.ids_of(ref))
        return "(" + " OR ".join(f"{column} IN ({marks})" for column in columns) + ")"

    def _values(self, f: ClaimFilter) -> list[str]:
        parts = []
        if f.status:
            parts.append(f"{STATUS_SQL} = {self.param(f.status)}")
        if f.stated_from:
            parts.append(f"c.stated >= {self.param(f.stated_from)}")
        if f.stated_to:
            mark = self.param(f.stated_to)
            parts.append(f"substr(c.stated, 1, length({mark})) <= {mark}")
        if f.text:
            literal = f.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            mark = self.param(f"%{literal}%")  # % and _ in the text match themselves
            parts.append(f"(e.quote LIKE {mark} ESCAPE '\\' OR c.predicate LIKE {mark} ESCAPE '\\'"
                         f" OR p.object LIKE {mark} ESCAPE '\\')")
        if f.extracted is not None:
            parts.append("c.extractor IS NOT NULL" if f.extracted else "c.extractor IS NULL")
        if f.promise is not None:
            parts.append(("" if f.promise else "NOT ") + PROMISE_SQL)
        return parts
