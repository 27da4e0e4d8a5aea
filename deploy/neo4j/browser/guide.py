"""Writes guide.html, the claimgraph guide for Neo4j Browser, from the slides below and
the example queries in queries.cypher (each becomes a block whose ▶ runs it in one
click; a click on the text puts it in the editor).

    python3 deploy/neo4j/browser/guide.py          # rewrite guide.html
    python3 deploy/neo4j/browser/guide.py --check  # exit 1 when guide.html is out of date
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.cypher"
GUIDE = HERE / "guide.html"

LEGEND = [("Person", "#4C8EDA"), ("Organization", "#F79767"), ("Model", "#8DCC93"), ("Hardware", "#C990C0"),
          ("Product", "#FFC454"), ("Claim", "#DA7194"), ("Proposition", "#23B3D7"), ("Resolution", "#F16667"),
          ("Source", "#D7A013")]

#: (title, paragraphs (HTML), titles of the queries shown on the slide)
SLIDES: list[tuple[str, list[str], list[str]]] = [
    ("claimgraph in Neo4j", [
        "Claims made in the AI industry: who promised what, when, where it was reported and how it turned "
        "out. Every claim keeps the verbatim quote it was found in.",
        "The graph is a copy of claimgraph's event log, brought up to date by <code>claimgraph neo4j sync</code>. "
        "Statuses (pending, overdue, kept, broken …) are those of the day of the last sync.",
        "Colours: " + " ".join(f'<span style="color:{c}">&#9679;</span>&nbsp;{n}' for n, c in LEGEND) + ".",
        "Click ▶ beside a query to run it; click its text to edit it first.",
    ], []),
    ("Who said what, in one hop", [
        "One arrow per claim from the claimant to what the claim is about, named by how it was said: "
        "<code>PROMISED</code>, <code>PLANNED</code>, <code>PREDICTED</code>, <code>HEDGED</code>, "
        "<code>ASPIRED</code>, <code>ASSERTED</code>, <code>DENIED</code>. The arrow shows the statement "
        "and, for a promise, its status; it carries <code>claimId</code>, <code>stated</code>, <code>due</code>, "
        "<code>status</code> and <code>promise</code>.",
    ], ["Who said what about Grok 3", "Promises by status"]),
    ("Claims in full", [
        "<code>(claimant)-[:CLAIMED]-&gt;(Claim)-[:STATES]-&gt;(Proposition)-[:SUBJECT|OBJECT]-&gt;(Entity)</code>, "
        "<code>(Claim)-[:REPORTED_IN]-&gt;(Source)</code>, <code>(Resolution)-[:RESOLVES]-&gt;(Proposition)</code>.",
        "A claim's caption says who, what and when; its properties hold the quote, the channel, the modality "
        "and where in the source the quote stands. Claims recorded in error stay, grey, labelled "
        "<code>Retracted</code> with <code>seqTo</code>.",
    ], ["Everything about Grok 3", "Musk's promises and how they turned out", "Who claimed what about H100s",
        "Where it was reported"]),
    ("Promises: kept, broken, moved", [
        "A promise is a claim stated as promised, planned or predicted, or one with a due date that is not a "
        "denial (<code>promise: true</code>). Its proposition's <code>status</code> says how it turned out: a "
        "resolution written for it, else a fact that the subject was delivered (<code>released</code> …) — kept "
        "when that was within the due period, broken otherwise (<code>deliveredOn</code>, <code>daysLate</code>) "
        "— else pending or overdue.",
        "Promises of one subject by one camp form a chain: <code>(Proposition)-[:REVISED_BY]-&gt;(Proposition)</code>, "
        "<code>slipped</code> when the date moved later.",
    ], ["How Grok 3's release date moved", "Broken promises, by claimant", "Overdue promises"]),
    ("Your own questions", [
        "Entities are found by <code>id</code> (<code>model:grok-3</code>), <code>name</code> or an alias in "
        "<code>aliases</code>; merged entities keep the old ids in <code>mergedIds</code>.",
        "Every claim and resolution has the log position that made it (<code>seq</code>): "
        "<code>WHERE c.seq &lt;= 30 AND (c.seqTo IS NULL OR c.seqTo &gt; 30)</code> is what was known at "
        "position 30.",
    ], []),
]


def examples() -> list[tuple[str, str, str]]:
    """(title, description, query) of each query in queries.cypher."""
    out: list[tuple[str, str, str]] = []
    comments: list[str] = []
    lines: list[str] = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if not lines:
                comments = []
            continue
        if line.startswith("//") and not lines:
            comments.append(line[2:].strip())
            continue
        lines.append(line)
        if line.rstrip().endswith(";"):
            out.append((comments[0], " ".join(comments[1:]), "\n".join(lines).rstrip(";")))
            comments, lines = [], []
    return out


def render() -> str:
    queries = {title: (about, query) for title, about, query in examples()}
    shown = {t for _, _, titles in SLIDES for t in titles}
    slides = SLIDES + ([("More queries", [], [t for t in queries if t not in shown])]
                       if set(queries) - shown else [])
    parts = ["<!DOCTYPE html>", "<!-- written by guide.py from queries.cypher: edit those, not this -->",
             '<html><head><meta charset="utf-8"><title>claimgraph</title></head><body>']
    for title, paragraphs, titles in slides:
        parts.append('<slide class="row-fluid">')
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.extend(f"<p>{p}</p>" for p in paragraphs)
        for t in titles:
            about, query = queries[t]
            parts.append(f'<h4 class="claimgraph-query">{html.escape(t)}</h4>')
            if about:
                parts.append(f"<p>{html.escape(about)}</p>")
            parts.append(f'<pre class="code runnable" data-title="{html.escape(t)}">{html.escape(query)}</pre>')
        parts.append("</slide>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    text = render()
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if GUIDE.read_text(encoding="utf-8") == text else "guide.html is out of date: run guide.py")
    GUIDE.write_text(text, encoding="utf-8")
