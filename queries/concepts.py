"""One competence node per concept: an ESCO skill and the competence that cites it are one.

A competence of the partnership's own catalogue is linked to an ESCO skill by its
``esco_uri`` (set by the ingest, from the file or by an exact label match). Sources that name
the ESCO skill directly (an offer teaching ``esco-...``) would otherwise put demand on one
node and supply on the other, so that they never meet. :func:`merge_linked_competences`
folds each linked ESCO skill into the one own competence citing its URI: the skill's edges
move to the competence, which keeps its own id and properties and lists the folded ids in
``merged_from``. A URI cited by several own competences is ambiguous and is left apart.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from graph.schema import ESCO_ID_PREFIX, NodeKind

NodeKey = tuple[NodeKind, str]


def _folds(graph: nx.MultiDiGraph) -> dict[NodeKey, NodeKey]:
    """Each ESCO skill node to the one own competence that cites its URI."""
    own: dict[str, list[NodeKey]] = defaultdict(list)
    skills: dict[str, list[NodeKey]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        uri = data.get("esco_uri")
        if node[0] is not NodeKind.COMPETENCE or not uri:
            continue
        (skills if node[1].startswith(ESCO_ID_PREFIX) else own)[uri].append(node)
    return {
        skill: owners[0]
        for uri, owners in own.items()
        if len(owners) == 1
        for skill in skills.get(uri, [])
    }


def merge_linked_competences(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Fold every linked ESCO skill into its competence, in place; returns the graph.

    Edges are moved (a relationship the competence already has to the same node is kept
    once; a link between the two, such as BROADER, is dropped).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node((NodeKind.COMPETENCE, "c-py"), id="c-py", esco_uri="u")
    >>> g.add_node((NodeKind.COMPETENCE, "esco-1"), id="esco-1", esco_uri="u")
    >>> g.add_edge((NodeKind.TRAINING_OFFER, "t"), (NodeKind.COMPETENCE, "esco-1"), "TEACHES")
    'TEACHES'
    >>> list(merge_linked_competences(g).edges(keys=True))[0][1:]
    ((<NodeKind.COMPETENCE: 'Competence'>, 'c-py'), 'TEACHES')
    """
    folds = _folds(graph)
    merged: dict[NodeKey, list[str]] = defaultdict(list)
    for skill, competence in sorted(folds.items()):
        moved: list[tuple[NodeKey, NodeKey, str, dict[str, Any]]] = [
            (competence if src == skill else src, competence if dst == skill else dst, key, data)
            for src, dst, key, data in [
                *graph.in_edges(skill, keys=True, data=True),
                *graph.out_edges(skill, keys=True, data=True),
            ]
        ]
        graph.remove_node(skill)
        for src, dst, key, data in moved:
            if src != dst and not graph.has_edge(src, dst, key):
                graph.add_edge(src, dst, key, **data)
        merged[competence].append(skill[1])
    for competence, ids in merged.items():
        graph.nodes[competence]["merged_from"] = sorted(ids)
    return graph
