#!/usr/bin/env bash
# A local Neo4j 5.26 Community server with Neo4j Browser, without Docker: the jars come
# from Maven Central (deploy/neo4j/pom.xml), the JVM is the machine's Java 17.
#
#   deploy/neo4j/neo4j.sh start     fetch jars on first use, write neo4j.conf, start, wait for Bolt
#   deploy/neo4j/neo4j.sh stop      stop the server
#   deploy/neo4j/neo4j.sh status    running or not, with ports
#   deploy/neo4j/neo4j.sh reset     stop and delete the data (the next start sets the password anew)
#
# Bolt on bolt://localhost:${NEO4J_BOLT_PORT:-7687}, Browser on http://localhost:${NEO4J_HTTP_PORT:-7474}/browser/,
# user neo4j, password $NEO4J_PASSWORD (default printed when unset). Files live under
# ${CLAIMGRAPH_NEO4J_HOME:-deploy/neo4j/run}. Heap and page cache: NEO4J_HEAP (2g), NEO4J_PAGECACHE (512m).
# After login Browser applies claimgraph's style and opens its guide (deploy/neo4j/browser/,
# served by this server under /browser/claimgraph/: no network needed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
home="${CLAIMGRAPH_NEO4J_HOME:-$here/run}"
bolt_port="${NEO4J_BOLT_PORT:-7687}"
http_port="${NEO4J_HTTP_PORT:-7474}"
heap="${NEO4J_HEAP:-2g}"
pagecache="${NEO4J_PAGECACHE:-512m}"
default_password="claimgraph-dev"
password="${NEO4J_PASSWORD:-$default_password}"
pidfile="$home/neo4j.pid"

log() { echo "neo4j.sh: $*" >&2; }

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

fetch_jars() {
  local stamp="$home/lib/.pom.sha256" want
  want="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to fetch Neo4j from Maven Central"; exit 1; }
  log "fetching Neo4j jars with Maven (the first run downloads, later runs use ~/.m2)…"
  rm -rf "$home/lib" && mkdir -p "$home/lib"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$home/lib" >&2
  echo "$want" > "$stamp"
}

# Jetty serves Neo4j Browser from the first "browser" folder on the classpath. That is an
# unpacked copy of the Browser jar here (made again when the jar changes), with claimgraph's
# style, guide and queries added under browser/claimgraph/ on every start.
browser_site() {
  local site="$home/browser-site" jar
  jar="$(ls "$home"/lib/neo4j-browser-*.jar)"
  if [ ! -f "$site/.jar" ] || [ "$(cat "$site/.jar")" != "$(basename "$jar")" ]; then
    rm -rf "$site" && mkdir -p "$site"
    python3 -m zipfile -e "$jar" "$site" >&2
    rm -rf "$site/META-INF"
    basename "$jar" > "$site/.jar"
  fi
  rm -rf "$site/browser/claimgraph" && mkdir -p "$site/browser/claimgraph"
  cp "$here/browser/claimgraph.grass" "$here/browser/guide.html" "$here/browser/queries.cypher" "$site/browser/claimgraph/"
}

write_conf() {
  local assets="http://localhost:$http_port/browser/claimgraph"
  mkdir -p "$home/conf" "$home/data" "$home/logs" "$home/plugins" "$home/import" "$home/run"
  cat > "$home/conf/neo4j.conf" <<CONF
# written by deploy/neo4j/neo4j.sh
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$bolt_port
server.http.listen_address=127.0.0.1:$http_port
server.https.enabled=false
server.http.enabled_modules=TRANSACTIONAL_ENDPOINTS,UNMANAGED_EXTENSIONS,BROWSER,QUERY_API_ENDPOINTS
server.memory.pagecache.size=$pagecache
server.directories.data=$home/data
server.directories.logs=$home/logs
server.directories.plugins=$home/plugins
server.directories.import=$home/import
server.directories.run=$home/run
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
server.config.strict_validation.enabled=false
# Browser after login: claimgraph's queries return the paths they draw (no second query
# connecting the result nodes), its style and its guide, fetched from this server
browser.post_connect_cmd=config {autoComplete: false}; style $assets/claimgraph.grass; guide $assets/guide.html
browser.remote_content_hostname_allowlist=localhost
# a mirror that can be rebuilt from the log: keep little transaction log
db.tx_log.rotation.retention_policy=2 files
db.tx_log.rotation.size=128M
CONF
}

# the parallel collector: loading spends far less time in GC than with G1 on few cores
java_opts=(-Xms512m "-Xmx$heap" -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true -Dfile.encoding=UTF-8)

bolt_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$bolt_port") 2>/dev/null; }

start() {
  if running; then log "already running (pid $(cat "$pidfile")) on bolt://localhost:$bolt_port"; return; fi
  command -v java >/dev/null || { log "Java 17 is needed"; exit 1; }
  fetch_jars
  browser_site
  write_conf
  export NEO4J_HOME="$home" NEO4J_CONF="$home/conf"
  if [ ! -d "$home/data/databases/neo4j" ]; then
    [ -n "${NEO4J_PASSWORD:-}" ] || log "NEO4J_PASSWORD is unset: using the default password '$default_password'"
    java -cp "$home/lib/*" org.neo4j.server.startup.Neo4jAdminCommand dbms set-initial-password "$password" >&2
  fi
  nohup java "${java_opts[@]}" -cp "$home/browser-site:$home/lib/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$home" --config-dir="$home/conf" > "$home/logs/console.log" 2>&1 &
  echo $! > "$pidfile"
  log "starting (pid $!), waiting for Bolt on port $bolt_port…"
  for _ in $(seq 1 240); do
    if ! running; then log "Neo4j exited; see $home/logs/console.log and neo4j.log"; tail -20 "$home/logs/console.log" >&2; exit 1; fi
    if bolt_answers && curl -fs "http://127.0.0.1:$http_port/" >/dev/null 2>&1; then
      log "ready: bolt://localhost:$bolt_port, browser http://localhost:$http_port/browser/ (user neo4j)"
      return
    fi
    sleep 0.5
  done
  log "Bolt did not answer within 120 s"; exit 1
}

stop() {
  if ! running; then log "not running"; rm -f "$pidfile"; return; fi
  local pid; pid="$(cat "$pidfile")"
  kill "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; log "stopped"; return; }; sleep 0.5; done
  log "did not stop in 60 s: killing"; kill -9 "$pid" 2>/dev/null || true; rm -f "$pidfile"
}

status() {
  if running; then
    echo "running (pid $(cat "$pidfile")): bolt://localhost:$bolt_port, http://localhost:$http_port/browser/"
  else
    echo "not running"; return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) stop; rm -rf "$home/data" "$home/logs"; log "data deleted" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2 ;;
esac
