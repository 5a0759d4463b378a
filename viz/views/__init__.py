"""The five views, each drawn from the projection and the analysis report it shows.

Every function is pure: it takes the NetworkX projection (:func:`queries.projection.project`)
and, where a view shows an analysis, that analysis's report, and returns a
:class:`viz.network.View` (nodes and edges with fixed positions). Nothing here reads the
store, the environment or prints.

Example
-------
>>> view = ecosystem_view(project(store), budget=500)  # doctest: +SKIP
>>> render_page(view, assets="inline")  # doctest: +SKIP
"""

from viz.budget import DEFAULT_BUDGET
from viz.views.common import ECOSYSTEM_KINDS
from viz.views.competence import competence_view
from viz.views.duplicates import duplicates_view
from viz.views.ecosystem import ecosystem_view
from viz.views.fragmentation import fragmentation_view
from viz.views.organisation import organisation_view

__all__ = [
    "DEFAULT_BUDGET",
    "ECOSYSTEM_KINDS",
    "competence_view",
    "duplicates_view",
    "ecosystem_view",
    "fragmentation_view",
    "organisation_view",
]
