"""Every analysis of one graph revision, together, for the report."""

from __future__ import annotations

import networkx as nx
from pydantic import BaseModel

from graph.schema import NAME_PROPERTY
from queries.duplicates import DuplicateReport, duplicates
from queries.fragmentation import FragmentationReport, fragmentation
from queries.gaps import GapReport, gaps
from queries.overlaps import OverlapReport, overlaps
from queries.priorities import PriorityReport, priorities


class AnalysisBundle(BaseModel):
    """The results of all analyses and the names of the entities they mention."""

    revision: int
    duplicates: DuplicateReport
    overlaps: OverlapReport
    gaps: GapReport
    fragmentation: FragmentationReport
    priorities: PriorityReport
    names: dict[str, str]


def entity_names(graph: nx.MultiDiGraph) -> dict[str, str]:
    """A readable name for every id (a name, title or label)."""
    return {
        node_id: str(data.get(NAME_PROPERTY[kind]) or node_id)
        for (kind, node_id), data in graph.nodes(data=True)
    }


def all_analyses(graph: nx.MultiDiGraph, *, unclassified_answers: int = 0) -> AnalysisBundle:
    """Run every analysis with its defaults on one projection."""
    return AnalysisBundle(
        revision=int(graph.graph.get("revision", 0)),
        duplicates=duplicates(graph),
        overlaps=overlaps(graph),
        gaps=gaps(graph),
        fragmentation=fragmentation(graph),
        priorities=priorities(graph, unclassified_answers=unclassified_answers),
        names=entity_names(graph),
    )
