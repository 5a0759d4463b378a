"""Fixtures of the views' tests: the sample projection and a large synthetic one."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.schema import NodeKind, RelType

TYPES = ["oem", "supplier", "training_provider", "university", "research", "association"]
COUNTRIES = ["DE", "FR", "IT", "ES", "PL", "CZ", "SE", "NL"]


def synthetic_graph(
    organisations: int = 300, projects: int = 150, offers: int = 1400, seed: int = 1
) -> nx.MultiDiGraph:
    """A projection-shaped graph larger than the default node budget (about 1,950 nodes)."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph(revision=1)

    def add(node_kind: NodeKind, node_id: str, /, **props: object) -> tuple[NodeKind, str]:
        g.add_node((node_kind, node_id), id=node_id, **props)
        return (node_kind, node_id)

    def link(a: tuple[NodeKind, str], b: tuple[NodeKind, str], rel: RelType) -> None:
        g.add_edge(a, b, rel.value, rel=rel)

    countries = [add(NodeKind.COUNTRY, c, name=c) for c in COUNTRIES]
    comps = [add(NodeKind.COMPETENCE, f"c-{i:03}", label=f"Competence {i}") for i in range(90)]
    prios = [add(NodeKind.PRIORITY, f"pr-{i}", label=f"Priority {i}", kind="goal", support=i)
             for i in range(6)]  # fmt: skip
    orgs = []
    for i in range(organisations):
        country = rng.choice(countries)
        org = add(NodeKind.ORGANISATION, f"o-{i:04}", name=f"Organisation {i}",
                  member=i % 5 != 0, type=rng.choice(TYPES), country=country[1])  # fmt: skip
        link(org, country, RelType.LOCATED_IN)
        for comp in rng.sample(comps, 3):
            link(org, comp, RelType.HAS_EXPERTISE)
        link(org, rng.choice(comps), RelType.NEEDS)
        link(org, rng.choice(prios), RelType.RAISED)
        orgs.append(org)
    for i in range(projects):
        proj = add(NodeKind.PROJECT, f"p-{i:04}", title=f"Project {i}")
        for org in rng.sample(orgs, 4):
            link(org, proj, RelType.PARTICIPATES_IN)
        link(proj, rng.choice(comps), RelType.TARGETS)
        link(proj, rng.choice(countries), RelType.ACTIVE_IN)
    for i in range(offers):
        offer = add(NodeKind.TRAINING_OFFER, f"t-{i:05}", title=f"Offer {i}", eqf_level=4)
        link(rng.choice(orgs), offer, RelType.PROVIDES)
        for comp in rng.sample(comps, 2):
            link(offer, comp, RelType.TEACHES)
        link(offer, rng.choice(countries), RelType.ACTIVE_IN)
    return g


@pytest.fixture(scope="session")
def large_graph() -> nx.MultiDiGraph:
    """About 1,950 nodes: more than the default budget of 1,500."""
    return synthetic_graph()
