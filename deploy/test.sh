#!/usr/bin/env bash
# Installs claimgraph with its test dependencies and runs the whole test suite.
# Usage: bash deploy/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
exec python3 -m pytest "$@"
