"""``skillgraph viz``: one view written to a self-contained HTML file that works offline."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.settings import get_settings
from api.stores import network_engine
from api.terminal import friendly, out, store_from
from graph.errors import InputError
from graph.model import OrganisationType
from graph.schema import NodeKind
from viz.budget import DEFAULT_BUDGET

if TYPE_CHECKING:
    import networkx as nx

    from graph.network import NetworkEngine
    from viz.network import View


class ViewName(StrEnum):
    """The views ``skillgraph viz`` can write."""

    ECOSYSTEM = "ecosystem"
    ORGANISATION = "organisation"
    DUPLICATES = "duplicates"
    COMPETENCE = "competence"
    FRAGMENTATION = "fragmentation"


class KindName(StrEnum):
    """Node kinds the ecosystem view can be narrowed to."""

    ORGANISATION = NodeKind.ORGANISATION.value
    PROJECT = NodeKind.PROJECT.value
    TRAINING_OFFER = NodeKind.TRAINING_OFFER.value
    COMPETENCE = NodeKind.COMPETENCE.value
    PRIORITY = NodeKind.PRIORITY.value


def build_view(
    graph: nx.MultiDiGraph,
    view: ViewName,
    *,
    entity_id: str | None = None,
    depth: int = 1,
    budget: int = DEFAULT_BUDGET,
    countries: list[str] | None = None,
    kinds: list[KindName] | None = None,
    org_types: list[OrganisationType] | None = None,
    engine: NetworkEngine | None = None,
) -> View:
    """Run the analysis a view draws and build the view (errors: InputError, NotFound).

    ``engine`` is where the fragmentation view's network algorithms run.
    """
    # The analyses and views are imported when a view is built: NetworkX, NumPy, SciPy and
    # igraph take seconds to import, and every ``skillgraph`` command loads this module.
    from queries.duplicates import duplicates
    from queries.fragmentation import fragmentation
    from queries.gaps import gaps
    from queries.partners import partners
    from viz.views import (
        competence_view,
        duplicates_view,
        ecosystem_view,
        fragmentation_view,
        organisation_view,
    )

    needs_id = view in (ViewName.ORGANISATION, ViewName.COMPETENCE)
    if needs_id and not entity_id:
        raise InputError(f"--view {view.value} needs --id (the {view.value}'s id)")
    if view is ViewName.ORGANISATION:
        assert entity_id is not None
        report = partners(graph, entity_id)
        return organisation_view(graph, entity_id, report, depth=depth, budget=budget)
    if view is ViewName.COMPETENCE:
        assert entity_id is not None
        return competence_view(graph, entity_id, gaps(graph, competence=entity_id))
    if view is ViewName.DUPLICATES:
        return duplicates_view(graph, duplicates(graph))
    if view is ViewName.FRAGMENTATION:
        return fragmentation_view(graph, fragmentation(graph, engine=engine))
    return ecosystem_view(
        graph,
        budget=budget,
        countries=[c.upper() for c in countries or []],
        kinds=[NodeKind(k.value) for k in kinds or []],
        org_types=[t.value for t in org_types or []],
    )


@friendly
def viz(
    out_file: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    view: Annotated[ViewName, typer.Option(help="Which view.")] = ViewName.ECOSYSTEM,
    entity_id: Annotated[
        str | None, typer.Option("--id", help="The organisation or competence to centre on.")
    ] = None,
    depth: Annotated[int, typer.Option(min=1, max=2, help="Organisation view: 1 or 2.")] = 1,
    budget: Annotated[
        int, typer.Option(min=1, help="Draw at most this many nodes (the most central).")
    ] = DEFAULT_BUDGET,
    country: Annotated[
        list[str] | None, typer.Option(help="Ecosystem view: keep this country (repeatable).")
    ] = None,
    kind: Annotated[
        list[KindName] | None, typer.Option(help="Ecosystem view: keep this kind (repeatable).")
    ] = None,
    type: Annotated[
        list[OrganisationType] | None,
        typer.Option(help="Ecosystem view: keep this organisation type (repeatable)."),
    ] = None,
    api_url: Annotated[
        str, typer.Option(help="Prefix of the entity links, e.g. http://127.0.0.1:8000.")
    ] = "",
) -> None:
    """Write one interactive view to a self-contained HTML file (no CDN, works offline)."""
    from queries.projection import project
    from viz.page import render_page  # pyvis and jinja2 are imported only for this command

    settings = get_settings()
    with store_from(settings) as store:
        built = build_view(project(store), view, entity_id=entity_id, depth=depth, budget=budget,
                           countries=country, kinds=kind, org_types=type,
                           engine=network_engine(settings, store))  # fmt: skip
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(render_page(built, inline=True, api_url=api_url), encoding="utf-8")
    out.print(f"wrote {out_file} ({len(built.nodes)} nodes, {len(built.edges)} edges)")
    for note in built.notes:
        out.print(note)
