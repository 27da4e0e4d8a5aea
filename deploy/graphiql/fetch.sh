#!/usr/bin/env bash
# Refreshes the GraphiQL page's assets in api/static/graphiql from the npm registry, so
# the server's GraphiQL works without network access at run time.
# Usage: bash deploy/graphiql/fetch.sh   (needs npm)
set -euo pipefail
cd "$(dirname "$0")/../.."
GRAPHIQL=3.8.3 REACT=18.3.1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null)
for f in "$work"/*.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
out=api/static/graphiql
cp "$work/graphiql-$GRAPHIQL/package/graphiql.min.js" "$work/graphiql-$GRAPHIQL/package/graphiql.min.css" "$out/"
cp "$work/react-$REACT/package/umd/react.production.min.js" "$out/"
cp "$work/react-dom-$REACT/package/umd/react-dom.production.min.js" "$out/"
echo "graphiql $GRAPHIQL, react $REACT, react-dom $REACT (MIT licensed) from the npm registry" > "$out/VERSIONS"
echo "updated $out"
