"""List pages served from the list index of the revision: the store's answers, kept current."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import schemas
from graph.schema import NODE_MODELS, NodeKind
from queries.entities import list_entities
from queries.list_index import ListIndex
from tests.conftest import TINY

MakeClient = Callable[..., TestClient]
KEY = "write-key-for-tests"

#: (path, kind, query parameters, the filters they stand for)
REQUESTS: list[tuple[str, NodeKind, dict[str, Any], dict[str, Any]]] = [
    ("/training-offers", NodeKind.TRAINING_OFFER, {"country": "DE", "competence": "c-hv-safety"},
     {"country": "DE", "competence": "c-hv-safety"}),
    ("/training-offers", NodeKind.TRAINING_OFFER, {"eqf_level": 4, "mode": "online", "limit": 7},
     {"eqf_level": 4, "mode": "online"}),
    ("/training-offers", NodeKind.TRAINING_OFFER, {"q": "Battery", "limit": 5, "offset": 3}, {}),
    ("/training-offers", NodeKind.TRAINING_OFFER, {"provider": "m-026", "language": "en"},
     {"provider": "m-026", "language": "en"}),
    ("/organisations", NodeKind.ORGANISATION, {"member": "true", "country": "DE"},
     {"member": True, "country": "DE"}),
    ("/organisations", NodeKind.ORGANISATION, {"competence": "c-h2-refuelling", "type": "supplier"},
     {"competence": "c-h2-refuelling", "type": "supplier"}),
    ("/projects", NodeKind.PROJECT, {"active_on": "2025-06-01", "limit": 1000},
     {"active_on": "2025-06-01"}),
    ("/projects", NodeKind.PROJECT, {"country": "DE", "offset": 2}, {"country": "DE"}),
    ("/competences", NodeKind.COMPETENCE, {"q": "battery"}, {}),
    ("/priorities", NodeKind.PRIORITY, {"kind": "blocker"}, {"kind": "blocker"}),
]  # fmt: skip


def _page_of(kind: NodeKind, rows: list[dict[str, Any]], total: int) -> Any:
    """The JSON the route's response model makes of a page."""
    page = schemas.Page[NODE_MODELS[kind]]  # type: ignore[name-defined]
    return page.model_validate({"data": rows, "count": total}).model_dump(mode="json")


def _index(client: TestClient, kind: NodeKind) -> Any:
    cache = client.app.state.cache  # type: ignore[attr-defined]
    return cache.peek(("list-index", kind, cache.revision()))


@pytest.mark.parametrize(("path", "kind", "params", "filters"), REQUESTS)
def test_list_pages_answer_as_the_store_queries(
    client: TestClient,
    path: str,
    kind: NodeKind,
    params: dict[str, Any],
    filters: dict[str, Any],
) -> None:
    body = client.get(path, params=params).json()
    assert isinstance(_index(client, kind), ListIndex)  # the page came from the index
    store = client.app.state.store  # type: ignore[attr-defined]
    rows, total = list_entities(store, kind, limit=params.get("limit", 50),
                                offset=params.get("offset", 0), filters=filters, q=params.get("q"))  # fmt: skip
    assert body == _page_of(kind, rows, total) and total > 0


def _upload(*files: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (f.name, f.read_bytes(), "text/csv")) for f in files]


def _ids(client: TestClient, path: str, **params: Any) -> list[str]:
    body = client.get(path, params=params).json()
    assert body["count"] == len(body["data"])
    return [row["id"] for row in body["data"]]


def test_a_write_makes_the_index_stale(make_client: MakeClient, tmp_path: Path) -> None:
    more = tmp_path / "members.csv"
    more.write_text(
        "id,name,type,country,city,website,expertise,needs,joined\n"
        "m-4,Rheinland Batterie AG,supplier,DE,Köln,,c-hv,,2025-01-01\n",
        encoding="utf-8",
    )
    with make_client(api_key=KEY) as client:
        headers = {"X-API-Key": KEY}
        first = client.post("/ingest", files=_upload(TINY / "competences.csv", TINY / "members.csv"),
                            headers=headers)  # fmt: skip
        assert first.status_code == 200, first.text
        assert _ids(client, "/organisations", country="DE") == ["m-1"]
        assert _ids(client, "/organisations", competence="c-hv") == ["m-1", "m-2"]  # needs, has
        assert _ids(client, "/organisations", q="batterie") == []
        read_before = _index(client, NodeKind.ORGANISATION)
        assert isinstance(read_before, ListIndex)

        second = client.post("/ingest", files=_upload(more), headers=headers)
        assert second.status_code == 200, second.text
        assert _ids(client, "/organisations", country="DE") == ["m-1", "m-4"]
        assert _ids(client, "/organisations", competence="c-hv") == ["m-1", "m-2", "m-4"]
        assert _ids(client, "/organisations", q="batterie") == ["m-4"]
        last = client.get("/organisations", params={"limit": 2, "offset": 2}).json()
        assert [row["id"] for row in last["data"]] == ["m-3", "m-4"] and last["count"] == 4
        read_after = _index(client, NodeKind.ORGANISATION)
        assert isinstance(read_after, ListIndex) and read_after is not read_before


def test_kinds_over_the_bound_are_listed_by_the_store(make_client: MakeClient) -> None:
    requests = [
        ("/organisations", {"country": "DE"}),
        ("/organisations", {"q": "BRNO", "limit": 1}),
        ("/training-offers", {"country": "PT", "language": "en"}),
        ("/training-offers", {"offset": 1}),
        ("/competences", {"group": "batteries", "lang": "en"}),
        ("/projects", {"active_on": "2025-06-01"}),
    ]
    answers = []
    for bound in (100, 1, 0):
        with make_client(api_key=KEY, list_index_entities=bound) as client:
            if bound == 100:
                files = sorted(TINY.glob("*.csv"))
                posted = client.post("/ingest", files=_upload(*files), headers={"X-API-Key": KEY})
                assert posted.status_code == 200, posted.text
            answers.append([client.get(path, params=params).json() for path, params in requests])
            indexed = _index(client, NodeKind.ORGANISATION)
            assert isinstance(indexed, ListIndex) if bound == 100 else indexed is None
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0]["count"] == 1 and answers[0][2]["count"] == 2
