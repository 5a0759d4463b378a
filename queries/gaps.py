"""Gaps: demand for a competence in a country that training offers there do not meet.

Demand comes from two sources, ranked apart: the members located in a country that NEED
the competence (their stated needs), and the projects ACTIVE_IN that country that TARGET
it. Supply: the training offers ACTIVE_IN that country that TEACH it. A (competence,
country) is a gap of a source when that source has demand there and fewer local offers
than demanders (none at all is the common case). Gaps are scored so that, at equal demand,
"taught nowhere" ranks above "taught only in other countries", which ranks above "taught
here, but scarcely". Project targets alone are listed only above a threshold (see
:data:`MIN_PROJECT_DEMAND`); what the threshold leaves out is counted in the report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import product
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field, computed_field

from graph.collector import collector_paused
from graph.schema import NodeKind, RelType
from queries.projection import NodeKey, linked_ids, nodes_of

#: Weight of a gap's demand by where the nearest supply is (see docs/analyses).
NOWHERE_WEIGHT = 2.0
ELSEWHERE_WEIGHT = 1.0
#: Every stated need of a member is demand: one member is enough for a member-needs gap.
MIN_MEMBER_DEMAND = 1
#: A gap from project targets alone is listed when at least this many projects active in
#: the country target the competence, or when it is taught nowhere at all. One project
#: targeting a competence that other countries teach is not something a coordinator acts on
#: (on the sample it cuts 71 such entries; docs/analyses/overlaps-gaps-priorities.md).
MIN_PROJECT_DEMAND = 2


class DemandSource(StrEnum):
    """Where a gap's demand comes from."""

    MEMBER_NEEDS = "member_needs"
    PROJECT_TARGETS = "project_targets"


class Coverage(StrEnum):
    """Where a competence needed in a country is taught."""

    NOWHERE = "nowhere"
    ELSEWHERE = "elsewhere_only"
    SCARCE = "scarce"


class Gap(BaseModel):
    """Demand for one competence in one country with little or no supply there."""

    competence: str
    country: str
    demand_from: DemandSource
    demand: int = Field(description="members that need it, or projects that target it")
    supply: int
    nearest_supply: list[str] = Field(
        description="countries where it is taught, most offers first (no border data)"
    )
    score: float
    coverage: Coverage
    needed_by: list[str] = Field(description="members in the country that need it")
    targeted_by: list[str] = Field(
        description="projects active in the country that target it (the demand of a "
        "project-targets gap; context for a member-needs gap)"
    )
    offers: list[str] = Field(description="offers teaching it in the country")
    offers_elsewhere: dict[str, list[str]] = Field(
        description="offers teaching it, per country of nearest_supply"
    )
    supply_eqf_levels: list[int] = Field(
        description="EQF levels of the offers in the country and elsewhere, where known"
    )


class UnaddressedPriority(BaseModel):
    """A priority members support that no project or offer addresses."""

    priority: str
    support: int
    label: str | None = None


class GapThresholds(BaseModel):
    """The thresholds a gap of each source must reach to be listed."""

    min_member_demand: int = MIN_MEMBER_DEMAND
    min_project_demand: int = MIN_PROJECT_DEMAND


class GapCounts(BaseModel):
    """How many gaps of each source there are, and how many the thresholds list."""

    member_needs_found: int = 0
    member_needs_listed: int = 0
    project_targets_found: int = 0
    project_targets_listed: int = 0


class GapReport(BaseModel):
    """Gaps of each demand source (highest score first), unaddressed priorities, and each
    member's uncovered needs."""

    member_needs: list[Gap] = Field(
        default_factory=list, description="gaps in what members say they need, ranked"
    )
    project_targets: list[Gap] = Field(
        default_factory=list,
        description="gaps in what projects target, ranked, above the thresholds",
    )
    unaddressed_priorities: list[UnaddressedPriority]
    member_gaps: dict[str, list[str]]
    thresholds: GapThresholds = Field(default_factory=GapThresholds)
    counts: GapCounts = Field(
        default_factory=GapCounts, description="gaps found and listed, before any limit"
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def gaps(self) -> list[Gap]:
        """Every listed gap: the member-needs ones, then the project-targets ones."""
        return [*self.member_needs, *self.project_targets]


def _targets(graph: nx.MultiDiGraph, node: NodeKey, rel: RelType) -> list[str]:
    return sorted(dst[1] for _, dst, key in graph.out_edges(node, keys=True) if key == rel)


def _sources(graph: nx.MultiDiGraph, node: NodeKey, rel: RelType) -> list[str]:
    return sorted(src[1] for src, _, key in graph.in_edges(node, keys=True) if key == rel)


def member_country(graph: nx.MultiDiGraph, node: NodeKey) -> str | None:
    """An organisation's country: its LOCATED_IN edge, else its ``country`` property."""
    return _country(_targets(graph, node, RelType.LOCATED_IN), graph.nodes[node])


def _country(located: Collection[str], data: dict[str, Any]) -> str | None:
    return min(located) if located else data.get("country")


@dataclass
class _Place:
    """Demand and supply of one competence in one country."""

    members: set[str] = field(default_factory=set)
    projects: set[str] = field(default_factory=set)
    offers: set[str] = field(default_factory=set)


#: What the places of demand and supply are read from: each node's linked ids, by type.
_PLACE_LINKS = {
    rel: False
    for rel in (
        RelType.NEEDS,
        RelType.LOCATED_IN,
        RelType.TARGETS,
        RelType.TEACHES,
        RelType.ACTIVE_IN,
    )
}


def _places(graph: nx.MultiDiGraph) -> dict[tuple[str, str], _Place]:
    # One pass over the edges for all nodes rather than a walk of each node's edges.
    linked = linked_ids(graph, _PLACE_LINKS)
    none: set[str] = set()
    places: dict[tuple[str, str], _Place] = defaultdict(_Place)
    for node, data in nodes_of(graph, NodeKind.ORGANISATION):
        country = _country(linked[RelType.LOCATED_IN].get(node, none), data)
        if not data.get("member") or country is None:
            continue
        for competence in linked[RelType.NEEDS].get(node, none):
            places[(competence, country)].members.add(data["id"])
    active_in = linked[RelType.ACTIVE_IN]
    for node, data in nodes_of(graph, NodeKind.PROJECT):
        for place in product(linked[RelType.TARGETS].get(node, none), active_in.get(node, none)):
            places[place].projects.add(data["id"])
    for node, data in nodes_of(graph, NodeKind.TRAINING_OFFER):
        for place in product(linked[RelType.TEACHES].get(node, none), active_in.get(node, none)):
            places[place].offers.add(data["id"])
    return places


def score(demand: int, supply: int, coverage: Coverage) -> float:
    """Demand weighted by how far supply is: 2x nowhere, 1x elsewhere, 1/(1+supply) here."""
    if coverage is Coverage.NOWHERE:
        return demand * NOWHERE_WEIGHT
    if coverage is Coverage.ELSEWHERE:
        return demand * ELSEWHERE_WEIGHT
    return demand / (1 + supply)


def _coverage(supply: int, taught_elsewhere: bool) -> Coverage:
    if supply:
        return Coverage.SCARCE
    return Coverage.ELSEWHERE if taught_elsewhere else Coverage.NOWHERE


def _gap(
    graph: nx.MultiDiGraph,
    competence: str,
    country: str,
    place: _Place,
    taught_in: dict[str, set[str]],
    source: DemandSource,
) -> Gap | None:
    demand = len(place.members if source is DemandSource.MEMBER_NEEDS else place.projects)
    supply = len(place.offers)
    if demand == 0 or supply >= demand:
        return None
    elsewhere = {c: sorted(offers) for c, offers in taught_in.items() if c != country}
    coverage = _coverage(supply, bool(elsewhere))
    nearest = sorted(elsewhere, key=lambda c: (-len(elsewhere[c]), c))
    all_offers = place.offers.union(*elsewhere.values())
    levels = {graph.nodes[(NodeKind.TRAINING_OFFER, o)].get("eqf_level") for o in all_offers}
    return Gap(
        competence=competence,
        country=country,
        demand_from=source,
        demand=demand,
        supply=supply,
        nearest_supply=nearest,
        score=score(demand, supply, coverage),
        coverage=coverage,
        needed_by=sorted(place.members),
        targeted_by=sorted(place.projects),
        offers=sorted(place.offers),
        offers_elsewhere={c: elsewhere[c] for c in nearest},
        supply_eqf_levels=sorted(level for level in levels if level is not None),
    )


def unaddressed_priorities(graph: nx.MultiDiGraph) -> list[UnaddressedPriority]:
    """Priorities with poll support that no project or offer ADDRESSES, most supported first."""
    found = [
        UnaddressedPriority(priority=data["id"], support=support, label=data.get("label"))
        for node, data in nodes_of(graph, NodeKind.PRIORITY)
        if (support := int(data.get("support") or 0)) > 0
        and not _sources(graph, node, RelType.ADDRESSES)
    ]
    return sorted(found, key=lambda p: (-p.support, p.priority))


def _selected(comp: str, place: str, competence: str | None, country: str | None) -> bool:
    return competence in (None, comp) and country in (None, place)


def _member_gaps(
    places: dict[tuple[str, str], _Place], competence: str | None, country: str | None
) -> dict[str, list[str]]:
    uncovered: dict[str, set[str]] = defaultdict(set)
    for (comp, place_country), place in places.items():
        if place.offers or not _selected(comp, place_country, competence, country):
            continue
        for member in place.members:
            uncovered[member].add(comp)
    return {member: sorted(uncovered[member]) for member in sorted(uncovered)}


def listed(gap: Gap, thresholds: GapThresholds) -> bool:
    """Whether a gap reaches the threshold of its demand source."""
    if gap.demand_from is DemandSource.MEMBER_NEEDS:
        return gap.demand >= thresholds.min_member_demand
    return gap.demand >= thresholds.min_project_demand or gap.coverage is Coverage.NOWHERE


def _ranked(found: list[Gap]) -> list[Gap]:
    return sorted(found, key=lambda g: (-g.score, -g.demand, g.competence, g.country))


@collector_paused()
def gaps(
    graph: nx.MultiDiGraph,
    *,
    competence: str | None = None,
    country: str | None = None,
    limit: int | None = None,
    thresholds: GapThresholds | None = None,
) -> GapReport:
    """Demand against supply per competence and country, members' needs and project
    targets ranked apart.

    Parameters
    ----------
    graph
        The projection of the store.
    competence, country
        Only gaps (and member gaps) of this competence id / country code.
    limit
        At most this many gaps of each source, after ranking (unaddressed priorities and
        member gaps are not limited).
    thresholds
        What a gap of each source needs to be listed (default: :class:`GapThresholds`);
        ``counts`` says how many were found and listed.

    Returns
    -------
    GapReport
        Member-needs gaps and project-targets gaps, each by score, then demand, then
        competence and country; unaddressed priorities by support; per member, its needs
        that no offer in its country teaches.

    Examples
    --------
    >>> gaps(nx.MultiDiGraph()).member_needs
    []
    """
    places = _places(graph)
    taught_in: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for (comp, place_country), place in places.items():
        if place.offers:
            taught_in[comp][place_country] = place.offers
    thresholds = thresholds or GapThresholds()
    found: dict[DemandSource, list[Gap]] = {source: [] for source in DemandSource}
    for (comp, place_country), place in places.items():
        if not _selected(comp, place_country, competence, country):
            continue
        for source in DemandSource:
            gap = _gap(graph, comp, place_country, place, taught_in[comp], source)
            if gap is not None:
                found[source].append(gap)
    shown = {s: _ranked([g for g in found[s] if listed(g, thresholds)]) for s in DemandSource}
    needs, targets = shown[DemandSource.MEMBER_NEEDS], shown[DemandSource.PROJECT_TARGETS]
    return GapReport(
        member_needs=needs[:limit] if limit is not None else needs,
        project_targets=targets[:limit] if limit is not None else targets,
        unaddressed_priorities=unaddressed_priorities(graph),
        member_gaps=_member_gaps(places, competence, country),
        thresholds=thresholds,
        counts=GapCounts(
            member_needs_found=len(found[DemandSource.MEMBER_NEEDS]),
            member_needs_listed=len(needs),
            project_targets_found=len(found[DemandSource.PROJECT_TARGETS]),
            project_targets_listed=len(targets),
        ),
    )
