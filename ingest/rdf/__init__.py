"""Reading RDF: strict parsing, claimgraph's own vocabulary, Wikidata and schema.org."""
