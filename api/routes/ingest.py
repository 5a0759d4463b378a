"""Ingest over HTTP: how data reaches the embedded store while the server holds it."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from api.analyses import warm
from api.deps import CacheDep, SettingsDep, StoreDep
from api.refusal import Refused
from api.schemas import ErrorResponse
from api.security import WriteRoute
from api.stores import review_path
from graph.errors import InputError
from ingest.kinds import FileKind
from ingest.pipeline import ingest
from ingest.report import IngestReport
from ingest.sources import SourceFormat, SourceOptions
from ingest.sources.poll import load_mapping
from ingest.tables import SUPPORTED_SUFFIXES

router = APIRouter(tags=["ingest"], route_class=WriteRoute)
_CHUNK = 1 << 20
#: A file name is reported back and kept on its Source node; longer ones are refused.
MAX_NAME_CHARS = 1024


def _sent_name(upload: UploadFile, index: int) -> str:
    """The name the client sent for an upload (``upload N`` when it sent none)."""
    name = upload.filename or f"upload {index}"
    if len(name) > MAX_NAME_CHARS:
        raise Refused(
            400,
            "name_too_long",
            f"file {index}: its name has {len(name)} characters; at most {MAX_NAME_CHARS} are kept",
        )
    return name


def _suffix(name: str, file_format: str | None) -> str:
    """The suffix the file is read by: the ``format`` field's, else the sent name's."""
    if file_format in {"csv", "json", "xlsx"}:
        return f".{file_format}"
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise Refused(
            415,
            "unsupported_type",
            f"{name}: cannot read this type of file; send CSV, JSON or XLSX",
        )
    return suffix


async def _save(upload: UploadFile, target: Path) -> None:
    # The body limit has bounded the upload already; this only moves it out of the spool.
    with target.open("xb") as out:
        while chunk := await upload.read(_CHUNK):
            out.write(chunk)


@router.post(
    "/ingest",
    response_model=IngestReport,
    responses={code: {"model": ErrorResponse} for code in (400, 401, 403, 413, 415)},
)
async def ingest_files(
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
    with tempfile.TemporaryDirectory(prefix="skillgraph-upload-") as folder:
        # Each file is stored under its position, never under the name it was sent with:
        # any name (long, repeated, a path, odd characters) is safe, and none overwrites
        # another. The ingest knows each file by its sent name, for its kind and its report.
        names: dict[Path, str] = {}
        for index, upload in enumerate(files, start=1):
            name = _sent_name(upload, index)
            target = Path(folder) / f"{index}{_suffix(name, format)}"
            await _save(upload, target)
            names[target] = name
        poll_mapping = None
        if mapping is not None:
            mapping_path = Path(folder) / "mapping.yaml"
            await _save(mapping, mapping_path)
            try:
                poll_mapping = load_mapping(mapping_path)
            except InputError as error:  # name the upload, not the server's folder
                raise InputError(error.reason, file=mapping.filename or "mapping") from None
        source = SourceFormat(format) if format in set(SourceFormat) else None
        options = SourceOptions(tuple(keyword or ()), tuple(topic or ()), poll_mapping)
        report = await run_in_threadpool(
            ingest, store, list(names), kind=kind, source=source, options=options,
            review_file=review_path(settings), names=names, limits=settings.read_limits(),
        )  # fmt: skip
    # The review file is the server's; name it without its folder.
    report.review_file = Path(report.review_file).name if report.review_file else None
    if any(f.rows_written for f in report.files):
        # The next reader should not pay for recomputing the analyses of the new revision.
        background.add_task(warm, cache, store)
    return report
