"""The Cypher console: a read query, its rows as a table, the entities it names as a graph.

The query runs through ``POST /cypher``'s own function, with the same refusals (writes,
unknown procedures), time limit and row limit. Queries read, so the console is a GET form
whose address can be shared; when the server asks a key for Cypher, a session is needed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse

from api.deps import CacheDep, SettingsDep, StoreDep
from api.pages.rendering import render
from api.pages.session import signed_in
from api.routes.cypher import CypherQuery, CypherResult, run_cypher
from api.routes.viz import ASSET_PREFIX
from api.settings import Settings
from graph.errors import QueryRefused
from graph.store import Store
from viz.page import render_page
from viz.views.results import result_keys, results_view

router = APIRouter(prefix="/app/cypher")

EXAMPLE = (
    "MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p:Project)\n"
    "WHERE o.country = 'DE'\nRETURN o.id AS organisation, o.name AS name, p.id AS project LIMIT 25"
)
#: Answers to queries are not kept by the response cache (one per query, maybe signed-in only).
NO_STORE = "no-store"
QueryText = Annotated[str, Query(max_length=20_000)]


def _run(request: Request, store: Store, settings: Settings, query: str) -> CypherResult:
    if settings.cypher_needs_key:
        signed_in(request, settings)
    return run_cypher(CypherQuery(query=query), store, settings, None)


@router.get("", response_class=HTMLResponse)
def console(
    request: Request, store: StoreDep, settings: SettingsDep, cache: CacheDep, query: QueryText = ""
) -> HTMLResponse:
    """The editor; with a query, its rows as a table (refusals as a message, never a trace)."""
    result, error = None, None
    if query.strip():
        try:
            result = _run(request, store, settings, query)
        except QueryRefused as refused:
            error = str(refused)
    entities = len(result_keys(cache.graph(), result.rows)) if result else 0
    page = render(request, "cypher.html.j2", 400 if error else 200, title="Cypher console",
                  query=query or EXAMPLE, result=result, error=error, entities=entities,
                  settings=settings)  # fmt: skip
    page.headers["Cache-Control"] = NO_STORE
    return page


@router.get("/graph", response_class=HTMLResponse)
def console_graph(
    request: Request, store: StoreDep, settings: SettingsDep, cache: CacheDep, query: QueryText
) -> HTMLResponse:
    """The entities the query's rows name, and the links among them, as a graph view."""
    result = _run(request, store, settings, query)
    view = results_view(cache.graph(), jsonable_encoder(result.rows))
    page = render_page(view, inline=False, asset_url=ASSET_PREFIX)
    return HTMLResponse(page, headers={"Cache-Control": NO_STORE})
