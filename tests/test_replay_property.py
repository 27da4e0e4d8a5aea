"""Property: however events arrive (any mix, any batch split), the incrementally built
read model equals a rebuild and a fresh replay."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.graph.store import Store
from claimgraph.schema.events import (
    ClaimRecorded,
    ClaimRetracted,
    EntitiesMerged,
    EntityAliased,
    EntityRegistered,
    PropositionResolved,
    ResolutionRetracted,
    SourceRegistered,
)
from claimgraph.schema.model import Evidence, ObjectValue, Proposition, content_id, source_id

MODELS = [f"model:m-{i}" for i in range(4)]
PEOPLE = [f"person:p-{i}" for i in range(3)]
EVIDENCE = Evidence(source_id=source_id("x"), quote="x", start=0, end=1)


@st.composite
def histories(draw):
    events = [SourceRegistered(source_id=EVIDENCE.source_id, text="x")]
    events += [EntityRegistered(entity_id=e, kind=e.split(":")[0], name=e) for e in MODELS + PEOPLE]
    claims, resolutions = [], []
    for step in range(draw(st.integers(1, 25))):
        op = draw(st.sampled_from(["claim", "claim", "claim", "released", "retract", "resolve", "unresolve", "alias",
                                   "merge"]))
        if op == "released":  # a fact that settles the subject's release promises
            prop = Proposition.make(draw(st.sampled_from(MODELS)), "released",
                                    ObjectValue(date=draw(st.sampled_from(["2024-11-05", "2025-02", "2031"]))))
            cid = content_id("claim", [step, prop.id])
            claims.append((cid, prop.id))
            events.append(ClaimRecorded(claim_id=cid, claimant=draw(st.sampled_from(PEOPLE)), proposition=prop,
                                        stated="2025-03", channel="blog", modality="asserted", evidence=EVIDENCE))
        elif op == "claim":
            prop = Proposition.make(draw(st.sampled_from(MODELS)), "release",
                                    due=draw(st.sampled_from([None, "2024-12-31", "2025"])))
            cid = content_id("claim", [step, prop.id])
            claims.append((cid, prop.id))
            events.append(ClaimRecorded(claim_id=cid, claimant=draw(st.sampled_from(PEOPLE)), proposition=prop,
                                        stated="2024-07", channel="x_post", modality="promised", evidence=EVIDENCE))
        elif op == "retract" and claims:
            events.append(ClaimRetracted(claim_id=draw(st.sampled_from(claims))[0], reason="r"))
        elif op == "resolve" and claims:
            rid = f"resolution:{step}"
            resolutions.append(rid)
            events.append(PropositionResolved(resolution_id=rid, proposition_id=draw(st.sampled_from(claims))[1],
                                              verdict=draw(st.sampled_from(["kept", "broken"])),
                                              known="2025-01", evidence=EVIDENCE))
        elif op == "unresolve" and resolutions:
            events.append(ResolutionRetracted(resolution_id=draw(st.sampled_from(resolutions)), reason="r"))
        elif op == "alias":
            events.append(EntityAliased(entity_id=draw(st.sampled_from(MODELS)), alias=draw(st.sampled_from(["A", "B"]))))
        elif op == "merge":
            a, b = draw(st.sampled_from(MODELS)), draw(st.sampled_from(MODELS))
            if a != b:
                events.append(EntitiesMerged(from_id=a, into_id=b))
    cuts = sorted(draw(st.lists(st.integers(0, len(events)), max_size=4)))
    return events, cuts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories())
def test_incremental_equals_rebuild_equals_replay(tmp_path_factory, history):
    events, cuts = history
    store = Store(str(tmp_path_factory.mktemp("p") / "p.db"))
    try:
        bounds = [0] + cuts + [len(events)]
        for a, b in zip(bounds, bounds[1:]):
            if b > a:
                store.append(events[a:b], actor="prop")
        incremental = store.projection.digest()
        store.verify()  # equals a fresh replay
        store.rebuild()
        assert store.projection.digest() == incremental
        # as-of every position answers like a replay stopped there
        for n in range(0, store.head() + 1, max(1, store.head() // 5)):
            claims_asof = {c.id: c.status for c in store.read.claims(asof=n)}
            fresh = Store(str(tmp_path_factory.mktemp("f") / "f.db"))
            fresh.append([e.event() for e in store.log.read(upto=n)], actor="prop")
            assert {c.id: c.status for c in fresh.read.claims()} == claims_asof
            fresh.close()
    finally:
        store.close()
