"""Reaching Neo4j: settings from options and the environment, a verified driver, and the
errors a caller can act on."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimgraph.schema.errors import ClaimgraphError

if TYPE_CHECKING:
    from neo4j import Driver

DEFAULT_PASSWORD = "claimgraph-dev"


class Neo4jUnavailable(ClaimgraphError):
    """Neo4j cannot be reached."""

    code = "NEO4J_UNAVAILABLE"


class Neo4jMismatch(ClaimgraphError):
    """Neo4j holds the projection of another log."""

    code = "NEO4J_MISMATCH"


class Neo4jConflict(ClaimgraphError):
    """Another process moved the projection's checkpoint while this one was writing."""

    code = "NEO4J_CONFLICT"


@dataclass
class Neo4jSettings:
    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str = DEFAULT_PASSWORD
    database: str = "neo4j"

    @classmethod
    def from_env(cls, **given: str | None) -> Neo4jSettings:
        """Settings from the given values, else ``NEO4J_URI``, ``NEO4J_USER``,
        ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``, else the defaults."""
        env = {"uri": os.environ.get("NEO4J_URI"), "user": os.environ.get("NEO4J_USER"),
               "password": os.environ.get("NEO4J_PASSWORD"), "database": os.environ.get("NEO4J_DATABASE")}
        values = {k: v for k, v in {**env, **{k: v for k, v in given.items() if v}}.items() if v}
        return cls(**values)


def connect(settings: Neo4jSettings) -> Driver:
    """A verified driver, or Neo4jUnavailable with a clear message."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable
    try:
        driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                      connection_timeout=5, max_transaction_retry_time=5,
                                      notifications_min_severity="OFF")
        driver.verify_connectivity()
    except AuthError as e:
        raise Neo4jUnavailable(f"Neo4j at {settings.uri} refused user {settings.user!r}: {e.message} "
                               "(set NEO4J_USER / NEO4J_PASSWORD)") from None
    except (ServiceUnavailable, OSError, Neo4jError, ValueError) as e:
        raise Neo4jUnavailable(f"cannot reach Neo4j at {settings.uri}: {e} "
                               "(is it running? deploy/neo4j/neo4j.sh start)") from None
    return driver
