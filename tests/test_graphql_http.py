"""GraphQL over HTTP and WebSocket as clients use it, with the app in this process
(the process boundary is tested in test_graphql_conformance.py)."""
import pytest

from claimgraph.api.app import Settings, create_app
from claimgraph.api.auth import Tokens
from claimgraph.api.graphql_limits import Limits
from claimgraph.graph.store import Store
from claimgraph.ingest.pipeline import ingest_path

from helpers import sample_db, write_claim_file
from servers import InProcess

TOKEN = "t0k3n-for-the-tests"
GQL = "application/graphql-response+json"


def make_app(db, require=False, origins=(), **limits) -> InProcess:
    tokens = Tokens(require_for_queries=require)
    tokens.add(f"tester:{TOKEN}", where="test", default_name="t")
    return InProcess(create_app(Settings(db=str(db), tokens=tokens, cors_origins=list(origins),
                                         limits=Limits(**limits))))


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(sample_db(tmp_path_factory.mktemp("http")), origins=["http://dashboard.test"])


def test_queries_on_the_sample(app):
    out = app.query('{ trackRecord(claimant: "person:elon-musk") { broken claimant { name } } }')
    assert out == {"data": {"trackRecord": {"broken": 2, "claimant": {"name": "Elon Musk"}}}}


def test_pagination_to_the_end(app):
    q = """query($after: String) { claims(first: 4, after: $after) { totalCount
           edges { node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
    ids, after, pages = [], None, []
    while True:
        page = app.query(q, after=after)["data"]["claims"]
        pages.append(page["pageInfo"])
        ids += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(ids) == len(set(ids)) == page["totalCount"] > 4
    assert [p["hasPreviousPage"] for p in pages] == [False] + [True] * (len(pages) - 1)
    assert all(p["startCursor"] and p["endCursor"] for p in pages)


def test_as_of_at_several_positions(app):
    head = app.query("{ head }")["data"]["head"]
    q = "query($seq: Int!) { claims(asOf: {seq: $seq}) { totalCount } }"
    counts = [app.query(q, seq=s)["data"]["claims"]["totalCount"] for s in range(0, head + 1, 5)]
    now = app.query("{ claims { totalCount } }")["data"]["claims"]["totalCount"]
    assert counts[0] == 0 and counts == sorted(counts) and counts[-1] <= now


def test_mutations_need_a_valid_token(app):
    m = 'mutation { mergeEntities(from: "model:gemini", into: "model:gpt-4") { appended } }'
    head = app.query("{ head }")["data"]["head"]
    for headers in ({}, {"authorization": "Bearer wrong-token-but-long-enough"}):
        r = app.post(json={"query": m}, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
        assert r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" and "data" not in r.json()
    assert app.query("{ head }")["data"]["head"] == head
    other = ('mutation { recordClaim(input: {claimant: "org:google", stated: "2025-01", channel: BLOG,'
             ' subject: "model:gemini", predicate: "release", modality: PLANNED, quote: "Gemini 2 ships",'
             ' source: {text: "Google wrote: Gemini 2 ships in March.", language: "en"}}) {'
             ' appended claim { id actor claimant { id } } } }')
    out = app.query(other, token=TOKEN)["data"]["recordClaim"]
    assert out["appended"] >= 2 and out["claim"]["actor"] == "api:tester"


def test_media_types(app):
    body = {"query": "{ head }"}
    cases = {None: "application/json", "application/json": "application/json", "*/*": "application/json",
             GQL: GQL, f"application/json;q=0.5, {GQL}": GQL, f"{GQL};q=0.1, application/json": "application/json"}
    for accept, media in cases.items():
        r = app.post(json=body, headers={"accept": accept} if accept else {})
        assert r.status_code == 200 and r.headers["content-type"] == f"{media}; charset=utf-8", accept
    r = app.post(json=body, headers={"accept": "text/csv"})
    assert r.status_code == 406 and r.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"
    page = app.get(headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and "GraphiQL" in page.text


@pytest.mark.parametrize("query, variables, code", [
    ("{ claims { ", None, "GRAPHQL_PARSE_FAILED"),
    ("{ nope }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("query($x: Int) { head }", None, "GRAPHQL_VALIDATION_FAILED"),                 # unused variable
    ("{ claim(id: $y) { id } }", None, "GRAPHQL_VALIDATION_FAILED"),                # undefined variable
    ("query($id: ID!) { claim(id: $id) { id } }", {"id": None}, "BAD_USER_INPUT"),  # coercion
    ("query A { head } query B { head }", None, "OPERATION_RESOLUTION_FAILURE"),
    ("subscription { events { seq } }", None, "OPERATION_NOT_SUPPORTED"),
    ("{ " + " ".join(f"a{i}: head" for i in range(31)) + " }", None, "QUERY_TOO_COMPLEX"),
])
def test_request_errors_have_no_data_and_a_code(app, query, variables, code):
    """application/json: 200 (GraphQL over HTTP); graphql-response+json: 400. Never data."""
    for accept, status in (("application/json", 200), (GQL, 400)):
        r = app.post(json={"query": query, "variables": variables}, headers={"accept": accept})
        body = r.json()
        assert (r.status_code, [e["extensions"]["code"] for e in body["errors"]][:1]) == (status, [code])
        assert "data" not in body and body["errors"][0]["message"]


def test_field_errors_keep_their_siblings(app):
    r = app.post(json={"query": '{ head trackRecord(claimant: "person:nobody") { broken } '
                                'claims(first: 500) { totalCount } sources { totalCount } }'},
                 headers={"accept": GQL})
    body = r.json()
    assert r.status_code == 200 and body["data"]["head"] > 0 and body["data"]["sources"]["totalCount"] >= 1
    assert body["data"]["trackRecord"] is None and body["data"]["claims"] is None
    assert sorted(e["extensions"]["code"] for e in body["errors"]) == ["FIRST_OUT_OF_RANGE", "NOT_FOUND"]


def test_get_runs_queries_only(app):
    r = app.get(params={"query": "query($n: Int) { claims(first: $n) { totalCount } }", "variables": '{"n": 1}'})
    assert r.status_code == 200 and r.json()["data"]["claims"]["totalCount"] > 0
    r = app.get(params={"query": "mutation { retractClaim(id: \"x\", reason: \"y\") { appended } }"},
                headers={"accept": GQL})
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert r.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    r = app.request("PUT", json={"query": "{ head }"})
    assert r.status_code == 405 and r.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


def test_results_are_cached_until_the_log_moves(app, tmp_path):
    q = '{ claims(filter: {text: "Grok"}) { totalCount } }'
    first, second = app.post(json={"query": q}), app.post(json={"query": q})
    variant = app.post(json={"query": "# the same, spelt otherwise\n{claims(filter:{text:\"Grok\"}){\n totalCount}}"})
    assert [r.headers["x-claimgraph-cache"] for r in (second, variant)] == ["hit", "hit"]
    assert first.json() == second.json() == variant.json()
    path = write_claim_file(tmp_path / "more", """source: {path: article.txt}
claims:
  - {claimant: person:elon-musk, stated: 2025-02, channel: livestream, subject: model:grok-3, predicate: released,
     object: {date: 2025-02-17}, modality: asserted, quote: "Grok 3 is out"}
""", article="Musk said in a livestream: Grok 3 is out.\\n")
    with Store(app.service.settings.db) as other:  # another writer of the same database
        ingest_path(other, path)
    third = app.post(json={"query": q})
    assert third.headers["x-claimgraph-cache"] == "miss"
    assert third.json()["data"]["claims"]["totalCount"] == first.json()["data"]["claims"]["totalCount"] + 1


def test_cache_checks_the_request_first(app):
    q = b'{"query": "{ head }"}'
    assert app.post(content=q, headers={"content-type": "application/json"}).status_code == 200
    for headers in ({}, {"content-type": "text/plain"}, {"content-type": "application/json; charset=latin-1"}):
        r = app.post(content=q, headers=headers)
        assert r.status_code == 415 and r.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_cors_for_configured_origins(app):
    r = app.request("OPTIONS", headers={"Origin": "http://dashboard.test", "Access-Control-Request-Method": "POST"})
    assert r.headers.get("access-control-allow-origin") == "http://dashboard.test"
    for r in (app.post(json={"query": "{ head }"}, headers={"Origin": "http://dashboard.test"}),
              app.get("/health", headers={"Origin": "http://dashboard.test"})):
        assert r.headers.get("access-control-allow-origin") == "http://dashboard.test"
    assert "access-control-allow-origin" not in app.get("/health", headers={"Origin": "http://evil.test"}).headers


def test_health(app):
    h = app.get("/health").json()
    assert h["status"] == "ok" and h["lag"] == 0 and h["running"] == 0 and set(h["cache"]) >= {"hits", "bytes"}


# -- WebSocket ------------------------------------------------------------------------------

def init(ws, payload=None):
    ws.send_json({"type": "connection_init", **({"payload": payload} if payload is not None else {})})
    return ws.receive_json()


def test_websocket_query_subscribe_and_errors(app, tmp_path):
    with app.websocket() as ws:
        assert init(ws) == {"type": "connection_ack"}
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
        ws.send_json({"id": "q", "type": "subscribe", "payload": {"query": "{ head }"}})
        head = ws.receive_json()["payload"]["data"]["head"]
        assert ws.receive_json() == {"id": "q", "type": "complete"}
        ws.send_json({"id": "bad", "type": "subscribe", "payload": {"query": "{ nope }"}})
        error = ws.receive_json()
        assert error["type"] == "error" and error["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        ws.send_json({"id": "neg", "type": "subscribe", "payload": {"query": 'subscription { events(after: "-5") { seq } }'}})
        neg = ws.receive_json()
        assert neg["payload"]["errors"][0]["extensions"]["code"] == "BAD_CURSOR"
        assert ws.receive_json() == {"id": "neg", "type": "complete"}
        ws.send_json({"id": "m", "type": "subscribe", "payload": {
            "query": 'mutation { retractClaim(id: "claim:x", reason: "no") { appended } }'}})
        refused = ws.receive_json()
        assert refused["type"] == "error" and refused["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        ws.send_json({"id": "s", "type": "subscribe", "payload": {
            "query": "subscription($a: String) { events(after: $a) { seq type } }", "variables": {"a": str(head - 2)}}})
        seqs = [ws.receive_json()["payload"]["data"]["events"]["seq"] for _ in range(2)]
        assert seqs == [head - 1, head]
        ws.send_json({"id": "s", "type": "complete"})


@pytest.mark.parametrize("message, code", [
    ("not json", 4400), ('{"type": "nope"}', 4400), ('{"type": "subscribe", "id": "1", "payload": {"query": "{ head }"}}', 4401),
])
def test_websocket_protocol_violations_close_with_their_codes(app, message, code):
    from starlette.websockets import WebSocketDisconnect
    with app.websocket() as ws:
        ws.send_text(message)
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_json()
    assert info.value.code == code


def test_queries_can_require_a_token_on_every_transport(tmp_path):
    from starlette.websockets import WebSocketDisconnect
    app = make_app(sample_db(tmp_path), require=True)
    for r in (app.post(json={"query": "{ head }"}), app.get(params={"query": "{ head }"}),
              app.post(json={"query": "{ head }"}, headers={"authorization": "Bearer \xa0".encode("latin-1")})):
        assert r.status_code == 401 and r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    allowed = app.post(json={"query": "{ head }"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert allowed.json()["data"]["head"] > 0
    for payload in (None, {"Authorization": "Bearer nope-nope-nope-nope"}):
        with app.websocket() as ws:
            ws.send_json({"type": "connection_init", **({"payload": payload} if payload else {})})
            with pytest.raises(WebSocketDisconnect) as info:
                ws.receive_json()
        assert info.value.code == 4403 and "UNAUTHENTICATED" in info.value.reason
    for headers, payload in (({}, {"Authorization": f"Bearer {TOKEN}"}), ({}, {"authorization": TOKEN}),
                             ({"authorization": f"Bearer {TOKEN}"}, None)):
        with app.websocket(headers=headers) as ws:
            assert init(ws, payload) == {"type": "connection_ack"}
            ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": "{ head }"}})
            assert ws.receive_json()["payload"]["data"]["head"] > 0
