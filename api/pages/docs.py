"""ReDoc served from the copy fastapi-offline ships, with its one outside link made local.

ReDoc's side menu shows the Redocly logo loaded from Redocly's CDN; the script is served
here with that image replaced by an inline one, so that /redoc asks nothing from elsewhere.
(Swagger UI at /docs comes from fastapi-offline as it is.)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

STATIC = Path(fastapi_offline.__file__).parent / "static"
OUTSIDE_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
#: An empty image in place of the outside logo.
LOCAL_LOGO = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
SCRIPT = "/app/assets/redoc.standalone.js"


@cache
def redoc_script() -> str:
    """ReDoc's standalone script with the outside logo replaced."""
    text = (STATIC / "redoc.standalone.js").read_text(encoding="utf-8")
    return text.replace(OUTSIDE_LOGO, LOCAL_LOGO)


@router.get(SCRIPT)
def redoc_asset() -> Response:
    """The script of the ReDoc page."""
    return Response(redoc_script(), media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "max-age=3600"})  # fmt: skip


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """The API's reference, read from /openapi.json, drawn by ReDoc from local files."""
    root = request.scope.get("root_path", "")
    return get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{root}{SCRIPT}",
        redoc_favicon_url=f"{root}/docs-assets/favicon.png",
        with_google_fonts=False,
    )
