"""The ``skillgraph`` command."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import SecretStr
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from api.report_cli import report_app
from api.settings import Settings, get_settings
from api.stores import open_store
from graph.errors import SkillGraphError
from graph.store import Store
from ingest.kinds import FileKind
from ingest.pipeline import ingest as run_ingest
from ingest.report import IngestReport
from queries.stats import graph_stats

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"

app = typer.Typer(
    help="A knowledge graph of the automotive skills ecosystem.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(report_app, name="report")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def friendly(command: F) -> F:
    """Turn the project's errors into one line on stderr and their exit status."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SkillGraphError as error:
            one_line = escape(" ".join(str(error).split()))
            err.print(f"[red]error:[/red] {one_line}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def store_from(settings: Settings) -> Iterator[Store]:
    """The configured store, closed on exit."""
    store = open_store(settings)
    try:
        yield store
    finally:
        store.close()


def print_report(report: IngestReport) -> None:
    """The ingest report as people read it."""
    for file in report.files:
        head = f"[bold]{file.file}[/bold] ({file.kind or 'unknown kind'}): "
        if file.kind is None and file.notice:
            out.print(head + file.notice, highlight=False)
            continue
        if file.error:
            out.print(head + f"[red]{file.error}[/red]", highlight=False)
            continue
        out.print(
            head + f"{file.rows_read} read, {file.rows_written} written, "
            f"{file.rows_rejected} rejected",
            highlight=False,
        )
        if file.notice:
            out.print(f"  note: {file.notice}", highlight=False)
        for rejection in file.rejected:
            column = f" column {rejection.column}:" if rejection.column else ""
            out.print(
                f"  rejected {rejection.location}:{column} {rejection.reason}", highlight=False
            )
        for match in file.fuzzy_matches:
            out.print(
                f"  matched {match.location} {match.column} {match.value!r} to "
                f"{match.matched_id} ({match.matched_name}, similarity {match.score})",
                highlight=False,
            )
        for missing in file.unresolved:
            out.print(
                f"  unresolved {missing.location} {missing.column} {missing.value!r}: not linked",
                highlight=False,
            )
        for created in file.organisations_created:
            out.print(f"  new non-member organisation {created}", highlight=False)
        if file.unclassified_answers:
            out.print(
                f"  {len(file.unclassified_answers)} answers matched no priority:", highlight=False
            )
            for answer in file.unclassified_answers:
                out.print(f"    {answer}", highlight=False)


@app.command()
@friendly
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    kind: Annotated[
        FileKind | None, typer.Option(help="The kind of every file, when names do not say it.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding of the files when they are not UTF-8.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Read members, projects, training offers, competences, priorities and poll answers."""
    with store_from(get_settings()) as store:
        if sys.stderr.isatty() and not as_json:
            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("ingesting", total=None)

                def advance(file: str, done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total, description=Path(file).name)

                report = run_ingest(store, paths, kind=kind, encoding=encoding, progress=advance)
        else:
            report = run_ingest(store, paths, kind=kind, encoding=encoding)
    if as_json:
        out.print_json(report.model_dump_json())
    else:
        print_report(report)
    raise typer.Exit(report.exit_code)


@app.command()
@friendly
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Count nodes per kind, members, edges per type and sources."""
    with store_from(get_settings()) as store:
        result = graph_stats(store)
    if as_json:
        out.print_json(result.model_dump_json())
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
    settings = get_settings()
    with store_from(settings) as store:
        if graph_stats(store).nodes["Organisation"] == 0:
            report = run_ingest(store, [SAMPLE_DIR])
            written = sum(f.rows_written for f in report.files)
            err.print(f"loaded the sample data: {written} rows from {SAMPLE_DIR}", highlight=False)
    if settings.api_key is None:
        key = secrets.token_urlsafe(24)
        settings = settings.model_copy(update={"api_key": SecretStr(key)})
        err.print(f"API key for writes in this demo (POST /ingest): {key}", highlight=False)
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
