"""Communities of the collaboration network named by what their organisations share.

Example
-------
>>> import networkx as nx
>>> from graph.schema import NodeKind, RelType
>>> g = nx.MultiDiGraph()
>>> for org in ("a", "b"):
...     _ = g.add_edge((NodeKind.ORGANISATION, org), (NodeKind.COMPETENCE, "c1"), RelType.HAS_EXPERTISE)
>>> community_profiles(g, [["a", "b"]])[0].shared
[('c1', 2)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import networkx as nx
from pydantic import BaseModel

from graph.schema import NodeKind, RelType

#: What ties an organisation to a competence for naming its community.
TIES = (RelType.HAS_EXPERTISE, RelType.NEEDS)


class CommunityProfile(BaseModel):
    """A community's members and the competences most of them know or need (id, members)."""

    members: list[str]
    shared: list[tuple[str, int]]


def community_profiles(
    graph: nx.MultiDiGraph, communities: Sequence[Sequence[str]], *, top: int = 3
) -> list[CommunityProfile]:
    """Each community with the ``top`` competences held by the most of its members (two or more)."""
    profiles = []
    for members in communities:
        counts: Counter[str] = Counter()
        for member in members:
            node = (NodeKind.ORGANISATION, member)
            if node not in graph:
                continue
            held = {dst[1] for _, dst, rel in graph.out_edges(node, keys=True) if rel in TIES}
            counts.update(held)
        shared = sorted(((c, n) for c, n in counts.items() if n >= 2), key=lambda x: (-x[1], x[0]))
        profiles.append(CommunityProfile(members=list(members), shared=shared[:top]))
    return profiles
