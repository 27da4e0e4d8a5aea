"""Turning outside material (claim files, later articles and RDF) into events."""
