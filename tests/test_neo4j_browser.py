"""Neo4j Browser (served by the local Neo4j) shows the sample's graph, styled by the
shipped .grass file; every shipped example query runs."""
import pytest

from claimgraph.graph.neo4j_projection import Neo4jSettings
from claimgraph.ingest.pipeline import ingest_path

import neo4j_server
from browser import page, screenshot_path
from neo4j_queries import GRASS_FILE, example_queries


@pytest.fixture
def synced(store, sample, neo4j_projection):
    ingest_path(store, sample)
    neo4j_projection.sync()
    return store


def test_every_example_query_runs(synced, neo4j_driver):
    queries = example_queries()
    assert {"Musk's promises and how they turned out", "Everything about Grok 3", "Who claimed what about H100s"} <= set(queries)
    for title, query in queries.items():
        records, _, _ = neo4j_driver.execute_query(query)
        if "Overdue" not in title:
            assert records, f"example query {title!r} found nothing on the sample"


def run_in_editor(p, text: str) -> None:
    editor = p.locator('[data-testid="activeEditor"]')
    editor.click()
    p.keyboard.press("Control+A")
    p.keyboard.press("Delete")
    p.keyboard.insert_text(" ".join(text.split()))  # one line: a newline could run a partial command
    p.click('[data-testid="editor-Run"]')


def test_browser_connects_runs_a_query_and_renders_the_graph(synced):
    settings = Neo4jSettings.from_env()
    http = f"http://127.0.0.1:{neo4j_server.http_port()}/browser/"
    bolt = settings.uri.split("://", 1)[1].replace("localhost", "127.0.0.1")  # Chromium may try ::1 first
    with page() as p:
        p.goto(http)
        p.wait_for_selector('[data-testid="connect"]', timeout=30000)
        p.select_option('[data-testid="authenticationMethod"]', "NO_AUTH")
        p.select_option('[data-testid="authenticationMethod"]', "NATIVE")
        p.fill('[data-testid="boltaddress"]', bolt)
        p.fill('[data-testid="username"]', settings.user)
        p.fill('[data-testid="password"]', settings.password)
        p.click('[data-testid="connect"]')
        p.wait_for_selector('[data-testid="connect"]', state="detached", timeout=30000)
        run_in_editor(p, ":style " + GRASS_FILE.read_text())
        p.wait_for_timeout(1000)
        run_in_editor(p, example_queries()["Everything about Grok 3"])
        p.wait_for_selector("svg g.node", timeout=30000)
        p.wait_for_timeout(2500)  # let the force layout settle for the picture
        nodes = p.locator("svg g.node").count()
        captions = " ".join(t or "" for t in p.locator("svg g.node text").all_text_contents())
        shot = screenshot_path("neo4j-browser-grok3.png")
        p.screenshot(path=str(shot))
    assert nodes >= 10, f"the graph view rendered {nodes} nodes"
    assert "Grok 3" in captions and "Elon Musk" in captions
    assert shot.stat().st_size > 20000
