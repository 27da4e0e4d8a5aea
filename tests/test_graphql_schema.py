"""GraphQL executed in-process through the engine's steps (no transport); the HTTP
and WebSocket layers have their own tests."""
import json
import re

import pytest

from claimgraph.api.context import Context
from claimgraph.api.graphql_engine import Engine
from claimgraph.api.graphql_limits import Limits
from claimgraph.api.graphql_schema import build_schema
from claimgraph.ingest.pipeline import ingest_path
from claimgraph.schema import model

from helpers import ROOT

SCHEMA = build_schema()
ENGINE = Engine(SCHEMA, Limits())
JULY_QUOTE = "Grok 3 nach dem Training mit 100.000 H100-Grafikkarten Ende des Jahres auf den Markt kommen"


def run(store, query, actor=None, engine=ENGINE, **variables):
    ctx = Context.for_store(store, actor=actor, max_text=engine.limits.max_text_slice)
    return engine.run(ctx, query, variables)


@pytest.fixture
def loaded(store, sample):
    ingest_path(store, sample)
    return store


def codes(out):
    return [e["extensions"]["code"] for e in out.get("errors", [])]


def test_schema_file_matches_the_code():
    assert (ROOT / "schema" / "schema.graphql").read_text() == str(SCHEMA) + "\n", \
        "schema/schema.graphql is stale: run `claimgraph schema -o schema/schema.graphql`"


def test_entity_by_alias_with_claims_and_evidence(loaded):
    out = run(loaded, """{ entity(id: "Grok3") { __typename id kind name aliases
        claimsAbout(first: 50) { totalCount edges { node { stated predicate modality status
          claimant { id } evidence { quote start end verified source { id published } } } } } } }""")
    e = out["data"]["entity"]
    assert (e["__typename"], e["id"], e["kind"]) == ("Model", "model:grok-3", "MODEL")
    nodes = [x["node"] for x in e["claimsAbout"]["edges"]]
    assert e["claimsAbout"]["totalCount"] == len(nodes)
    july = next(n for n in nodes if n["stated"] == "2024-07" and n["predicate"] == "release")
    assert july["status"] == "BROKEN" and july["evidence"]["quote"] == JULY_QUOTE
    assert july["claimant"]["id"] == "person:elon-musk" and july["evidence"]["source"]["published"] == "2025-01-02"


def test_status_at_a_date_and_as_of_a_position(loaded):
    q = """query($at: Date, $seq: Int) { claims(filter: {claimant: "person:elon-musk", predicate: "release",
             channel: X_POST}, asOf: {seq: $seq}) { edges { node { status(at: $at) } } } }"""
    head = loaded.head()
    assert run(loaded, q, at="2024-12-01", seq=head)["data"]["claims"]["edges"][0]["node"]["status"] == "PENDING"
    assert run(loaded, q, at="2025-03-01", seq=head)["data"]["claims"]["edges"][0]["node"]["status"] == "BROKEN"
    res_seq = loaded.conn.execute("SELECT MIN(seq_from) FROM rm_resolutions").fetchone()[0]
    before = run(loaded, q, at="2025-03-01", seq=res_seq - 1)["data"]["claims"]["edges"][0]["node"]["status"]
    assert before == "OVERDUE"
    assert run(loaded, q, at=None, seq=0)["data"]["claims"]["edges"] == []


def test_as_of_time(loaded):
    out = run(loaded, '{ claims(asOf: {time: "2000-01-01T00:00:00Z"}) { totalCount } }')
    assert out["data"]["claims"]["totalCount"] == 0
    out = run(loaded, '{ claims(asOf: {time: "2999-01-01T00:00:00Z"}) { totalCount } }')
    assert out["data"]["claims"]["totalCount"] == run(loaded, "{ claims { totalCount } }")["data"]["claims"]["totalCount"]


def test_filters_with_and_or(loaded):
    q = """{ claims(first: 100, filter: {OR: [{subject: "org:google"}, {subject: "org:openai"}], predicate: "delay"})
             { totalCount edges { node { subject { id } } } } }"""
    out = run(loaded, q)["data"]["claims"]
    assert out["totalCount"] == 2
    assert {e["node"]["subject"]["id"] for e in out["edges"]} == {"org:google", "org:openai"}
    hedged = run(loaded, '{ claims(filter: {modality: HEDGED, status: BROKEN}) { totalCount } }')
    assert hedged["data"]["claims"]["totalCount"] == 1
    text = run(loaded, '{ claims(filter: {text: "Grafikkarten"}) { totalCount } }')
    assert text["data"]["claims"]["totalCount"] == 2


def test_pagination_walks_every_claim_once(loaded):
    seen, after = [], None
    while True:
        out = run(loaded, """query($after: String) { claims(first: 3, after: $after, sort: STATED_DESC)
            { totalCount edges { cursor node { id stated } } pageInfo { hasNextPage endCursor } } }""", after=after)
        page = out["data"]["claims"]
        seen += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] == len({n["id"] for n in seen})
    assert [n["stated"] for n in seen] == sorted((n["stated"] for n in seen), reverse=True)


def test_track_record_and_timeline(loaded):
    out = run(loaded, """{ trackRecord(claimant: "Musk", at: "2025-06-01") { promises kept broken pending overdue
        claimant { name } } timeline(entity: "model:grok-3", first: 100) { edges { node { stated } } } }""")
    r = out["data"]["trackRecord"]
    assert r["broken"] == 2 and r["claimant"]["name"] == "Elon Musk"
    stated = [e["node"]["stated"] for e in out["data"]["timeline"]["edges"]]
    assert stated == sorted(stated)


def test_history_lists_the_events_behind_a_claim(loaded):
    out = run(loaded, """{ claims(filter: {claimant: "person:elon-musk", channel: X_POST, predicate: "release"})
        { edges { node { seq history { seq type actor } } } } }""")
    node = out["data"]["claims"]["edges"][0]["node"]
    types = [h["type"] for h in node["history"]]
    assert types == ["claim-recorded", "proposition-resolved"] and node["history"][0]["seq"] == node["seq"]


@pytest.mark.parametrize("query, code", [
    ("{ claims { totalCount ", "GRAPHQL_PARSE_FAILED"),
    ("{ claims { nope } }", "GRAPHQL_VALIDATION_FAILED"),
    ('{ claims(first: "x") { totalCount } }', "GRAPHQL_VALIDATION_FAILED"),
    ("{ claims(first: 1000) { totalCount } }", "FIRST_OUT_OF_RANGE"),
    ("subscription { events { seq } }", "OPERATION_NOT_SUPPORTED"),
    ('{ claims(after: "garbage!") { totalCount } }', "BAD_CURSOR"),
    ("{ claims(asOf: {seq: 999999}) { totalCount } }", "BAD_AS_OF"),
    ('{ claims(asOf: {seq: 1, time: "2025-01-01T00:00:00Z"}) { totalCount } }', "BAD_AS_OF"),
    ('{ trackRecord(claimant: "person:nobody") { broken } }', "NOT_FOUND"),
    ("{ " + " ".join(f"a{i}: head" for i in range(40)) + " }", "QUERY_TOO_COMPLEX"),
    ("{ entity(id: \"x\") { " + "claimsMade { edges { node { claimant { " * 5 + "id" + " } } } }" * 5 + " } }",
     "QUERY_TOO_COMPLEX"),
])
def test_bad_requests_get_a_stable_code(loaded, query, code):
    out = run(loaded, query)
    assert codes(out) and codes(out)[0] == code, out
    assert out["errors"][0]["message"]


def test_mutations_need_a_token_and_append_nothing_without(loaded):
    head = loaded.head()
    out = run(loaded, 'mutation { mergeEntities(from: "model:grok-2-5", into: "model:grok-3") { appended } }')
    assert codes(out) == ["UNAUTHENTICATED"] and loaded.head() == head
    ok = run(loaded, 'mutation { mergeEntities(from: "model:grok-2-5", into: "model:grok-3") { appended entity { id } } }',
             actor="api:test")
    assert ok["data"]["mergeEntities"]["appended"] == 1 and loaded.head() == head + 1


def test_record_claim_then_retract_it(loaded):
    m = """mutation($input: RecordClaimInput!) { recordClaim(input: $input) { appended claim { id status actor } } }"""
    src = loaded.read.claims()[0].source_id
    payload = {"claimant": "person:elon-musk", "stated": "2024-07", "channel": "X_POST", "subject": "Grok3",
               "predicate": "release", "modality": "PREDICTED", "due": "2024-12-31",
               "quote": "Ende des Jahres auf den Markt kommen", "source": {"id": src}}
    out = run(loaded, m, actor="api:alice", input=payload)
    claim = out["data"]["recordClaim"]["claim"]
    assert claim["status"] == "BROKEN" and claim["actor"] == "api:alice"
    bad = run(loaded, m, actor="api:alice", input={**payload, "quote": "not in the article"})
    assert codes(bad) == ["BAD_USER_INPUT"] and "quote not found" in bad["errors"][0]["message"]
    r = run(loaded, 'mutation($id: ID!) { retractClaim(id: $id, reason: "duplicate") { appended } }',
            actor="api:alice", id=claim["id"])
    assert r["data"]["retractClaim"]["appended"] == 1
    assert run(loaded, '{ claim(id: "%s") { id } }' % claim["id"])["data"]["claim"] is None
    again = run(loaded, 'mutation($id: ID!) { retractClaim(id: $id, reason: "x") { appended } }',
                actor="api:alice", id=claim["id"])
    assert codes(again) == ["NOT_FOUND"]


def test_ingest_document_and_resolve(store, sample):
    content = sample.read_text().replace("path: grok3-delay.de.txt", "")
    text = (sample.parent / "grok3-delay.de.txt").read_text()
    out = run(store, "mutation($c: String!, $t: String) { ingestDocument(content: $c, sourceText: $t) { appended head } }",
              actor="api:bot", c=content, t=text)
    assert out["data"]["ingestDocument"]["appended"] > 20
    bad = run(store, "mutation($c: String!) { ingestDocument(content: $c) { appended } }", actor="api:bot",
              c=sample.read_text())
    assert codes(bad) == ["BAD_USER_INPUT"] and "file path" in bad["errors"][0]["message"]


def test_a_page_of_claims_costs_a_bounded_number_of_queries(loaded):
    q = """query($n: Int) { claims(first: $n) { edges { node { claimant { name aliases } subject { name }
           object { entity { name } } evidence { quote source { title } } status } } } }"""
    counts = []
    for n in (2, 19):
        loaded.read.at_version(-1)  # start each run with cold look-up memos
        statements = []
        loaded.conn.set_trace_callback(statements.append)
        run(loaded, q, n=n)
        loaded.conn.set_trace_callback(None)
        counts.append(len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]))
    assert counts[0] == counts[1], f"SQL queries grow with the page size: {counts}"


def test_unexpected_errors_are_masked(loaded, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail at /srv/data")
    monkeypatch.setattr(loaded.read, "claims", broken)
    out = run(loaded, "{ claims { totalCount } }")
    assert codes(out) == ["INTERNAL_SERVER_ERROR"]
    assert "secret" not in json.dumps(out)


def test_resolve_then_retract_the_resolution(loaded):
    src = loaded.read.claims()[0].source_id
    m = """mutation($input: ResolveInput!) { resolvePropositionResult: resolveProposition(input: $input) { appended } }"""
    out = run(loaded, m, actor="api:alice", input={
        "subject": "model:claude-3-5-opus", "predicate": "release", "due": "2024-12-31", "verdict": "BROKEN",
        "known": "2025-01-02", "quote": "Claude 3.5 Opus", "source": {"id": src}})
    assert out["data"]["resolvePropositionResult"]["appended"] == 1
    claim = [c for c in loaded.read.claims() if c.subject == "model:claude-3-5-opus" and c.predicate == "release"][0]
    rid = [r["id"] for r in loaded.read.resolutions(claim.proposition_id) if r["verdict"] == "broken"][0]
    r = run(loaded, 'mutation($id: ID!) { retractResolution(id: $id, reason: "wrong") { appended } }',
            actor="api:alice", id=rid)
    assert r["data"]["retractResolution"]["appended"] == 1
    assert all(x["id"] != rid for x in loaded.read.resolutions(claim.proposition_id))
    again = run(loaded, 'mutation($id: ID!) { retractResolution(id: $id, reason: "x") { appended } }',
                actor="api:alice", id=rid)
    assert codes(again) == ["NOT_FOUND"]


# -- semantics ----------------------------------------------------------------------------

def test_enums_are_the_domain_enums():
    types = SCHEMA._schema.type_map
    for name, domain in (("EntityKind", model.Kind), ("Channel", model.Channel), ("Modality", model.Modality),
                         ("Verdict", model.Verdict), ("Status", model.Status)):
        assert list(types[name].values) == [m.name.upper() for m in domain]


def test_descriptions_name_only_what_exists():
    """Every `identifier` quoted in a description is a type, field, argument or enum value."""
    from graphql import specified_scalar_types
    schema = SCHEMA._schema
    names, texts = set(), []
    for t in schema.type_map.values():
        if t.name.startswith("__") or t.name in specified_scalar_types:
            continue  # GraphQL's own types
        names.add(t.name)
        texts.append(t.description or "")
        for f_name, f in (getattr(t, "fields", None) or {}).items():
            names.add(f_name)
            texts.append(f.description or "")
            names.update(getattr(f, "args", {}) or {})
        names.update(getattr(t, "values", None) or {})
    quoted = {w for text in texts for w in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", text)}
    assert quoted and not quoted - names, f"descriptions name what does not exist: {quoted - names}"


def test_text_search_is_literal(loaded):
    claims = loaded.read.claims()
    for text in ("%", "_", "e_f"):
        expected = sum(text in c.quote or text in c.predicate or text in json.dumps(c.object or "") for c in claims)
        out = run(loaded, "query($t: String) { claims(filter: {text: $t}) { totalCount } }", t=text)
        assert out["data"]["claims"]["totalCount"] == expected, text
    assert run(loaded, '{ claims(filter: {text: "e_f"}) { totalCount } }')["data"]["claims"]["totalCount"] == 1
    for search in ("%", "_"):
        assert run(loaded, "query($s: String) { entities(search: $s) { totalCount } }", s=search) == \
            {"data": {"entities": {"totalCount": 0}}}
    assert run(loaded, '{ entities(search: "grok") { totalCount } }')["data"]["entities"]["totalCount"] > 0


def test_page_info_is_complete_and_first_zero_is_an_empty_last_page(loaded):
    q = """query($n: Int, $a: String) { claims(first: $n, after: $a) { totalCount edges { cursor }
           pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
    first = run(loaded, q, n=3)["data"]["claims"]
    info = first["pageInfo"]
    assert info == {"hasNextPage": True, "hasPreviousPage": False, "startCursor": first["edges"][0]["cursor"],
                    "endCursor": first["edges"][-1]["cursor"]}
    assert run(loaded, q, n=3, a=info["endCursor"])["data"]["claims"]["pageInfo"]["hasPreviousPage"] is True
    empty = run(loaded, q, n=0)["data"]["claims"]
    assert empty["edges"] == [] and empty["totalCount"] == first["totalCount"] > 0
    assert empty["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None}


def test_event_cursors_are_log_positions(loaded):
    q = "query($a: String) { events(first: 2, after: $a) { totalCount edges { cursor node { seq } } pageInfo { endCursor } } }"
    page = run(loaded, q, a="3")["data"]["events"]
    assert [(e["cursor"], e["node"]["seq"]) for e in page["edges"]] == [("4", 4), ("5", 5)]
    assert run(loaded, q, a=page["pageInfo"]["endCursor"])["data"]["events"]["edges"][0]["node"]["seq"] == 6
    assert page["totalCount"] == loaded.head()
    for bad in ("-5", "x", "1e3", "99999999999999999999"):
        assert codes(run(loaded, q, a=bad)) == ["BAD_CURSOR"], bad
    assert codes(run(loaded, "{ events(after: 5) { totalCount } }")) == ["GRAPHQL_VALIDATION_FAILED"]


def test_a_missing_entity_does_not_void_the_response(loaded):
    out = run(loaded, '{ head trackRecord(claimant: "person:nobody") { broken } timeline(entity: "Grok3") { totalCount } }')
    assert out["data"]["head"] == loaded.head() and out["data"]["timeline"]["totalCount"] > 0
    assert out["data"]["trackRecord"] is None and codes(out) == ["NOT_FOUND"]


def test_statuses_follow_the_requests_date(loaded):
    q = """{ claims(filter: {claimant: "person:elon-musk", predicate: "release", channel: X_POST})
             { edges { node { status } } } trackRecord(claimant: "Musk") { broken pending } }"""
    import datetime as dt
    then = Context.for_store(loaded, today=dt.date(2024, 8, 1))
    out = ENGINE.run(then, q)["data"]
    assert out["claims"]["edges"][0]["node"]["status"] == "PENDING" and out["trackRecord"]["broken"] == 0
    assert run(loaded, q)["data"]["claims"]["edges"][0]["node"]["status"] == "BROKEN"


def test_texts_and_event_payloads_come_in_bounded_slices(loaded):
    small = Engine(SCHEMA, Limits(max_text_slice=100))
    q = """{ sources { edges { node { length text whole: text(length: 100) tail: text(start: 3960)
             middle: text(start: 10, length: 5) } } } }"""
    node = run(loaded, q, engine=small)["data"]["sources"]["edges"][0]["node"]
    full = loaded.conn.execute("SELECT text FROM rm_sources").fetchone()[0]
    assert node["length"] == len(full) > 100 and node["text"] == node["whole"] == full[:100]
    assert node["tail"] == full[3960:] and node["middle"] == full[10:15]
    assert codes(run(loaded, "{ sources { edges { node { text(length: 101) } } } }", engine=small)) == ["BAD_USER_INPUT"]
    assert codes(run(loaded, "{ sources { edges { node { text(start: -1) } } } }", engine=small)) == ["BAD_USER_INPUT"]
    events = run(loaded, "{ events(first: 100) { edges { node { type data truncated } } } }", engine=small)
    source = next(e["node"] for e in events["data"]["events"]["edges"] if e["node"]["type"] == "source-registered")
    assert source["truncated"] == ["/text"] and source["data"]["text"] == full[:100]
    strings = []
    todo = [e["node"]["data"] for e in events["data"]["events"]["edges"]]
    while todo:
        value = todo.pop()
        strings += [value] if isinstance(value, str) else []
        todo += list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else []
    assert strings and max(map(len, strings)) == 100


# -- limits -------------------------------------------------------------------------------

def cost(query, **variables):
    from graphql import get_operation_ast, parse

    from claimgraph.api.graphql_cost import Cost
    doc = parse(query)
    return Cost(SCHEMA._schema, doc, variables, Limits(max_cost=10**12, max_depth=100)).operation(get_operation_ast(doc))


def test_cost_multiplies_first_along_nested_connections():
    inner = "{ edges { node { id } } }"
    assert cost("{ claims(first: 10) " + inner + " }") == 1 + 10 + 1 + 10 * (1 + 1)
    nested = "{ entities(first: 10) { edges { node { claimsMade(first: 5) " + inner + " } } } }"
    assert cost(nested) == 1 + 10 + 1 + 10 * (1 + (1 + 10 + 1 + 5 * 2))
    assert cost("query($n: Int) { claims(first: $n) " + inner + " }", n=50) == cost("{ claims(first: 50) " + inner + " }")
    assert cost("{ claims " + inner + " }") == cost("{ claims(first: 20) " + inner + " }")
    spread = "{ claims(first: 10) { ...F } } fragment F on ClaimConnection " + inner
    assert cost(spread) == cost("{ claims(first: 10) " + inner + " }")


def test_filter_terms_count_from_literals_and_variables_alike():
    literal = cost('{ claims(filter: {OR: [{predicate: "a"}, {text: "b"}], claimant: "x"}) { totalCount } }')
    variable = cost("query($f: ClaimFilter) { claims(filter: $f) { totalCount } }",
                    f={"OR": [{"predicate": "a"}, {"text": "b"}], "claimant": "x"})
    mixed = cost('query($t: String) { claims(filter: {OR: [{predicate: "a"}, {text: $t}], claimant: "x"}) { totalCount } }',
                 t="b")
    assert literal == variable == mixed == 1 + 10 + 5 * 3 + 5 + 1
    unnarrowed = cost('{ claims(filter: {text: "b"}) { totalCount } }')
    assert unnarrowed == 1 + 10 + 5 + 4000 + 1


def test_prescan_normalizes_and_counts():
    from claimgraph.api.errors import RequestError
    from claimgraph.api.graphql_engine import prescan
    limits = Limits(max_tokens=50, max_depth=3, max_aliases=2)
    a = prescan('{ claims(filter: {text: "a b"}) { totalCount } }', limits)
    b = prescan('# comment\n{claims(filter:{text:"""a b"""}){\n\ttotalCount}}', limits)
    assert a.normalized == b.normalized and a.tokens == b.tokens == 15 and not a.dated
    assert prescan("{ claims { edges { node { status } } } }", Limits()).dated
    for query in ("{ a { b { c { d } } } }", "{ a: head b: head c: head }", "{ " + "head " * 60 + "}"):
        with pytest.raises(RequestError) as info:
            prescan(query, limits)
        assert info.value.code == "QUERY_TOO_COMPLEX"
    assert prescan('{ claims(filter: {AND: [{OR: [{text: "x"}]}]}) { totalCount } }', limits).tokens < 50
