"""``skillgraph export PATH`` and ``skillgraph import PATH``: a graph moves between stores.

The file holds the whole graph (:mod:`graph.transfer`) and the review file's decisions, so a
partnership that starts on the embedded store moves to its Neo4j server (or back) without
re-reading its sources.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from api.settings import get_settings
from api.stores import review_path
from api.terminal import friendly, out, store_from
from graph.errors import InputError, StoreUnavailable
from graph.transfer import dump_graph, load_graph


@friendly
def export(
    path: Annotated[Path, typer.Argument(help="The JSON file to write.")],
) -> None:
    """Write the configured store's whole graph and its review decisions to a file."""
    settings = get_settings()
    with store_from(settings) as store:
        dump = dump_graph(store)
    review = review_path(settings)
    dump["review"] = _read_json(review) if review.is_file() else None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(dump, ensure_ascii=False), encoding="utf-8")
    except OSError as error:
        raise StoreUnavailable(f"cannot write {path}: {error.strerror or error}") from None
    nodes = sum(len(rows) for rows in dump["nodes"].values())
    edges = sum(len(group["rows"]) for group in dump["edges"])
    out.print(f"wrote {path} ({nodes} nodes, {edges} relationships)", highlight=False)


@friendly
def import_(
    path: Annotated[Path, typer.Argument(help="A file written by skillgraph export.")],
) -> None:
    """Load an exported graph and its review decisions into the configured (empty) store."""
    settings = get_settings()
    dump = _read_json(path)
    if not isinstance(dump, dict):
        raise InputError("not a graph export (expected a JSON object)", file=str(path))
    review = review_path(settings)
    if dump.get("review") is not None and review.is_file():
        raise InputError(
            f"{review} exists already; move it away to import decisions", file=str(path)
        )
    with store_from(settings) as store:
        written = load_graph(store, dump, origin=str(path))
    if dump.get("review") is not None:
        review.parent.mkdir(parents=True, exist_ok=True)
        review.write_text(
            json.dumps(dump["review"], ensure_ascii=False, indent=2), encoding="utf-8"
        )
    out.print(
        f"imported {written['nodes']} nodes and {written['relationships']} relationships "
        f"from {path}" + (f"; review decisions in {review}" if dump.get("review") else ""),
        highlight=False,
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("does not exist", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read it: {error}", file=str(path)) from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON at column {error.colno}: {error.msg}", file=str(path), line=error.lineno
        ) from None
