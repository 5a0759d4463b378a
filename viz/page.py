"""A view as one HTML page, with every asset served by the API or inlined: never a CDN.

pyvis's own template loads vis-network, Bootstrap and tom-select from CDNs (even with
``cdn_resources="local"`` or ``"in_line"``), so pages are rendered from our template
(``viz/templates/view.html.j2``). vis-network's files are the ones pyvis ships in its package
(``pyvis/lib/vis-9.1.2``); our script and style are in ``viz/assets``. A page either links
the assets (``/viz/assets/NAME``, served by the API) or inlines them, for a file that works
offline on its own.

Example
-------
>>> view = View(title="empty", nodes=[], edges=[])
>>> "<script>" in render_page(view, inline=True)
True
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from graph.errors import NotFound
from viz.network import View

#: The vis-network build shipped inside pyvis that the pages use.
VIS_VERSION = "9.1.2"

#: The assets a page needs, by the name under which the API serves them.
ASSET_TYPES = {
    "vis-network.min.js": "text/javascript; charset=utf-8",
    "vis-network.min.css": "text/css; charset=utf-8",
    "view.js": "text/javascript; charset=utf-8",
    "view.css": "text/css; charset=utf-8",
}
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)
_SOURCE_MAP = re.compile(r"\n?/[/*]# sourceMappingURL=[^\n]*")


def _source(name: str) -> Path:
    vis = Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"
    return {
        "vis-network.min.js": vis / "vis-network.min.js",
        "vis-network.min.css": vis / "vis-network.css",
    }.get(name) or Path(__file__).parent / "assets" / name


@cache
def asset(name: str) -> tuple[str, str]:
    """The text and media type of an asset; :class:`NotFound` for any other name.

    Source-map comments are removed: they would make a browser's developer tools ask
    for a file that does not exist.
    """
    if name not in ASSET_TYPES:
        raise NotFound("asset", name)
    text = _source(name).read_text(encoding="utf-8")
    return _SOURCE_MAP.sub("", text), ASSET_TYPES[name]


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("viz", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _script_json(value: Any) -> Markup:
    """JSON safe inside a ``<script>`` element (no ``</script>`` or ``<!--`` can occur)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _inline(name: str) -> Markup:
    text, _ = asset(name)
    # Only "</script" could end the element early; inside JS it occurs in strings or regular
    # expressions, where "<\/script" means the same. (Replacing every "</" would break code
    # such as ``a</b/.x``.)
    return Markup(_SCRIPT_END.sub(r"<\\/\1", text) if name.endswith(".js") else text)


def render_page(
    view: View, *, inline: bool, asset_url: str = "/viz/assets", api_url: str = ""
) -> str:
    """The view as a complete HTML page.

    Parameters
    ----------
    view : what to draw.
    inline : put every asset inside the page (a self-contained file) instead of linking
        ``{asset_url}/NAME``.
    asset_url : where the API serves the assets (linked pages only).
    api_url : prefix of the links to entities' API pages (empty: relative to the host
        that serves the page).
    """
    data = {
        "nodes": view.nodes,
        "edges": view.edges,
        "filters": view.filters(),
        "apiUrl": api_url.rstrip("/"),
    }
    template = _environment().get_template("view.html.j2")
    return template.render(
        view=view,
        data=_script_json(data),
        inline=inline,
        asset_url=asset_url.rstrip("/"),
        assets={name: _inline(name) for name in ASSET_TYPES} if inline else {},
        filters=data["filters"],
        api_url=data["apiUrl"],
    )
