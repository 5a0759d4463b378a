"""What every ``skillgraph`` command shares: the consoles, one-line errors, the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import networkx as nx
import typer
from rich.console import Console
from rich.markup import escape

from api.settings import Settings
from api.stores import open_store
from graph.errors import SkillGraphError
from graph.store import Store
from queries.projection import project

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
            err.print(f"[red]error:[/red] {one_line}", highlight=False)
            raise typer.Exit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def store_from(settings: Settings) -> Iterator[Store]:
    """The configured store, closed on exit; what it says on opening is printed first."""
    store = open_store(settings)
    for notice in store.notices:
        err.print(f"warning: {notice}", markup=False, highlight=False, emoji=False)
    try:
        yield store
    finally:
        store.close()


def load_projection(settings: Settings) -> nx.MultiDiGraph:
    """The NetworkX projection of the configured store (the store is closed again)."""
    with store_from(settings) as store:
        return project(store)
