"""``skillgraph report``: the whole report, or one analysis, for the current graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from api.settings import get_settings
from api.stores import open_store
from graph.errors import SkillGraphError
from graph.model import OrganisationType
from queries.bundle import all_analyses
from queries.duplicates import DEFAULT_MIN_SCORE, duplicates
from queries.fragmentation import fragmentation
from queries.gaps import gaps
from queries.overlaps import overlaps
from queries.partners import partners
from queries.priorities import priorities, unclassified_in_latest_poll
from queries.projection import project
from viz.charts import report_charts
from viz.report import html_report, markdown_report

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
report_app = typer.Typer(
    help="Reports for coordinators: all analyses, or one with --json.", invoke_without_command=True
)

#: Folder of the report's charts, beside report.md.
CHART_DIR = "charts"
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
Limit = Annotated[int | None, typer.Option(help="At most this many entries.")]


def _fail(error: SkillGraphError) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(' '.join(str(error).split()))}", highlight=False)
    return typer.Exit(error.exit_code)


def _graph_and_unclassified() -> tuple[object, int]:
    store = open_store(get_settings())
    try:
        return project(store), unclassified_in_latest_poll(store)
    finally:
        store.close()


def _emit(result: BaseModel, as_json: bool) -> None:
    if as_json:
        out.print_json(result.model_dump_json())
    else:
        out.print(result.model_dump_json(indent=2), highlight=False)


@report_app.callback()
def whole_report(
    ctx: typer.Context,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for report.md and report.html.")
    ] = Path("reports"),
) -> None:
    """Write the report (Markdown and HTML, with SVG charts) covering every analysis.

    The charts are written to ``charts/`` beside ``report.md``, which links them;
    ``report.html`` carries them inline, so it stands alone.
    """
    if ctx.invoked_subcommand is not None:
        return
    try:
        graph, unclassified = _graph_and_unclassified()
    except SkillGraphError as error:
        raise _fail(error) from None
    bundle = all_analyses(graph, unclassified_answers=unclassified)  # type: ignore[arg-type]
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = {f"{CHART_DIR}/{name}": svg for name, svg in report_charts(bundle).items()}
    (out_dir / CHART_DIR).mkdir(exist_ok=True)
    for path, svg in charts.items():
        (out_dir / path).write_text(svg, encoding="utf-8")
    links = {Path(path).stem: path for path in charts}
    markdown = markdown_report(bundle, charts=links)
    (out_dir / "report.md").write_text(markdown, encoding="utf-8")
    (out_dir / "report.html").write_text(html_report(markdown, images=charts), encoding="utf-8")
    out.print(
        f"wrote {out_dir / 'report.md'}, {out_dir / 'report.html'} and {len(charts)} charts "
        f"in {out_dir / CHART_DIR}",
        highlight=False,
    )


def _projection() -> object:
    try:
        return _graph_and_unclassified()[0]
    except SkillGraphError as error:
        raise _fail(error) from None


@report_app.command("duplicates")
def duplicates_command(
    as_json: AsJson = False,
    min_score: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Pairs scoring at least this are duplicates.")
    ] = DEFAULT_MIN_SCORE,
    kind: Annotated[str | None, typer.Option(help="project or training_offer")] = None,
) -> None:
    """Duplicated initiatives and recognition candidates."""
    if kind not in (None, "project", "training_offer"):
        raise _fail(
            SkillGraphError(f"--kind must be project or training_offer, not {kind!r}")
        ) from None
    chosen: Literal["project", "training_offer"] | None = kind  # type: ignore[assignment]
    _emit(duplicates(_projection(), min_score=min_score, kind=chosen), as_json)  # type: ignore[arg-type]


@report_app.command("overlaps")
def overlaps_command(
    as_json: AsJson = False,
    competence: str | None = None,
    country: str | None = None,
    limit: Limit = None,
) -> None:
    """Initiatives on the same competence and coordination opportunities."""
    _emit(overlaps(_projection(), competence=competence, country=country, limit=limit), as_json)  # type: ignore[arg-type]


@report_app.command("gaps")
def gaps_command(
    as_json: AsJson = False,
    competence: str | None = None,
    country: str | None = None,
    limit: Limit = None,
) -> None:
    """Needed competences with little or no training in the country; unaddressed priorities."""
    _emit(gaps(_projection(), competence=competence, country=country, limit=limit), as_json)  # type: ignore[arg-type]


@report_app.command("fragmentation")
def fragmentation_command(as_json: AsJson = False) -> None:
    """How fragmented the collaboration network is."""
    _emit(fragmentation(_projection()), as_json)  # type: ignore[arg-type]


@report_app.command("priorities")
def priorities_command(as_json: AsJson = False) -> None:
    """Poll priorities, their support and what addresses them."""
    try:
        graph, unclassified = _graph_and_unclassified()
    except SkillGraphError as error:
        raise _fail(error) from None
    _emit(priorities(graph, unclassified_answers=unclassified), as_json)  # type: ignore[arg-type]


@report_app.command("partners")
def partners_command(
    member_id: Annotated[str, typer.Argument(help="The member to find partners for.")],
    as_json: AsJson = False,
    country: str | None = None,
    type: Annotated[
        OrganisationType | None, typer.Option(help="Organisation type of the partners.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1)] = 10,
) -> None:
    """Organisations a member has not worked with yet, ranked, with reasons."""
    graph = _projection()
    try:
        result = partners(
            graph, member_id, country=country, org_type=type.value if type else None, limit=limit
        )  # type: ignore[arg-type]
    except SkillGraphError as error:
        raise _fail(error) from None
    _emit(result, as_json)
