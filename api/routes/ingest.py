"""Ingest over HTTP: how data reaches the embedded store while the server holds it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from api.deps import CacheDep, SettingsDep, StoreDep
from api.refusal import Refused
from api.routes.analysis import warm
from api.schemas import ErrorResponse
from api.security import require_write_key
from api.stores import review_path
from graph.errors import InputError
from ingest.kinds import FileKind
from ingest.pipeline import ingest
from ingest.report import IngestReport
from ingest.sources import SourceFormat, SourceOptions
from ingest.sources.poll import load_mapping
from ingest.tables import SUPPORTED_SUFFIXES

router = APIRouter(tags=["ingest"])
_CHUNK = 1 << 20
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_name(upload: UploadFile, index: int, file_format: str | None) -> str:
    name = _SAFE_NAME.sub("_", Path(upload.filename or "").name).strip("._") or f"upload-{index}"
    if file_format in {"csv", "json", "xlsx"}:
        name = f"{Path(name).stem}.{file_format}"
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise Refused(
            415,
            "unsupported_type",
            f"{name}: cannot read this type of file; send CSV, JSON or XLSX",
        )
    return name


async def _save(upload: UploadFile, target: Path, budget: int) -> int:
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > budget:
                raise Refused(413, "too_large", "the upload is over the size limit")
            out.write(chunk)
    return size


@router.post(
    "/ingest",
    response_model=IngestReport,
    dependencies=[Depends(require_write_key)],
    responses={code: {"model": ErrorResponse} for code in (400, 401, 403, 413, 415)},
)
async def ingest_files(
    request: Request,
    background: BackgroundTasks,
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description="One or more files (repeat the field)")],
    kind: Annotated[
        FileKind | None, Form(description="The kind of every file, when names do not say it")
    ] = None,
    format: Annotated[
        Literal["csv", "json", "xlsx", "cordis", "esco", "erasmus", "poll"] | None,
        Form(
            description="File type (csv, json, xlsx) when names do not say it, or a published "
            "format (cordis, esco, erasmus, poll) when the header does not say it"
        ),
    ] = None,
    keyword: Annotated[
        list[str] | None, Form(description="Keep only projects matching a keyword (repeat)")
    ] = None,
    topic: Annotated[
        list[str] | None, Form(description="Keep only CORDIS projects of a topic prefix (repeat)")
    ] = None,
    mapping: Annotated[
        UploadFile | None, File(description="Poll mapping file (YAML) for a poll export")
    ] = None,
) -> IngestReport:
    """Ingest uploaded files exactly as ``skillgraph ingest`` does, and return its report."""
    limit = int(settings.max_upload_mb * 1024 * 1024)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refused(
            413, "too_large", f"the upload is over the limit of {settings.max_upload_mb:g} MB"
        )
    with tempfile.TemporaryDirectory(prefix="skillgraph-upload-") as folder:
        paths: list[Path] = []
        budget = limit
        for index, upload in enumerate(files, start=1):
            target = Path(folder) / _safe_name(upload, index, format)
            if target in paths:
                target = target.with_name(f"{index}-{target.name}")
            budget -= await _save(upload, target, budget)
            paths.append(target)
        poll_mapping = None
        if mapping is not None:
            mapping_path = Path(folder) / "poll-mapping.yaml"
            budget -= await _save(mapping, mapping_path, budget)
            try:
                poll_mapping = load_mapping(mapping_path)
            except InputError as error:  # name the upload, not the server's folder
                raise InputError(error.reason, file=mapping.filename or "mapping") from None
        source = SourceFormat(format) if format in set(SourceFormat) else None
        options = SourceOptions(tuple(keyword or ()), tuple(topic or ()), poll_mapping)
        report = await run_in_threadpool(
            ingest, store, paths, kind=kind, source=source, options=options,
            review_file=review_path(settings), limits=settings.read_limits(),
        )  # fmt: skip
        # Report the names as uploaded, never the server's folders.
        report.review_file = Path(report.review_file).name if report.review_file else None
        if any(f.rows_written for f in report.files):
            # The next reader should not pay for recomputing the analyses of the new revision.
            background.add_task(warm, cache, store)
        return IngestReport.model_validate_json(report.model_dump_json().replace(f"{folder}/", ""))
