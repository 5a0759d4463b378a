"""The pages' own style sheet and script, served by the app (no CDN, no build step)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, Response

from graph.errors import NotFound

router = APIRouter(prefix="/app/assets", include_in_schema=False)

FOLDER = Path(__file__).parent / "assets"
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


@cache
def _read(name: str) -> str:
    path = FOLDER / name
    if path.suffix not in MEDIA_TYPES or path.parent != FOLDER or not path.is_file():
        raise NotFound("asset", name)
    return path.read_text(encoding="utf-8")


@router.get("/{name}")
def page_asset(name: str) -> Response:
    """A style sheet or script of the pages."""
    text = _read(name)
    return Response(
        text,
        media_type=MEDIA_TYPES[Path(name).suffix],
        headers={"Cache-Control": "max-age=3600"},
    )
