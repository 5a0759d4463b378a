"""The organisations list (search, filters) and an organisation's page: the member's view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.analyses import partners_of
from api.deps import CacheDep
from api.pages.rendering import render
from api.pages.shared import names_of
from api.routes.changes import digest_of
from api.routes.entities import ListsDep
from graph.schema import NodeKind
from queries.entities import get_entity
from queries.partners import Recommendation

router = APIRouter(prefix="/app/organisations")

PAGE_SIZE = 50
#: "What's new for you" looks this many days back unless the page is asked for a date.
DIGEST_DAYS = 30
#: Changes listed on the page, newest first (the feed has them all).
DIGEST_SHOWN = 50


@router.get("", response_class=HTMLResponse)
async def organisations(
    request: Request,
    lists: ListsDep,
    q: Annotated[str, Query(max_length=200)] = "",
    country: Annotated[str, Query(max_length=2)] = "",
    member: Annotated[str, Query(pattern="^(|true|false)$")] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    """Organisations found by name or city, members or not, in a country; a page at a time."""
    filters = {
        "country": country.upper() or None,
        "member": {"true": True, "false": False}.get(member),
    }
    found = await lists.page(NodeKind.ORGANISATION, PAGE_SIZE, offset, q or None, **filters)
    rows, total = found["data"], found["count"]
    query = {"q": q, "country": country, "member": member}

    def page_href(at: int) -> str:
        return "?" + urlencode({**query, "offset": at})

    return render(
        request,
        "organisations.html.j2",
        title="Organisations",
        rows=rows,
        total=total,
        offset=offset,
        query=query,
        previous=page_href(max(offset - PAGE_SIZE, 0)) if offset else None,
        next=page_href(offset + PAGE_SIZE) if offset + PAGE_SIZE < total else None,
    )


@dataclass(frozen=True)
class Reason:
    """One reason to contact a partner: the words, and the entities they name (with links)."""

    before: str
    kind: str
    entity_id: str
    name: str
    after: str


def reasons(rec: Recommendation, names: dict[str, str]) -> list[Reason]:
    """A recommendation's evidence naming the concrete course, competence or priority."""
    found = []
    for competence, courses in sorted(rec.courses_for_needs.items()):
        label = names.get(competence, competence)
        for course in courses:
            found.append(Reason("offers the course ", "training_offer", course,
                                names.get(course, course), f" in {label}, which you need"))  # fmt: skip
    for competence in rec.expertise_for_needs:
        found.append(Reason("has expertise in ", "competence", competence,
                            names.get(competence, competence), ", which you need"))  # fmt: skip
    for competence in rec.common_competences:
        found.append(Reason("shares your expertise in ", "competence", competence,
                            names.get(competence, competence), ""))  # fmt: skip
    for priority in rec.common_priorities:
        found.append(Reason("raised the same priority as you: ", "priority", priority,
                            names.get(priority, priority), ""))  # fmt: skip
    return found


@router.get("/{entity_id}", response_class=HTMLResponse)
def organisation(
    request: Request,
    cache: CacheDep,
    entity_id: str,
    since: Annotated[date | None, Query(description="What's new since this date")] = None,
) -> HTMLResponse:
    """Profile, projects with roles, offers, expertise, needs, priorities, partners, news."""
    entity: dict[str, Any] = get_entity(cache.graph(), NodeKind.ORGANISATION, entity_id)
    names = names_of(cache)
    report = partners_of(cache, entity_id)
    start = since or date.today() - timedelta(days=DIGEST_DAYS)
    news = digest_of(cache, entity_id, start)
    return render(
        request,
        "organisation.html.j2",
        title=entity.get("name") or entity_id,
        org=entity,
        entity_id=entity_id,
        recommendations=[(rec, reasons(rec, names)) for rec in report.recommendations],
        existing=report.existing_partners,
        names=names,
        news=news.changes[:DIGEST_SHOWN],
        news_count=len(news.changes),
        since=start,
        feed=f"/organisations/{entity_id}/feed.atom?since={start.isoformat()}",
    )
