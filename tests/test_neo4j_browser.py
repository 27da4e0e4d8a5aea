"""Neo4j Browser (served by the tests' local Neo4j, no network) with claimgraph's setup:
after login the style is applied and the guide is open; its one-click queries draw
captions Browser does not have to cut; every shipped example query runs."""
import json
import re
import subprocess
import sys

import pytest

from claimgraph.graph.neo4j_projection import Neo4jSettings
from claimgraph.ingest.pipeline import ingest_path

import neo4j_server
from browser import page, screenshot_path
from neo4j_queries import BROWSER, GRASS_FILE, GUIDE_FILE, example_queries


@pytest.fixture
def synced(store, sample, neo4j_projection):
    """Both sample documents: Grok 3's delay and its release."""
    ingest_path(store, sample)
    ingest_path(store, sample.with_name("grok3-launch.yaml"))
    neo4j_projection.sync()
    return store


def test_every_example_query_runs_and_returns_paths(synced, neo4j_driver):
    queries = example_queries()
    assert {"Who said what about Grok 3", "Everything about Grok 3", "Musk's promises and how they turned out",
            "How Grok 3's release date moved", "Who claimed what about H100s", "Broken promises, by claimant",
            "Overdue promises"} <= set(queries)
    for title, query in queries.items():
        records, _, _ = neo4j_driver.execute_query(query)
        if "Overdue" not in title:
            assert records, f"example query {title!r} found nothing on the sample"
        if records and "path" in records[0].keys():
            assert any(len(r["path"].relationships) for r in records), f"{title!r} draws no relationship"
    broken, _, _ = neo4j_driver.execute_query(queries["Broken promises, by claimant"])
    assert {(r["claimant"], r["promise"]) for r in broken} >= {("Elon Musk", "Grok 3 release by 2024-12"),
                                                                ("xAI", "Grok 3 release by 2024-12")}


def test_the_guide_is_written_from_the_queries_and_offers_each():
    check = subprocess.run([sys.executable, str(BROWSER / "guide.py"), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    guide = GUIDE_FILE.read_text(encoding="utf-8")
    for title in example_queries():
        assert f'data-title="{title}"'.replace("'", "&#x27;") in guide


def grass_rules(text: str) -> dict[str, dict[str, str]]:
    return {sel: dict(re.findall(r"([\w-]+):\s*'?([^;']*)'?;", body))
            for sel, body in re.findall(r"([\w.]+)\s*\{([^}]*)\}", text)}


def login(p, http: str, settings: Neo4jSettings) -> None:
    bolt = settings.uri.split("://", 1)[1].replace("localhost", "127.0.0.1")  # Chromium may try ::1 first
    p.goto(http)
    p.wait_for_selector('[data-testid="connect"]', timeout=60000)
    p.select_option('[data-testid="authenticationMethod"]', "NO_AUTH")
    p.select_option('[data-testid="authenticationMethod"]', "NATIVE")
    p.fill('[data-testid="boltaddress"]', bolt)
    p.fill('[data-testid="username"]', settings.user)
    p.fill('[data-testid="password"]', settings.password)
    p.click('[data-testid="connect"]')
    p.wait_for_selector('[data-testid="connect"]', state="detached", timeout=30000)


def rendered_captions(p) -> list[str]:
    """The caption of every node drawn, its lines joined."""
    return [" ".join(t.strip() for t in g.locator("text").all_text_contents() if t.strip())
            for g in p.locator("svg g.node").all()]


def test_browser_is_styled_and_guided_on_connect_and_draws_whole_captions(synced, neo4j_driver):
    settings = Neo4jSettings.from_env()
    # the page on localhost: the style and guide come from this server at http://localhost:…
    http = f"http://localhost:{neo4j_server.http_port()}/browser/"
    with page(1600, 1000) as p:  # a fresh profile: nothing set up by hand before
        login(p, http, settings)
        p.wait_for_selector("text=claimgraph in Neo4j", timeout=30000)  # the guide opened itself
        p.wait_for_function("() => (localStorage.getItem('neo4j.grass') || '').includes('node.Claim')", timeout=30000)
        applied = json.loads(p.evaluate("localStorage.getItem('neo4j.grass')"))
        shipped = grass_rules(GRASS_FILE.read_text())
        for selector in ("node.Claim", "node.Proposition", "relationship.PROMISED"):
            assert applied[selector]["diameter" if selector.startswith("node") else "color"] == \
                shipped[selector]["diameter" if selector.startswith("node") else "color"]

        # one click on the guide's ▶ runs "Everything about Grok 3"
        block = p.locator('pre[data-title="Everything about Grok 3"]')
        for _ in range(8):
            if block.count():
                break
            p.click("text=Next")
        block.locator("i").first.click()
        p.wait_for_selector("svg g.node", timeout=30000)
        frame = p.locator('[data-testid="frame"]').first
        footer = frame.locator("text=/Displaying \\d+ nodes, \\d+ relationships/").first.inner_text()
        nodes, rels = map(int, re.findall(r"\d+", footer)[:2])
        assert nodes >= 15 and rels >= nodes - 1, footer  # paths: Browser counts what it draws
        p.wait_for_timeout(1500)
        in_the_stream = rendered_captions(p)  # Browser's own frame, its default zoom
        p.screenshot(path=str(screenshot_path("neo4j-browser-guide.png")))
        # the same result in a full-window frame, for a readable picture
        frame.locator('[title="Fullscreen"]').first.click()
        frame.locator('[data-testid="rerunFrameButton"]').first.click()
        p.wait_for_timeout(1500)
        frame.locator('[title="Collapse the node properties display"]').first.click()
        p.wait_for_timeout(2500)  # let the force layout settle for the picture
        drawn = rendered_captions(p)
        shot = screenshot_path("neo4j-browser-grok3.png")
        p.screenshot(path=str(shot))

    for shown in (in_the_stream, drawn):
        assert not [c for c in shown if "…" in c], f"Browser cut captions: {[c for c in shown if '…' in c]}"
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (c:Claim)-[:STATES]->(:Proposition)-[:SUBJECT|OBJECT]->(:Entity {id: 'model:grok-3'})"
        " WHERE c.seqTo IS NULL RETURN c.caption AS caption")
    claims = [r["caption"] for r in records]
    assert len(claims) >= 10 and all(len(c) <= 48 for c in claims)
    for caption in claims:  # drawn whole: every word of it, none cut
        assert " ".join(caption.split()) in drawn, f"claim caption {caption!r} not drawn whole"
    assert "Elon Musk" in drawn and "Grok 3" in drawn
    assert shot.stat().st_size > 50000


def test_the_browser_files_are_served_for_a_neo4j_started_elsewhere():
    """For Docker, Desktop or Aura: deploy/neo4j/browser/serve.py hands the style, guide and
    queries to a Browser page of any origin, and nothing else."""
    import httpx

    from servers import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, str(BROWSER / "serve.py"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        proc.stdout.readline()  # serving …
        base = f"http://127.0.0.1:{port}"
        guide = httpx.get(f"{base}/guide.html", headers={"Origin": "https://console.neo4j.io"})
        assert guide.status_code == 200 and guide.headers["access-control-allow-origin"] == "*"
        assert guide.text == GUIDE_FILE.read_text(encoding="utf-8")
        assert httpx.get(f"{base}/claimgraph.grass").text == GRASS_FILE.read_text(encoding="utf-8")
        preflight = httpx.request("OPTIONS", f"{base}/guide.html",
                                  headers={"Access-Control-Request-Private-Network": "true"})
        assert preflight.status_code == 204 and preflight.headers["access-control-allow-private-network"] == "true"
        assert httpx.get(f"{base}/serve.py").status_code == 404
        assert httpx.get(f"{base}/../pom.xml").status_code == 404
    finally:
        proc.terminate()
        proc.wait(10)
