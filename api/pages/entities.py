"""The page of a project, training offer, competence or priority: its properties, its links."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import CacheDep
from api.pages.rendering import render
from graph.schema import NAME_PROPERTY, NodeKind
from queries.entities import NEIGHBOURS, get_entity

router = APIRouter(prefix="/app")

#: Page path -> kind, and how the kind is called on the page.
KINDS = {
    "projects": (NodeKind.PROJECT, "Project"),
    "training-offers": (NodeKind.TRAINING_OFFER, "Training offer"),
    "competences": (NodeKind.COMPETENCE, "Competence"),
    "priorities": (NodeKind.PRIORITY, "Priority"),
}
#: Neighbour lists as headed on a page.
HEADINGS = {
    "participants": "Participants",
    "competences": "Competences",
    "countries": "Countries",
    "priorities": "Priorities addressed",
    "providers": "Providers",
    "needed_by": "Needed by",
    "expertise_of": "Expertise of",
    "taught_by": "Taught by",
    "targeted_by": "Targeted by projects",
    "broader": "Broader competences",
    "raised_by": "Raised by",
    "projects": "Projects addressing it",
    "offers": "Training offers addressing it",
}


def sections(kind: NodeKind, entity: dict[str, Any]) -> list[dict[str, Any]]:
    """The entity's neighbour lists, each with its heading, its kind and its rows."""
    found = []
    for name, spec in NEIGHBOURS.get(kind, {}).items():
        rows = [
            {
                "id": row["id"],
                "name": row.get(NAME_PROPERTY[spec.other]) or row["id"],
                "extra": row.get(spec.edge_field) if spec.edge_field else None,
            }
            for row in entity.get(name, [])
        ]
        found.append({"heading": HEADINGS.get(name, name), "kind": spec.other.value,
                      "linked": spec.other is not NodeKind.COUNTRY, "rows": rows,
                      "extra": spec.edge_field})  # fmt: skip
    return found


def properties(kind: NodeKind, entity: dict[str, Any]) -> dict[str, Any]:
    """The entity's own properties shown in its profile (not lists of neighbours)."""
    lists = set(NEIGHBOURS.get(kind, {})) | {"partners"}
    hidden = {"id", NAME_PROPERTY[kind], "created_at", "updated_at"}
    return {
        k: v
        for k, v in entity.items()
        if k not in lists and k not in hidden and v not in (None, "", [])
    }


@router.get("/{kind_path}/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, cache: CacheDep, kind_path: str, entity_id: str) -> HTMLResponse:
    """An entity's profile and every list of what it is linked to, each a link to its page."""
    if kind_path not in KINDS:
        return render(request, "error.html.j2", 404, title="Not found",
                      message=f"there is no page kind '{kind_path}'")  # fmt: skip
    kind, label = KINDS[kind_path]
    entity = get_entity(cache.graph(), kind, entity_id)
    return render(
        request,
        "entity.html.j2",
        title=entity.get(NAME_PROPERTY[kind]) or entity_id,
        kind=kind.value,
        kind_label=label,
        entity=entity,
        entity_id=entity_id,
        props=properties(kind, entity),
        sections=sections(kind, entity),
    )
