"""List and detail endpoints for every entity kind."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from api import schemas
from api.deps import StoreDep
from graph import model
from graph.schema import NodeKind
from queries.entities import get_entity, list_entities

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")]
EntityId = Annotated[str, Path(min_length=1, max_length=500)]


def _register(
    path: str, kind: NodeKind, item: type[BaseModel], detail: type[BaseModel], tag: str
) -> None:
    @router.get(f"/{path}", response_model=schemas.Page[item], tags=[tag], name=f"list_{path}")  # type: ignore[valid-type]
    def list_kind(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        data, total = list_entities(store, kind, limit=limit, offset=offset)
        return {"data": data, "count": total}

    @router.get(f"/{path}/{{entity_id}}", response_model=detail, tags=[tag], name=f"get_{path}")
    def get_kind(store: StoreDep, entity_id: EntityId) -> dict[str, Any]:
        return get_entity(store, kind, entity_id)

    list_kind.__doc__ = f"A page of {tag}, ordered by id, with the total."
    get_kind.__doc__ = f"One of the {tag} with its neighbours."


_register(
    "organisations",
    NodeKind.ORGANISATION,
    model.Organisation,
    schemas.OrganisationDetail,
    "organisations",
)
_register("projects", NodeKind.PROJECT, model.Project, schemas.ProjectDetail, "projects")
_register(
    "training-offers",
    NodeKind.TRAINING_OFFER,
    model.TrainingOffer,
    schemas.TrainingOfferDetail,
    "training offers",
)
_register(
    "competences", NodeKind.COMPETENCE, model.Competence, schemas.CompetenceDetail, "competences"
)
_register("priorities", NodeKind.PRIORITY, model.Priority, schemas.PriorityDetail, "priorities")
