#!/usr/bin/env bash
# Apache Jena's command-line tools without an install: the jars come from Maven Central
# (deploy/jena/pom.xml, fetched on first use into the user's cache), the JVM is the
# machine's Java 17. Used by the tests to check every RDF export.
#
#   deploy/jena/jena.sh fetch                          fetch the jars (later runs use the cache)
#   deploy/jena/jena.sh riot --validate --strict F...  Jena's riot (syntax check of any RDF format)
#   deploy/jena/jena.sh shacl validate --shapes S --data D
#
# Jars live in ${CLAIMGRAPH_JENA_HOME:-$XDG_CACHE_HOME/claimgraph/jena}/lib.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
home="${CLAIMGRAPH_JENA_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/claimgraph/jena}"

log() { echo "jena.sh: $*" >&2; }

fetch() {
  local stamp="$home/lib/.pom.sha256" want
  want="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to fetch Jena from Maven Central"; exit 1; }
  log "fetching Apache Jena with Maven (the first run downloads, later runs use ~/.m2)…"
  rm -rf "$home/lib" && mkdir -p "$home/lib"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$home/lib" >&2
  echo "$want" > "$stamp"
}

run() {
  command -v java >/dev/null || { log "Java 17 is needed"; exit 1; }
  fetch
  exec java -Xmx1g -Dfile.encoding=UTF-8 -cp "$home/lib/*" "$@"
}

case "${1:-}" in
  fetch) fetch ;;
  riot) shift; run riotcmd.riot "$@" ;;
  shacl) shift; run shacl.shacl "$@" ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
