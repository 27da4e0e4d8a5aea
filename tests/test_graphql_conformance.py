"""Where the process boundary is the point: ``claimgraph serve`` under uvicorn, driven
by the reference implementations from npm (graphql-http's server audit, the graphql-ws
client), and /health staying responsive while a heavy query runs."""
import json
import statistics
import subprocess
import sys
import threading
import time

import httpx
import pytest

from helpers import sample_db, write_claim_file
from servers import free_port, node_modules, run_node, running

TOKEN = "t0k3n-for-the-tests"

AUDIT = """
const { auditServer } = require('graphql-http');
auditServer({ url: process.argv[1] }).then((results) => {
  console.log(JSON.stringify(results.map((r) => ({ id: r.id, name: r.name, status: r.status,
                                                   reason: r.status === 'ok' ? null : r.reason }))));
}, (e) => { console.error(e); process.exit(1); });
"""

CLIENT = """
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');
const [url, token, mode] = process.argv.slice(1);
const params = token ? { Authorization: `Bearer ${token}` } : undefined;
const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: params, retryAttempts: 0 });
const say = (obj) => console.log(JSON.stringify(obj));
const once = (query, variables) => new Promise((resolve) => {
  const got = [];
  client.subscribe({ query, variables }, {
    next: (v) => got.push(v),
    error: (e) => resolve({ error: e && e.code ? { code: e.code, reason: e.reason } : (Array.isArray(e) ? e : String(e)) }),
    complete: () => resolve({ results: got }),
  });
});
(async () => {
  const head = await once('{ head }');
  if (mode !== 'subscribe' || head.error) { say(head); process.exit(0); }
  const after = String(head.results[0].data.head);
  const events = [];
  await new Promise((resolve) => {
    client.subscribe({ query: 'subscription($a: String) { events(after: $a) { seq type data } }',
                       variables: { a: after } }, {
      next: (v) => { events.push(v.data.events); if (v.data.events.type === 'claim-recorded') resolve(); },
      error: (e) => { say({ error: String(e) }); process.exit(1); },
      complete: resolve,
    });
    say({ ready: true, after });
  });
  say({ after, events });
  await client.dispose();
})();
"""


DEADLINE = 2.0


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    """Queries need no token; the limits let a heavy query through to the deadline."""
    folder = tmp_path_factory.mktemp("open")
    port = free_port()
    args = ["serve", "--db", str(sample_db(folder)), "--port", str(port), "--max-cost", "1000000000",
            "--max-depth", "30", "--max-aliases", "100", "--max-tokens", "20000", "--deadline-seconds", str(DEADLINE)]
    with running(args, port, env={"CLAIMGRAPH_TOKENS": f"tester:{TOKEN}"}) as (url, _):
        yield url


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("locked")
    db = sample_db(folder)
    port = free_port()
    env = {"CLAIMGRAPH_TOKENS": f"reader:{TOKEN}", "CLAIMGRAPH_REQUIRE_TOKEN_FOR_QUERIES": "1"}
    with running(["serve", "--db", str(db), "--port", str(port)], port, env=env) as (url, _):
        yield url, db, folder


def test_graphql_http_server_audit_passes_every_must_should_and_may(open_server):
    results = run_node(AUDIT, open_server + "/graphql")
    levels = {level: [r for r in results if r["name"].startswith(level)] for level in ("MUST", "SHOULD", "MAY")}
    counts = {level: f"{sum(r['status'] == 'ok' for r in found)}/{len(found)}" for level, found in levels.items()}
    print(f"graphql-http audit: {json.dumps(counts)}")
    failed = [f"{r['id']} {r['name']}: {r['reason']}" for r in results if r["status"] != "ok"]
    assert not failed, "\n".join(failed)
    assert len(levels["MUST"]) > 10 and len(results) == sum(len(v) for v in levels.values())


def test_graphql_ws_client_is_refused_without_a_valid_token(locked_server):
    url = locked_server[0].replace("http", "ws") + "/graphql"
    for token in ("", "not-the-token-at-all"):
        out = run_node(CLIENT, url, token, "once")
        assert out["error"]["code"] == 4403 and "UNAUTHENTICATED" in out["error"]["reason"]


def test_graphql_ws_client_subscribes_with_its_token_and_sees_another_process_append(locked_server):
    url, db, folder = locked_server
    path = write_claim_file(folder / "sub", """source: {path: article.txt}
claims:
  - {claimant: person:sam-altman, stated: 2025-01, channel: x_post, subject: model:gpt-5, predicate: release,
     modality: promised, due: 2025-12, quote: "GPT-5 arrives this year"}
""", article="Sam Altman posted that GPT-5 arrives this year.\\n")
    node_modules()
    import os
    proc = subprocess.Popen(["node", "-e", CLIENT, "--", url.replace("http", "ws") + "/graphql", TOKEN, "subscribe"],
                            env={**os.environ, "NODE_PATH": str(node_modules())}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["ready"]
        subprocess.run([sys.executable, "-m", "claimgraph.api.cli", "ingest", "--db", str(db), str(path)],
                       check=True, capture_output=True)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    received = json.loads(out.strip().splitlines()[-1])
    seqs = [e["seq"] for e in received["events"]]
    assert seqs == list(range(int(received["after"]) + 1, int(received["after"]) + 1 + len(seqs)))
    assert received["events"][-1]["data"]["claimant"] == "person:sam-altman"


def test_bad_requests_leave_the_connection_open(open_server):
    bodies = [(b"null", {}), (b'"x"', {}), (b"\xff\xfe{", {}), (b'{"query": "{ head }", "operationName": {}}', {}),
              (b'{"query": "{ head }", "operationName": ["a"]}', {}),
              (b'{"query": "{ head }"}', {"authorization": "Bearer caf\xe9".encode("latin-1")})]
    with httpx.Client(base_url=open_server) as client:
        ports = set()
        for body, headers in bodies:
            r = client.post("/graphql", content=body, headers={"content-type": "application/json", **headers})
            assert 400 <= r.status_code < 500 and r.json()["errors"][0]["extensions"]["code"], body
            ports.add(r.extensions["network_stream"].get_extra_info("client_addr"))
        assert client.get("/graphql", params={"query": "subscription { events { seq } }"}).json()["errors"][0][
            "extensions"]["code"] == "OPERATION_NOT_SUPPORTED"
        assert client.get("/health").json()["status"] == "ok"
    assert len(ports) == 1, "the server dropped the keep-alive connection after a bad request"


HEAVY = "{ " + " ".join(
    f"a{i}: claims(first: 100) {{ edges {{ node {{ claimant {{ claimsMade(first: 100) {{ edges {{ node {{ "
    f"subject {{ claimsAbout(first: 100) {{ edges {{ node {{ id stated predicate modality "
    f"evidence {{ quote start end source {{ title }} }} claimant {{ name }} }} }} }} }} }} }} }} }} }} }} }}"
    for i in range(60)) + " }"


def test_health_answers_while_heavy_queries_run_and_the_deadline_stops_them(open_server):
    url, outcomes = open_server, []

    def heavy():
        t = time.monotonic()
        r = httpx.post(url + "/graphql", json={"query": HEAVY}, timeout=60)
        outcomes.append((r.status_code, r.json()["errors"][0]["extensions"]["code"], time.monotonic() - t))

    workers = [threading.Thread(target=heavy) for _ in range(3)]
    for w in workers:
        w.start()
    probes, busy = [], []
    with httpx.Client(base_url=url, timeout=5) as client:  # one connection, as a monitor keeps
        time.sleep(0.3)
        for _ in range(15):
            t = time.monotonic()
            busy.append(client.get("/health").json()["running"])
            probes.append(time.monotonic() - t)
            time.sleep(0.03)
        for w in workers:
            w.join(60)
        after = client.get("/health").json()["running"]
    assert max(busy) >= 1, "the heavy queries were not running while /health was probed"
    assert statistics.median(probes) < 0.1, f"/health took {probes}"
    assert [o[:2] for o in outcomes] == [(503, "DEADLINE_EXCEEDED")] * 3
    assert max(o[2] for o in outcomes) < DEADLINE + 2, "a request outlived the deadline (waiting included)"
    assert after == 0, "work went on after the deadline"


def test_work_stops_when_the_client_goes_away(open_server):
    with httpx.Client(base_url=open_server, timeout=5) as monitor:
        with pytest.raises(httpx.TimeoutException):
            httpx.post(open_server + "/graphql", json={"query": HEAVY}, timeout=0.3)
        started, running = time.monotonic(), [1]
        while running[-1] and time.monotonic() - started < DEADLINE / 2:  # well before the deadline stops it
            running.append(monitor.get("/health").json()["running"])
            time.sleep(0.05)
    assert running[-1] == 0, "the request's work went on after its client left"
