"""Duplicates triage: open clusters side by side with their evidence; a coordinator decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from api.cache import RevisionCache
from api.deps import CacheDep, SettingsDep, StoreDep
from api.pages.rendering import highlight, render
from api.pages.session import CsrfChecked, SessionDep, csrf_token, personal, read_session
from api.pages.shared import names_of
from api.routes.decisions import decide, rewarm, triage_of
from queries.cluster_details import ClusterDetail, cluster_detail
from queries.decisions import DecisionRequest, TriagedCluster

router = APIRouter(prefix="/app/duplicates")

#: Open clusters shown on one page.
PAGE_SIZE = 20
#: Initiatives of a cluster shown side by side (the others are listed by name).
SIDE_BY_SIDE = 6


@dataclass(frozen=True)
class SideBySide:
    """A cluster's first initiatives, their titles and texts with the shared words marked."""

    detail: ClusterDetail
    titles: list[Markup]
    descriptions: list[Markup]


def details_of(cache: RevisionCache, item: TriagedCluster) -> SideBySide:
    """The first initiatives of a cluster side by side, made once per revision."""

    def build() -> SideBySide:
        head = item.cluster.model_copy(update={"ids": item.cluster.ids[:SIDE_BY_SIDE]})
        detail = cluster_detail(cache.graph(), head)
        words = set(detail.shared_words)
        return SideBySide(detail, [highlight(i.title, words) for i in detail.initiatives],
                          [highlight(i.description, words) for i in detail.initiatives])  # fmt: skip

    return cache.get(("cluster-detail", item.key), build)


@router.get("", response_class=HTMLResponse)
def duplicates_page(
    request: Request, cache: CacheDep, store: StoreDep, settings: SettingsDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    decided: Annotated[str, Query(max_length=20_000)] = "",
) -> Response:  # fmt: skip
    """Open clusters, each initiative side by side (shared words marked), evidence, a form."""
    report = triage_of(cache, store)
    shown = report.open[offset : offset + PAGE_SIZE]
    session = read_session(request, settings)
    token = csrf_token(request) if session else ""
    page = render(
        request,
        "duplicates.html.j2",
        title="Duplicates",
        open=[(item, details_of(cache, item)) for item in shown],
        open_count=len(report.open),
        decided=report.decided,
        offset=offset,
        page_size=PAGE_SIZE,
        names=names_of(cache),
        session=session,
        csrf=token,
        just_decided=decided,
        side_by_side=SIDE_BY_SIDE,
    )
    # Never replayed by the response cache: it does not tell a signed-in browser from another.
    page.headers["Cache-Control"] = "no-store"
    return personal(page, request, token) if session else page


@router.post("/decisions", dependencies=[CsrfChecked])
def record_decision(
    background: BackgroundTasks,
    cache: CacheDep,
    store: StoreDep,
    session: SessionDep,
    kind: Annotated[Literal["project", "training_offer"], Form()],
    ids: Annotated[list[str], Form(min_length=2, max_length=500)],
    status: Annotated[Literal["confirmed", "dismissed", "note"], Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record the decision with the signed-in coordinator's name, then back to the list."""
    decision = decide(cache, store, DecisionRequest(kind=kind, ids=ids, status=status,
                                                    note=note or None, decided_by=session.name))  # fmt: skip
    background.add_task(rewarm, cache, store)
    return RedirectResponse(f"/app/duplicates?decided={decision.id}#decided", status_code=303)
