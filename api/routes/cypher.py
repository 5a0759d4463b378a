"""Read-only Cypher for analysts, on either backend."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.schemas import ErrorResponse
from api.security import require_read_key, require_write_key
from queries.readonly import read_only_statement

router = APIRouter(tags=["cypher"])


class CypherQuery(BaseModel):
    """A read query and its parameters."""

    query: str = Field(
        min_length=1,
        max_length=20_000,
        examples=["MATCH (o:Organisation) RETURN o.id AS id LIMIT 5"],
    )
    params: dict[str, Any] = Field(default_factory=dict)


class CypherResult(BaseModel):
    """Rows as objects keyed by the query's columns; cut at the row limit."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    row_limit: int


def cypher_guard(request: Request, settings: SettingsDep) -> None:
    """``/cypher`` needs the write key when so configured, the read key otherwise."""
    if settings.cypher_needs_key:
        require_write_key(request, settings)
    else:
        require_read_key(request, settings)


@router.post(
    "/cypher",
    response_model=CypherResult,
    responses={
        400: {"model": ErrorResponse},
        401: {"model": ErrorResponse},
        403: {"model": ErrorResponse},
    },
)
def run_cypher(
    body: CypherQuery,
    store: StoreDep,
    settings: SettingsDep,
    _: Annotated[None, Depends(cypher_guard)],
) -> CypherResult:
    """Run one read-only Cypher statement (anything else is refused before the store).

    The store runs it in a read-only transaction too, reads at most one row past the row
    limit (to tell whether the answer was cut) and stops the whole call at the time limit.
    """
    statement = read_only_statement(body.query)
    limit = settings.cypher_max_rows
    rows = store.run(
        statement,
        body.params,
        timeout=settings.cypher_timeout_seconds,
        untrusted=True,
        max_rows=limit + 1,
    )
    shown = rows[:limit]
    columns = list(shown[0]) if shown else []
    return CypherResult(
        columns=columns, rows=jsonable_encoder(shown), truncated=len(rows) > limit, row_limit=limit
    )
