"""One answer, two stores: the same questions asked of the SQLite read model and of
Neo4j must get the same answers."""
import datetime as dt

import pytest

from claimgraph.ingest.pipeline import ingest_path
from claimgraph.schema.events import ClaimRetracted, EntitiesMerged, ResolutionRetracted

from answers import Neo4jAnswers, SqliteAnswers

# before the due date, after it, after the report of the delay, before and after Grok 3's release
DAYS = [dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 2, 16), dt.date(2025, 2, 18), dt.date(2025, 6, 1)]
LAUNCH = "grok3-launch.yaml"  # the second sample document: the fact that settles the promises


@pytest.fixture(params=["delay", "delay+launch"])
def both(request, store, sample, neo4j_projection, neo4j_driver):
    ingest_path(store, sample)
    if request.param == "delay+launch":
        ingest_path(store, sample.with_name(LAUNCH))
    neo4j_projection.sync(today=DAYS[0])  # one-hop statuses are those of the sync's day
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


@pytest.mark.parametrize("kw", [{"subject": "model:grok-3"}, {"claimant": "person:elon-musk"},
                                {"claimant": "org:grok3-report-publisher"}, {}])
def test_one_hop_view_and_its_statuses_as_days_pass(both, neo4j_projection, kw):
    statuses = []
    for day in DAYS:  # no new event: each sync only moves the statuses on to its day
        neo4j_projection.sync(today=day)
        hops = same(both, "one_hop", at=day, **kw)
        assert hops
        statuses.append({h["claimId"]: h["status"] for h in hops})
    if kw.get("subject") == "model:grok-3":
        release = [c for c, _ in statuses[0].items() if statuses[-1][c] == "broken"]
        assert release and [s[release[0]] for s in statuses][:3] == ["pending", "overdue", "broken"]


def test_revision_chains(both):
    revisions = same(both, "revisions")
    sqlite, _ = both
    if any(c["predicate"] == "released" for c in sqlite.claims()):
        assert revisions  # Musk's release promises: end of 2024, then in a week or two, then Monday


@pytest.mark.parametrize("both", ["delay+launch"], indirect=True)  # the fact comes with the second document
def test_a_fact_settles_the_open_promises_and_its_retraction_reopens_them(both, store, neo4j_projection):
    sqlite, _ = both
    facts = [c for c in sqlite.claims(predicate="released")]
    neo4j_projection.sync(today=DAYS[-1])
    kept = [h for h in same(both, "one_hop", subject="model:grok-3", at=DAYS[-1]) if h["status"] == "kept"]
    assert len(kept) == 2  # the two February promises: delivered on 17 February, within both
    store.append([ClaimRetracted(claim_id=facts[0]["id"], reason="test")], actor="test")
    neo4j_projection.sync(today=DAYS[-1])
    hops = same(both, "one_hop", subject="model:grok-3", at=DAYS[-1])
    assert {h["status"] for h in hops if h["claimId"] in {k["claimId"] for k in kept}} == {"overdue"}
    same(both, "claims", subject="model:grok-3", at=DAYS[-1])
    same(both, "revisions")


def test_retractions_and_merges_are_reflected(both, store, neo4j_projection):
    sqlite, _ = both
    july = next(c for c in sqlite.claims(claimant="person:elon-musk", predicate="release") if c["stated"] == "2024-07")
    store.append([ClaimRetracted(claim_id=july["id"], reason="test"),
                  EntitiesMerged(from_id="model:grok-2-5", into_id="model:grok-3")], actor="test")
    neo4j_projection.sync(today=DAYS[-1])
    assert july["id"] not in same(both, "timeline", "model:grok-3")
    merged = same(both, "entity", "model:grok-2-5")
    assert merged["id"] == "model:grok-3" and "Grok 2.5" in merged["aliases"]
    same(both, "claims", subject="model:grok-3", at=DAYS[-1])
    same(both, "track_record", "org:xai", at=DAYS[-1])
    hops = same(both, "one_hop", subject="model:grok-3", at=DAYS[-1])
    assert july["id"] not in {h["claimId"] for h in hops}
    assert any(h["claimant"] == "org:xai" and h["type"] == "HEDGED" for h in hops)  # was about Grok 2.5
    same(both, "one_hop", claimant="org:xai", at=DAYS[-1])
    same(both, "revisions")


def test_a_retracted_resolution_reopens_the_promise(both, store, neo4j_projection):
    sqlite, _ = both
    release = next(c for c in sqlite.claims(claimant="person:elon-musk", predicate="release"))
    broken = [r for r in store.read.resolutions(release["proposition"]) if r["verdict"] == "broken"]
    store.append([ResolutionRetracted(resolution_id=broken[0]["id"], reason="test")], actor="test")
    neo4j_projection.sync(today=DAYS[-1])
    hops = same(both, "one_hop", subject="model:grok-3", at=DAYS[-1])
    delivered = any(c["predicate"] == "released" for c in sqlite.claims())  # then the late release settles it
    assert {h["status"] for h in hops if h["claimId"] == release["id"]} == {"broken" if delivered else "overdue"}
    same(both, "claims", subject="model:grok-3", at=DAYS[-1])
