"""The curated sample claim file records what the seed report says."""
from claimgraph.graph.readmodel import ClaimFilter
from claimgraph.ingest.pipeline import ingest_path


def find(store, **kw):
    return store.read.claims(ClaimFilter(**kw))


def test_sample_covers_the_reported_claims(store, sample):
    ingest_path(store, sample)
    musk_july = find(store, claimant="person:elon-musk", stated_from="2024-07", stated_to="2024-07")
    assert {(c.predicate, c.channel, c.modality) for c in musk_july} >= {
        ("release", "x_post", "promised"), ("trained_on", "x_post", "asserted"), ("described_as", "x_post", "predicted")}
    (h100,) = [c for c in musk_july if c.predicate == "trained_on"]
    assert h100.object == {"entity": "hardware:nvidia-h100"} and h100.quantity == 100000
    august = find(store, claimant="person:elon-musk", channel="interview")
    assert {(c.predicate, c.modality) for c in august} >= {("release", "hedged"), ("most_capable", "aspired")}
    assert find(store, claimant="org:xai", predicate="release", modality="planned")
    assert find(store, subject="model:grok-2-5", channel="website_code")
    assert find(store, subject="model:claude-3-5-opus", predicate="remove_from_roadmap")
    assert find(store, subject="org:google", predicate="delay") and find(store, subject="org:openai", predicate="delay")
    assert find(store, subject="org:xai", predicate="team_size")
    (promise,) = find(store, claimant="person:elon-musk", channel="x_post", predicate="release")
    (res,) = store.read.resolutions(promise.proposition_id)
    assert res["verdict"] == "broken" and res["known"] == "2025-01-02"


def test_sample_entities_have_english_and_german_aliases(store, sample):
    ingest_path(store, sample)
    h100 = store.read.entity("hardware:nvidia-h100")
    langs = {lang for _, lang in h100.aliases}
    assert {"de", "en"} <= langs
    assert store.read.resolve("Grok-3") == store.read.resolve("Grok3") == "model:grok-3"
