"""The ``skillgraph`` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import SecretStr
from rich.markup import escape
from rich.table import Table

from api.analyse_cli import AfterIngest, after_ingest, analyse
from api.report_cli import report_app
from api.settings import Settings, get_settings
from api.stores import review_path
from api.terminal import err, friendly, out, store_from, styled
from api.transfer_cli import export, import_
from api.viz_cli import viz
from api.write_key import kept_write_key, key_path
from ingest.kinds import FileKind, SourceFormat
from ingest.review import ReviewBook, merge_summary

if TYPE_CHECKING:
    from ingest.report import IngestReport

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"

app = typer.Typer(
    help="A knowledge graph of the automotive skills ecosystem.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(report_app, name="report")
review_app = typer.Typer(
    help="Merges and ESCO links waiting for a person: list, accept, reject.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(review_app, name="review")
app.command()(viz)
app.command()(analyse)
app.command()(export)
app.command("import")(import_)


def print_report(report: IngestReport) -> None:
    """The ingest report as people read it."""
    for file in report.files:
        head = ((file.file, "bold"), f" ({file.kind or 'unknown kind'}): ")
        if file.kind is None and file.notice:
            out.print(styled(*head, file.notice))
            continue
        if file.error:
            out.print(styled(*head, (file.error, "red")))
            continue
        skipped = f", {file.rows_skipped} skipped" if file.rows_skipped else ""
        out.print(
            styled(
                *head,
                f"{file.rows_read} read, {file.rows_written} written, "
                f"{file.rows_rejected} rejected{skipped}",
            )
        )
        if file.notice:
            out.print(f"  note: {file.notice}")
        for rejection in file.rejected:
            column = f" column {rejection.column}:" if rejection.column else ""
            out.print(f"  rejected {rejection.location}:{column} {rejection.reason}")
        for match in file.fuzzy_matches:
            out.print(
                f"  matched {match.location} {match.column} {match.value!r} to "
                f"{match.matched_id} ({match.matched_name}, similarity {match.score})"
            )
        for missing in file.unresolved:
            out.print(
                f"  unresolved {missing.location} {missing.column} {missing.value!r}: not linked"
            )
        for created in file.organisations_created[:50]:
            out.print(f"  new non-member organisation {created}")
        if len(file.organisations_created) > 50:
            out.print(
                f"  ... and {len(file.organisations_created) - 50} more new organisations "
                "(--json lists them all)"
            )
        for merge in file.merged:
            out.print(
                f"  merged {merge.location} {merge.value!r} into {merge.matched_id} "
                f"({merge.matched_name}) by {merge.evidence}"
            )
        for pending in file.pending_review:
            out.print(f"  review {pending}")
        if file.unclassified_answers:
            out.print(f"  {len(file.unclassified_answers)} answers matched no priority:")
            for answer in file.unclassified_answers:
                out.print(f"    {answer}")
    for linked in report.esco_linked:
        out.print(f"ESCO link {linked}")
    if report.review_pending:
        out.print(
            f"{report.review_pending} questions wait for review in {report.review_file}: "
            "skillgraph review"
        )


@app.command()
@friendly
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    kind: Annotated[
        FileKind | None, typer.Option(help="The kind of every file, when names do not say it.")
    ] = None,
    source_format: Annotated[
        SourceFormat | None,
        typer.Option(
            "--format",
            help="A published format (cordis, esco, erasmus, poll); detected from the header "
            "when unambiguous.",
        ),
    ] = None,
    keyword: Annotated[
        list[str] | None,
        typer.Option(
            help="Keep only CORDIS/Erasmus+ projects whose title, objective or "
            "topics have a word starting with it (repeatable)."
        ),
    ] = None,
    topic: Annotated[
        list[str] | None,
        typer.Option(help="Keep only CORDIS projects with a topic starting with it (repeatable)."),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="Poll mapping file (YAML) for a poll export.")
    ] = None,
    review_file: Annotated[
        Path | None,
        typer.Option(help="Review file (default: review.json beside the embedded store)."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding of the files when they are not UTF-8.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    analyses: Annotated[
        AfterIngest | None,
        typer.Option(
            help="The analyses of the new revision: computed and kept in the background "
            "(default; SKILLGRAPH_ANALYSES_AFTER_INGEST), before this command exits (wait), "
            "or by their first reader (skip)."
        ),
    ] = None,
) -> None:
    """Read canonical files, CORDIS, ESCO, Erasmus+ exports and poll exports."""
    from ingest.pipeline import ingest as run_ingest
    from ingest.sources import SourceOptions
    from ingest.sources.poll import load_mapping

    settings = get_settings()
    options = SourceOptions(
        keywords=tuple(keyword or ()),
        topics=tuple(topic or ()),
        poll_mapping=load_mapping(mapping) if mapping else None,
    )
    if source_format is SourceFormat.POLL and mapping is None:
        err.print(styled(("error:", "red"), " --format poll needs --mapping"))
        raise typer.Exit(2)
    arguments: dict[str, Any] = {
        "kind": kind, "encoding": encoding, "source": source_format, "options": options,
        "review_file": review_path(settings, review_file), "limits": settings.read_limits(),
    }  # fmt: skip
    with store_from(settings) as store:
        if sys.stderr.isatty() and not as_json:
            from rich.progress import Progress  # a tenth of a second, for a terminal only

            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("ingesting", total=None)

                def advance(file: str, done: int, total: int) -> None:
                    name = escape(Path(file).name)  # the bar reads its description as markup
                    bar.update(task, completed=done, total=total, description=name)

                report = run_ingest(store, paths, progress=advance, **arguments)
        else:
            report = run_ingest(store, paths, **arguments)
    if as_json:
        out.print_json(report.model_dump_json())
    else:
        print_report(report)
    if any(file.rows_written for file in report.files):
        after_ingest(settings, analyses or AfterIngest(settings.analyses_after_ingest))
    raise typer.Exit(report.exit_code)


@review_app.callback()
@friendly
def review(
    ctx: typer.Context,
    review_file: Annotated[Path | None, typer.Option(help="Review file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the questions waiting for review (merges and ESCO links)."""
    path = review_path(get_settings(), review_file)
    ctx.obj = path
    if ctx.invoked_subcommand is not None:
        return
    book = ReviewBook.open(path)
    if as_json:
        out.print_json(book.state.model_dump_json())
        return
    if not book.state.pending:
        out.print(f"nothing waits for review ({path})")
        return
    for number, item in enumerate(book.state.pending, start=1):
        where = f" ({item.country})" if item.country else ""
        out.print(
            styled((f"{number}.", "bold"), f" {item.kind} {item.name!r}{where}: {item.reason}")
        )
        for position, candidate in enumerate(item.candidates, start=1):
            out.print(
                f"     {position}) {candidate.id}  {candidate.name}  score {candidate.score:g}"
            )
        if item.seen_at:
            out.print(f"     seen at {', '.join(item.seen_at[:3])}")
    out.print(
        "accept with: skillgraph review accept N [CANDIDATE]; reject with: skillgraph review "
        "reject N. The next ingest applies the decision."
    )


@review_app.command("accept")
@friendly
def review_accept(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="Number in the list, or the question's key.")],
    candidate: Annotated[
        str | None, typer.Argument(help="Candidate number or id (default: the first).")
    ] = None,
) -> None:
    """Accept a candidate: merge into that organisation, or link to that ESCO skill."""
    book = ReviewBook.open(ctx.obj)
    decision = book.accept(item, candidate)
    book.save()
    out.print(f"accepted: {decision.id} ({decision.name}); the next ingest applies it")  # fmt: skip


@review_app.command("reject")
@friendly
def review_reject(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="Number in the list, or the question's key.")],
) -> None:
    """Reject every candidate: the organisation is a different one (or no ESCO link)."""
    book = ReviewBook.open(ctx.obj)
    decision = book.reject(item)
    book.save()
    out.print(f"rejected: {decision.name} stays separate; the next ingest applies it")  # fmt: skip


@app.command()
@friendly
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Count nodes per kind, members, edges per type and sources."""
    from queries.stats import graph_stats

    settings = get_settings()
    with store_from(settings) as store:
        result = graph_stats(store)
        merges = merge_summary(store, review_path(settings))
    if as_json:
        out.print_json(
            json.dumps({**result.model_dump(mode="json"), "merges": merges.model_dump()})
        )
        return
    table = Table("kind", "count", title=f"{result.backend} store, revision {result.revision}")
    for kind, count in result.nodes.items():
        table.add_row(kind, str(count))
    table.add_row("members", str(result.members))
    table.add_row("non-members", str(result.non_members))
    for rel, count in result.edges.items():
        table.add_row(rel, str(count))
    out.print(table)
    for source in result.sources:
        out.print(f"source {source.file} ({source.kind}, {source.rows} rows, {source.ingested_at})")
    out.print(
        f"merges made: {merges.merges_made} (into {merges.merged_organisations} organisations); "
        f"waiting for review: {merges.pending_organisations} organisations, "
        f"{merges.pending_esco} ESCO links; decisions kept: {merges.decisions}"
    )


@app.command()
@friendly
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the HTTP API."""
    _serve(get_settings(), host, port)


@app.command()
@friendly
def demo(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Load the sample data into the store if it is empty, then serve the API."""
    from ingest.pipeline import ingest as run_ingest
    from queries.stats import graph_stats

    settings = get_settings()
    with store_from(settings) as store:
        if graph_stats(store).nodes["Organisation"] == 0:
            report = run_ingest(store, [SAMPLE_DIR], limits=settings.read_limits())
            written = sum(f.rows_written for f in report.files)
            err.print(f"loaded the sample data: {written} rows from {SAMPLE_DIR}")
    if settings.api_key is None:
        key = kept_write_key(settings)
        settings = settings.model_copy(update={"api_key": SecretStr(key)})
        err.print(
            f"write key (sign in to upload and triage; POST /ingest): {key}  kept in "
            f"{key_path(settings)}"
        )
    base = f"http://{host or settings.host}:{port or settings.port}"
    err.print(f"open {base}/ (the API: {base}/docs, the graph views: {base}/viz)")
    _serve(settings, host, port)


def _serve(settings: Settings, host: str | None, port: int | None) -> None:
    import uvicorn

    from api.app import create_app

    # Opened here, not in the app, so that a locked or unreachable store is one line, exit 3.
    with store_from(settings) as store:
        uvicorn.run(
            create_app(settings, store), host=host or settings.host, port=port or settings.port
        )


def main() -> None:
    """Entry point that keeps JSON output free of rich's wrapping."""
    app()


if __name__ == "__main__":
    main()
