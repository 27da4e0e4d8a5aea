"""The floor for bench/graphql.py: a plain Starlette app that answers the benchmark's
three questions straight from the read model, with the same JSON the GraphQL server
returns (same SQL helpers, no GraphQL)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from starlette.applications import Starlette  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from claimgraph.graph.readmodel import ClaimFilter  # noqa: E402
from claimgraph.graph.store import Store  # noqa: E402

store = Store(os.environ["CLAIMGRAPH_DB"])
read = store.read


def claim_nodes(rows, asof):
    sources = read.sources_by_id([r.source_id for r in rows], asof)
    return [{"node": {"id": r.id, "stated": r.stated, "predicate": r.predicate, "modality": r.modality.upper(),
                      "status": r.status.upper(),
                      "evidence": {"quote": r.quote, "start": r.start, "end": r.end,
                                   "source": {"id": r.source_id, "title": sources[r.source_id]["title"]}}}}
            for r in rows]


def entity_page(entity_id: str, asof: int | None):
    store.refresh()
    ent = read.entities_by_id([entity_id], asof)[entity_id]
    if ent is None:
        return {"data": {"entity": None}}
    rows = read.claims(ClaimFilter(claimant=ent.id), asof=asof, limit=20, order="stated", descending=True)
    return {"data": {"entity": {"id": ent.id, "name": ent.name, "claimsMade": {"edges": claim_nodes(rows, asof)}}}}


async def entity(request):
    return JSONResponse(entity_page(request.query_params["id"], None))


async def entity_asof(request):
    return JSONResponse(entity_page(request.query_params["id"], int(request.query_params["seq"])))


async def claims(request):
    store.refresh()
    f = ClaimFilter(predicate=request.query_params["p"], modality=request.query_params["m"])
    rows = read.claims(f, limit=20)
    return JSONResponse({"data": {"claims": {"totalCount": read.count_claims(f), "edges": claim_nodes(rows, None)}}})


app = Starlette(routes=[Route("/a", entity), Route("/b", claims), Route("/c", entity_asof)])
