"""Strict RDF parsing (see ``claimgraph.ingest.rdf.parse``)."""
from .rdf.parse import FORMATS, NAMES, Document, check_syntax, max_bytes, parse_file, schema_org_context

__all__ = ["FORMATS", "NAMES", "Document", "check_syntax", "max_bytes", "parse_file", "schema_org_context"]
