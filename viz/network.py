"""Node and edge lists for vis-network, built in bulk from the projection, with positions.

vis-network (the library pyvis wraps) takes plain lists of node and edge objects. They are
built here directly rather than through ``pyvis.network.Network.add_edge``, which scans
every existing edge on each call (quadratic in edges). Positions come from
:func:`viz.layout.spring_positions` and are fixed, so the browser does no physics.

Example
-------
>>> b = ViewBuilder()
>>> b.add_node("a", label="A", kind="Organisation", color="#1f77b4")
>>> b.add_node("b", label="B", kind="Project", color="#ff7f0e")
>>> b.add_edge("a", "b", rel="PARTICIPATES_IN")
>>> view = b.build(title="tiny")
>>> len(view.nodes), len(view.edges)
(2, 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from viz.layout import spring_positions

#: Pixels between nodes on average in the drawn picture (scales the unit layout).
SPACING = 110.0
#: Pixels between the nodes set apart (:meth:`ViewBuilder.set_apart`), and from the rest.
APART_STEP, APART_GAP = 70.0, 150.0
#: Node sizes (pixels) of the least and most central node of a view.
MIN_SIZE, MAX_SIZE = 8.0, 40.0


@dataclass(frozen=True)
class LegendEntry:
    """One line of a view's legend: a swatch and what it means."""

    label: str
    color: str
    shape: Literal["dot", "diamond", "square", "star", "triangle", "line", "dashed"] = "dot"
    hollow: bool = False


@dataclass
class View:
    """Everything a page needs to draw one network.

    ``nodes`` and ``edges`` are vis-network objects (``id``, ``label``, ``x``, ``y``, ...)
    plus the fields the page's filters, search and details panel read: ``kind``,
    ``countries``, ``orgType``, ``link`` and ``details``.
    """

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[LegendEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    subtitle: str = ""

    def filters(self) -> dict[str, list[str]]:
        """The values the page offers in its country, organisation type and kind filters."""
        countries = sorted({c for n in self.nodes for c in n.get("countries", [])})
        types = sorted({n["orgType"] for n in self.nodes if n.get("orgType")})
        kinds = sorted({n["kind"] for n in self.nodes if n.get("kind")})
        return {"countries": countries, "types": types, "kinds": kinds}


class ViewBuilder:
    """Collects nodes and edges (no duplicates, first writer wins), then lays them out."""

    def __init__(self) -> None:
        self._nodes: dict[str, dict[str, Any]] = {}
        self._edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._apart: list[str] = []

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def add_node(self, node_id: str, **attributes: Any) -> None:
        """Add a node unless it is there already (then only missing attributes are added)."""
        existing = self._nodes.get(node_id)
        if existing is None:
            self._nodes[node_id] = {"id": node_id, **attributes}
        else:
            for name, value in attributes.items():
                existing.setdefault(name, value)

    def node(self, node_id: str) -> dict[str, Any]:
        """The attributes of a node added before."""
        return self._nodes[node_id]

    def add_edge(self, source: str, target: str, *, rel: str, **attributes: Any) -> None:
        """Add an edge between two nodes already added (one per pair and relationship)."""
        if source not in self._nodes or target not in self._nodes or source == target:
            return
        self._edges.setdefault(
            (source, target, rel), {"from": source, "to": target, "rel": rel, **attributes}
        )

    def set_apart(self, node_ids: list[str]) -> None:
        """Draw these nodes in a grid to the right of the others instead of laying them out."""
        self._apart = [n for n in node_ids if n in self._nodes]

    def build(
        self,
        *,
        title: str,
        subtitle: str = "",
        legend: list[LegendEntry] | None = None,
        notes: list[str] | None = None,
        seed: int = 7,
        size_by_degree: bool = True,
    ) -> View:
        """Lay out the nodes (sorted by id, so the picture is stable) and return the view."""
        ids = sorted(self._nodes)
        edges = [self._edges[k] for k in sorted(self._edges)]
        apart = set(self._apart)
        free = [i for i in ids if i not in apart]
        index = {node_id: n for n, node_id in enumerate(free)}
        pairs = [
            (index[e["from"]], index[e["to"]])
            for e in edges
            if e["from"] in index and e["to"] in index
        ]
        positions = spring_positions(len(free), pairs, seed=seed)
        scale = SPACING * math.sqrt(max(len(free), 1))
        placed = {
            node_id: (round(float(x) * scale, 1), round(float(y) * scale, 1))
            for node_id, (x, y) in zip(free, positions, strict=True)
        }
        placed.update(_grid(self._apart, placed))
        nodes = []
        degree = _degrees(ids, edges)
        top = max(degree.values(), default=0) or 1
        for node_id in ids:
            node = dict(self._nodes[node_id])
            node["x"], node["y"] = placed[node_id]
            if size_by_degree and "size" not in node:
                share = math.sqrt(degree[node_id] / top)
                node["size"] = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * share, 1)
            nodes.append(node)
        for number, edge in enumerate(edges):
            edge.setdefault("id", f"e{number}")
        return View(
            title=title,
            subtitle=subtitle,
            nodes=nodes,
            edges=edges,
            legend=legend or [],
            notes=notes or [],
        )


def _grid(ids: list[str], placed: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Positions of a square grid to the right of the placed nodes, centred vertically."""
    if not ids:
        return {}
    columns = math.ceil(math.sqrt(len(ids)))
    left = max((x for x, _ in placed.values()), default=0.0) + APART_GAP
    top = -APART_STEP * (math.ceil(len(ids) / columns) - 1) / 2
    return {
        node_id: (left + APART_STEP * (n % columns), top + APART_STEP * (n // columns))
        for n, node_id in enumerate(ids)
    }


def _degrees(ids: list[str], edges: list[dict[str, Any]]) -> dict[str, int]:
    degree = dict.fromkeys(ids, 0)
    for edge in edges:
        degree[edge["from"]] += 1
        degree[edge["to"]] += 1
    return degree
