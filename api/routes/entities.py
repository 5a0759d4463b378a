"""List and detail endpoints for every entity kind."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api import schemas
from api.deps import CacheDep, StoreDep
from graph import model
from graph.model import DeliveryMode, OrganisationType, PriorityKind
from graph.schema import NodeKind
from queries.entities import get_entity, list_entities
from queries.search import in_language

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip")]
Text = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Words to find in names, titles, descriptions and labels (case-insensitive)",
    ),
]
EntityId = Annotated[str, Path(min_length=1, max_length=500)]
CountryCode = Annotated[
    str | None, Query(pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code")
]
CompetenceId = Annotated[
    str | None, Query(min_length=1, max_length=500, description="A competence id")
]


#: The language a competence's label is shown in (ESCO labels); English when it has none.
Language = Annotated[
    str | None,
    Query(
        pattern="^[a-z]{2}(-[a-z]{2,4})?$",
        description="Label language (ISO 639-1), English as fallback",
    ),
]


def _page(
    store: StoreDep, node_kind: NodeKind, limit: int, offset: int, q: str | None, **filters: Any
) -> dict[str, Any]:
    data, total = list_entities(store, node_kind, limit=limit, offset=offset, filters=filters, q=q)
    return {"data": data, "count": total}


@router.get(
    "/organisations", response_model=schemas.Page[model.Organisation], tags=["organisations"]
)
def list_organisations(
    store: StoreDep,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Text = None,
    country: CountryCode = None,
    type: Annotated[OrganisationType | None, Query(description="Organisation type")] = None,
    member: Annotated[
        bool | None, Query(description="Members only (true) or others only (false)")
    ] = None,
    competence: Annotated[
        str | None,
        Query(
            min_length=1, max_length=500, description="Has expertise in or needs this competence"
        ),
    ] = None,
) -> dict[str, Any]:
    """Organisations, ordered by id, with the total that match."""
    return _page(store, NodeKind.ORGANISATION, limit, offset, q, country=country,
                 type=type.value if type else None, member=member, competence=competence)  # fmt: skip


@router.get("/projects", response_model=schemas.Page[model.Project], tags=["projects"])
def list_projects(
    store: StoreDep,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Text = None,
    country: CountryCode = None,
    competence: CompetenceId = None,
    programme: Annotated[str | None, Query(max_length=200)] = None,
    active_on: Annotated[
        schemas.IsoDate | None, Query(description="Projects running on this date")
    ] = None,
) -> dict[str, Any]:
    """Projects, ordered by id, with the total that match."""
    return _page(store, NodeKind.PROJECT, limit, offset, q, country=country, competence=competence,
                 programme=programme, active_on=active_on.isoformat() if active_on else None)  # fmt: skip


@router.get(
    "/training-offers", response_model=schemas.Page[model.TrainingOffer], tags=["training offers"]
)
def list_training_offers(
    store: StoreDep,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Text = None,
    country: CountryCode = None,
    competence: CompetenceId = None,
    eqf_level: Annotated[int | None, Query(ge=1, le=8)] = None,
    mode: DeliveryMode | None = None,
    language: Annotated[
        str | None, Query(pattern="^[a-z]{2}$", description="ISO 639-1 code")
    ] = None,
    provider: Annotated[
        str | None, Query(min_length=1, max_length=500, description="Provider organisation id")
    ] = None,
) -> dict[str, Any]:
    """Training offers, ordered by id, with the total that match."""
    return _page(store, NodeKind.TRAINING_OFFER, limit, offset, q, country=country, competence=competence,
                 eqf_level=eqf_level, mode=mode.value if mode else None, language=language, provider=provider)  # fmt: skip


@router.get("/competences", response_model=schemas.Page[model.Competence], tags=["competences"])
def list_competences(
    store: StoreDep,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Text = None,
    group: Annotated[str | None, Query(max_length=200)] = None,
    lang: Language = None,
) -> dict[str, Any]:
    """Competences, ordered by id, with the total that match."""
    page = _page(store, NodeKind.COMPETENCE, limit, offset, q, group=group)
    return {**page, "data": [in_language(c, lang) for c in page["data"]]}


@router.get("/priorities", response_model=schemas.Page[model.Priority], tags=["priorities"])
def list_priorities(
    store: StoreDep,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Text = None,
    kind: PriorityKind | None = None,
) -> dict[str, Any]:
    """Poll priorities, ordered by id, with the total that match."""
    return _page(store, NodeKind.PRIORITY, limit, offset, q, kind=kind.value if kind else None)


@router.get("/organisations/{entity_id}", response_model=schemas.OrganisationDetail, tags=["organisations"],
            responses={404: {"model": schemas.ErrorResponse}})  # fmt: skip
async def get_organisation(cache: CacheDep, entity_id: EntityId) -> dict[str, Any]:
    """An organisation with its projects (and role), offers, expertise, needs, priorities, partners."""
    return get_entity(await cache.graph_async(), NodeKind.ORGANISATION, entity_id)


@router.get("/projects/{entity_id}", response_model=schemas.ProjectDetail, tags=["projects"],
            responses={404: {"model": schemas.ErrorResponse}})  # fmt: skip
async def get_project(cache: CacheDep, entity_id: EntityId) -> dict[str, Any]:
    """A project with its participants, competences, countries and priorities."""
    return get_entity(await cache.graph_async(), NodeKind.PROJECT, entity_id)


@router.get("/training-offers/{entity_id}", response_model=schemas.TrainingOfferDetail, tags=["training offers"],
            responses={404: {"model": schemas.ErrorResponse}})  # fmt: skip
async def get_training_offer(cache: CacheDep, entity_id: EntityId) -> dict[str, Any]:
    """A training offer with its providers, competences and countries."""
    return get_entity(await cache.graph_async(), NodeKind.TRAINING_OFFER, entity_id)


@router.get("/competences/{entity_id}", response_model=schemas.CompetenceDetail, tags=["competences"],
            responses={404: {"model": schemas.ErrorResponse}})  # fmt: skip
async def get_competence(
    cache: CacheDep, entity_id: EntityId, lang: Language = None
) -> dict[str, Any]:
    """A competence with who needs it, who is expert in it, what teaches and targets it."""
    return in_language(get_entity(await cache.graph_async(), NodeKind.COMPETENCE, entity_id), lang)


@router.get("/priorities/{entity_id}", response_model=schemas.PriorityDetail, tags=["priorities"],
            responses={404: {"model": schemas.ErrorResponse}})  # fmt: skip
async def get_priority(cache: CacheDep, entity_id: EntityId) -> dict[str, Any]:
    """A priority with the members that raised it and what addresses it."""
    return get_entity(await cache.graph_async(), NodeKind.PRIORITY, entity_id)
