"""The example Cypher queries shipped for Neo4j Browser, by title."""
from pathlib import Path

QUERIES_FILE = Path(__file__).resolve().parents[1] / "deploy" / "neo4j" / "browser" / "queries.cypher"
GRASS_FILE = QUERIES_FILE.with_name("claimgraph.grass")


def example_queries() -> dict[str, str]:
    queries, title, lines = {}, None, []
    for line in QUERIES_FILE.read_text().splitlines():
        if line.startswith("//"):
            if not lines:
                title = line[2:].strip()
            continue
        if line.strip():
            lines.append(line)
        if line.rstrip().endswith(";"):
            queries[title] = "\n".join(lines).rstrip(";")
            lines = []
    return queries
