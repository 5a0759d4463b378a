"""Rendering of the pages: one Jinja2 environment, links to entity pages, the navigation."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from graph.schema import NodeKind

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")

#: Where the page of each kind lives (kinds as NodeKind values and as the API names them).
ENTITY_PAGES = {
    NodeKind.ORGANISATION.value: "organisations",
    NodeKind.PROJECT.value: "projects",
    NodeKind.TRAINING_OFFER.value: "training-offers",
    NodeKind.COMPETENCE.value: "competences",
    NodeKind.PRIORITY.value: "priorities",
    "organisation": "organisations",
    "project": "projects",
    "training_offer": "training-offers",
    "competence": "competences",
    "priority": "priorities",
}
#: The graph view of an entity, for the kinds that have one.
VIEW_PAGES = {"organisations": "/viz/organisations", "competences": "/viz/competences"}

#: The navigation shown on every page: (path, label).
NAVIGATION = [
    ("/", "Home"),
    ("/app/organisations", "Organisations"),
    ("/app/duplicates", "Duplicates"),
    ("/app/gaps", "Gaps"),
    ("/app/priorities", "Priorities"),
    ("/app/overlaps", "Overlaps"),
    ("/app/fragmentation", "Fragmentation"),
    ("/viz", "Graph views"),
    ("/app/cypher", "Cypher"),
    ("/app/report", "Report"),
    ("/app/upload", "Upload"),
    ("/docs", "API"),
]


def entity_href(kind: str, entity_id: str) -> str:
    """The page of an entity (``kind`` as the schema or the API names it)."""
    return f"/app/{ENTITY_PAGES[kind]}/{quote(entity_id, safe='')}"


def view_href(kind: str, entity_id: str) -> str | None:
    """The graph view of an entity, or None for a kind without one."""
    base = VIEW_PAGES.get(ENTITY_PAGES[kind])
    return f"{base}/{quote(entity_id, safe='')}" if base else None


_WORDS = re.compile(r"([^\W\d_]+)", re.UNICODE)


def highlight(text: str, words: Collection[str]) -> Markup:
    """The text, escaped, with each of ``words`` (any case) marked."""
    parts = _WORDS.split(text)
    return Markup("").join(
        Markup("<mark>{}</mark>").format(part) if i % 2 and part.lower() in words else escape(part)
        for i, part in enumerate(parts)
    )


TEMPLATES.env.globals.update(
    entity_href=entity_href, view_href=view_href, navigation=NAVIGATION, zip=zip
)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template, with the current path for the navigation."""
    return TEMPLATES.TemplateResponse(
        request, template, {"path": request.url.path, **context}, status_code=status_code
    )
