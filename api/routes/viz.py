"""The interactive views as HTML pages, and the assets they load (never from a CDN).

Pages are cached per graph revision and parameters; the analyses they draw share the
cache entries of the analysis endpoints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import HTMLResponse

from api.analyses import duplicates_of, fragmentation_of, gaps_of, partners_of
from api.deps import CacheDep
from graph.model import OrganisationType
from graph.schema import NodeKind
from queries.duplicates import DEFAULT_MIN_SCORE
from viz.network import View
from viz.page import asset, render_page
from viz.views import (
    DEFAULT_BUDGET,
    ECOSYSTEM_KINDS,
    competence_view,
    duplicates_view,
    ecosystem_view,
    fragmentation_view,
    organisation_view,
)

router = APIRouter(prefix="/viz", tags=["views"])
#: Served without a key: the assets are public library code, not data.
assets = APIRouter(prefix="/viz")

ASSET_PREFIX = "/viz/assets"
HTML: dict[str, Any] = {"content": {"text/html": {}}, "description": "The view as an HTML page"}
#: Errors are JSON (the API's one error shape), while the page itself is HTML: stated
#: explicitly, since FastAPI would give a ``model`` the route's HTML media type.
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No entity with this id",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
}
Budget = Annotated[
    int, Query(ge=1, le=100_000, description="Draw at most this many nodes (the most central)")
]
EntityId = Annotated[str, Path(min_length=1, max_length=500)]
KindName = Literal["Organisation", "Project", "TrainingOffer", "Competence", "Priority"]


def _page(cache: CacheDep, key: tuple[object, ...], build: Callable[[], View]) -> HTMLResponse:
    """The page of a view, rendered once per graph revision and parameters."""
    html = cache.get(
        ("viz", *key), lambda: render_page(build(), inline=False, asset_url=ASSET_PREFIX)
    )
    return HTMLResponse(html)


@router.get("", response_class=HTMLResponse, responses={200: HTML})
def ecosystem(
    cache: CacheDep,
    budget: Budget = DEFAULT_BUDGET,
    country: Annotated[list[str], Query(description="ISO country codes to keep")] = [],  # noqa: B006
    kind: Annotated[list[KindName], Query(description="Node kinds to keep")] = [],  # noqa: B006
    type: Annotated[list[OrganisationType], Query(description="Organisation types to keep")] = [],  # noqa: B006
) -> HTMLResponse:
    """Organisations, projects, offers, competences and priorities, sized by centrality."""
    countries = tuple(sorted({c.upper() for c in country}))
    kinds = tuple(sorted({NodeKind(k) for k in kind} & set(ECOSYSTEM_KINDS)))
    types = tuple(sorted({t.value for t in type}))
    return _page(
        cache,
        ("ecosystem", budget, countries, kinds, types),
        lambda: ecosystem_view(
            cache.graph(), budget=budget, countries=countries, kinds=kinds, org_types=types
        ),
    )


@router.get(
    "/organisations/{entity_id}",
    response_class=HTMLResponse,
    responses={200: HTML, **NOT_FOUND},
)
def organisation(
    cache: CacheDep,
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1, le=2, description="1 or 2 links away")] = 1,
    budget: Budget = DEFAULT_BUDGET,
) -> HTMLResponse:
    """One member's projects, partners, offers, expertise and needs; recommended partners."""

    def build() -> View:
        report = partners_of(cache, entity_id)
        return organisation_view(cache.graph(), entity_id, report, depth=depth, budget=budget)

    return _page(cache, ("organisation", entity_id, depth, budget), build)


@router.get("/duplicates", response_class=HTMLResponse, responses={200: HTML})
def duplicate_clusters(
    cache: CacheDep,
    min_score: Annotated[
        float, Query(ge=0, le=1, description="Pairs scoring at least this are duplicates")
    ] = DEFAULT_MIN_SCORE,
) -> HTMLResponse:
    """Each duplicate cluster with its initiatives and organisations; recognition candidates."""

    def build() -> View:
        return duplicates_view(cache.graph(), duplicates_of(cache, min_score))

    return _page(cache, ("duplicates", min_score), build)


@router.get(
    "/competences/{entity_id}", response_class=HTMLResponse, responses={200: HTML, **NOT_FOUND}
)
def competence(cache: CacheDep, entity_id: EntityId) -> HTMLResponse:
    """Who needs a competence, who teaches it where, which projects target it; gaps."""

    def build() -> View:
        return competence_view(cache.graph(), entity_id, gaps_of(cache, competence=entity_id))

    return _page(cache, ("competence", entity_id), build)


@router.get("/fragmentation", response_class=HTMLResponse, responses={200: HTML})
def fragmentation_network(cache: CacheDep) -> HTMLResponse:
    """The collaboration network by community; brokers emphasised; isolated members apart."""

    def build() -> View:
        return fragmentation_view(cache.graph(), fragmentation_of(cache))

    return _page(cache, ("fragmentation",), build)


@assets.get("/assets/{name}", include_in_schema=False)
def view_asset(name: str) -> Response:
    """vis-network (as shipped in pyvis) and the views' own script and style."""
    text, media_type = asset(name)
    return Response(text, media_type=media_type, headers={"Cache-Control": "max-age=3600"})
