"""One ingest call: read every file, validate, resolve references across files, write.

References are resolved after all files of the call are read, so their order does not
matter. Each file is then written in its own transaction: an error half way through a
file leaves the store as it was before that file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from graph.collector import collector_paused
from graph.errors import SkillGraphError
from graph.schema import NodeKind
from graph.store import Store
from ingest.kinds import FileKind
from ingest.linking import Batch, Resolver, finish_organisations, resolve_poll, resolve_records
from ingest.reading import ParsedFile, expand, read_file
from ingest.report import FileReport, IngestReport
from ingest.review import ReviewBook
from ingest.sources import SourceFormat, SourceOptions
from ingest.tables import DEFAULT_LIMITS, ReadLimits
from ingest.writing import stated_rows, write_file

Progress = Callable[[str, int, int], None]


# Reading, resolving and writing a file make a few containers per cell and keep them all.
@collector_paused()
def ingest(
    store: Store,
    paths: Sequence[Path],
    *,
    kind: FileKind | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    source: SourceFormat | None = None,
    options: SourceOptions | None = None,
    review_file: Path | None = None,
    names: Mapping[Path, str] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> IngestReport:
    """Ingest files and folders into the store and report on every file.

    ``source`` names the published format of every file (otherwise it is detected from
    each file's header); ``options`` carries the CORDIS filters and the poll mapping;
    ``review_file`` is where questions for a person wait and their answers are kept;
    ``names`` gives files stored under other names (uploads) the name they are known by,
    which says their kind and names them in the report; ``limits`` bound what reading one
    file may cost. A file whose rows were all rejected writes nothing, not even its source.

    Raises :class:`~graph.errors.InputError` only for a path that does not exist or an
    unreadable review file; every problem inside a file is reported in its
    :class:`FileReport`.
    """
    from ingest import esco_map

    review = ReviewBook.open(review_file)
    files, passed_over = expand(paths, kind, source, options, limits)
    report = IngestReport(review_file=str(review_file) if review_file else None)
    report.files.extend(passed_over)
    parsed_files: list[ParsedFile] = []
    for path in files:
        name = names.get(path) if names else None
        outcome = read_file(
            path, kind, encoding, source=source, options=options, name=name, limits=limits
        )
        if isinstance(outcome, FileReport):
            report.files.append(outcome)
        else:
            report.files.append(outcome.report)
            if _all_rejected(outcome):
                outcome.report.notice = "; ".join(
                    filter(None, [outcome.report.notice, "every row was rejected: nothing written"])
                )
            elif outcome.report.error is None:
                # The records hold what the cells said: one copy of the rows is enough.
                outcome.table.rows = []
                parsed_files.append(outcome)
    resolver = Resolver(store, parsed_files, review)
    ordered = sorted(parsed_files, key=lambda p: p.plan.rank)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for done, parsed in enumerate(ordered, start=1):
        source_id = "src-" + parsed.sha256[:16]
        batch = Batch()
        if parsed.plan.poll:
            resolve_poll(parsed, resolver, source_id, batch)
            written = len(parsed.answers)
        else:
            resolve_records(parsed, resolver, source_id, batch)
            finish_organisations(resolver, batch)
            written = batch.written
        source_row = {
            "id": source_id, "file": parsed.name, "sha256": parsed.sha256,
            "kind": parsed.plan.name, "ingested_at": now, "rows": written,
            "unclassified": len(parsed.report.unclassified_answers) if parsed.answers else None,
            "fingerprint": parsed.sha256,
        }  # fmt: skip
        try:
            with store.transaction(parsed.report.file, rows=stated_rows(batch)) as tx:
                write_file(tx, parsed, batch, source_row)
        except SkillGraphError as error:
            parsed.report.error = f"could not be written, nothing of it was: {error}"
        except RuntimeError as error:  # the engine refused a statement
            parsed.report.error = (
                f"could not be written, nothing of it was: {str(error).splitlines()[0]}"
            )
        else:
            parsed.report.rows_written = written
        if progress:
            progress(str(parsed.path), done, len(ordered))
    catalogue_touched = any(
        p.plan.node is NodeKind.COMPETENCE and any(r.subject is None for r in p.records)
        for p in parsed_files
    )
    report.esco_linked = esco_map.link(store, review, suggest_new=catalogue_touched)
    review.save()
    report.review_pending = len(review.state.pending)
    return report


def _all_rejected(parsed: ParsedFile) -> bool:
    """Whether a file had rows and every one of them was rejected."""
    return parsed.report.rows_rejected > 0 and not parsed.records and not parsed.answers
