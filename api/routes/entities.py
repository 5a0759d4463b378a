"""List and detail endpoints for every entity kind."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from starlette.concurrency import run_in_threadpool

from api import schemas
from api.cache import RevisionCache
from api.deps import CacheDep, SettingsDep, StoreDep
from graph import model
from graph.model import DeliveryMode, OrganisationType, PriorityKind
from graph.schema import NodeKind
from graph.store import Store
from queries.entities import get_entity, list_entities
from queries.list_index import read_list_index
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


class EntityLists:
    """List pages of the app's store, from the list index of the revision where one is kept."""

    def __init__(self, cache: RevisionCache, store: Store, max_entities: int) -> None:
        self.cache = cache
        self.store = store
        self.max_entities = max_entities

    async def page(
        self, node_kind: NodeKind, limit: int, offset: int, q: str | None, **filters: Any
    ) -> dict[str, Any]:
        """A page ``{data, count}``: on the event loop when the kind's index is read already;
        otherwise (to read it, or to list a kind too large for one) in a worker thread."""
        # The revision is part of the key: an index read while a write lands is never taken
        # for the new revision's.
        key = ("list-index", node_kind, self.cache.revision())
        index = self.cache.peek(key)
        if index is None:
            return await run_in_threadpool(self._read, key, node_kind, limit, offset, q, filters)
        data, total = index.page(limit=limit, offset=offset, filters=filters, q=q)
        return {"data": data, "count": total}

    def _read(
        self,
        key: tuple[str, NodeKind, int],
        node_kind: NodeKind,
        limit: int,
        offset: int,
        q: str | None,
        filters: dict[str, Any],
    ) -> dict[str, Any]:
        index = self.cache.get(key, lambda: read_list_index(
            self.store, node_kind, max_entities=self.max_entities))  # fmt: skip
        if index is None:
            data, total = list_entities(
                self.store, node_kind, limit=limit, offset=offset, filters=filters, q=q
            )
        else:
            data, total = index.page(limit=limit, offset=offset, filters=filters, q=q)
        return {"data": data, "count": total}


async def get_lists(cache: CacheDep, store: StoreDep, settings: SettingsDep) -> EntityLists:
    """The list pages of the app's store."""
    return EntityLists(cache, store, settings.list_index_entities)


ListsDep = Annotated[EntityLists, Depends(get_lists)]


@router.get(
    "/organisations", response_model=schemas.Page[model.Organisation], tags=["organisations"]
)
async def list_organisations(
    lists: ListsDep,
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
    return await lists.page(
        NodeKind.ORGANISATION,
        limit,
        offset,
        q,
        country=country,
        type=type.value if type else None,
        member=member,
        competence=competence,
    )


@router.get("/projects", response_model=schemas.Page[model.Project], tags=["projects"])
async def list_projects(
    lists: ListsDep,
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
    return await lists.page(
        NodeKind.PROJECT,
        limit,
        offset,
        q,
        country=country,
        competence=competence,
        programme=programme,
        active_on=active_on.isoformat() if active_on else None,
    )


@router.get(
    "/training-offers", response_model=schemas.Page[model.TrainingOffer], tags=["training offers"]
)
async def list_training_offers(
    lists: ListsDep,
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
    return await lists.page(
        NodeKind.TRAINING_OFFER,
        limit,
        offset,
        q,
        country=country,
        competence=competence,
        eqf_level=eqf_level,
        mode=mode.value if mode else None,
        language=language,
        provider=provider,
    )


@router.get("/competences", response_model=schemas.Page[model.Competence], tags=["competences"])
async def list_competences(
    lists: ListsDep,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Text = None,
    group: Annotated[str | None, Query(max_length=200)] = None,
    lang: Language = None,
) -> dict[str, Any]:
    """Competences, ordered by id, with the total that match."""
    page = await lists.page(NodeKind.COMPETENCE, limit, offset, q, group=group)
    return {**page, "data": [in_language(c, lang) for c in page["data"]]}


@router.get("/priorities", response_model=schemas.Page[model.Priority], tags=["priorities"])
async def list_priorities(
    lists: ListsDep,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Text = None,
    kind: PriorityKind | None = None,
) -> dict[str, Any]:
    """Poll priorities, ordered by id, with the total that match."""
    return await lists.page(NodeKind.PRIORITY, limit, offset, q, kind=kind.value if kind else None)


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
