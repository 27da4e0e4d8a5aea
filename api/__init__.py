"""The outside faces of claimgraph: the command line, the GraphQL API and its ASGI app."""
