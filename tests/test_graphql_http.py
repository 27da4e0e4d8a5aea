"""GraphQL as clients use it: a real gql client against ``claimgraph serve`` (uvicorn)."""
import asyncio
import subprocess
import sys

import httpx
import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport
from gql.transport.websockets import WebsocketsTransport

from helpers import run_cli, write_claim_file
from servers import free_port, running

TOKEN = "t0k3n-for-tests"


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    from claimgraph.api.cli import sample_dir
    folder = tmp_path_factory.mktemp("server")
    db = folder / "served.db"
    run_cli("ingest", str(sample_dir() / "grok3-delay.yaml"), db=db)
    port = free_port()
    env = {"CLAIMGRAPH_TOKENS": f"tester:{TOKEN}", "CLAIMGRAPH_CORS_ORIGINS": "http://dashboard.test"}
    with running(["serve", "--db", str(db), "--port", str(port)], port, env=env) as (url, _):
        yield url, db, folder


def client(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else None
    return Client(transport=HTTPXTransport(url=url + "/graphql", headers=headers), fetch_schema_from_transport=False)


def test_queries_on_the_sample(server):
    url, _, _ = server
    with client(url) as session:
        out = session.execute(gql('{ trackRecord(claimant: "person:elon-musk") { broken claimant { name } } }'))
    assert out["trackRecord"] == {"broken": 2, "claimant": {"name": "Elon Musk"}}


def test_pagination_to_the_end(server):
    url, _, _ = server
    q = gql("""query($after: String) { claims(first: 4, after: $after) { totalCount
               edges { node { id } } pageInfo { hasNextPage endCursor } } }""")
    ids, after = [], None
    with client(url) as session:
        while True:
            page = session.execute(GraphQLRequest(q, variable_values={"after": after}))["claims"]
            ids += [e["node"]["id"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert len(ids) == len(set(ids)) == page["totalCount"] > 4


def test_as_of_at_several_positions(server):
    url, _, _ = server
    with client(url) as session:
        head = session.execute(gql("{ head }"))["head"]
        q = gql("query($seq: Int!) { claims(asOf: {seq: $seq}) { totalCount } }")
        counts = [session.execute(GraphQLRequest(q, variable_values={"seq": s}))["claims"]["totalCount"]
                  for s in range(0, head + 1, 5)]
        now = session.execute(gql("{ claims { totalCount } }"))["claims"]["totalCount"]
    assert counts[0] == 0 and counts == sorted(counts) and counts[-1] <= now


def test_mutation_with_and_without_token(server):
    url, _, _ = server
    m = gql('mutation { mergeEntities(from: "model:gemini", into: "model:gpt-4") { appended } }')
    with client(url) as session:
        with pytest.raises(TransportQueryError) as info:
            session.execute(m)
    assert info.value.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    with client(url, "wrong") as session:
        with pytest.raises(TransportQueryError):
            session.execute(m)
    with client(url, TOKEN) as session:
        other = gql('mutation { recordClaim(input: {claimant: "org:google", stated: "2025-01", channel: BLOG,'
                    ' subject: "model:gemini", predicate: "release", modality: PLANNED, quote: "Gemini 2 ships",'
                    ' source: {text: "Google wrote: Gemini 2 ships in March.", language: "en"}}) {'
                    ' appended claim { id actor claimant { id } } } }')
        out = session.execute(other)["recordClaim"]
    assert out["appended"] >= 2 and out["claim"]["actor"] == "api:tester"


def test_bad_requests_keep_the_server_serving(server):
    url, _, _ = server
    bad = ["{ claims { ", "{ nope }", '{ claims(after: "x") { totalCount } }', "{ claims(first: 101) { totalCount } }"]
    for q in bad:
        r = httpx.post(url + "/graphql", json={"query": q})
        body = r.json()
        assert body["errors"][0]["extensions"]["code"] and body["errors"][0]["message"]
    r = httpx.post(url + "/graphql", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert httpx.get(url + "/health").json()["status"] == "ok"


def test_results_are_cached_until_the_log_moves(server):
    url, db, folder = server
    q = {"query": '{ claims(filter: {text: "Grok"}) { totalCount } }'}
    first, second = httpx.post(url + "/graphql", json=q), httpx.post(url + "/graphql", json=q)
    assert second.headers["x-claimgraph-cache"] == "hit" and first.json() == second.json()
    path = write_claim_file(folder / "more", """source: {path: article.txt}
claims:
  - {claimant: person:elon-musk, stated: 2025-02, channel: livestream, subject: model:grok-3, predicate: released,
     object: {date: 2025-02-17}, modality: asserted, quote: "Grok 3 is out"}
""", article="Musk said in a livestream: Grok 3 is out.\\n")
    run_cli("ingest", str(path), db=db)
    third = httpx.post(url + "/graphql", json=q)
    assert third.headers["x-claimgraph-cache"] == "miss"
    assert third.json()["data"]["claims"]["totalCount"] == first.json()["data"]["claims"]["totalCount"] + 1


def test_cors_for_configured_origins(server):
    url, _, _ = server
    r = httpx.options(url + "/graphql", headers={"Origin": "http://dashboard.test",
                                                "Access-Control-Request-Method": "POST"})
    assert r.headers.get("access-control-allow-origin") == "http://dashboard.test"


def test_subscription_receives_an_event_appended_by_another_process(server):
    url, db, folder = server
    path = write_claim_file(folder / "sub", """source: {path: article.txt}
claims:
  - {claimant: person:sam-altman, stated: 2025-01, channel: x_post, subject: model:gpt-5, predicate: release,
     modality: promised, due: 2025-12, quote: "GPT-5 arrives this year"}
""", article="Sam Altman posted that GPT-5 arrives this year.\\n")

    async def scenario():
        head = httpx.get(url + "/health").json()["head"]
        transport = WebsocketsTransport(url=url.replace("http", "ws") + "/graphql",
                                        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL])
        async with Client(transport=transport, fetch_schema_from_transport=False) as session:
            sub = gql("subscription($after: Int) { events(after: $after) { seq type data } }")
            received = []

            async def listen():
                async for event in session.subscribe(GraphQLRequest(sub, variable_values={"after": head})):
                    received.append(event["events"])
                    if event["events"]["type"] == "claim-recorded":
                        return

            task = asyncio.create_task(listen())
            await asyncio.sleep(0.5)
            proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "claimgraph.api.cli", "ingest",
                                                        "--db", str(db), str(path),
                                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            assert await proc.wait() == 0
            await asyncio.wait_for(task, 20)
            return head, received

    head, received = asyncio.run(scenario())
    assert [e["seq"] for e in received] == list(range(head + 1, head + 1 + len(received)))
    claim = received[-1]
    assert claim["data"]["claimant"] == "person:sam-altman"


def test_queries_can_require_a_token(tmp_path):
    port = free_port()
    env = {"CLAIMGRAPH_TOKENS": f"reader:{TOKEN}", "CLAIMGRAPH_REQUIRE_TOKEN_FOR_QUERIES": "1"}
    with running(["serve", "--db", str(tmp_path / "t.db"), "--port", str(port)], port, env=env) as (url, _):
        denied = httpx.post(url + "/graphql", json={"query": "{ head }"})
        assert denied.status_code == 401 and denied.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        allowed = httpx.post(url + "/graphql", json={"query": "{ head }"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert allowed.json() == {"data": {"head": 0}}

        async def subscribe():
            transport = WebsocketsTransport(url=url.replace("http", "ws") + "/graphql",
                                            subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL])
            async with Client(transport=transport, fetch_schema_from_transport=False) as session:
                async for _ in session.subscribe(gql("subscription { events { seq } }")):
                    pass

        with pytest.raises(TransportQueryError, match="Bearer"):
            asyncio.run(asyncio.wait_for(subscribe(), 20))
