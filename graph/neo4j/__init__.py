"""The claim graph in Neo4j, for Neo4j Browser and Cypher (see ``projection``)."""
from .connection import DEFAULT_PASSWORD, Neo4jConflict, Neo4jMismatch, Neo4jSettings, Neo4jUnavailable, connect
from .projection import Neo4jProjection
from .statements import CHECKPOINT, LABELS, NODE_LABELS, ONE_HOP

__all__ = ["CHECKPOINT", "DEFAULT_PASSWORD", "LABELS", "NODE_LABELS", "ONE_HOP", "Neo4jConflict", "Neo4jMismatch",
           "Neo4jProjection", "Neo4jSettings", "Neo4jUnavailable", "connect"]
