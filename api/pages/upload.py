"""The upload page: a signed-in coordinator sends files and reads the ingest report as tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CacheDep, SettingsDep, StoreDep
from api.pages.rendering import render
from api.pages.session import (
    CsrfChecked,
    SessionDep,
    SignedInRoute,
    csrf_token,
    personal,
    read_session,
)
from api.routes.ingest import ingest_files
from ingest.kinds import FileKind
from ingest.report import IngestReport

router = APIRouter(prefix="/app/upload", route_class=SignedInRoute)

FORMATS = ["csv", "json", "xlsx", "cordis", "esco", "erasmus", "poll"]


@dataclass(frozen=True)
class Problem:
    """One problem of a rejected row: where it is and what is wrong."""

    file: str
    line: int | None
    column: str | None
    reason: str


def problems(report: IngestReport) -> list[Problem]:
    """Every problem of every rejected row, by file and line (``location`` is ``file:line``)."""
    found = []
    for file in report.files:
        for rejection in file.rejected:
            name, _, line = rejection.location.rpartition(":")
            number = int(line) if line.isdigit() else None
            found.append(Problem(name if number is not None else rejection.location, number,
                                 rejection.column, rejection.reason))  # fmt: skip
    return sorted(found, key=lambda p: (p.file, p.line or 0))


def _page(request: Request, settings: SettingsDep, report: IngestReport | None = None) -> Response:
    token = csrf_token(request)
    page = render(request, "upload.html.j2", title="Upload", csrf=token, report=report,
                  problems=problems(report) if report else [], kinds=list(FileKind),
                  formats=FORMATS, session=read_session(request, settings))  # fmt: skip
    return personal(page, request, token)


@router.get("", response_class=HTMLResponse)
def upload_form(request: Request, settings: SettingsDep) -> Response:
    """The upload form; a coordinator who has not signed in is sent to sign in first."""
    if read_session(request, settings) is None:
        return RedirectResponse("/app/sign-in?next=/app/upload", status_code=303)
    return _page(request, settings)


@router.post("", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def upload(
    request: Request,
    background: BackgroundTasks,
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    _: SessionDep,
    files: Annotated[list[UploadFile], File()],
    kind: Annotated[FileKind | Literal[""], Form()] = "",
    format: Annotated[
        Literal["", "csv", "json", "xlsx", "cordis", "esco", "erasmus", "poll"], Form()
    ] = "",
) -> Response:
    """Ingest the files exactly as ``POST /ingest`` does and show its report."""
    report = await ingest_files(
        background, store, cache, settings, files=files, kind=kind or None,
        format=format or None, keyword=None, topic=None, mapping=None,
    )  # fmt: skip
    return _page(request, settings, report)
