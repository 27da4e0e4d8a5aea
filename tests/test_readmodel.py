import datetime as dt

import pytest

from claimgraph.graph.readmodel import ClaimFilter
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.schema.errors import InputError
from claimgraph.schema.events import ClaimRetracted, EntitiesMerged, ResolutionRetracted

from helpers import write_claim_file

JULY_QUOTE = "Grok 3 nach dem Training mit 100.000 H100-Grafikkarten Ende des Jahres auf den Markt kommen"


def july_promise(store, **kw):
    (claim,) = [c for c in store.read.claims(ClaimFilter(claimant="person:elon-musk", predicate="release"), **kw)
                if c.stated == "2024-07"]
    return claim


def test_the_sample_july_promise_is_broken_with_its_quote(store, sample):
    ingest_path(store, sample)
    claim = july_promise(store)
    assert claim.status == "broken"
    assert claim.quote == JULY_QUOTE
    text = store.read.source(claim.source_id)["text"]
    assert text[claim.start:claim.end] == JULY_QUOTE


def test_status_on_the_valid_time_axis(store, sample):
    ingest_path(store, sample)
    assert july_promise(store, at=dt.date(2024, 12, 1)).status == "pending"
    assert july_promise(store, at=dt.date(2025, 1, 1)).status == "overdue"
    assert july_promise(store, at=dt.date(2025, 1, 2)).status == "broken"


def test_as_of_a_log_position_answers_from_what_was_known_then(store, sample):
    ingest_path(store, sample)
    resolution = store.read.resolutions(july_promise(store).proposition_id)[0]
    before = resolution["seq"] - 1
    assert july_promise(store, asof=before, at=dt.date(2025, 6, 1)).status == "overdue"
    assert july_promise(store, asof=resolution["seq"], at=dt.date(2025, 6, 1)).status == "broken"
    assert store.read.claims(asof=0) == []
    assert store.read.entity("model:grok-3", asof=0) is None


def test_rebuild_gives_the_same_digest_as_the_incremental_model(store, sample):
    ingest_path(store, sample)
    store.append([ClaimRetracted(claim_id=july_promise(store).id, reason="test")], actor="t")
    incremental = store.projection.digest()
    store.rebuild()
    assert store.projection.digest() == incremental
    assert store.verify().lag == 0


def test_retractions_hide_claims_now_but_not_as_of_before(store, sample):
    ingest_path(store, sample)
    claim = july_promise(store)
    store.append([ClaimRetracted(claim_id=claim.id, reason="misattributed")], actor="t")
    assert store.read.claim(claim.id) is None
    assert store.read.claim(claim.id, asof=claim.seq).id == claim.id


def test_retracted_resolution_no_longer_decides_the_status(store, sample):
    ingest_path(store, sample)
    claim = july_promise(store)
    (res,) = store.read.resolutions(claim.proposition_id)
    store.append([ResolutionRetracted(resolution_id=res["id"], reason="wrong date")], actor="t")
    assert store.read.claim(claim.id, at=dt.date(2025, 6, 1)).status == "overdue"


def test_merges_redirect_old_ids(store, sample, tmp_path):
    ingest_path(store, sample)
    path = write_claim_file(tmp_path / "m", """
source: {path: article.txt}
entities:
  - {id: model:grok3-beta, name: Grok 3 Beta}
claims:
  - {claimant: person:elon-musk, stated: 2025-02, channel: livestream, subject: model:grok3-beta,
     predicate: released, object: {date: 2025-02-17}, modality: asserted, quote: "Grok 3 Beta is out"}
""", article="Musk said: Grok 3 Beta is out.\n")
    ingest_path(store, path)
    before = store.head()
    store.append([EntitiesMerged(from_id="model:grok3-beta", into_id="model:grok-3")], actor="t")
    assert store.read.entity("model:grok3-beta").id == "model:grok-3"
    assert "Grok 3 Beta" in [a for a, _ in store.read.entity("model:grok-3").aliases]
    subjects = {c.subject for c in store.read.timeline("model:grok-3")}
    assert subjects == {"model:grok-3", "org:xai"}
    assert any(c.predicate == "released" for c in store.read.timeline("model:grok-3"))
    # before the merge, the old id was its own entity
    assert store.read.entity("model:grok3-beta", asof=before).id == "model:grok3-beta"


def test_track_record_counts_promises_by_status(store, sample):
    ingest_path(store, sample)
    r = store.read.track_record("person:elon-musk", at=dt.date(2025, 6, 1))
    assert (r.broken, r.kept) == (2, 0)
    assert r.promises == r.broken + r.pending + r.overdue + r.kept + r.partly_kept + r.withdrawn + r.unresolvable
    assert store.read.track_record("org:anthropic").withdrawn == 1


def test_aliases_resolve_to_ids(store, sample):
    ingest_path(store, sample)
    assert store.read.resolve("Grok3") == "model:grok-3"
    assert store.read.resolve("grok-3") == "model:grok-3"
    assert store.read.resolve("H100-Grafikkarte") == "hardware:nvidia-h100"
    assert store.read.resolve("nobody") is None


def test_a_validity_interval_is_kept_and_only_a_given_one_changes_the_proposition_id(store, tmp_path):
    from claimgraph.schema.model import Proposition

    assert Proposition.make("org:openai", "leads").id == Proposition.make("org:openai", "leads", valid_to=None).id
    assert Proposition.make("org:openai", "leads").id != Proposition.make("org:openai", "leads", valid_from="2019").id
    path = write_claim_file(tmp_path / "v", """source: {path: article.txt}
claims:
  - {claimant: org:acme, stated: 2024, channel: docs, subject: person:alice, predicate: leads, object: org:acme,
     valid_from: 2019-03, valid_to: 2023-11, modality: asserted, quote: "Alice said"}
""")
    ingest_path(store, path)
    (claim,) = store.read.claims()
    assert (claim.valid_from, claim.valid_to) == ("2019-03", "2023-11")
    bad = write_claim_file(tmp_path / "w", path.read_text().replace("valid_to: 2023-11", "valid_to: 2018"))
    with pytest.raises(InputError, match="valid_to 2018 is before valid_from 2019-03"):
        ingest_path(store, bad)


def test_an_external_id_learned_later_counts_from_when_it_was_learned(store):
    from claimgraph.schema.events import EntityRegistered, ExternalIdAdded

    store.append([EntityRegistered(entity_id="org:nvidia", kind="org", name="Nvidia")], actor="t")
    before = store.head()
    store.append([ExternalIdAdded(entity_id="org:nvidia", scheme="wikidata", value="Q182477")], actor="t")
    assert store.read.entity("org:nvidia").external_ids == {"wikidata": "Q182477"}
    assert store.read.entity("org:nvidia", asof=before).external_ids == {}
    assert store.read.by_external_id("wikidata", "Q182477") == "org:nvidia"
    assert store.read.by_external_id("wikidata", "Q182477", asof=before) is None
