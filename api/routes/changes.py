"""What is new: changes since a date, a member's digest, as JSON or as an Atom feed."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from api.cache import RevisionCache
from api.deps import CacheDep
from api.feeds import atom
from api.schemas import ErrorResponse, IsoDate
from graph.schema import NodeKind
from queries.changes import ChangeReport, changes, digest

router = APIRouter(tags=["what's new"])

ATOM = "application/atom+xml"
Since = Annotated[IsoDate, Query(description="ISO date: changes on or after it")]
ATOM_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {ATOM: {}}, "description": "The changes, or an Atom feed of them"}
}


def _wants_atom(request: Request) -> bool:
    return ATOM in request.headers.get("accept", "")


def _feed(request: Request, report: ChangeReport, title: str) -> Response:
    base = str(request.base_url).rstrip("/")
    body = atom(report, base_url=base, feed_url=str(request.url), title=title)
    return Response(content=body, media_type=ATOM)


def changes_of(cache: RevisionCache, since: date) -> ChangeReport:
    """The changes since a date for the current revision, computed once per date."""
    return cache.get(("changes", since), lambda: changes(cache.graph(), since.isoformat()))


@router.get("/changes", response_model=ChangeReport, responses=ATOM_RESPONSE)
def list_changes(request: Request, cache: CacheDep, since: Since) -> ChangeReport | Response:
    """Projects, offers and organisations added or changed since a date (Atom with ``Accept``)."""
    report = changes_of(cache, since)
    return (
        _feed(request, report, f"skillgraph: changes since {since}")
        if _wants_atom(request)
        else report
    )


@router.get("/changes/feed.atom", response_class=Response, responses={200: {"content": {ATOM: {}}}})
def changes_feed(request: Request, cache: CacheDep, since: Since) -> Response:
    """The changes since a date as an Atom feed."""
    report = changes_of(cache, since)
    return _feed(request, report, f"skillgraph: changes since {since}")


def digest_of(cache: RevisionCache, entity_id: str, since: date) -> ChangeReport:
    """A member's digest for the current revision, computed once per member and date."""

    def compute() -> ChangeReport:
        changed = changes_of(cache, since)  # the same for every member
        return digest(cache.graph(), entity_id, since.isoformat(), changed=changed)

    return cache.get(("digest", entity_id, since), compute)


def _news_title(cache: RevisionCache, entity_id: str, since: date) -> str:
    """The feed's title, naming the organisation (its id when it has no name)."""
    data = cache.graph().nodes.get((NodeKind.ORGANISATION, entity_id), {})
    return f"skillgraph: news for {data.get('name') or entity_id} since {since}"


MemberId = Annotated[str, Path(min_length=1, max_length=500)]


@router.get(
    "/organisations/{entity_id}/digest",
    response_model=ChangeReport,
    responses={**ATOM_RESPONSE, 404: {"model": ErrorResponse}},
)
def member_digest(
    request: Request, cache: CacheDep, entity_id: MemberId, since: Since
) -> ChangeReport | Response:
    """What changed since a date that concerns a member's needs or expertise (Atom with ``Accept``)."""
    report = digest_of(cache, entity_id, since)
    return (
        _feed(request, report, _news_title(cache, entity_id, since))
        if _wants_atom(request)
        else report
    )


@router.get(
    "/organisations/{entity_id}/feed.atom",
    response_class=Response,
    responses={200: {"content": {ATOM: {}}}, 404: {"model": ErrorResponse}},
)
def member_feed(request: Request, cache: CacheDep, entity_id: MemberId, since: Since) -> Response:
    """A member's digest as an Atom feed."""
    report = digest_of(cache, entity_id, since)
    return _feed(request, report, _news_title(cache, entity_id, since))
