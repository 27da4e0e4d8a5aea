from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimgraph.api.cli import sample_dir
from claimgraph.graph.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(str(tmp_path / "test.db"))
    yield s
    s.close()


@pytest.fixture
def sample(tmp_path) -> Path:
    """A private copy of the sample claim file and its article."""
    target = tmp_path / "sample"
    shutil.copytree(sample_dir(), target)
    return target / "grok3-delay.yaml"


@pytest.fixture(scope="session")
def neo4j_driver():
    """A driver for a real Neo4j: the one configured (NEO4J_URI…) or one started with
    deploy/neo4j/neo4j.sh (and stopped again). Skips without Java, except under CI."""
    import os
    import subprocess

    from claimgraph.graph.neo4j_projection import Neo4jSettings, Neo4jUnavailable, connect

    settings = Neo4jSettings.from_env()
    started = False
    try:
        driver = connect(settings)
    except Neo4jUnavailable:
        if shutil.which("java") is None:
            reason = "Java 17 is not installed: the Neo4j tests need a real Neo4j server"
            if os.environ.get("CI") == "true":
                pytest.fail(f"{reason}; under CI they may not skip")
            pytest.skip(reason)
        script = Path(__file__).resolve().parents[1] / "deploy" / "neo4j" / "neo4j.sh"
        subprocess.run(["bash", str(script), "start"], check=True)
        started = True
        driver = connect(settings)
    yield driver
    driver.close()
    if started:
        subprocess.run(["bash", str(script), "stop"], check=False)


@pytest.fixture
def neo4j_projection(neo4j_driver, store):
    """A Neo4j projection of ``store``'s log, starting from an empty Neo4j."""
    from claimgraph.graph.neo4j_projection import Neo4jProjection

    projection = Neo4jProjection(neo4j_driver, store.log)
    projection.wipe()
    return projection
