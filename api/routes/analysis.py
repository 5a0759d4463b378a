"""The analyses over HTTP, cached per graph revision, with ETags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from api.cache import RevisionCache
from api.deps import CacheDep, StoreDep
from api.schemas import ErrorResponse
from graph.model import OrganisationType
from graph.store import Store
from queries.duplicates import DEFAULT_MIN_SCORE, DuplicateReport, Kind, duplicates
from queries.fragmentation import FragmentationReport, fragmentation
from queries.gaps import GapReport, gaps
from queries.overlaps import OverlapReport, overlaps
from queries.partners import PartnerReport, partners, profiles_of
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


#: Overlaps answered over HTTP unless ``limit`` asks for more (all of them weigh megabytes).
OVERLAPS_LIMIT = 20
#: Brokers listed by the fragmentation report unless ``limit`` asks for more.
BROKERS_LIMIT = 10
#: Partners recommended unless ``limit`` asks for more.
PARTNERS_LIMIT = 10


def _with_etag(
    request: Request, response: Response, cache: CacheDep, result: Callable[[], R]
) -> R | Response:
    """The result, or 304 when the client holds this revision's answer already."""
    tag = f'W/"r{cache.revision()}"'
    if tag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return result()


def duplicates_of(
    cache: RevisionCache, min_score: float = DEFAULT_MIN_SCORE, kind: Kind | None = None
) -> DuplicateReport:
    """Duplicates for the current revision, computed once per parameters."""
    return cache.get(("analysis", "duplicates", min_score, kind),
                     lambda: duplicates(cache.graph(), min_score=min_score, kind=kind))  # fmt: skip


def overlaps_of(cache: RevisionCache, competence: str | None = None, country: str | None = None,
                limit: int = OVERLAPS_LIMIT) -> OverlapReport:  # fmt: skip
    """Overlaps for the current revision, computed once per parameters."""
    return cache.get(("analysis", "overlaps", competence, country, limit),
                     lambda: overlaps(cache.graph(), competence=competence, country=country, limit=limit))  # fmt: skip


def gaps_of(cache: RevisionCache, competence: str | None = None, country: str | None = None,
            limit: int | None = None) -> GapReport:  # fmt: skip
    """Gaps for the current revision, computed once per parameters."""
    return cache.get(("analysis", "gaps", competence, country, limit),
                     lambda: gaps(cache.graph(), competence=competence, country=country, limit=limit))  # fmt: skip


def fragmentation_of(cache: RevisionCache, limit: int = BROKERS_LIMIT) -> FragmentationReport:
    """Fragmentation for the current revision, computed once per number of brokers."""
    return cache.get(("analysis", "fragmentation", limit),
                     lambda: fragmentation(cache.graph(), top_brokers=limit, engine=cache.engine))  # fmt: skip


def priorities_of(cache: RevisionCache, store: Store) -> PriorityReport:
    """Priorities for the current revision, computed once."""
    return cache.get(("analysis", "priorities"),
                     lambda: priorities(cache.graph(), unclassified_answers=unclassified_in_latest_poll(store)))  # fmt: skip


def partners_of(cache: RevisionCache, member: str, country: str | None = None,
                org_type: str | None = None, limit: int = PARTNERS_LIMIT) -> PartnerReport:  # fmt: skip
    """A member's partner recommendations for the current revision, computed once per parameters."""

    def compute() -> PartnerReport:
        # Every member's recommendations read the same profiles: made once per revision.
        profiles = cache.get(("analysis", "partner-profiles"), lambda: profiles_of(cache.graph()))
        return partners(cache.graph(), member, country=country, org_type=org_type, limit=limit,
                        profiles=profiles)  # fmt: skip

    return cache.get(("analysis", "partners", member, country, org_type, limit), compute)


def warm(cache: RevisionCache, store: Store) -> None:
    """Compute the projection and every analysis with its default parameters, ahead of readers."""
    cache.graph()
    cache.get(("analysis", "partner-profiles"), lambda: profiles_of(cache.graph()))
    duplicates_of(cache)
    overlaps_of(cache)
    gaps_of(cache)
    fragmentation_of(cache)
    priorities_of(cache, store)


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
    return _with_etag(request, response, cache, lambda: duplicates_of(cache, min_score, kind))


@router.get("/analysis/overlaps", response_model=OverlapReport, responses=NOT_MODIFIED)
def overlap_report(
    request: Request, response: Response, cache: CacheDep,
    competence: CompetenceId = None, country: CountryCode = None,
    limit: Annotated[int, Query(ge=1, le=10_000, description="At most this many overlaps, largest first")] = OVERLAPS_LIMIT,
) -> OverlapReport | Response:  # fmt: skip
    """Initiatives on the same competence, and those whose organisations never worked together."""
    return _with_etag(
        request, response, cache, lambda: overlaps_of(cache, competence, country, limit)
    )


@router.get("/analysis/gaps", response_model=GapReport, responses=NOT_MODIFIED)
def gap_report(
    request: Request, response: Response, cache: CacheDep,
    competence: CompetenceId = None, country: CountryCode = None, limit: Limit = None,
) -> GapReport | Response:  # fmt: skip
    """Competences needed in a country with little or no training there; unaddressed priorities."""
    return _with_etag(request, response, cache, lambda: gaps_of(cache, competence, country, limit))


@router.get("/analysis/fragmentation", response_model=FragmentationReport, responses=NOT_MODIFIED)
def fragmentation_report(
    request: Request, response: Response, cache: CacheDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="How many brokers to list")] = BROKERS_LIMIT,
) -> FragmentationReport | Response:  # fmt: skip
    """Components, isolated members, communities, brokers and the fragmentation index."""
    return _with_etag(request, response, cache, lambda: fragmentation_of(cache, limit))


@router.get("/analysis/priorities", response_model=PriorityReport, responses=NOT_MODIFIED)
def priority_report(
    request: Request, response: Response, cache: CacheDep, store: StoreDep
) -> PriorityReport | Response:
    """Each poll priority with its support, who raised it and what addresses it."""
    return _with_etag(request, response, cache, lambda: priorities_of(cache, store))


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
    limit: Annotated[int, Query(ge=1, le=500)] = PARTNERS_LIMIT,
) -> PartnerReport | Response:  # fmt: skip
    """Organisations a member has not worked with yet, ranked, each with its reasons."""
    org_type = type.value if type else None
    return _with_etag(
        request, response, cache, lambda: partners_of(cache, entity_id, country, org_type, limit)
    )
