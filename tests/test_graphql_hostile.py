"""Hostile requests: each is answered with a 4xx (or the deadline's 503) and a stable
code, leaves the log as it was, takes no longer than the deadline, and the server
answers the next request. The app runs in this process; the requests are real ASGI
traffic (bodies streamed chunk by chunk)."""
import json
import time

import pytest
from starlette.websockets import WebSocketDisconnect

from claimgraph.api.app import Settings, create_app
from claimgraph.api.auth import Tokens, TokensError
from claimgraph.api.graphql_limits import Limits
from claimgraph.graph.store import Store
from claimgraph.schema.events import ClaimRecorded, EntityRegistered, SourceRegistered
from claimgraph.schema.model import Proposition, content_id

from helpers import run_process, sample_db
from servers import InProcess

TOKEN = "t0k3n-for-the-tests"
DEADLINE = 2.0
SLACK = 2.0


def make_app(db, require=False, **limits) -> InProcess:
    tokens = Tokens(require_for_queries=require)
    tokens.add(f"tester:{TOKEN}", where="test", default_name="t")
    return InProcess(create_app(Settings(db=str(db), tokens=tokens,
                                         limits=Limits(**{"deadline_seconds": DEADLINE, **limits}))))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return sample_db(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def app(db):
    return make_app(db)


class Survives:
    """Send one hostile request; check the log did not move, the time stayed within
    the deadline and the server still answers."""

    def __init__(self, app):
        self.app = app

    def __call__(self, send):
        head = self.head()
        started = time.monotonic()
        response = send()
        elapsed = time.monotonic() - started
        assert elapsed < DEADLINE + SLACK, f"took {elapsed:.1f} s"
        assert self.head() == head, "the log moved"
        return response

    def head(self):
        return self.app.query("{ head }", token=TOKEN)["data"]["head"]


def code(r):
    return r.json()["errors"][0]["extensions"]["code"]


def codes(r):
    return (r.status_code, code(r))


def post_raw(app, body, **headers):
    return app.post(content=body, headers={"content-type": "application/json", **headers})


# -- auth ---------------------------------------------------------------------------------

def test_every_transport_needs_the_token_when_queries_require_one(tmp_path):
    app = make_app(sample_db(tmp_path), require=True)
    ok = Survives(app)
    for send in (lambda: app.post(json={"query": "{ head }"}), lambda: app.get(params={"query": "{ head }"}),
                 lambda: app.post(json={"query": "{ head }"}, headers={"authorization": "Bearer \xa0".encode("latin-1")}),
                 lambda: app.post(json={"query": "{ head }"}, headers={"authorization": "Bearer caf\xe9".encode("latin-1")})):
        assert codes(ok(send)) == (401, "UNAUTHENTICATED")
    for payload in (None, {"Authorization": "Bearer nope-nope-nope-nope"}, {"Authorization": 42}):
        with app.websocket() as ws:
            ws.send_json({"type": "connection_init", **({"payload": payload} if payload else {})})
            with pytest.raises(WebSocketDisconnect) as info:
                ws.receive_json()
        assert info.value.code == 4403 and "UNAUTHENTICATED" in info.value.reason
    for headers, payload in (({}, {"Authorization": f"Bearer {TOKEN}"}), ({"authorization": f"Bearer {TOKEN}"}, None)):
        with app.websocket(headers=headers) as ws:
            ws.send_json({"type": "connection_init", **({"payload": payload} if payload else {})})
            assert ws.receive_json() == {"type": "connection_ack"}
            ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": "{ head }"}})
            assert ws.receive_json()["payload"]["data"]["head"] > 0


@pytest.mark.parametrize("entry, message", [
    ("alice:", "token of 'alice' is empty"),
    ("alice:short", "shorter than 16"),
    (":abcdefghijklmnopqrstuvwxyz", "name before ':' is empty"),
    ("bob:   # rotated", "token of 'bob' is empty"),
    ("carol:abcdefgh#ijklmnopqrst", "may only hold"),
    ("dave:abcdefgh ijklmnopqrst", "may only hold"),
    ("eve smith:abcdefghijklmnopqrst", "name may only hold"),
])
def test_malformed_tokens_stop_serve_naming_the_line(tmp_path, entry, message):
    path = tmp_path / "tokens"
    path.write_text(f"# readers\nfrank:abcdefghijklmnopqrstu # since May\n{entry}\n")
    with pytest.raises(TokensError, match=f"{path}:3: .*{message}"):
        Tokens.from_env(str(path))


def test_serve_refuses_to_start_with_a_malformed_token(tmp_path):
    proc = run_process("serve", "--port", "1", db=tmp_path / "x.db", check=False,
                       env={"CLAIMGRAPH_TOKENS": "alice:0123456789abcdef,bob:"}, timeout=60)
    assert proc.returncode == 1 and "CLAIMGRAPH_TOKENS entry 2" in proc.stderr and "0123456789" not in proc.stderr


def test_limits_are_checked_at_start(monkeypatch):
    monkeypatch.setenv("CLAIMGRAPH_MAX_COST", "lots")
    with pytest.raises(ValueError, match="CLAIMGRAPH_MAX_COST"):
        Limits.from_env()
    monkeypatch.setenv("CLAIMGRAPH_MAX_COST", "500")
    assert Limits.from_env().max_cost == 500 and Limits.from_env(max_cost=7).max_cost == 7
    with pytest.raises(ValueError, match="deadline_seconds"):
        Limits(deadline_seconds=0)


def test_comments_and_good_tokens_are_read(tmp_path):
    path = tmp_path / "tokens"
    path.write_text("# readers\n\nfrank:abcdefghijklmnopqrstu # since May\n  grace:ABCDEFGHIJKLMNOP+/==\n")
    tokens = Tokens.from_env(str(path))
    assert tokens.actor("Bearer abcdefghijklmnopqrstu") == "api:frank"
    assert tokens.actor("bearer  ABCDEFGHIJKLMNOP+/==") == "api:grace"
    assert tokens.actor("Basic dXNlcjpwYXNz") is None  # a proxy's credentials are not ours
    assert tokens.actor("Bearer \xa0") is not None and not isinstance(tokens.actor("Bearer \xa0"), str)


# -- stalls -----------------------------------------------------------------------------------

def test_megabytes_of_tokens_are_refused_before_parsing(db):
    query = "{ " + "head " * 1_000_000 + "}"
    big = make_app(db, max_body_bytes=8 << 20)
    for app, expected in ((make_app(db), (413, "PAYLOAD_TOO_LARGE")), (big, (200, "QUERY_TOO_COMPLEX"))):
        assert codes(Survives(app)(lambda: app.post(json={"query": query}))) == expected


def test_a_small_query_multiplying_pages_is_refused(app):
    query = ("{ entities(first: 100) { edges { node { claimsMade(first: 100) { edges { node { claimant { "
             "claimsMade(first: 100) { edges { node { claimant { id } } } } } } } } } } } }")
    assert len(query) < 300
    assert codes(Survives(app)(lambda: app.post(json={"query": query}))) == (200, "QUERY_TOO_COMPLEX")


@pytest.mark.parametrize("filter_", [
    json.dumps({"OR": [{"text": f"t{i}"} for i in range(900)]}),
    json.dumps({"OR": [{"text": f"t{i}"} for i in range(5000)]}),
    json.dumps({"OR": [{"predicate": "x"}] * 20, "text": "y"}),
    '{"AND": [' * 500 + '{"text": "x"}' + "]}" * 500,
    json.dumps({"OR": [None] * 100_000}),
], ids=["or-900-text", "or-5000-text", "21-terms", "and-500-deep", "or-100k-nulls"])
def test_filters_in_variables_count_like_literals(app, filter_):
    body = '{"query": "query($f: ClaimFilter) { claims(filter: $f) { totalCount } }", "variables": {"f": %s}}' % filter_
    r = Survives(app)(lambda: post_raw(app, body.encode()))
    assert codes(r) == (200, "QUERY_TOO_COMPLEX")


def test_unnarrowed_text_scans_are_costed(app):
    scans = " ".join(f'a{i}: claims(filter: {{text: "x{i}"}}) {{ totalCount }}' for i in range(5))
    assert codes(Survives(app)(lambda: app.post(json={"query": "{ " + scans + " }"}))) == (200, "QUERY_TOO_COMPLEX")
    narrowed = " ".join(f'a{i}: claims(filter: {{claimant: "Musk", text: "x{i}"}}) {{ totalCount }}' for i in range(5))
    assert app.post(json={"query": "{ " + narrowed + " }"}).json()["data"]["a0"]["totalCount"] == 0


def test_deeply_nested_values_and_fragments_are_refused(app):
    deep_value = "{ claims(filter: " + "{AND: [" * 40 + "{}" + "]}" * 40 + ") { totalCount } }"
    frags = " ".join(f"fragment F{i} on Claim {{ claimant {{ claimsMade(first: 1) {{ edges {{ node {{ ...F{i + 1} }} }} }} }} }}"
                     for i in range(8)) + " fragment F8 on Claim { id }"
    chain = "{ claims(first: 1) { edges { node { ...F0 } } } } " + frags
    bomb = "{ ...B0 } " + " ".join(f"fragment B{i} on Query {{ ...B{i + 1} ...B{i + 1} }}" for i in range(30)) + \
        " fragment B30 on Query { head }"
    for query in (deep_value, chain, bomb):  # the bomb's 2**30 spreads are costed once per fragment
        assert codes(Survives(app)(lambda: app.post(json={"query": query}))) == (200, "QUERY_TOO_COMPLEX")


def test_huge_bodies_are_refused_while_streaming(app):
    pulled = []

    async def body():
        for _ in range(100 * 16):  # 100 MiB in 64 KiB chunks, never all in memory
            pulled.append(1)
            yield b" " * 65536

    r = Survives(app)(lambda: app.post(content=body(), headers={"content-type": "application/json"}))
    assert codes(r) == (413, "PAYLOAD_TOO_LARGE") and len(pulled) <= 17 + 2
    r = Survives(app)(lambda: post_raw(app, b"{}", **{"content-length": str(100 << 20)}))
    assert codes(r) == (413, "PAYLOAD_TOO_LARGE")
    small = make_app(app.service.settings.db, max_body_bytes=16384)  # (clients refuse URLs over 64 KiB)
    r = Survives(small)(lambda: small.get(params={"query": "{ head }", "pad": "x" * 20000}))
    assert codes(r) == (413, "PAYLOAD_TOO_LARGE")


def test_the_deadline_stops_a_query_the_limits_let_through(db):
    heavy = "{ " + " ".join(
        f"a{i}: claims(first: 100) {{ edges {{ node {{ claimant {{ claimsMade(first: 100) {{ edges {{ node {{ "
        f"subject {{ claimsAbout(first: 100) {{ edges {{ node {{ id stated evidence {{ quote }} claimant {{ name }} }} }} }} }} "
        f"}} }} }} }} }} }} }}" for i in range(60)) + " }"
    app = make_app(db, max_cost=10**9, max_depth=30, max_aliases=100, max_tokens=20000, deadline_seconds=0.5)
    r = Survives(app)(lambda: app.post(json={"query": heavy}))
    assert codes(r) == (503, "DEADLINE_EXCEEDED") and "data" not in r.json()
    assert app.get("/health").json()["running"] == 0


# -- memory -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_source_app(tmp_path_factory):
    """30 claims quoting a 15 MiB source."""
    db = tmp_path_factory.mktemp("big") / "big.db"
    text = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 290_000)[:15 << 20]
    sid = "source:" + content_id("source", "big")[-16:]
    events = [EntityRegistered(entity_id="person:p", kind="person", name="P"),
              EntityRegistered(entity_id="model:m", kind="model", name="M"),
              SourceRegistered(source_id=sid, text=text, title="Big")]
    for i in range(30):
        prop = Proposition.make("model:m", "release", None, i + 1, None, None)
        events.append(ClaimRecorded.model_validate({
            "claim_id": content_id("claim", i), "claimant": "person:p", "proposition": prop.model_dump(),
            "stated": "2024-01", "channel": "blog", "modality": "promised",
            "evidence": {"source_id": sid, "quote": text[i * 100:i * 100 + 50], "start": i * 100,
                         "end": i * 100 + 50, "language": "en", "verified": True}}))
    with Store(str(db)) as store:
        store.append(events, actor="test")
    return make_app(db)


def test_big_texts_are_served_in_slices(big_source_app):
    app = big_source_app
    q = "{ claims(first: 30) { edges { node { evidence { source { length text } } } } } }"
    r = Survives(app)(lambda: app.post(json={"query": q}))
    nodes = r.json()["data"]["claims"]["edges"]
    assert len(nodes) == 30 and len(r.content) < 30 * 70_000
    assert {n["node"]["evidence"]["source"]["length"] for n in nodes} == {15 << 20}
    tail = app.query('query($id: ID!) { source(id: $id) { text(start: 15728600, length: 100) } }',
                     id=app.query("{ sources { edges { node { id } } } }")["data"]["sources"]["edges"][0]["node"]["id"])
    assert len(tail["data"]["source"]["text"]) == 40
    too_long = app.query("{ sources { edges { node { text(length: 70000) } } } }")
    assert too_long["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    events = app.query('{ events(first: 5) { edges { node { type truncated data } } } }')["data"]["events"]["edges"]
    source_event = next(e["node"] for e in events if e["node"]["type"] == "source-registered")
    assert source_event["truncated"] == ["/text"] and len(source_event["data"]["text"]) == 65536


def test_cache_is_bounded_in_bytes_and_shares_spellings(big_source_app, db):
    app = make_app(db, cache_bytes=100_000)
    cache = app.service.cache
    spellings = ["{ claims { totalCount } }", "{claims{totalCount}}", "# a comment\n{\n  claims {\n totalCount } }",
                 "query { claims { totalCount } }"]
    for q in spellings:
        app.post(json={"query": q})
    assert len(cache.entries) == 2  # the shorthand and `query` spellings differ as documents
    page = "claims(first: 20) { edges { cursor node { id evidence { quote } } } }"
    sizes = [len(app.post(json={"query": f"{{ a{i}: {page} }}"}).content) for i in range(80)]
    assert sum(sizes) > 2 * 100_000 and 0 < cache.bytes <= 100_000 and len(cache.entries) < 80


# -- malformed input ----------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    b"", b"null", b'"x"', b"[]", b"42", b"\xff\xfe{}", b'{"query": 1}', b'{"notquery": "{ head }"}',
    b'{"query": "{ head }", "operationName": {}}', b'{"query": "{ head }", "operationName": ["a"]}',
    b'{"query": "{ head }", "variables": "x"}', b'{"query": "{ head }", "variables": [1]}',
    b'{"query": "{ head }", "extensions": 1}', b'{"query": "{ head }"', b"[" * 5000 + b"]" * 5000,
])
def test_malformed_bodies_get_400(app, body):
    r = Survives(app)(lambda: post_raw(app, body))
    assert codes(r) == (400, "BAD_REQUEST") and "data" not in r.json()


@pytest.mark.parametrize("params", [
    {"query": "{ head }", "variables": "not json"}, {"query": "{ head }", "variables": "[1]"},
    [("query", "{ head }"), ("query", "{ head }")], {},
])
def test_malformed_query_strings_get_400(app, params):
    assert codes(Survives(app)(lambda: app.get(params=params))) == (400, "BAD_REQUEST")


@pytest.mark.parametrize("accept, status", [("application/json", 200), ("application/graphql-response+json", 400)])
def test_subscriptions_over_http_are_refused(app, accept, status):
    for send in (lambda: app.get(params={"query": "subscription { events { seq } }"}, headers={"accept": accept}),
                 lambda: app.post(json={"query": "subscription { events { seq } }"}, headers={"accept": accept})):
        assert codes(Survives(app)(send)) == (status, "OPERATION_NOT_SUPPORTED")


def test_request_checks_come_before_the_cache(app):
    q = b'{"query": "{ sources { totalCount } }"}'
    assert post_raw(app, q).status_code == 200 and post_raw(app, q).headers["x-claimgraph-cache"] == "hit"
    for headers in ({"content-type": ""}, {"content-type": "text/plain"}):
        assert codes(Survives(app)(lambda: app.post(content=q, headers=headers))) == (415, "UNSUPPORTED_MEDIA_TYPE")
    m = b'{"query": "mutation { retractClaim(id: \\"claim:x\\", reason: \\"r\\") { appended } }"}'
    assert codes(Survives(app)(lambda: post_raw(app, m))) == (401, "UNAUTHENTICATED")


def test_answers_that_depend_on_today_are_cached_per_day(app, monkeypatch):
    import datetime as dt

    import claimgraph.api.service as module

    dated, plain = "{ claims(first: 1) { edges { node { status } } } }", "{ claims(first: 1) { totalCount } }"
    for q in (dated, plain):
        app.post(json={"query": q})
    monkeypatch.setattr(module.today, "day", dt.date.today() + dt.timedelta(days=1))
    monkeypatch.setattr(module.today, "until", float("inf"))
    assert app.post(json={"query": dated}).headers["x-claimgraph-cache"] == "miss"
    assert app.post(json={"query": plain}).headers["x-claimgraph-cache"] == "hit"


# -- WebSocket ------------------------------------------------------------------------------------

def ws_closes_with(app, messages, init=True):
    with app.websocket() as ws:
        if init:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json() == {"type": "connection_ack"}
        for m in messages:
            ws.send_bytes(m) if isinstance(m, bytes) else ws.send_text(m)
        with pytest.raises(WebSocketDisconnect) as info:
            while True:
                ws.receive_json()
    return info.value.code


@pytest.mark.parametrize("messages, close", [
    ([b"\x00\x01"], 4400), (["[]"], 4400), (['{"type": "subscribe", "id": 5, "payload": {}}'], 4400),
    (['{"type": "connection_init"}'], 4429), (["x" * (2 << 20)], 4400),
    (['{"type": "subscribe", "id": "a", "payload": {"query": "subscription { events { seq } }"}}'] * 2, 4409),
])
def test_websocket_protocol_abuse_closes_the_socket(app, messages, close):
    assert Survives(app)(lambda: ws_closes_with(app, messages)) == close


def test_websocket_init_timeout(db):
    app = make_app(db, ws_init_seconds=0.2)
    assert ws_closes_with(app, [], init=False) == 4408


def test_websocket_errors_carry_codes_and_operations_are_bounded(db):
    app = make_app(db, ws_operations=2)
    deep = '{"AND": [' * 500 + '{"text": "x"}' + "]}" * 500
    with app.websocket() as ws:
        ws.send_json({"type": "connection_init"})
        ws.receive_json()
        ws.send_text('{"id": "f", "type": "subscribe", "payload": {"query": "query($f: ClaimFilter) '
                     '{ claims(filter: $f) { totalCount } }", "variables": {"f": %s}}}' % deep)
        assert ws.receive_json()["payload"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
        for i in range(3):
            ws.send_json({"id": f"s{i}", "type": "subscribe", "payload": {"query": "subscription { events { seq } }"}})
        refused = ws.receive_json()
        assert refused["id"] == "s2" and refused["payload"][0]["extensions"]["code"] == "TOO_MANY_OPERATIONS"
