"""How one entity of the projection appears in a view: its id, label, tooltip and links."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import networkx as nx

from graph.schema import NAME_PROPERTY, NodeKind, RelType
from queries.projection import NodeKey
from viz.style import KIND_COLOURS, KIND_LABELS, organisation_colour

#: The web app's page of each kind (``{id}`` is replaced, URL-quoted).
PAGES: dict[NodeKind, str] = {
    NodeKind.ORGANISATION: "/app/organisations/{id}",
    NodeKind.PROJECT: "/app/projects/{id}",
    NodeKind.TRAINING_OFFER: "/app/training-offers/{id}",
    NodeKind.COMPETENCE: "/app/competences/{id}",
    NodeKind.PRIORITY: "/app/priorities/{id}",
}
#: The graph view centred on an entity, for the kinds that have one.
VIEWS: dict[NodeKind, str] = {
    NodeKind.ORGANISATION: "/viz/organisations/{id}",
    NodeKind.COMPETENCE: "/viz/competences/{id}",
}

#: Properties shown in the tooltip and details panel, per kind, in this order. Outside
#: addresses (websites, ESCO URIs) are left out: a view links only to this server's pages.
_ESSENTIALS: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.ORGANISATION: ("type", "country", "city", "member"),
    NodeKind.PROJECT: ("acronym", "programme", "start", "end", "budget_eur"),
    NodeKind.TRAINING_OFFER: ("eqf_level", "mode", "duration_hours", "languages", "start"),
    NodeKind.COMPETENCE: ("group",),
    NodeKind.PRIORITY: ("kind", "support"),
    NodeKind.COUNTRY: (),
}
#: Kinds that have a place: the country filter hides those not in the chosen country
#: (competences and priorities have none and stay).
_LOCATED = {NodeKind.ORGANISATION, NodeKind.PROJECT, NodeKind.TRAINING_OFFER, NodeKind.COUNTRY}
#: Labels longer than this are shortened on the canvas (the tooltip has the full name).
LABEL_CHARS = 32


def node_id(key: NodeKey) -> str:
    """The id of a projection node in a view: ``Kind:id``."""
    return f"{key[0].value}:{key[1]}"


def name_of(graph: nx.MultiDiGraph, key: NodeKey) -> str:
    """A readable name of a node (its name, title or label, else its id)."""
    data = graph.nodes[key] if key in graph else {}
    return str(data.get(NAME_PROPERTY.get(key[0], "id")) or key[1])


def countries_of(graph: nx.MultiDiGraph, key: NodeKey) -> list[str]:
    """Where an entity is: an organisation's country, the countries a project or offer is in."""
    kind, _ = key
    if kind is NodeKind.COUNTRY:
        return [key[1]]
    rel = RelType.LOCATED_IN if kind is NodeKind.ORGANISATION else RelType.ACTIVE_IN
    found = {dst[1] for _, dst, r in graph.out_edges(key, keys=True) if r == rel}
    if kind is NodeKind.ORGANISATION and not found and graph.nodes[key].get("country"):
        found.add(str(graph.nodes[key]["country"]))
    return sorted(found)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def entity_node(graph: nx.MultiDiGraph, key: NodeKey, **extra: Any) -> dict[str, Any]:
    """The vis-network attributes of a projection node, plus filter and panel fields.

    ``extra`` overrides or adds attributes (colour, size, shape) and may carry ``facts``:
    a list of ``(label, value)`` pairs shown after the entity's own essentials.
    """
    kind, entity = key
    data = graph.nodes[key]
    name = name_of(graph, key)
    countries = countries_of(graph, key)
    details: list[tuple[str, str]] = [("kind", KIND_LABELS[kind]), ("id", entity)]
    for prop in _ESSENTIALS[kind]:
        value = data.get(prop)
        if value not in (None, "", []) and prop != "country":
            details.append((prop.replace("_", " "), _shown(value)))
    if countries and kind is not NodeKind.COUNTRY:
        details.append(("countries" if len(countries) > 1 else "country", ", ".join(countries)))
    details += [(label, _shown(value)) for label, value in extra.pop("facts", [])]
    link, view = PAGES.get(kind), VIEWS.get(kind)
    quoted = quote(entity, safe="")
    node: dict[str, Any] = {
        "label": _short(name),
        "name": name,
        "kind": KIND_LABELS[kind],
        "countries": countries,
        "located": kind in _LOCATED,
        "title": "\n".join([name, *(f"{label}: {value}" for label, value in details)]),
        "details": details,
        "link": link.format(id=quoted) if link else None,
        "view": view.format(id=quoted) if view else None,
        "color": KIND_COLOURS[kind],
        "shape": "dot",
    }
    if kind is NodeKind.ORGANISATION:
        member = bool(data.get("member"))
        node["orgType"] = data.get("type") or "other"
        node["member"] = member
        node["color"] = organisation_colour(member)
        node["borderWidth"] = 1 if member else 2
        if not member:
            node["shapeProperties"] = {"borderDashes": [3, 3]}
    node.update(extra)
    return node
