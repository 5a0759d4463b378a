"""The analyses over HTTP, cached per graph revision, with ETags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from api.deps import CacheDep, StoreDep
from api.schemas import ErrorResponse
from graph.model import OrganisationType
from queries.duplicates import DEFAULT_MIN_SCORE, DuplicateReport, duplicates
from queries.fragmentation import FragmentationReport, fragmentation
from queries.gaps import GapReport, gaps
from queries.overlaps import OverlapReport, overlaps
from queries.partners import PartnerReport, partners
from queries.priorities import PriorityReport, priorities, unclassified_in_latest_poll

router = APIRouter(tags=["analyses"])
R = TypeVar("R", bound=BaseModel)

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Unchanged since the ETag sent in If-None-Match"}
}
CountryCode = Annotated[
    str | None, Query(pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code")
]
CompetenceId = Annotated[str | None, Query(min_length=1, max_length=500)]
Limit = Annotated[int | None, Query(ge=1, le=10_000)]


def _cached(
    request: Request,
    response: Response,
    cache: CacheDep,
    key: tuple[object, ...],
    compute: Callable[[], R],
) -> R | Response:
    """The cached result, or 304 when the client holds this revision's answer already."""
    revision = cache.revision()
    tag = f'W/"r{revision}"'
    if tag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return cache.get(("analysis", *key), compute)


@router.get("/analysis/duplicates", response_model=DuplicateReport, responses=NOT_MODIFIED)
def duplicate_efforts(
    request: Request,
    response: Response,
    cache: CacheDep,
    min_score: Annotated[
        float, Query(ge=0, le=1, description="Pairs scoring at least this are duplicates")
    ] = DEFAULT_MIN_SCORE,
    kind: Literal["project", "training_offer"] | None = None,
) -> DuplicateReport | Response:
    """Clusters of near-identical initiatives run by different organisations, with evidence."""
    return _cached(request, response, cache, ("duplicates", min_score, kind),
                   lambda: duplicates(cache.graph(), min_score=min_score, kind=kind))  # fmt: skip


@router.get("/analysis/overlaps", response_model=OverlapReport, responses=NOT_MODIFIED)
def overlap_report(
    request: Request, response: Response, cache: CacheDep,
    competence: CompetenceId = None, country: CountryCode = None,
    limit: Annotated[int, Query(ge=1, le=10_000, description="At most this many overlaps, largest first")] = 20,
) -> OverlapReport | Response:  # fmt: skip
    """Initiatives on the same competence, and those whose organisations never worked together."""
    return _cached(request, response, cache, ("overlaps", competence, country, limit),
                   lambda: overlaps(cache.graph(), competence=competence, country=country, limit=limit))  # fmt: skip


@router.get("/analysis/gaps", response_model=GapReport, responses=NOT_MODIFIED)
def gap_report(
    request: Request, response: Response, cache: CacheDep,
    competence: CompetenceId = None, country: CountryCode = None, limit: Limit = None,
) -> GapReport | Response:  # fmt: skip
    """Competences needed in a country with little or no training there; unaddressed priorities."""
    return _cached(request, response, cache, ("gaps", competence, country, limit),
                   lambda: gaps(cache.graph(), competence=competence, country=country, limit=limit))  # fmt: skip


@router.get("/analysis/fragmentation", response_model=FragmentationReport, responses=NOT_MODIFIED)
def fragmentation_report(
    request: Request, response: Response, cache: CacheDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="How many brokers to list")] = 10,
) -> FragmentationReport | Response:  # fmt: skip
    """Components, isolated members, communities, brokers and the fragmentation index."""
    return _cached(request, response, cache, ("fragmentation", limit),
                   lambda: fragmentation(cache.graph(), top_brokers=limit))  # fmt: skip


@router.get("/analysis/priorities", response_model=PriorityReport, responses=NOT_MODIFIED)
def priority_report(
    request: Request, response: Response, cache: CacheDep, store: StoreDep
) -> PriorityReport | Response:
    """Each poll priority with its support, who raised it and what addresses it."""
    return _cached(request, response, cache, ("priorities",),
                   lambda: priorities(cache.graph(), unclassified_answers=unclassified_in_latest_poll(store)))  # fmt: skip


@router.get(
    "/organisations/{entity_id}/partners",
    response_model=PartnerReport,
    tags=["organisations"],
    responses={**NOT_MODIFIED, 404: {"model": ErrorResponse}},
)
def partner_report(
    request: Request, response: Response, cache: CacheDep,
    entity_id: Annotated[str, Path(min_length=1, max_length=500)],
    country: CountryCode = None,
    type: OrganisationType | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 10,
) -> PartnerReport | Response:  # fmt: skip
    """Organisations a member has not worked with yet, ranked, each with its reasons."""
    org_type = type.value if type else None
    return _cached(request, response, cache, ("partners", entity_id, country, org_type, limit),
                   lambda: partners(cache.graph(), entity_id, country=country, org_type=org_type, limit=limit))  # fmt: skip
