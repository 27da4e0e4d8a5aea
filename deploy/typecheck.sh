#!/usr/bin/env bash
# Type-checks claimgraph with mypy (configured in pyproject.toml: strict for schema/ and
# graph/). The packages are installed as claimgraph.<folder>; mypy reads them through a
# folder of links with that layout, made anew under build/typecheck each run.
# Usage: bash deploy/typecheck.sh [mypy args]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
view="build/typecheck"
rm -rf "$view" && mkdir -p "$view/claimgraph"
: > "$view/claimgraph/__init__.py"
for package in schema graph ingest api; do ln -s "$root/$package" "$view/claimgraph/$package"; done
cd "$view"
exec python3 -m mypy --config-file "$root/pyproject.toml" "$@" -p claimgraph
