"""The web app: server-rendered pages for coordinators, members and analysts.

Each module holds the thin routes of one page (or a small family of pages); the data comes
from ``queries/`` (through the per-revision cache of the analysis endpoints), drawings from
``viz/``; templates live in ``templates/`` beside them and every asset is served by the app.
"""

from fastapi import APIRouter

from api.pages import (
    analyses,
    assets,
    cypher,
    docs,
    duplicates,
    entities,
    home,
    organisations,
    report,
    signin,
    upload,
)

router = APIRouter(include_in_schema=False)
for module in (home, organisations, duplicates, analyses, cypher, report, upload, entities):
    router.include_router(module.router)
#: Served without a key: the style sheet and scripts hold no data.
public = APIRouter(include_in_schema=False)
public.include_router(docs.router)
public.include_router(assets.router)
public.include_router(signin.router)  # signing in must not need the read key

__all__ = ["public", "router"]
