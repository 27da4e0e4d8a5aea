"""The event log (the only source of truth) and the projections built from it."""
