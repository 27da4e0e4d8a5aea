"""GraphQL throughput and latency vs a plain Starlette floor, on ≥100,000 claims.

Starts `claimgraph serve` and the floor app (bench/floor_app.py) under uvicorn on
loopback, then drives each with wrk (8 connections, fixed time) for three questions:
  (a) one entity with its 20 latest claims and evidence
  (b) a filtered claims page (predicate + modality, 20 rows, totalCount)
  (c) the same as (a) as of an earlier log position
GraphQL runs twice: cache-miss (distinct variables per request) and cache-hit (a small
set of repeated requests). Prints requests/s, p50 and p99 and the ratios to the floor.

Then the worst case: (a) cache-miss while 4 clients keep sending the costliest query
the server's limits let through (the slowest of several candidates, each filled up to
the cost limit and timed first).

--baseline PYTHONPATH also starts the server found there (e.g. an export of an earlier
commit laid out as claimgraph/{schema,graph,ingest,api}) and measures it in the same
run, on the same rows.

    python3 bench/graphql_api.py [--claims 100000] [--seconds 10] [--connections 8] [--repeat 1] [--baseline DIR]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from replay import build

from claimgraph.api.graphql_cost import Cost  # noqa: E402
from claimgraph.api.graphql_limits import Limits  # noqa: E402
from claimgraph.api.graphql_schema import build_schema

from common import cached_db, table

HERE = Path(__file__).resolve().parent

QUERIES = {
    "a": """query($id: ID!) { entity(id: $id) { id name ... on Person {
  claimsMade(first: 20, sort: STATED_DESC) { edges { node { id stated predicate modality status
    evidence { quote start end source { id title } } } } } } } }""",
    "b": """query($p: String!, $m: Modality!) { claims(filter: {predicate: $p, modality: $m}, first: 20) {
  totalCount edges { node { id stated predicate modality status evidence { quote start end source { id title } } } } } }""",
    "c": """query($id: ID!, $seq: Int!) { entity(id: $id, asOf: {seq: $seq}) { id name ... on Person {
  claimsMade(first: 20, sort: STATED_DESC) { edges { node { id stated predicate modality status
    evidence { quote start end source { id title } } } } } } } }""",
}
PREDICATES = ["release", "trained_on", "outperforms", "buys", "delay", "most_capable"]
MODALITIES = ["PROMISED", "ASSERTED", "PLANNED", "HEDGED", "PREDICTED"]

LUA = r"""
counter = 0
request = function()
  counter = counter + 1
  local k = counter %% %(cycle)d
  local i = k %% 500
  local p = PREDICATES[(k %% 6) + 1]
  local m = MODALITIES[(k %% 5) + 1]
  local n = %(nonce)s
  %(body)s
end
PREDICATES = {"release", "trained_on", "outperforms", "buys", "delay", "most_capable"}
MODALITIES = {"PROMISED", "ASSERTED", "PLANNED", "HEDGED", "PREDICTED"}
"""


def lua_script(kind: str, target: str, seq: int, cached: bool) -> str:
    if target == "floor":
        path = {"a": '"/a?id=person:p-" .. i', "b": '"/b?p=" .. p .. "&m=" .. string.lower(m)',
                "c": '"/c?id=person:p-" .. i .. "&seq=%d"' % seq}[kind]
        body = f'return wrk.format("GET", {path})'
    else:
        query = json.dumps(QUERIES[kind])
        variables = {"a": '"{\\"id\\": \\"person:p-" .. i .. "\\", \\"n\\": " .. n .. "}"',
                     "b": '"{\\"p\\": \\"" .. p .. "\\", \\"m\\": \\"" .. m .. "\\", \\"n\\": " .. n .. "}"',
                     "c": '"{\\"id\\": \\"person:p-" .. i .. "\\", \\"seq\\": %d, \\"n\\": " .. n .. "}"' % seq}[kind]
        body = (f'local b = "{{\\"query\\": " .. {json.dumps(query)} .. ", \\"variables\\": " .. {variables} .. "}}"\n'
                '  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, b)')
    # a cache miss must miss every time: each wrk run counts from 0 again, so every script
    # gets its own range of nonces (else a later run repeats an earlier one's requests)
    nonce = "0" if cached else f"counter + {next(_RUNS) * 10**9}"
    return LUA % {"cycle": 20 if cached else 1000000007, "nonce": nonce, "body": body}


_RUNS = itertools.count(1)


def start(cmd: list[str], port: int, env: dict, probe: str) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{probe}", timeout=2).status_code < 500:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{cmd} did not start: {proc.stderr.read().decode()[-2000:]}")


def wrk(url: str, script: str, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", f.name, url],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {p: _ms(re.search(rf"^\s+{p}%\s+(\S+)", out, re.M).group(1)) for p in ("50", "99")}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {"rps": rps, "p50": lat["50"], "p99": lat["99"], "errors": int(errors.group(1)) if errors else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def check_same_json(gql_port: int, floor_port: int, seq: int) -> None:
    """The floor must answer with exactly the GraphQL data, or the comparison is void."""
    pairs = [("a", {"id": "person:p-3"}, "/a?id=person:p-3"),
             ("b", {"p": "release", "m": "PROMISED"}, "/b?p=release&m=promised"),
             ("c", {"id": "person:p-3", "seq": seq}, f"/c?id=person:p-3&seq={seq}")]
    for kind, variables, path in pairs:
        g = httpx.post(f"http://127.0.0.1:{gql_port}/graphql", json={"query": QUERIES[kind], "variables": variables}).json()
        f = httpx.get(f"http://127.0.0.1:{floor_port}{path}").json()
        assert g == f, f"({kind}) floor and GraphQL answers differ:\n{g}\n{f}"


HEAVY_CLIENTS = 4


def candidates(limits: Limits) -> dict[str, str]:
    """Costly queries, each grown until the next step would pass the cost limit."""
    shapes = {
        "unnarrowed text scans": lambda n: "{ " + " ".join(
            f'a{i}: claims(filter: {{text: "no such text {i}"}}) {{ totalCount edges {{ cursor }} }}' for i in range(n)) + " }",
        "unnarrowed status scans": lambda n: "{ " + " ".join(
            f"a{i}: claims(filter: {{status: KEPT}}, first: 100) {{ totalCount edges {{ node {{ id }} }} }}"
            for i in range(n)) + " }",
        "pages of pages": lambda n: "{ entities(first: 100) { edges { node { claimsMade(first: %d) { totalCount "
                                    "edges { node { id stated status evidence { quote source { title } } } } } } } } }" % n,
        "track records": lambda n: "{ " + " ".join(
            f'a{i}: trackRecord(claimant: "person:p-{i}") {{ promises claims {{ id status evidence {{ quote }} }} }}'
            for i in range(n)) + " }",
    }
    schema = build_schema()._schema
    out = {}
    for name, shape in shapes.items():
        n = 1
        while n < 1000 and _cost(schema, shape(n + 1), limits) is not None:
            n += 1
        if _cost(schema, shape(n), limits) is not None:
            out[f"{name} ({n}, cost {_cost(schema, shape(n), limits)})"] = shape(n)
    return out


def _cost(schema, query: str, limits: Limits) -> int | None:
    from graphql import get_operation_ast, parse

    from claimgraph.api.errors import RequestError
    from claimgraph.api.graphql_engine import prescan
    try:
        prescan(query, limits)
        doc = parse(query)
        return Cost(schema, doc, {}, limits).operation(get_operation_ast(doc))
    except RequestError:
        return None


def costliest(port: int, limits: Limits) -> tuple[str, str, float]:
    """The candidate that takes longest on this server (name, query, seconds)."""
    timed = []
    for name, query in candidates(limits).items():
        t = time.perf_counter()
        r = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=120)
        timed.append((time.perf_counter() - t, name, query, r.status_code))
    seconds, name, query, status = max(timed)
    assert status in (200, 503), f"the costliest query was refused ({status})"
    return name, query, seconds


class Load:
    """Clients sending one query in a loop until stopped, each time with one more field
    (`nN: head`) so that no answer comes from the cache."""

    def __init__(self, port: int, query: str, clients: int):
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.counter = itertools.count()
        self.threads = [threading.Thread(target=self.run, args=(port, query), daemon=True) for _ in range(clients)]

    def run(self, port: int, query: str) -> None:
        with httpx.Client(timeout=600) as client:
            while not self.stop.is_set():
                fresh = query.replace("{", f"{{ n{next(self.counter)}: head ", 1)
                self.statuses.append(client.post(f"http://127.0.0.1:{port}/graphql", json={"query": fresh}).status_code)

    def __enter__(self) -> "Load":
        for t in self.threads:
            t.start()
        time.sleep(1)
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(600)


def best(runs: list[dict]) -> dict:
    """The run with the most requests/s: on a shared machine the others are disturbed more."""
    return max(runs, key=lambda r: r["rps"])


def measure(targets: dict[str, int], seq: int, args) -> dict:
    """wrk for every question, mode and target; the targets take turns (so load from
    elsewhere falls on all of them alike), ``--repeat`` times, the best run kept."""
    runs: dict = {}
    for kind in "abc":
        for mode in ("floor", "miss", "hit"):
            for name, port in targets.items():
                if (mode == "floor") != (name == "floor"):
                    continue
                script = lua_script(kind, "floor" if mode == "floor" else "graphql", seq, mode == "hit")
                for _ in range(args.repeat):
                    runs.setdefault((kind, name, mode), []).append(
                        wrk(f"http://127.0.0.1:{port}", script, args.seconds, args.connections))
    return {key: best(found) for key, found in runs.items()}


def row(label: str, name: str, r: dict, floor: dict) -> list:
    """A table row; errors are non-2xx answers plus requests that got no answer in wrk's 2 s."""
    return [label, name, f"{r['rps']:.0f}", f"{r['p50']:.2f}", f"{r['p99']:.2f}",
            f"{r['rps'] / floor['rps']:.2f}x", f"{r['p99'] / floor['p99']:.2f}x", r["errors"] + r["timeouts"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the best is kept")
    ap.add_argument("--baseline", default=None, metavar="DIR",
                    help="PYTHONPATH of another version of claimgraph to measure in the same run")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian: apt-get install wrk)")
    events = int(args.claims * 1.03) + 3550  # 2% of the generated events are resolutions/retractions
    db = cached_db(f"graphql-{args.claims}.db", build, events)
    env = {"CLAIMGRAPH_DB": str(db)}
    gql_port, floor_port, base_port = 18431, 18432, 18433
    serve = [sys.executable, "-m", "claimgraph.api.cli", "serve", "--port"]
    servers = {"GraphQL": (gql_port, start(serve + [str(gql_port)], gql_port, env, "/health")),
               "floor": (floor_port, start([sys.executable, "-m", "uvicorn", "floor_app:app", "--port", str(floor_port),
                                            "--log-level", "warning"], floor_port, {**env, "PYTHONPATH": str(HERE)},
                                           "/a?id=person:p-0"))}
    if args.baseline:  # on its own copy: an older version may rebuild its read model in place
        base_db = db.with_name(db.stem + "-baseline.db")
        shutil.copyfile(db, base_db)
        servers["baseline"] = (base_port, start(serve + [str(base_port)], base_port,
                                                {"CLAIMGRAPH_DB": str(base_db), "PYTHONPATH": args.baseline},
                                                "/health"))
    try:
        run(args, servers, gql_port, floor_port)
    finally:
        for _, proc in servers.values():
            proc.terminate()
            proc.wait(10)


def run(args, servers: dict, gql_port: int, floor_port: int) -> None:
    head = httpx.get(f"http://127.0.0.1:{gql_port}/health").json()["head"]
    total = httpx.post(f"http://127.0.0.1:{gql_port}/graphql", json={"query": "{ claims { totalCount } }"}).json()
    seq = head // 10
    check_same_json(gql_port, floor_port, seq)
    versions = [name for name in servers if name != "floor"]
    results = measure({name: port for name, (port, _) in servers.items()}, seq, args)
    floors = {k: results[(k, "floor", "floor")] for k in "abc"}
    rows = []
    labels = {"a": "(a) entity + 20 latest claims", "b": "(b) filtered claims page", "c": "(c) (a) as of an early position"}
    for kind, label in labels.items():
        rows.append(row(label, "floor (Starlette)", floors[kind], floors[kind]))
        for v in versions:
            rows += [row(label, f"{v} cache-{mode}", results[(kind, v, mode)], floors[kind]) for mode in ("miss", "hit")]
    name, query, seconds = costliest(gql_port, Limits.from_env())
    for v in versions:
        runs = []
        with Load(servers[v][0], query, HEAVY_CLIENTS) as load:
            for _ in range(args.repeat):
                runs.append(wrk(f"http://127.0.0.1:{servers[v][0]}", lua_script("a", "graphql", seq, False),
                                args.seconds, args.connections))
        loaded = best(runs)
        codes = sorted(set(load.statuses))
        rows.append(row(f"(a) while {HEAVY_CLIENTS} clients send the costliest query", f"{v} cache-miss", loaded,
                        floors["a"]))
        print(f"{v}: the costliest query's {len(load.statuses)} answers had status {codes}", file=sys.stderr)
    print(f"GraphQL vs floor on {total['data']['claims']['totalCount']:,} claims ({head:,} events), "
          f"{args.connections} connections, {args.seconds} s each (wrk), best of {args.repeat}\n")
    print(table(["question", "server", "req/s", "p50 ms", "p99 ms", "req/s vs floor", "p99 vs floor", "errors"], rows))
    print(f"\ncostliest query the limits allow: {name}, {seconds:.2f} s alone")
    for kind in "ab":
        miss, hit = results[(kind, "GraphQL", "miss")], results[(kind, "GraphQL", "hit")]
        floor = floors[kind]
        print(f"({kind}) throughput: miss {miss['rps'] / floor['rps']:.2f}x, hit {hit['rps'] / floor['rps']:.2f}x "
              f"the floor (target >= 0.5x); p99: miss {miss['p99'] / floor['p99']:.2f}x, "
              f"hit {hit['p99'] / floor['p99']:.2f}x (target <= 2x)")
    c_miss, b_miss = results[("c", "GraphQL", "miss")], results[("b", "GraphQL", "miss")]
    print(f"(c) as-of p99 {c_miss['p99']:.2f} ms vs (b) {b_miss['p99']:.2f} ms: "
          f"{c_miss['p99'] / b_miss['p99']:.2f}x (target <= 1.5x); "
          f"req/s {c_miss['rps'] / b_miss['rps']:.2f}x of (b)")


if __name__ == "__main__":
    main()
