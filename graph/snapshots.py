"""What a decision needs to know, loaded from the read model for the references of one
document: a ``Known`` snapshot for claim files, an ``ImportKnown`` one for RDF imports
(all in chunked queries)."""
from __future__ import annotations

import json
from collections.abc import Iterable

from claimgraph.schema.known import ImportKnown, Known, KnownEntity
from claimgraph.schema.promises import SETTLEMENTS
from claimgraph.schema.text import alias_key
from claimgraph.schema.values import number

from .readmodel import ReadModel, _chunks


def known(read: ReadModel, refs: Iterable[str], pairs: Iterable[tuple[str, str]], source_ids: Iterable[str]) -> Known:
    """A ``Known`` snapshot covering the given references (ids or names)."""
    from claimgraph.schema.model import ObjectValue, Proposition  # only decisions need the model classes

    known = Known(redirects=read.redirects())
    refs = set(refs)
    keys_of = {ref: alias_key(ref) for ref in refs}
    ids: set[str] = set(refs) | {known.canonical(ref) for ref in refs}
    for chunk in _chunks(sorted(set(keys_of.values())), 400):
        marks = ",".join("?" * len(chunk))
        for key, eid in read.conn.execute(f"SELECT key, entity_id FROM rm_aliases WHERE key IN ({marks})", chunk):
            known.alias_index.setdefault(key, set()).add(eid)
            ids.add(eid)
    names: dict[str, str] = {}
    alias_keys: dict[str, set[str]] = {}
    for chunk in _chunks(sorted(ids), 400):
        marks = ",".join("?" * len(chunk))
        names.update(read.conn.execute(f"SELECT id, name FROM rm_entities WHERE id IN ({marks})", chunk))
        for eid, key in read.conn.execute(f"SELECT entity_id, key FROM rm_aliases WHERE entity_id IN ({marks})",
                                          chunk):
            alias_keys.setdefault(eid, set()).add(key)
    for eid, name in names.items():
        known.entities[eid] = KnownEntity(eid, name, alias_keys.get(eid, set()))
    for subject, predicate in pairs:
        target = read.resolve(subject) or subject
        for s in read.same_as(target):
            for row in read.conn.execute(
                    "SELECT id, subject, predicate, object, quantity, unit, due FROM rm_propositions"
                    " WHERE subject = ? AND predicate = ?", (s, predicate)):
                obj = ObjectValue(**json.loads(row[3])) if row[3] else None
                known.propositions.setdefault((target, predicate), []).append(
                    Proposition(id=row[0], subject=row[1], predicate=row[2], object=obj,
                                quantity=number(row[4]), unit=row[5], due=row[6]))
    _settled_dates(read, known)
    for sid in source_ids:
        if read.conn.execute("SELECT 1 FROM rm_sources WHERE id = ?", (sid,)).fetchone():
            known.sources.add(sid)
    return known

def _settled_dates(read: ReadModel, known: Known) -> None:
    """When each known proposition first had a verdict: its earliest resolution, or
    the delivery of its subject for a promise predicate."""
    props = [p for group in known.propositions.values() for p in group]
    for chunk in _chunks([p.id for p in props], 400):
        marks = ",".join("?" * len(chunk))
        known.settled.update(read.conn.execute(
            f"SELECT proposition_id, MIN(known_start) FROM rm_resolutions WHERE proposition_id IN ({marks})"
            " AND seq_to IS NULL GROUP BY proposition_id", chunk))
    for p in props:
        delivered = read.delivery(p.subject, p.predicate) if p.predicate in SETTLEMENTS else None
        if delivered is not None:
            day = delivered.day.isoformat()
            known.settled[p.id] = min(known.settled.get(p.id, day), day)

def import_known(read: ReadModel, external_ids: Iterable[tuple[str, str]], ids: Iterable[str], names: Iterable[str],
                 proposition_ids: Iterable[str], source_ids: Iterable[str]) -> ImportKnown:
    """What deciding an import needs: the entities behind the given external ids,
    ids and names (with their aliases and external ids), which of the ids are taken,
    the propositions and the texts of the sources asked for (in chunked queries)."""
    from claimgraph.schema.model import ObjectValue, Proposition  # only decisions need the model classes

    known = ImportKnown(redirects=read.redirects())
    relevant: set[str] = set()
    pairs = sorted(set(external_ids))
    for scheme in sorted({s for s, _ in pairs}):
        values = [v for s, v in pairs if s == scheme]
        for chunk in _chunks(values, 400):
            for eid, value in read.conn.execute(
                    f"SELECT entity_id, value FROM rm_external_ids WHERE scheme = ? AND value IN"
                    f" ({','.join('?' * len(chunk))}) ORDER BY seq_from DESC", (scheme, *chunk)):
                known.external[(scheme, value)] = known.canonical(eid)  # the first one wins
    relevant.update(known.external.values())
    keys = sorted({alias_key(n) for n in names} - {""})
    for chunk in _chunks(keys, 400):
        for eid, key in read.conn.execute(f"SELECT entity_id, key FROM rm_aliases WHERE key IN"
                                          f" ({','.join('?' * len(chunk))})", chunk):
            known.alias_index.setdefault(key, set()).add(eid)
            relevant.add(known.canonical(eid))
    wanted = sorted(set(ids))
    known.taken.update(i for i in wanted if i in known.redirects)
    for chunk in _chunks(wanted, 400):
        known.taken.update(r[0] for r in read.conn.execute(
            f"SELECT id FROM rm_entities WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    relevant.update(known.taken)
    relevant.update(known.canonical(i) for i in known.taken)
    members = sorted(relevant)
    for chunk in _chunks(members, 400):
        marks = ",".join("?" * len(chunk))
        for eid, name in read.conn.execute(f"SELECT id, name FROM rm_entities WHERE id IN ({marks})", chunk):
            known.entities[eid] = KnownEntity(eid, name, set())
            known.alias_pairs[eid] = set()
            known.external_of[eid] = set()
        for eid, key, lang in read.conn.execute(
                f"SELECT entity_id, key, lang FROM rm_aliases WHERE entity_id IN ({marks})", chunk):
            if eid in known.entities:
                known.entities[eid].alias_keys.add(key)
                known.alias_pairs[eid].add((key, lang))
        for eid, scheme, value in read.conn.execute(
                f"SELECT entity_id, scheme, value FROM rm_external_ids WHERE entity_id IN ({marks})", chunk):
            if eid in known.entities:
                known.external_of[eid].add((scheme, value))
    for chunk in _chunks(sorted(set(proposition_ids)), 400):
        for row in read.conn.execute(
                f"SELECT id, subject, predicate, object, quantity, unit, due, valid_from, valid_to"
                f" FROM rm_propositions WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            obj = ObjectValue(**json.loads(row[3])) if row[3] else None
            known.proposition_by_id[row[0]] = Proposition(
                id=row[0], subject=row[1], predicate=row[2], object=obj, quantity=number(row[4]), unit=row[5],
                due=row[6], valid_from=row[7], valid_to=row[8])
    for chunk in _chunks(sorted(set(source_ids)), 400):
        for sid, text in read.conn.execute(
                f"SELECT id, text FROM rm_sources WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            known.sources.add(sid)
            known.source_texts[sid] = text
    return known
