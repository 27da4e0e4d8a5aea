"""Questions to the read model, on both clocks.

``asof`` is a log position (recorded time): rows count when ``seq_from <= asof`` and
they were not ended (``seq_to``) by then. ``at`` is a date (valid time) for statuses.
Both default to "now". Entity ids are followed through merges, so a question about an
old id is answered for the entity it was merged into.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from claimgraph.schema.decide import Known, KnownEntity
from claimgraph.schema.model import ObjectValue, Proposition, follow, is_promise
from claimgraph.schema.text import alias_key

INF = 1 << 62

STATUS_SQL = """COALESCE(
  (SELECT r.verdict FROM rm_resolutions r
    WHERE r.proposition_id = p.id AND r.seq_from <= :n AND (r.seq_to IS NULL OR r.seq_to > :n)
      AND r.known_start <= :at
    ORDER BY r.known_start DESC, r.seq_from DESC LIMIT 1),
  CASE WHEN p.due_end IS NOT NULL AND p.due_end < :at THEN 'overdue' ELSE 'pending' END)"""

CLAIM_COLUMNS = f"""c.id, c.claimant, c.subject, c.predicate, p.object, p.quantity, p.unit, p.due,
  c.stated, c.channel, c.modality, c.confidence, c.extractor, c.actor, c.recorded_at, c.seq_from,
  c.proposition_id, e.source_id, e.quote, e.start, e.end, e.language, e.verified,
  {STATUS_SQL} AS status"""

ALIVE = "c.seq_from <= :n AND (c.seq_to IS NULL OR c.seq_to > :n)"


@dataclass
class EntityRow:
    id: str
    kind: str
    name: str
    aliases: list[tuple[str, str | None]]
    external_ids: dict[str, str]
    seq_from: int
    merged_from: list[str] = field(default_factory=list)


@dataclass
class ClaimRow:
    id: str
    claimant: str
    subject: str
    predicate: str
    object: dict | None
    quantity: float | int | None
    unit: str | None
    due: str | None
    stated: str
    channel: str
    modality: str
    confidence: float | None
    extractor: str | None
    actor: str
    recorded_at: str
    seq: int
    proposition_id: str
    source_id: str
    quote: str
    start: int
    end: int
    language: str | None
    verified: bool
    status: str

    @property
    def is_promise(self) -> bool:
        return is_promise(self.modality, self.due)

    def as_json(self) -> dict:
        d = dict(self.__dict__)
        d["is_promise"] = self.is_promise
        return d


@dataclass
class ClaimFilter:
    claimant: str | None = None
    subject: str | None = None
    mentions: str | None = None
    about: str | None = None
    predicate: str | None = None
    modality: str | None = None
    status: str | None = None
    channel: str | None = None
    stated_from: str | None = None
    stated_to: str | None = None
    text: str | None = None
    extracted: bool | None = None
    source: str | None = None
    all_of: list["ClaimFilter"] | None = None
    any_of: list["ClaimFilter"] | None = None


@dataclass
class TrackRecord:
    claimant: str
    promises: int = 0
    kept: int = 0
    broken: int = 0
    partly_kept: int = 0
    withdrawn: int = 0
    unresolvable: int = 0
    pending: int = 0
    overdue: int = 0
    claims: list[ClaimRow] = field(default_factory=list)


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _claim(row: Sequence, canon) -> ClaimRow:
    (cid, claimant, subject, predicate, obj, qty, unit, due, stated, channel, modality, conf,
     extractor, actor, rec, seq, pid, sid, quote, start, end, lang, verified, status) = row
    obj = json.loads(obj) if obj else None
    if obj and "entity" in obj:
        obj = {"entity": canon(obj["entity"])}
    return ClaimRow(cid, canon(claimant), canon(subject), predicate, obj, _num(qty), unit, due, stated,
                    channel, modality, conf, extractor, actor, rec, seq, pid, sid, quote, start, end,
                    lang, bool(verified), status)


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


class ReadModel:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._memo: dict = {}
        self._version: int | None = None

    def at_version(self, checkpoint: int) -> None:
        """Tell the read model which log position its tables reflect; memoised look-ups
        (redirects, id resolution) are kept only while that stays the same."""
        if checkpoint != self._version:
            self._memo.clear()
            self._version = checkpoint

    def _memoised(self, key, compute):
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

    def redirects(self, asof: int | None = None) -> dict[str, str]:
        return self._memoised(("redirects", asof), lambda: dict(self.conn.execute(
            "SELECT old_id, new_id FROM rm_redirects WHERE seq_from <= ?", (self.position(asof),))))

    def canonical(self, entity_id: str, asof: int | None = None, redirects: dict | None = None) -> str:
        return follow(self.redirects(asof) if redirects is None else redirects, entity_id)

    def _canon(self, asof: int | None):
        redirects = self.redirects(asof)
        if not redirects:
            return lambda x: x
        return lambda x: self.canonical(x, redirects=redirects)

    def same_as(self, entity_id: str, asof: int | None = None) -> list[str]:
        """The entity's id and every id merged into it (as of ``asof``)."""
        return self._memoised(("same_as", entity_id, asof), lambda: self._same_as(entity_id, asof))

    def _same_as(self, entity_id: str, asof: int | None) -> list[str]:
        target = self.canonical(entity_id, asof)
        if not self.redirects(asof):
            return [target]
        rows = self.conn.execute("""WITH RECURSIVE ids(id) AS (SELECT ? UNION
            SELECT r.old_id FROM rm_redirects r JOIN ids ON r.new_id = ids.id WHERE r.seq_from <= ?)
            SELECT id FROM ids""", (target, self.position(asof))).fetchall()
        return [r[0] for r in rows]

    def resolve(self, ref: str, asof: int | None = None) -> str | None:
        """An entity id for an id or a name/alias, or None."""
        return self._memoised(("resolve", ref, asof), lambda: self._resolve(ref, asof))

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
        rows: dict[str, tuple] = {}
        aliases: dict[str, list[tuple]] = {}
        for chunk in _chunks(all_ids, 400):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(f"SELECT id, kind, name, external_ids, seq_from FROM rm_entities"
                                       f" WHERE id IN ({marks}) AND seq_from <= ?", (*chunk, n)):
                rows[r[0]] = r
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
                if member in rows and rows[member][3]:
                    ext.update(json.loads(rows[member][3]))
            built[t] = EntityRow(t, row[1], row[2], unique, ext, row[4], [m for m in members[t] if m != t])
        return {i: built[canon[i]] for i in ids}

    def entities(self, kind: str | None = None, search: str | None = None, asof: int | None = None,
                 limit: int = 50, after: str | None = None) -> tuple[list[EntityRow], int]:
        n = self.position(asof)
        where = ["e.seq_from <= :n", "e.id NOT IN (SELECT old_id FROM rm_redirects WHERE seq_from <= :n)"]
        params: dict = {"n": n}
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
        return [found[i] for i in ids], total

    # -- claims -------------------------------------------------------------------
    def _where(self, f: ClaimFilter, asof: int | None) -> tuple[str, dict]:
        params: dict = {}
        cond = self._conditions(f, asof, params, [0])
        return (f"{ALIVE} AND {cond}" if cond else ALIVE), params

    def _conditions(self, f: ClaimFilter, asof: int | None, params: dict, counter: list[int]) -> str:
        """SQL for one filter (fields AND-ed, then its all_of/any_of parts); parameter
        names are numbered so nested filters never collide."""
        where: list[str] = []

        def param(value) -> str:
            counter[0] += 1
            name = f"f{counter[0]}"
            params[name] = value
            return ":" + name

        def ids(ref: str) -> str:
            target = self.resolve(ref, asof) or ref
            return ",".join(param(i) for i in self.same_as(target, asof))

        if f.claimant:
            where.append(f"c.claimant IN ({ids(f.claimant)})")
        if f.subject:
            where.append(f"c.subject IN ({ids(f.subject)})")
        if f.mentions:
            marks = ids(f.mentions)
            where.append(f"(c.claimant IN ({marks}) OR c.subject IN ({marks}) OR c.object_entity IN ({marks}))")
        if f.about:
            marks = ids(f.about)
            where.append(f"(c.subject IN ({marks}) OR c.object_entity IN ({marks}))")
        if f.predicate:
            where.append(f"c.predicate = {param(f.predicate)}")
        if f.modality:
            where.append(f"c.modality = {param(f.modality)}")
        if f.channel:
            where.append(f"c.channel = {param(f.channel)}")
        if f.status:
            where.append(f"{STATUS_SQL} = {param(f.status)}")
        if f.stated_from:
            where.append(f"c.stated >= {param(f.stated_from)}")
        if f.stated_to:
            mark = param(f.stated_to)
            where.append(f"substr(c.stated, 1, length({mark})) <= {mark}")
        if f.text:
            literal = f.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            mark = param(f"%{literal}%")  # % and _ in the text match themselves
            where.append(f"(e.quote LIKE {mark} ESCAPE '\\' OR c.predicate LIKE {mark} ESCAPE '\\'"
                         f" OR p.object LIKE {mark} ESCAPE '\\')")
        if f.extracted is not None:
            where.append("c.extractor IS NOT NULL" if f.extracted else "c.extractor IS NULL")
        if f.source:
            where.append(f"e.source_id = {param(f.source)}")
        for part in f.all_of or ():
            where.append(self._conditions(part, asof, params, counter) or "1")
        if f.any_of:
            where.append("(" + " OR ".join(f"({self._conditions(p, asof, params, counter) or '1'})"
                                           for p in f.any_of) + ")")
        return " AND ".join(where)

    def statuses(self, proposition_ids: Iterable[str], asof: int | None, at: dt.date) -> dict[str, str]:
        """Status of many propositions at one valid-time date, in one query."""
        ids = list(dict.fromkeys(proposition_ids))
        out: dict[str, str] = {}
        for chunk in _chunks(ids, 400):
            marks = ",".join(f":i{k}" for k in range(len(chunk)))
            params = {f"i{k}": v for k, v in enumerate(chunk)}
            params.update(n=self.position(asof), at=at.isoformat())
            out.update(self.conn.execute(
                f"SELECT p.id, {STATUS_SQL} FROM rm_propositions p WHERE p.id IN ({marks})", params))
        return out

    def sources_by_id(self, ids: Iterable[str], asof: int | None = None) -> dict[str, dict | None]:
        ids = list(dict.fromkeys(ids))
        keys = ("id", "url", "title", "publisher", "published", "language", "origin", "seq")
        found: dict[str, dict] = {}
        for chunk in _chunks(ids, 400):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                    f"SELECT id, url, title, publisher, published, language, origin, seq_from FROM rm_sources"
                    f" WHERE id IN ({marks}) AND seq_from <= ?", (*chunk, self.position(asof))):
                found[row[0]] = dict(zip(keys, row, strict=True))
        return {i: found.get(i) for i in ids}

    def sources(self, asof: int | None = None, limit: int = 50, after: str | None = None) -> tuple[list[dict], int]:
        n = self.position(asof)
        total = self.conn.execute("SELECT COUNT(*) FROM rm_sources WHERE seq_from <= ?", (n,)).fetchone()[0]
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM rm_sources WHERE seq_from <= ? AND id > ? ORDER BY id LIMIT ?", (n, after or "", limit))]
        found = self.sources_by_id(ids, asof)
        return [found[i] for i in ids], total

    def claims(self, f: ClaimFilter | None = None, asof: int | None = None, at: dt.date | None = None,
               limit: int | None = None, after: tuple | None = None, order: str = "stated",
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
        return [_claim(r, canon) for r in self.conn.execute(sql, params)]

    def claims_page(self, f: ClaimFilter | None = None, asof: int | None = None, at: dt.date | None = None,
                    limit: int = 20, after: tuple | None = None, order: str = "stated",
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
        return self.conn.execute(f"SELECT COUNT(*) FROM rm_claims c{joins} WHERE {cond}", params).fetchone()[0]

    def claim(self, claim_id: str, asof: int | None = None, at: dt.date | None = None) -> ClaimRow | None:
        params = {"id": claim_id, "n": self.position(asof), "at": (at or dt.date.today()).isoformat()}
        row = self.conn.execute(
            f"SELECT {CLAIM_COLUMNS} FROM rm_claims c JOIN rm_propositions p ON p.id = c.proposition_id"
            f" JOIN rm_evidence e ON e.owner_id = c.id WHERE c.id = :id AND {ALIVE}", params).fetchone()
        return _claim(row, self._canon(asof)) if row else None

    def timeline(self, entity_id: str, asof: int | None = None, at: dt.date | None = None) -> list[ClaimRow]:
        """Claims by or about an entity in stated order."""
        return self.claims(ClaimFilter(mentions=entity_id), asof=asof, at=at)

    def track_record(self, claimant: str, asof: int | None = None, at: dt.date | None = None) -> TrackRecord:
        """A claimant's promises (forward-looking claims: promised/planned/predicted, or any
        claim with a due date other than a denial) counted by status."""
        record = TrackRecord(self.canonical(claimant, asof))
        for c in self.claims(ClaimFilter(claimant=claimant), asof=asof, at=at):
            if not c.is_promise:
                continue
            record.promises += 1
            setattr(record, c.status, getattr(record, c.status) + 1)
            record.claims.append(c)
        return record

    def resolutions(self, proposition_id: str, asof: int | None = None) -> list[dict]:
        rows = self.conn.execute(
            "SELECT r.id, r.verdict, r.known, r.recorded_at, r.seq_from, e.source_id, e.quote, e.start, e.end,"
            " e.language FROM rm_resolutions r JOIN rm_evidence e ON e.owner_id = r.id"
            " WHERE r.proposition_id = :p AND r.seq_from <= :n AND (r.seq_to IS NULL OR r.seq_to > :n)"
            " ORDER BY r.known_start, r.seq_from", {"p": proposition_id, "n": self.position(asof)})
        keys = ("id", "verdict", "known", "recorded_at", "seq", "source_id", "quote", "start", "end", "language")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def source(self, source_id: str, asof: int | None = None) -> dict | None:
        row = self.conn.execute("SELECT id, text, url, title, publisher, published, language, origin, seq_from"
                                " FROM rm_sources WHERE id = ? AND seq_from <= ?",
                                (source_id, self.position(asof))).fetchone()
        keys = ("id", "text", "url", "title", "publisher", "published", "language", "origin", "seq")
        return dict(zip(keys, row, strict=True)) if row else None

    def alias_map(self) -> dict[str, str]:
        """Every name and alias -> the (canonical) id of its entity, for extractors."""
        canon = self._canon(None)
        return {alias: canon(eid) for eid, alias in self.conn.execute("SELECT entity_id, alias FROM rm_aliases")}

    # -- what a decision needs ------------------------------------------------------
    def known(self, refs: Iterable[str], pairs: Iterable[tuple[str, str]], source_ids: Iterable[str]) -> Known:
        """A ``Known`` snapshot covering the given references (ids or names)."""
        known = Known(redirects=self.redirects())
        ids: set[str] = set()
        for ref in refs:
            key = alias_key(ref)
            for (eid,) in self.conn.execute("SELECT entity_id FROM rm_aliases WHERE key = ?", (key,)):
                known.alias_index.setdefault(key, set()).add(eid)
                ids.add(eid)
            ids.add(ref)
            ids.add(known.canonical(ref))
        for eid in ids:
            row = self.conn.execute("SELECT name FROM rm_entities WHERE id = ?", (eid,)).fetchone()
            if row:
                keys = {r[0] for r in self.conn.execute("SELECT key FROM rm_aliases WHERE entity_id = ?", (eid,))}
                known.entities[eid] = KnownEntity(eid, row[0], keys)
        for subject, predicate in pairs:
            target = self.resolve(subject) or subject
            for s in self.same_as(target):
                for row in self.conn.execute(
                        "SELECT id, subject, predicate, object, quantity, unit, due FROM rm_propositions"
                        " WHERE subject = ? AND predicate = ?", (s, predicate)):
                    obj = ObjectValue(**json.loads(row[3])) if row[3] else None
                    known.propositions.setdefault((target, predicate), []).append(
                        Proposition(id=row[0], subject=row[1], predicate=row[2], object=obj,
                                    quantity=_num(row[4]), unit=row[5], due=row[6]))
        for sid in source_ids:
            if self.conn.execute("SELECT 1 FROM rm_sources WHERE id = ?", (sid,)).fetchone():
                known.sources.add(sid)
        return known
