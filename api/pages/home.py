"""The home page (what the graph holds, each analysis's headline) and search across kinds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.analyses import duplicates_of, fragmentation_of, gaps_of, priorities_of
from api.deps import CacheDep, StoreDep
from api.pages.rendering import render
from api.pages.shared import names_of, stats_of
from api.routes.search import search_index_of
from graph.schema import NodeKind
from queries.search import KIND_NAMES, search

router = APIRouter()

#: Entries shown under each headline of the home page.
HEADLINE = 5
#: Hits listed on the search page.
SEARCH_LIMIT = 100
KIND_LABELS = {
    "organisation": "Organisation",
    "project": "Project",
    "training_offer": "Training offer",
    "competence": "Competence",
    "priority": "Priority",
}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, cache: CacheDep, store: StoreDep) -> HTMLResponse:
    """What the graph holds, the headline of each analysis, search, navigation."""
    stats = stats_of(cache, store)
    gap_report = gaps_of(cache)
    member_gaps = [gap for gap in gap_report.gaps if gap.needed_by][:HEADLINE]
    clusters = sorted(duplicates_of(cache).clusters, key=lambda c: (-len(c.ids), -c.score))
    last = max(stats.sources, key=lambda s: s.ingested_at, default=None)
    return render(
        request,
        "home.html.j2",
        title="Home",
        stats=stats,
        last_ingest=last,
        clusters=clusters[:HEADLINE],
        cluster_count=len(clusters),
        member_gaps=member_gaps,
        unaddressed=gap_report.unaddressed_priorities[:HEADLINE],
        unaddressed_count=len(gap_report.unaddressed_priorities),
        priorities=priorities_of(cache, store).priorities[:HEADLINE],
        fragmentation=fragmentation_of(cache),
        names=names_of(cache),
    )


@router.get("/app/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    cache: CacheDep,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """Every kind searched by name and text, best first, optionally one kind only."""
    kinds = {k for k, name in KIND_NAMES.items() if name == kind} or None
    hits = search(search_index_of(cache), q, kinds=kinds, limit=SEARCH_LIMIT) if q.strip() else []
    return render(
        request,
        "search.html.j2",
        title=f"Search: {q}" if q else "Search",
        q=q,
        kind=kind,
        hits=hits,
        kind_labels=KIND_LABELS,
        node_kinds=NodeKind,
    )
