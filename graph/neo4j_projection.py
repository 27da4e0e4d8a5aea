"""The Neo4j projection, under the name it has always been imported by; it lives in
``claimgraph.graph.neo4j``."""
from .neo4j import (
    CHECKPOINT,
    DEFAULT_PASSWORD,
    LABELS,
    NODE_LABELS,
    ONE_HOP,
    Neo4jConflict,
    Neo4jMismatch,
    Neo4jProjection,
    Neo4jSettings,
    Neo4jUnavailable,
    connect,
)

__all__ = ["CHECKPOINT", "DEFAULT_PASSWORD", "LABELS", "NODE_LABELS", "ONE_HOP", "Neo4jConflict", "Neo4jMismatch",
           "Neo4jProjection", "Neo4jSettings", "Neo4jUnavailable", "connect"]
