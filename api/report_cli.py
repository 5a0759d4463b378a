"""``skillgraph report``: the whole report, or one analysis, for the current graph.

Each command imports its analysis when it runs: NumPy, SciPy, igraph and matplotlib take
seconds to import, and every other ``skillgraph`` command loads this module too. Results are
read from, and kept in, the folder beside the store that the server uses
(:mod:`api.cache`), so an analysis computed once for a revision is not computed again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import BaseModel

from api.settings import get_settings
from api.stores import analysis_folder, network_engine
from api.terminal import friendly, out, store_from
from graph.model import OrganisationType
from queries.thresholds import DEFAULT_MIN_SCORE

if TYPE_CHECKING:
    from api.cache import RevisionCache
    from graph.store import Store

report_app = typer.Typer(
    help="Reports for coordinators: all analyses, or one with --json.", invoke_without_command=True
)

#: Folder of the report's charts, beside report.md.
CHART_DIR = "charts"
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
Limit = Annotated[int | None, typer.Option(help="At most this many entries.")]


class InitiativeKind(StrEnum):
    """The kinds of initiative the duplicates analysis compares."""

    PROJECT = "project"
    TRAINING_OFFER = "training_offer"


@contextmanager
def _kept() -> Iterator[tuple[RevisionCache, Store]]:
    """The configured store and its analyses, those kept beside it read (and new ones kept)."""
    from api.cache import RevisionCache

    settings = get_settings()
    with store_from(settings) as store:
        yield (
            RevisionCache(store, analysis_folder(settings), engine=network_engine(settings, store)),
            store,
        )


def _emit(result: BaseModel, as_json: bool) -> None:
    if as_json:
        out.print_json(result.model_dump_json())
    else:
        out.print(result.model_dump_json(indent=2))


@report_app.callback()
@friendly
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
    from api.cache import RevisionCache
    from queries.bundle import all_analyses
    from queries.decisions import read_decisions
    from queries.priorities import unclassified_in_latest_poll
    from viz.charts import report_charts
    from viz.report import html_report, markdown_report

    settings = get_settings()
    with store_from(settings) as store:
        # Kept beside the store: the report of a revision is computed once (decisions are
        # stored in the graph, so a decision moves the revision too).
        cache = RevisionCache(
            store, analysis_folder(settings), engine=network_engine(settings, store)
        )
        bundle = cache.get(
            ("analysis", "report"),
            lambda: all_analyses(
                cache.graph(),
                unclassified_answers=unclassified_in_latest_poll(store),
                decisions=read_decisions(store),
                engine=cache.engine,
            ),
        )
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
        f"in {out_dir / CHART_DIR}"
    )


@report_app.command("duplicates")
@friendly
def duplicates_command(
    as_json: AsJson = False,
    min_score: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Pairs scoring at least this are duplicates.")
    ] = DEFAULT_MIN_SCORE,
    kind: Annotated[InitiativeKind | None, typer.Option(help="Only this kind.")] = None,
) -> None:
    """Duplicated initiatives and recognition candidates."""
    from api.analyses import duplicates_of

    with _kept() as (cache, _):
        _emit(duplicates_of(cache, min_score, kind.value if kind else None), as_json)


@report_app.command("overlaps")
@friendly
def overlaps_command(
    as_json: AsJson = False,
    competence: str | None = None,
    country: str | None = None,
    limit: Limit = None,
) -> None:
    """Initiatives on the same competence and coordination opportunities."""
    from api.analyses import overlaps_of

    with _kept() as (cache, _):
        _emit(overlaps_of(cache, competence, country, limit), as_json)


@report_app.command("gaps")
@friendly
def gaps_command(
    as_json: AsJson = False,
    competence: str | None = None,
    country: str | None = None,
    limit: Limit = None,
) -> None:
    """Needed competences with little or no training in the country; unaddressed priorities."""
    from api.analyses import gaps_of

    with _kept() as (cache, _):
        _emit(gaps_of(cache, competence, country, limit), as_json)


@report_app.command("fragmentation")
@friendly
def fragmentation_command(as_json: AsJson = False) -> None:
    """How fragmented the collaboration network is."""
    from api.analyses import fragmentation_of

    with _kept() as (cache, _):
        _emit(fragmentation_of(cache), as_json)


@report_app.command("priorities")
@friendly
def priorities_command(as_json: AsJson = False) -> None:
    """Poll priorities, their support and what addresses them."""
    from api.analyses import priorities_of

    with _kept() as (cache, store):
        _emit(priorities_of(cache, store), as_json)


@report_app.command("partners")
@friendly
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
    from api.analyses import partners_of

    with _kept() as (cache, _):
        _emit(partners_of(cache, member_id, country, type.value if type else None, limit), as_json)
