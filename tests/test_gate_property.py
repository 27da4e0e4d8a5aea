"""Whatever a claim file can carry is either refused with a clear error (nothing appended)
or, once appended, replays, verifies, exports as RDF and is served as JSON."""
from __future__ import annotations

import io
import itertools
import json

import orjson
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from claimgraph.api.context import Context
from claimgraph.api.graphql_engine import Engine
from claimgraph.api.graphql_limits import Limits
from claimgraph.api.graphql_schema import build_schema
from claimgraph.graph.rdf_export import write
from claimgraph.graph.store import Store
from claimgraph.ingest.commands import ingest_text
from claimgraph.schema.errors import InputError

any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30)
numbers = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                    st.none(), any_text)
values = st.one_of(any_text, numbers, st.lists(any_text, max_size=2))
dates = st.one_of(st.sampled_from(["2024", "2024-07", "2024-02-30", "2024-13", "0000", "2024-07-22T10:00:00"]),
                  st.integers(-5, 3000), any_text)

ENGINE = Engine(build_schema(), Limits())
RUNS = itertools.count()
QUERY = "{ claims(first: 100) { totalCount edges { node { id quantity unit stated due object { label } " \
        "evidence { quote start end } claimant { id name } } } } }"


def mostly(valid, hostile):
    """Valid nine times in ten, so that both the refusal and the acceptance path are taken."""
    return st.integers(0, 9).flatmap(lambda i: hostile if i == 0 else valid)


@st.composite
def claim_files(draw):
    quote = draw(st.text(min_size=1, max_size=20).filter(lambda q: q.strip()))
    claim = {"claimant": draw(mostly(st.just("person:alice"), any_text)),
             "stated": draw(mostly(st.sampled_from(["2024", "2024-07", "2024-07-22"]), dates)),
             "channel": draw(mostly(st.just("blog"), st.just("nonsense"))),
             "subject": draw(mostly(st.just("model:foo"), any_text)),
             "predicate": draw(mostly(st.just("release"), any_text)),
             "modality": draw(mostly(st.just("promised"), st.just("bogus"))), "quote": quote}
    optional = {"quantity": mostly(st.integers(-10**15, 10**15) | st.floats(-1e15, 1e15), numbers),
                "unit": mostly(st.text(min_size=1, max_size=40), values),
                "due": mostly(st.sampled_from(["2025", "2025-12-31"]), dates),
                "object": mostly(st.fixed_dictionaries({"text": any_text}) | st.just("model:bar"), values),
                "confidence": mostly(st.floats(0, 1), numbers),
                "language": mostly(st.sampled_from(["de", "en-US"]), values)}
    for key in draw(st.sets(st.sampled_from(sorted(optional)))):
        claim[key] = draw(optional[key])
    text = "Alice wrote: " + quote + draw(mostly(st.text(max_size=30), any_text))
    return {"source": {"text": text, "title": draw(mostly(st.none(), any_text))}, "claims": [claim],
            "entities": [{"id": "person:alice", "name": draw(mostly(st.just("Alice"), any_text))}]}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=claim_files())
def test_a_document_is_refused_whole_or_kept_usable_everywhere(tmp_path, doc):
    with Store(str(tmp_path / f"g{next(RUNS)}.db")) as store:
        try:
            content = json.dumps(doc, ensure_ascii=True)
        except ValueError:  # a NaN the JSON writer itself refuses: never reaches claimgraph
            return
        try:
            ingest_text(store, content, fmt="json", actor="api:prop")
        except InputError as e:
            assert store.head() == 0 and str(e)
            event("refused")
            return
        event("accepted")
        assert store.verify().open_faults == []
        before = store.projection.digest()
        store.rebuild()
        assert store.projection.digest() == before
        out = io.StringIO()
        assert write(store.read, "nquads", out) > 0
        for claim in store.read.claims():
            orjson.dumps(claim.as_json())
        result = ENGINE.run(Context.for_store(store), QUERY, {})
        assert "errors" not in result and result["data"]["claims"]["totalCount"] == 1
