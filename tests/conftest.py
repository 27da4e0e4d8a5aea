from __future__ import annotations

import os
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


def pytest_configure(config):
    """Every Neo4j client in the tests (and the CLI they start) reaches the test server."""
    import neo4j_server

    os.environ.update(neo4j_server.client_env())


@pytest.fixture(scope="session")
def neo4j_driver():
    """A driver for the tests' own real Neo4j (``neo4j_server``), started when it does not
    answer yet and stopped again. Skips without Java, except under CI."""
    from claimgraph.graph.neo4j_projection import Neo4jSettings, Neo4jUnavailable, connect

    import neo4j_server

    settings = Neo4jSettings.from_env()
    started = False
    try:
        driver = connect(settings)
    except Neo4jUnavailable:
        if neo4j_server.external():
            raise
        if shutil.which("java") is None:
            reason = "Java 17 is not installed: the Neo4j tests need a real Neo4j server"
            if os.environ.get("CI") == "true":
                pytest.fail(f"{reason}; under CI they may not skip")
            pytest.skip(reason)
        neo4j_server.script("start")
        started = True
        driver = connect(settings)
    yield driver
    driver.close()
    if started:
        neo4j_server.script("stop", check=False)


@pytest.fixture
def neo4j_projection(neo4j_driver, store):
    """A Neo4j projection of ``store``'s log, starting from an empty Neo4j."""
    from claimgraph.graph.neo4j_projection import Neo4jProjection

    projection = Neo4jProjection(neo4j_driver, store.log)
    projection.wipe()
    return projection
