"""Every analysis of one graph revision, together, for the report."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
from pydantic import BaseModel

from graph.network import NetworkEngine
from graph.schema import NAME_PROPERTY
from queries.decisions import Decision, Triage, triage
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
    #: Coordinators' decisions on the clusters they settled, by cluster key.
    decided: dict[str, Decision] = {}


def entity_names(graph: nx.MultiDiGraph) -> dict[str, str]:
    """A readable name for every id (a name, title or label)."""
    return {
        node_id: str(data.get(NAME_PROPERTY[kind]) or node_id)
        for (kind, node_id), data in graph.nodes(data=True)
    }


def decided_clusters(report: Triage) -> dict[str, Decision]:
    """The decision on each settled cluster of a triage, by cluster key."""
    return {item.key: item.decision for item in report.decided if item.decision is not None}


def all_analyses(
    graph: nx.MultiDiGraph,
    *,
    unclassified_answers: int = 0,
    decisions: Iterable[Decision] = (),
    engine: NetworkEngine | None = None,
) -> AnalysisBundle:
    """Run every analysis with its defaults on one projection; apply duplicate decisions.

    ``engine`` is where fragmentation's network algorithms run (igraph here by default).
    The duplicate search, the longest, runs in a second process where there are CPUs for
    it (:func:`queries.duplicates.duplicates`), while this one computes the others.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="duplicates") as beside:
        later = beside.submit(duplicates, graph, second_process=True)
        overlap_report = overlaps(graph)
        gap_report = gaps(graph)
        fragmentation_report = fragmentation(graph, engine=engine)
        priority_report = priorities(graph, unclassified_answers=unclassified_answers)
        duplicate_report = later.result()
    return AnalysisBundle(
        revision=int(graph.graph.get("revision", 0)),
        duplicates=duplicate_report,
        decided=decided_clusters(triage(duplicate_report, decisions, graph)),
        overlaps=overlap_report,
        gaps=gap_report,
        fragmentation=fragmentation_report,
        priorities=priority_report,
        names=entity_names(graph),
    )
