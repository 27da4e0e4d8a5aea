"""Serves claimgraph's Browser style, guide and queries (this folder) on localhost, for a
Neo4j that deploy/neo4j/neo4j.sh did not start — Docker, Desktop, Aura — whose Browser
then fetches them from http://localhost:PORT/ (localhost is on Browser's default list of
hosts it may fetch guides and styles from). Python's standard library only.

    python3 deploy/neo4j/browser/serve.py [--port 7480]

then in Neo4j Browser (or as the server's browser.post_connect_cmd):

    :style http://localhost:7480/claimgraph.grass
    :guide http://localhost:7480/guide.html
"""
from __future__ import annotations

import argparse
import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"/claimgraph.grass", "/guide.html", "/queries.cypher"}


class Handler(SimpleHTTPRequestHandler):
    """Only the three files, to any page (Browser runs on another origin), also to an
    https page asking for a private-network resource (Chrome's preflight)."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_OPTIONS(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "*")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        if self.path.split("?", 1)[0] not in FILES:
            self.send_error(404, "claimgraph serves claimgraph.grass, guide.html and queries.cypher")
            return
        super().do_GET()

    def guess_type(self, path: str | Path) -> str:
        return "text/html; charset=utf-8" if str(path).endswith(".html") else "text/plain; charset=utf-8"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=7480)
    ap.add_argument("--host", default="127.0.0.1")
    args = ap.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), functools.partial(Handler, directory=str(HERE)))
    print(f"serving claimgraph's Browser files on http://localhost:{args.port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
