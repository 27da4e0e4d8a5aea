"""One answer, two stores: the same questions asked of the SQLite read model and of
Neo4j must get the same answers."""
import datetime as dt

import pytest

from claimgraph.ingest.pipeline import ingest_path
from claimgraph.schema.events import ClaimRetracted, EntitiesMerged

from answers import Neo4jAnswers, SqliteAnswers

DAYS = [dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 1)]


@pytest.fixture
def both(store, sample, neo4j_projection, neo4j_driver):
    ingest_path(store, sample)
    neo4j_projection.sync()
    return SqliteAnswers(store.read), Neo4jAnswers(neo4j_driver)


def same(both, question, *args, **kwargs):
    sqlite, neo = both
    a, b = getattr(sqlite, question)(*args, **kwargs), getattr(neo, question)(*args, **kwargs)
    assert a == b, f"{question}{args}{kwargs}: SQLite and Neo4j differ"
    return a


@pytest.mark.parametrize("ref", ["model:grok-3", "Grok3", "grok-3", "H100", "person:elon-musk", "Musk", "nobody"])
def test_entity_by_id_and_alias(both, ref):
    answer = same(both, "entity", ref)
    assert (answer is None) == (ref == "nobody")


@pytest.mark.parametrize("kw", [{"claimant": "person:elon-musk"}, {"claimant": "org:xai"},
                                {"subject": "model:grok-3"}, {"predicate": "release"},
                                {"predicate": "delay"}, {"subject": "model:grok-3", "predicate": "release"}])
@pytest.mark.parametrize("at", DAYS)
def test_claims_by_claimant_subject_predicate(both, kw, at):
    assert same(both, "claims", at=at, **kw)


@pytest.mark.parametrize("entity", ["model:grok-3", "org:xai", "hardware:nvidia-h100"])
def test_timeline(both, entity):
    assert same(both, "timeline", entity, at=DAYS[-1])


@pytest.mark.parametrize("at", DAYS)
def test_track_record(both, at):
    record = same(both, "track_record", "person:elon-musk", at=at)
    assert record["promises"] >= 2


def test_as_of_log_positions(both, store):
    for n in range(0, store.head() + 1, 4):
        same(both, "claims", asof=n, at=DAYS[-1])


def test_retractions_and_merges_are_reflected(both, store, neo4j_projection):
    sqlite, _ = both
    july = next(c for c in sqlite.claims(claimant="person:elon-musk", predicate="release") if c["stated"] == "2024-07")
    store.append([ClaimRetracted(claim_id=july["id"], reason="test"),
                  EntitiesMerged(from_id="model:grok-2-5", into_id="model:grok-3")], actor="test")
    neo4j_projection.sync()
    assert july["id"] not in same(both, "timeline", "model:grok-3")
    merged = same(both, "entity", "model:grok-2-5")
    assert merged["id"] == "model:grok-3" and "Grok 2.5" in merged["aliases"]
    same(both, "claims", subject="model:grok-3", at=DAYS[-1])
    same(both, "track_record", "org:xai", at=DAYS[-1])
