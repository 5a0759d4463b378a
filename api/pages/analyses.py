"""The coordinators' analysis pages: gaps (heat map and a cell's details), priorities,
overlaps and fragmentation, each with its chart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.analyses import fragmentation_of, gaps_of, overlaps_of, priorities_of
from api.cache import RevisionCache
from api.deps import CacheDep, StoreDep
from api.pages.rendering import render
from api.pages.shared import names_of
from graph.errors import NotFound
from queries.communities import community_profiles
from viz.charts import fragmentation_chart, priority_chart
from viz.heatmap import gap_grid

router = APIRouter(prefix="/app")

#: Communities listed on the fragmentation page.
COMMUNITIES_SHOWN = 15
#: Initiatives named per overlap (the others are counted).
INITIATIVES_LISTED = 10


def _chart(cache: RevisionCache, name: str, draw: object) -> Markup:
    """A chart's SVG, drawn once per revision (charts are data: trusted, made by matplotlib)."""
    return Markup(cache.get(("page-chart", name), draw))  # type: ignore[arg-type]


@router.get("/gaps", response_class=HTMLResponse)
def gaps_page(request: Request, cache: CacheDep) -> HTMLResponse:
    """Competence by country: each cell a gap, a link to who needs it and what is offered."""
    report = gaps_of(cache)
    names = names_of(cache)
    grid = cache.get(("page-gap-grid",), lambda: gap_grid(report, names))
    return render(request, "gaps.html.j2", title="Gaps", grid=grid, report=report, names=names)


@router.get("/gaps/{competence}/{country}", response_class=HTMLResponse)
def gap_detail(
    request: Request,
    cache: CacheDep,
    competence: Annotated[str, Path(min_length=1, max_length=500)],
    country: Annotated[str, Path(pattern="^[A-Z]{2}$")],
) -> HTMLResponse:
    """Who needs a competence in a country, the nearest offers abroad, the projects on it."""
    found = gaps_of(cache, competence=competence, country=country).gaps
    if not found:
        raise NotFound("gap", f"{competence} in {country}")
    names = names_of(cache)
    return render(request, "gap.html.j2", title=f"{names.get(competence, competence)} in {country}",
                  gap=found[0], names=names)  # fmt: skip


@router.get("/priorities", response_class=HTMLResponse)
def priorities_page(request: Request, cache: CacheDep, store: StoreDep) -> HTMLResponse:
    """Each priority's support from the poll and what addresses it; those nothing addresses."""
    report = priorities_of(cache, store)
    chart = _chart(cache, "priorities", lambda: priority_chart(report))
    return render(request, "priorities.html.j2", title="Priorities", report=report, chart=chart,
                  unaddressed=gaps_of(cache).unaddressed_priorities, names=names_of(cache))  # fmt: skip


@router.get("/overlaps", response_class=HTMLResponse)
def overlaps_page(request: Request, cache: CacheDep) -> HTMLResponse:
    """Initiatives on the same competence, and whether their organisations ever worked together."""
    rows = []
    for overlap in overlaps_of(cache).overlaps:
        named = [("project", i) for i in overlap.projects[:INITIATIVES_LISTED]]
        named += [("training_offer", i) for i in overlap.offers[: INITIATIVES_LISTED - len(named)]]
        rows.append((overlap, named, len(overlap.projects) + len(overlap.offers)))
    return render(request, "overlaps.html.j2", title="Overlaps", rows=rows, names=names_of(cache))  # fmt: skip


@router.get("/fragmentation", response_class=HTMLResponse)
def fragmentation_page(request: Request, cache: CacheDep) -> HTMLResponse:
    """The index, communities named by what they share, brokers, isolated members."""
    report = fragmentation_of(cache)
    profiles = cache.get(
        ("page-communities",),
        lambda: community_profiles(cache.graph(), report.communities[:COMMUNITIES_SHOWN]),
    )
    chart = _chart(cache, "fragmentation", lambda: fragmentation_chart(report))
    return render(request, "fragmentation.html.j2", title="Fragmentation", report=report,
                  communities=profiles, chart=chart, names=names_of(cache))  # fmt: skip
