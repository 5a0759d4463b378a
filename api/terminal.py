"""What every ``skillgraph`` command shares: the consoles, one-line errors, the store."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from api.settings import Settings
from api.stores import open_store
from graph.errors import SkillGraphError
from graph.store import Store

if TYPE_CHECKING:
    import networkx as nx

#: Control characters but tab and line feed: an escape sequence in a name would steer the
#: terminal (colours, cursor, title), a carriage return overwrite the line.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with its control characters written out (``\\x1b``)."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


class _PlainConsole(Console):
    """A console that prints every string as it is, its control characters made visible."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(visible(text), **kwargs)


# Text from files and from the graph is printed as it is: never read as markup (where
# ``[/bold]`` raises), as emoji codes (``:100:``) or highlighted. Styles go through
# :func:`styled`, which never parses its text.
out = _PlainConsole(soft_wrap=True, markup=False, emoji=False, highlight=False)
err = _PlainConsole(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line of plain parts and ``(text, style)`` parts, none of them read as markup."""
    return Text.assemble(
        *(visible(p) if isinstance(p, str) else (visible(p[0]), p[1]) for p in parts)
    )


F = TypeVar("F", bound=Callable[..., Any])


def friendly(command: F) -> F:
    """Turn the project's errors into one line on stderr and their exit status."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SkillGraphError as error:
            err.print(styled(("error:", "red"), " ", " ".join(str(error).split())))
            raise typer.Exit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def store_from(settings: Settings) -> Iterator[Store]:
    """The configured store, closed on exit; what it says on opening is printed first.

    Only the command's thread uses it (``exclusive``).
    """
    store = open_store(settings, exclusive=True)
    for notice in store.notices:
        err.print(f"warning: {notice}", markup=False, highlight=False, emoji=False)
    try:
        yield store
    finally:
        store.close()


def load_projection(settings: Settings) -> nx.MultiDiGraph:
    """The NetworkX projection of the configured store (the store is closed again)."""
    from queries.projection import project  # NetworkX: only the commands that analyse

    with store_from(settings) as store:
        return project(store)
