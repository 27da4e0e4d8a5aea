"""Every event type has a handler in each projection, and no handler is left over."""
from claimgraph.graph.neo4j_projection import Neo4jProjection
from claimgraph.graph.projection import HANDLERS
from claimgraph.schema.events import EVENT_TYPES


def test_the_read_model_handles_every_event_type():
    assert set(HANDLERS) == set(EVENT_TYPES)


def test_the_neo4j_projection_handles_every_event_type():
    assert set(Neo4jProjection(driver=None, log=None).handlers()) == set(EVENT_TYPES)


def test_the_version_table_read_without_the_event_classes_matches_them():
    from claimgraph.schema.versions import EVENT_VERSIONS

    assert EVENT_VERSIONS == {name: cls.VERSION for name, cls in EVENT_TYPES.items()}
