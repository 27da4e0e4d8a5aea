"""Questions to the read model, on both clocks.

``asof`` is a log position (recorded time): rows count when ``seq_from <= asof`` and
they were not ended (``seq_to``) by then. ``at`` is a date (valid time) for statuses.
Both default to "now". Entity ids are followed through merges, so a question about an
old id is answered for the entity it was merged into.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sqlite3
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

from claimgraph.schema.known import ImportKnown, Known
from claimgraph.schema.promises import SETTLEMENTS, Delivery, delivery_of_claim, family_of, settle
from claimgraph.schema.text import alias_key
from claimgraph.schema.values import follow

from .claim_sql import ALIVE, CLAIM_COLUMNS, STATUS_SQL, FilterSQL
from .rows import ClaimFilter as ClaimFilter
from .rows import ClaimRow as ClaimRow
from .rows import EntityRow as EntityRow
from .rows import Record as Record
from .rows import TrackRecord as TrackRecord
from .rows import claim_row

INF = 1 << 62
T = TypeVar("T")



@functools.lru_cache(maxsize=64)
def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class ReadModel:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._memo: dict[Hashable, Any] = {}
        self._version: int | None = None
        self._pinned: dict[int, dict[tuple[str, str], Delivery]] = {}
        conn.create_function("cg_settled", 5, self._settled, deterministic=True)

    def at_version(self, checkpoint: int) -> None:
        """Tell the read model which log position its tables reflect; memoised look-ups
        (redirects, id resolution) are kept only while that stays the same."""
        if checkpoint != self._version:
            self._memo.clear()
            self._version = checkpoint

    def _memoised(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if self._version is None:
            return compute()
        try:
            return self._memo[key]
        except KeyError:
            if len(self._memo) > 4096:
                self._memo.clear()
            value = self._memo[key] = compute()
            return value

    # -- clocks and ids -----------------------------------------------------------
    def position(self, asof: int | None) -> int:
        return INF if asof is None else asof

    @staticmethod
    def _asof(n: int) -> int | None:
        return None if n >= INF else n

    # -- deliveries and settled promises ----------------------------------------------
    def deliveries(self, asof: int | None = None) -> dict[tuple[str, str], Delivery]:
        """(canonical subject, promise predicate) -> the earliest delivery known at
        ``asof``: facts of a settling predicate, and ``kept`` resolutions of promises."""
        found: dict[tuple[str, str], Delivery] = self._memoised(("deliveries", asof),
                                                                lambda: self._deliveries(asof))
        return found

    def _deliveries(self, asof: int | None) -> dict[tuple[str, str], Delivery]:
        n = self.position(asof)
        fact_predicates = sorted({f for facts in SETTLEMENTS.values() for f in facts})
        marks = ",".join("?" * len(fact_predicates))
        promise_marks = ",".join("?" * len(SETTLEMENTS))
        rows = self.conn.execute(
            f"""SELECT c.id, 'claim', c.subject, c.predicate, p.object, c.stated, c.modality, c.seq_from
                FROM rm_claims c JOIN rm_propositions p ON p.id = c.proposition_id
                WHERE c.predicate IN ({marks}) AND c.seq_from <= ? AND (c.seq_to IS NULL OR c.seq_to > ?)
                UNION ALL
                SELECT r.id, 'resolution', p.subject, p.predicate, NULL, r.known, 'asserted', r.seq_from
                FROM rm_resolutions r JOIN rm_propositions p ON p.id = r.proposition_id
                WHERE r.verdict = 'kept' AND p.predicate IN ({promise_marks})
                  AND r.seq_from <= ? AND (r.seq_to IS NULL OR r.seq_to > ?)""",
            (*fact_predicates, n, n, *SETTLEMENTS, n, n))
        found: dict[tuple[str, str], tuple[tuple[dt.date, int], Delivery]] = {}
        canon = self._canon(asof)
        for fid, kind, subject, predicate, obj, when, modality, seq in rows:
            if kind == "claim":
                date = delivery_of_claim(predicate, modality, json.loads(obj) if obj else None, when)
                families = family_of(predicate)
            else:
                date, families = when, (predicate,)
            if date is None:
                continue
            delivery = Delivery(date, fid, kind)
            for family in families:
                key, rank = (canon(subject), family), (delivery.day, seq)
                if key not in found or rank < found[key][0]:
                    found[key] = (rank, delivery)
        return {k: v for k, (_, v) in found.items()}

    def delivery(self, subject: str, predicate: str, asof: int | None = None) -> Delivery | None:
        return self.deliveries(asof).get((self.canonical(subject, asof), predicate))

    def _pin(self, asof: int | None) -> None:
        """Fix the deliveries the next statement's cg_settled() reads (computed before the
        statement, so that the function never queries while it runs)."""
        self._pinned = {self.position(asof): self.deliveries(asof)}

    def _settled(self, subject: str, predicate: str, due: str | None, at: str, n: int) -> str | None:
        """cg_settled(): the verdict a delivery settles for a promise, as SQL sees it."""
        if predicate not in SETTLEMENTS:
            return None
        pinned = self._pinned.get(n)
        delivered = (pinned if pinned is not None else self.deliveries(self._asof(n))).get(
            (self.canonical(subject, self._asof(n)), predicate))
        if delivered is None:
            return None
        settled = settle(due, delivered, _day(at))
        return settled[0] if settled else None

    def redirects(self, asof: int | None = None) -> dict[str, str]:
        found: dict[str, str] = self._memoised(("redirects", asof), lambda: dict(self.conn.execute(
            "SELECT old_id, new_id FROM rm_redirects WHERE seq_from <= ? ORDER BY seq_from",  # the latest wins
            (self.position(asof),))))
        return found

    def canonical(self, entity_id: str, asof: int | None = None, redirects: dict[str, str] | None = None) -> str:
        return follow(self.redirects(asof) if redirects is None else redirects, entity_id)

    def _canon(self, asof: int | None) -> Callable[[str], str]:
        redirects = self.redirects(asof)
        if not redirects:
            return lambda x: x
        return lambda x: self.canonical(x, redirects=redirects)

    def same_as(self, entity_id: str, asof: int | None = None) -> list[str]:
        """The entity's id and every id merged into it (as of ``asof``)."""
        found: list[str] = self._memoised(("same_as", entity_id, asof), lambda: self._same_as(entity_id, asof))
        return found

    def _same_as(self, entity_id: str, asof: int | None) -> list[str]:
        redirects = self.redirects(asof)
        target = self.canonical(entity_id, redirects=redirects)
        return [target] + sorted(old for old in redirects if self.canonical(old, redirects=redirects) == target)

    def resolve(self, ref: str, asof: int | None = None) -> str | None:
        """An entity id for an id or a name/alias, or None."""
        found: str | None = self._memoised(("resolve", ref, asof), lambda: self._resolve(ref, asof))
        return found

    def _resolve(self, ref: str, asof: int | None) -> str | None:
        n = self.position(asof)
        if self.conn.execute("SELECT 1 FROM rm_entities WHERE id = ? AND seq_from <= ?", (ref, n)).fetchone():
            return self.canonical(ref, asof)
        if ref in self.redirects(asof):
            return self.canonical(ref, asof)
        ids = {self.canonical(r[0], asof) for r in self.conn.execute(
            "SELECT entity_id FROM rm_aliases WHERE key = ? AND seq_from <= ?", (alias_key(ref), n))}
        return ids.pop() if len(ids) == 1 else None

    # -- entities -----------------------------------------------------------------
    def entity(self, entity_id: str, asof: int | None = None) -> EntityRow | None:
        return self.entities_by_id([entity_id], asof)[entity_id]

    def entities_by_id(self, ids: Iterable[str], asof: int | None = None) -> dict[str, EntityRow | None]:
        """Many entities in a fixed number of queries (for DataLoaders); keys are the ids
        asked for, values the (canonical) entity or None."""
        ids = list(dict.fromkeys(ids))
        n = self.position(asof)
        redirects = self.redirects(asof)
        canon = {i: self.canonical(i, redirects=redirects) for i in ids}
        targets = sorted(set(canon.values()))
        members: dict[str, list[str]] = {t: [t] for t in targets}
        for old in redirects:
            t = self.canonical(old, redirects=redirects)
            if t in members:
                members[t].append(old)
        all_ids = [i for group in members.values() for i in group]
        rows: dict[str, tuple[Any, ...]] = {}
        aliases: dict[str, list[tuple[str, str, int]]] = {}
        external: dict[str, dict[str, str]] = {}
        for chunk in _chunks(all_ids, 400):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(f"SELECT id, kind, name, seq_from FROM rm_entities"
                                       f" WHERE id IN ({marks}) AND seq_from <= ?", (*chunk, n)):
                rows[r[0]] = r
            for eid, scheme, value in self.conn.execute(
                    f"SELECT entity_id, scheme, value FROM rm_external_ids WHERE entity_id IN ({marks})"
                    f" AND seq_from <= ? ORDER BY seq_from", (*chunk, n)):
                external.setdefault(eid, {})[scheme] = value
            for eid, alias, lang, is_name in self.conn.execute(
                    f"SELECT entity_id, alias, lang, is_name FROM rm_aliases WHERE entity_id IN ({marks})"
                    f" AND seq_from <= ? ORDER BY seq_from, alias", (*chunk, n)):
                aliases.setdefault(eid, []).append((alias, lang, is_name))
        built: dict[str, EntityRow | None] = {}
        for t in targets:
            row = rows.get(t)
            if row is None:
                built[t] = None
                continue
            seen, unique, ext = set(), [], {}
            for member in members[t]:
                for alias, lang, is_name in aliases.get(member, ()):
                    if (member == t and is_name) or alias == row[2] or (alias, lang) in seen:
                        continue
                    seen.add((alias, lang))
                    unique.append((alias, lang or None))
                ext.update(external.get(member, {}))
            built[t] = EntityRow(t, row[1], row[2], unique, ext, row[3], [m for m in members[t] if m != t])
        return {i: built[canon[i]] for i in ids}

    def entities(self, kind: str | None = None, search: str | None = None, asof: int | None = None,
                 limit: int = 50, after: str | None = None) -> tuple[list[EntityRow], int]:
        n = self.position(asof)
        where = ["e.seq_from <= :n", "e.id NOT IN (SELECT old_id FROM rm_redirects WHERE seq_from <= :n)"]
        params: dict[str, Any] = {"n": n}
        if kind:
            where.append("e.kind = :kind")
            params["kind"] = kind
        if search:
            # the search is a literal substring: % and _ in it match themselves, and a search
            # with no letters or digits (an empty name key) matches ids only
            key = alias_key(search)
            matches = ["e.id LIKE :raw ESCAPE '\\'"]
            if key:
                matches.insert(0, "e.id IN (SELECT entity_id FROM rm_aliases WHERE key LIKE :key ESCAPE '\\'"
                                  " AND seq_from <= :n)")
                params["key"] = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params["raw"] = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(" OR ".join(matches))
        cond = " AND ".join(f"({w})" for w in where)
        total = self.conn.execute(f"SELECT COUNT(*) FROM rm_entities e WHERE {cond}", params).fetchone()[0]
        if after:
            cond += " AND e.id > :after"
            params["after"] = after
        ids = [r[0] for r in self.conn.execute(
            f"SELECT e.id FROM rm_entities e WHERE {cond} ORDER BY e.id LIMIT :limit", {**params, "limit": limit})]
        found = self.entities_by_id(ids, asof)
        return [e for e in (found[i] for i in ids) if e is not None], total

    # -- claims -------------------------------------------------------------------
    def _where(self, f: ClaimFilter, asof: int | None) -> tuple[str, dict[str, Any]]:
        sql = FilterSQL(lambda ref: self.same_as(self.resolve(ref, asof) or ref, asof))
        cond = sql.where(f)
        return (f"{ALIVE} AND {cond}" if cond else ALIVE), sql.params

    def statuses(self, proposition_ids: Iterable[str], asof: int | None, at: dt.date) -> dict[str, str]:
        """Status of many propositions at one valid-time date, in one query."""
        ids = list(dict.fromkeys(proposition_ids))
        out: dict[str, str] = {}
        self._pin(asof)
        for chunk in _chunks(ids, 400):
            marks = ",".join(f":i{k}" for k in range(len(chunk)))
            params: dict[str, Any] = {f"i{k}": v for k, v in enumerate(chunk)}
            params.update(n=self.position(asof), at=at.isoformat())
            out.update(self.conn.execute(
                f"SELECT p.id, {STATUS_SQL} FROM rm_propositions p WHERE p.id IN ({marks})", params))
        return out

    def sources_by_id(self, ids: Iterable[str], asof: int | None = None) -> dict[str, Record | None]:
        ids = list(dict.fromkeys(ids))
        keys = ("id", "url", "title", "publisher", "published", "language", "origin", "seq")
        found: dict[str, Record] = {}
        for chunk in _chunks(ids, 400):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                    f"SELECT id, url, title, publisher, published, language, origin, seq_from FROM rm_sources"
                    f" WHERE id IN ({marks}) AND seq_from <= ?", (*chunk, self.position(asof))):
                found[row[0]] = dict(zip(keys, row, strict=True))
        return {i: found.get(i) for i in ids}

    def sources(self, asof: int | None = None, limit: int = 50, after: str | None = None) -> tuple[list[Record], int]:
        n = self.position(asof)
        total = self.conn.execute("SELECT COUNT(*) FROM rm_sources WHERE seq_from <= ?", (n,)).fetchone()[0]
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM rm_sources WHERE seq_from <= ? AND id > ? ORDER BY id LIMIT ?", (n, after or "", limit))]
        found = self.sources_by_id(ids, asof)
        return [r for r in (found[i] for i in ids) if r is not None], total

    def claims(self, f: ClaimFilter | None = None, asof: int | None = None, at: dt.date | None = None,
               limit: int | None = None, after: tuple[Any, ...] | None = None, order: str = "stated",
               descending: bool = False) -> list[ClaimRow]:
        """Claims matching ``f``; ordered by stated date (or ``recorded`` position) then
        position; ``after`` is the sort key of the last row of the previous page."""
        cond, params = self._where(f or ClaimFilter(), asof)
        params.update(n=self.position(asof), at=(at or dt.date.today()).isoformat())
        keys = ("c.stated", "c.seq_from") if order == "stated" else ("c.seq_from",)
        op, direction = ("<", "DESC") if descending else (">", "ASC")
        if after is not None:
            cond += f" AND ({', '.join(keys)}) {op} ({', '.join(':k%d' % i for i in range(len(keys)))})"
            params.update({f"k{i}": v for i, v in enumerate(after)})
        sql = (f"SELECT {CLAIM_COLUMNS} FROM rm_claims c JOIN rm_propositions p ON p.id = c.proposition_id"
               f" JOIN rm_evidence e ON e.owner_id = c.id WHERE {cond}"
               f" ORDER BY {', '.join(k + ' ' + direction for k in keys)}")
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        canon = self._canon(asof)
        self._pin(asof)
        return [claim_row(r, canon) for r in self.conn.execute(sql, params)]

    def claims_page(self, f: ClaimFilter | None = None, asof: int | None = None, at: dt.date | None = None,
                    limit: int = 20, after: tuple[Any, ...] | None = None, order: str = "stated",
                    descending: bool = False) -> tuple[list[ClaimRow], int]:
        """A page of claims and the total count of the filter."""
        rows = self.claims(f, asof=asof, at=at, limit=limit, after=after, order=order, descending=descending)
        return rows, self.count_claims(f, asof=asof, at=at)

    def count_claims(self, f: ClaimFilter | None = None, asof: int | None = None, at: dt.date | None = None) -> int:
        f = f or ClaimFilter()
        cond, params = self._where(f, asof)
        params.update(n=self.position(asof), at=(at or dt.date.today()).isoformat())
        # every claim has one proposition and one evidence row: join them only when read
        joins = " JOIN rm_propositions p ON p.id = c.proposition_id" if re.search(r"\bp\.", cond) else ""
        joins += " JOIN rm_evidence e ON e.owner_id = c.id" if re.search(r"\be\.", cond) else ""
        self._pin(asof)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM rm_claims c{joins} WHERE {cond}", params).fetchone()[0])

    def claim(self, claim_id: str, asof: int | None = None, at: dt.date | None = None) -> ClaimRow | None:
        params = {"id": claim_id, "n": self.position(asof), "at": (at or dt.date.today()).isoformat()}
        self._pin(asof)
        row = self.conn.execute(
            f"SELECT {CLAIM_COLUMNS} FROM rm_claims c JOIN rm_propositions p ON p.id = c.proposition_id"
            f" JOIN rm_evidence e ON e.owner_id = c.id WHERE c.id = :id AND {ALIVE}", params).fetchone()
        return claim_row(row, self._canon(asof)) if row else None

    def timeline(self, entity_id: str, asof: int | None = None, at: dt.date | None = None) -> list[ClaimRow]:
        """Claims by or about an entity in stated order."""
        return self.claims(ClaimFilter(mentions=entity_id), asof=asof, at=at)

    def track_record(self, claimant: str, asof: int | None = None, at: dt.date | None = None) -> TrackRecord:
        """A claimant's promises counted by status (see ``graph.promises.track_record``)."""
        from .promises import track_record

        return track_record(self, claimant, asof, at)

    def resolutions(self, proposition_id: str, asof: int | None = None) -> list[Record]:
        rows = self.conn.execute(
            "SELECT r.id, r.verdict, r.known, r.recorded_at, r.seq_from, e.source_id, e.quote, e.start, e.end,"
            " e.language FROM rm_resolutions r JOIN rm_evidence e ON e.owner_id = r.id"
            " WHERE r.proposition_id = :p AND r.seq_from <= :n AND (r.seq_to IS NULL OR r.seq_to > :n)"
            " ORDER BY r.known_start, r.seq_from", {"p": proposition_id, "n": self.position(asof)})
        keys = ("id", "verdict", "known", "recorded_at", "seq", "source_id", "quote", "start", "end", "language")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def source(self, source_id: str, asof: int | None = None) -> Record | None:
        row = self.conn.execute("SELECT id, text, url, title, publisher, published, language, origin, seq_from"
                                " FROM rm_sources WHERE id = ? AND seq_from <= ?",
                                (source_id, self.position(asof))).fetchone()
        keys = ("id", "text", "url", "title", "publisher", "published", "language", "origin", "seq")
        return dict(zip(keys, row, strict=True)) if row else None

    def by_external_id(self, scheme: str, value: str, asof: int | None = None) -> str | None:
        """The (canonical) entity known under ``scheme:value``, or None."""
        row = self.conn.execute("SELECT entity_id FROM rm_external_ids WHERE scheme = ? AND value = ? AND seq_from <= ?"
                                " ORDER BY seq_from LIMIT 1", (scheme, value, self.position(asof))).fetchone()
        return self.canonical(row[0], asof) if row else None

    def alias_map(self) -> dict[str, str]:
        """Every name and alias -> the (canonical) id of its entity, for extractors."""
        canon = self._canon(None)
        return {alias: canon(eid) for eid, alias in self.conn.execute("SELECT entity_id, alias FROM rm_aliases")}

    # -- what a decision needs ------------------------------------------------------
    def known(self, refs: Iterable[str], pairs: Iterable[tuple[str, str]], source_ids: Iterable[str]) -> Known:
        """A ``Known`` snapshot covering the given references (ids or names)."""
        from .snapshots import known

        return known(self, refs, pairs, source_ids)

    def import_known(self, external_ids: Iterable[tuple[str, str]], ids: Iterable[str], names: Iterable[str],
                     proposition_ids: Iterable[str], source_ids: Iterable[str]) -> ImportKnown:
        """What deciding an import needs (see ``snapshots.import_known``)."""
        from .snapshots import import_known

        return import_known(self, external_ids, ids, names, proposition_ids, source_ids)
