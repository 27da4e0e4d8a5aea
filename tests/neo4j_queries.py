"""The example Cypher queries shipped for Neo4j Browser (deploy/neo4j/browser/queries.cypher),
read by the same code that writes the Browser guide from them."""
from __future__ import annotations

import importlib.util
from pathlib import Path

BROWSER = Path(__file__).resolve().parents[1] / "deploy" / "neo4j" / "browser"
QUERIES_FILE = BROWSER / "queries.cypher"
GRASS_FILE = BROWSER / "claimgraph.grass"
GUIDE_FILE = BROWSER / "guide.html"


def guide_module():
    spec = importlib.util.spec_from_file_location("claimgraph_browser_guide", BROWSER / "guide.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example_queries() -> dict[str, str]:
    """Title -> query, in file order."""
    return {title: query for title, _, query in guide_module().examples()}
