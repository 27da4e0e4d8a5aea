#!/usr/bin/env bash
# Installs claimgraph with its test dependencies, Debian's chromium for the browser
# checks (when missing and apt-get is usable), starts a local Neo4j (deploy/neo4j/neo4j.sh)
# when Java is there and none answers yet, runs the whole test suite, and stops the
# Neo4j it started.
# Usage: bash deploy/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's chromium for the browser checks…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
started=""
if command -v java >/dev/null 2>&1 && ! (exec 3<>/dev/tcp/127.0.0.1/"${NEO4J_BOLT_PORT:-7687}") 2>/dev/null; then
  bash deploy/neo4j/neo4j.sh start
  started=1
fi
stop_neo4j() { if [ -n "$started" ]; then bash deploy/neo4j/neo4j.sh stop || true; fi; }
trap stop_neo4j EXIT
python3 -m pytest "$@"
