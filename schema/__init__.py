"""claimgraph domain model: entities, sources, claims, propositions, resolutions and
the events that record them. Pure data and pure functions: nothing here does I/O."""
