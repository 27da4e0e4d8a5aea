#!/usr/bin/env bash
# The whole test suite on a fresh machine. Installs claimgraph with its test dependencies
# and Debian's chromium for the browser checks (when missing and apt-get is usable),
# starts the tests' own Neo4j (tests/neo4j_server.py: its own home and ports; Java 17,
# jars from Maven Central) in the background meanwhile, then runs ruff, mypy and pytest,
# and stops the Neo4j it started. Exits non-zero when any of the three fails.
# Usage: bash deploy/test.sh [pytest args]
set -uo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_PROGRESS_BAR=off PY_COLORS=0
logs="$(mktemp -d)"

started=""
if command -v java >/dev/null 2>&1; then
  echo "starting the tests' Neo4j in the background (log: $logs/neo4j.log)…"
  python3 tests/neo4j_server.py start > "$logs/neo4j.log" 2>&1 &
  neo4j_pid=$!
  started=1
fi
stop_neo4j() { if [ -n "$started" ]; then python3 tests/neo4j_server.py stop >/dev/null 2>&1 || true; fi; }
trap stop_neo4j EXIT

if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's chromium for the browser checks…"
  if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) > "$logs/apt.log" 2>&1; then
    tail -20 "$logs/apt.log"; echo "could not install chromium (above)"; exit 1
  fi
fi
echo "installing claimgraph with its test dependencies…"
if ! python3 -m pip install --quiet -e '.[test]' > "$logs/pip.log" 2>&1; then
  cat "$logs/pip.log"; exit 1
fi
if [ -n "$started" ] && ! wait "$neo4j_pid"; then
  cat "$logs/neo4j.log"; echo "the tests' Neo4j did not start (above)"; exit 1
fi

status=0
echo "ruff…"; python3 -m ruff check --no-cache . || status=1
echo "mypy…"; bash deploy/typecheck.sh || status=1
echo "pytest…"; python3 -m pytest "$@" || status=1
exit $status
