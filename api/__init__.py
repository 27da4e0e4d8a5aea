"""The outside faces of claimgraph: the command line, and (later) GraphQL."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("claimgraph")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"
