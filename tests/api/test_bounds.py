"""Resource bounds of the HTTP side: bodies, forms, uploads' names, the caches."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message

from api.app import create_app
from api.response_cache import ResponseCache
from api.settings import Settings
from tests.conftest import TINY
from tests.live_server import live_server

KEY = "write-key-for-tests"
BOUNDARY = "bound4ry"
MEMBERS_HEADER = b"id,name,type,country\n"


def _client(tmp_path: Path, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path / "graph", api_key=KEY, **settings)))


class OfferedBody:
    """A multipart upload offered to the app chunk by chunk, counting what it took."""

    def __init__(self, size: int, *, chunk: int = 64 * 1024) -> None:
        self.size = size
        self.chunk = chunk
        self.taken = 0
        self._prefix = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
            'filename="members.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode() + MEMBERS_HEADER

    async def receive(self) -> Message:
        if self.taken >= self.size:
            return {"type": "http.disconnect"}
        part = self._prefix if self.taken == 0 else b"m-1,A,oem,DE\n" * (self.chunk // 13)
        part = part[: self.size - self.taken]
        self.taken += len(part)
        return {"type": "http.request", "body": part, "more_body": self.taken < self.size}


def _post(
    client: TestClient, path: str, body: OfferedBody, headers: dict[str, str]
) -> tuple[int, bytes]:
    """Send one request straight to the app (no client library reading the body first)."""
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    content_type = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
        "headers": [(k.encode(), v.encode()) for k, v in {**content_type, **headers}.items()],
    }  # fmt: skip
    assert client.portal is not None
    client.portal.call(client.app, scope, body.receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent[1:])


def _counts(client: TestClient) -> dict[str, int]:
    return client.get("/stats").json()["nodes"]


# -- the key before the body ------------------------------------------------------------


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_400_mb_upload_without_the_key_is_refused_before_a_byte_is_read(
    tmp_path: Path, declared: bool
) -> None:
    body = OfferedBody(400 * 1024 * 1024)
    headers = {"content-length": str(body.size)} if declared else {}
    with _client(tmp_path, max_upload_mb=500) as client:
        status, answer = _post(client, "/ingest", body, headers)
    assert status == 401 and b'"key_required"' in answer
    assert body.taken == 0


def test_a_wrong_key_is_refused_before_the_body_too(tmp_path: Path) -> None:
    body = OfferedBody(10 * 1024 * 1024)
    with _client(tmp_path) as client:
        status, answer = _post(client, "/ingest", body, {"x-api-key": "wrong"})
    assert status == 403 and b'"key_refused"' in answer and body.taken == 0


def test_the_upload_page_refuses_a_visitor_without_a_session_before_the_body(
    tmp_path: Path,
) -> None:
    body = OfferedBody(100 * 1024 * 1024)
    with _client(tmp_path, max_upload_mb=500) as client:
        status, _ = _post(client, "/app/upload", body, {"content-length": str(body.size)})
    assert status == 401 and body.taken == 0


def test_with_the_key_the_same_way_of_sending_reads_the_whole_body(tmp_path: Path) -> None:
    # The counting above can see a read: an authorised upload is taken in full.
    body = OfferedBody(200 * 1024)
    with _client(tmp_path) as client:
        _post(client, "/ingest", body, {"x-api-key": KEY})
    assert body.taken == body.size


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    """A real uvicorn server on a free port, serving the app; yields the port."""
    with live_server(Settings(data_dir=tmp_path / "graph", api_key=KEY)) as port:
        yield port


def test_a_real_server_answers_401_without_asking_for_the_body(server: int) -> None:
    request = (
        "POST /ingest HTTP/1.1\r\nHost: localhost\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {400 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        connection.sendall(request.encode())
        answer = b""
        while b"\r\n\r\n" not in answer or b"}" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 401"), answer[:80]
    assert b"100 Continue" not in answer and b"key_required" in answer


# -- bodies bounded while they stream -----------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "most_taken"),
    [
        ({"content-length": str(2 * 1024 * 1024)}, 0),  # declared over the limit
        ({}, 1024 * 1024 + 64 * 1024),  # chunked: cut at the first chunk past the limit
        ({"content-length": "1000"}, 1024 * 1024 + 64 * 1024),  # says less than it sends
    ],
    ids=["declared", "chunked", "lying"],
)
def test_an_upload_over_the_limit_is_a_413_however_it_is_sent(
    tmp_path: Path, headers: dict[str, str], most_taken: int
) -> None:
    body = OfferedBody(50 * 1024 * 1024)
    with _client(tmp_path, max_upload_mb=1) as client:
        status, answer = _post(client, "/ingest", body, {"x-api-key": KEY, **headers})
        assert _counts(client)["Organisation"] == 0
    assert status == 413 and b'"too_large"' in answer and b"SKILLGRAPH_MAX_UPLOAD_MB" in answer
    assert body.taken <= most_taken


def test_other_routes_have_their_own_smaller_body_limit(tmp_path: Path) -> None:
    with _client(tmp_path, max_body_kb=4) as client:
        big = client.post("/cypher", json={"query": "RETURN 1 AS x", "params": {"p": "x" * 8000}})
        small = client.post("/cypher", json={"query": "RETURN 1 AS x"})
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    assert "SKILLGRAPH_MAX_BODY_KB" in big.json()["error"]["message"]
    assert small.status_code == 200


def test_the_form_is_bounded_in_files_fields_and_field_size(tmp_path: Path) -> None:
    one = (TINY / "competences.csv").read_bytes()
    key = {"X-API-Key": KEY}
    with _client(tmp_path, max_upload_files=2, max_form_fields=3, max_form_field_kb=1) as client:
        files = [("files", (f"competences-{i}.csv", one, "text/csv")) for i in range(3)]
        too_many_files = client.post("/ingest", files=files, headers=key)
        upload = [("files", ("competences.csv", one, "text/csv"))]
        fields = {"keyword": [f"k{i}" for i in range(4)]}
        too_many_fields = client.post("/ingest", files=upload, data=fields, headers=key)
        long_field = client.post("/ingest", files=upload, data={"keyword": "k" * 2000}, headers=key)
        assert _counts(client)["Competence"] == 0
    for response in (too_many_files, too_many_fields, long_field):
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "bad_request"
    assert "files" in too_many_files.json()["error"]["message"]
    assert "fields" in too_many_fields.json()["error"]["message"]


# -- uploads' names ---------------------------------------------------------------------


def _members(*ids: str) -> bytes:
    return MEMBERS_HEADER + b"".join(f"{i},Org {i},oem,DE\n".encode() for i in ids)


def _ingest(client: TestClient, files: list[tuple[str, bytes]], **data: str) -> Any:
    parts = [("files", (name, content, "text/csv")) for name, content in files]
    return client.post("/ingest", files=parts, data=data, headers={"X-API-Key": KEY})


def test_uploads_sharing_a_name_or_its_numbered_form_all_land(tmp_path: Path) -> None:
    files = [
        ("3-members.csv", _members("m-1", "m-2")),
        ("members.csv", _members("m-3")),
        ("members.csv", _members("m-4", "m-5")),
    ]
    with _client(tmp_path) as client:
        report = _ingest(client, files).json()
        ids = client.post(
            "/cypher", json={"query": "MATCH (o:Organisation) RETURN o.id AS id ORDER BY id"}
        ).json()["rows"]
    assert [(f["file"], f["kind"], f["rows_written"]) for f in report["files"]] == [
        ("3-members.csv", "members", 2),
        ("members.csv", "members", 1),
        ("members.csv", "members", 2),
    ]
    assert [row["id"] for row in ids] == ["m-1", "m-2", "m-3", "m-4", "m-5"]


@pytest.mark.parametrize(
    "name",
    [
        "members-" + "x" * 292 + ".csv",  # 300 characters: longer than a file system takes
        "../../etc/members.csv",
        "..\\..\\windows\\members.csv",
        "Mitglieder ü 会员 members 🚗.csv",
        "members\u202e.csv",  # a right-to-left override
        ".members.csv",
        "members; filename=x.csv",
    ],
    ids=["300-chars", "traversal", "backslashes", "unicode", "rtl", "dotfile", "parameter"],
)
def test_any_file_name_is_stored_safely_and_reported_as_sent(tmp_path: Path, name: str) -> None:
    with _client(tmp_path) as client:
        response = _ingest(client, [(name, _members("m-1"))], format="csv")
        report = response.json()
        sources = client.get("/stats").json()["sources"]
    assert response.status_code == 200, response.text
    assert [(f["file"], f["kind"], f["rows_written"]) for f in report["files"]] == [
        (name, "members", 1)
    ]
    assert "/tmp" not in response.text and str(tmp_path) not in response.text
    assert len(sources) == 1 and "members" in sources[0]["file"]


def _post_raw_name(client: TestClient, raw: bytes, **fields: str) -> Any:
    """Upload one file whose name is sent as these exact bytes."""
    body = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    body += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="'.encode()
        + raw
        + b'"\r\nContent-Type: text/csv\r\n\r\n'
        + _members("m-1")
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    headers = {"X-API-Key": KEY, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    return client.post("/ingest", content=body, headers=headers)


def test_a_nul_does_not_cut_a_name_short_of_its_suffix(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        response = _post_raw_name(client, b"members.csv\x00.exe")
    assert response.status_code == 415
    assert response.json()["error"]["message"].startswith("members.csv\x00.exe:")


@pytest.mark.parametrize(
    "raw",
    [b"members\x00.csv", b"members\x07\x1b[31m.csv", b"members \xff\xfe.csv"],
    ids=["nul", "control", "not-utf8"],
)
def test_names_a_client_library_would_not_send_are_safe_too(tmp_path: Path, raw: bytes) -> None:
    with _client(tmp_path) as client:
        response = _post_raw_name(client, raw)
        assert _counts(client)["Organisation"] == 1
    assert response.status_code == 200, response.text
    (file,) = response.json()["files"]
    assert file["rows_written"] == 1 and file["file"].startswith("mem")


def test_a_rejected_row_is_located_in_the_file_as_named(tmp_path: Path) -> None:
    name = "Ω members " + "y" * 290 + ".csv"
    with _client(tmp_path) as client:
        report = _ingest(client, [(name, _members("m-1") + b"m-2,B,oem,ZZ\n")]).json()
    (file,) = report["files"]
    assert file["file"] == name and file["rows_written"] == 1
    assert [r["location"] for r in file["rejected"]] == [f"{name}:3"]


def test_the_kind_still_comes_from_the_name_sent(tmp_path: Path) -> None:
    competences = (TINY / "competences.csv").read_bytes()
    offers = (TINY / "training_offers.csv").read_bytes()
    members = (TINY / "members.csv").read_bytes()
    with _client(tmp_path) as client:
        report = _ingest(
            client,
            [("our skills.csv", competences), ("Members 2026.csv", members),
             ("../course catalogue.csv", offers), ("notes.csv", members)],
        ).json()  # fmt: skip
    kinds = {f["file"]: (f["kind"], f["error"]) for f in report["files"]}
    assert kinds["our skills.csv"] == ("competences", None)
    assert kinds["Members 2026.csv"] == ("members", None)
    assert kinds["../course catalogue.csv"][0] == "training_offers"
    assert kinds["notes.csv"][0] is None and "kind is not clear" in kinds["notes.csv"][1]


def test_an_upload_without_a_name_is_read_when_the_form_says_what_it_is(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        response = _post_raw_name(client, b"", format="csv", kind="members")
        unnamed = _post_raw_name(client, b"")
    assert response.status_code == 200, response.text
    assert [(f["file"], f["rows_written"]) for f in response.json()["files"]] == [("upload 1", 1)]
    assert unnamed.status_code == 415 and unnamed.json()["error"]["code"] == "unsupported_type"


def test_a_name_longer_than_is_kept_is_refused_naming_the_file(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        response = _ingest(client, [("members.csv", _members("m-1")), ("m" * 2000 + ".csv", b"x")])
        assert _counts(client)["Organisation"] == 0
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "name_too_long" and error["message"].startswith("file 2:")


# -- the caches -------------------------------------------------------------------------


def _response_cache(app: Any) -> ResponseCache:
    layer = app.middleware_stack
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path, response_cache_mb=0.25) as client:
        files = ("competences.csv", "priorities.csv", "members.csv", "projects.csv")
        _ingest(client, [(name, (TINY / name).read_bytes()) for name in files])
        yield client


def test_1500_distinct_reads_keep_the_response_cache_under_its_byte_bound(
    sample: TestClient,
) -> None:
    for offset in range(1500):
        assert sample.get(f"/organisations?limit=1000&offset={offset}").status_code == 200
    cache = _response_cache(sample.app)
    assert 0 < cache.stored_bytes <= 0.25 * 1024 * 1024
    kept = cache.keys()
    assert 50 < len(kept) < 1500
    # Least recently used first: the last reads are kept, the first ones went.
    assert kept[-1] == ("/organisations", b"limit=1000&offset=1499", False)
    assert ("/organisations", b"limit=1000&offset=0", False) not in kept


def test_unknown_query_parameters_share_one_entry(sample: TestClient) -> None:
    first = sample.get("/organisations?type=oem").json()
    for n in range(1500):
        assert sample.get(f"/organisations?type=oem&junk{n}={n}&utm={n}").json() == first
    assert _response_cache(sample.app).keys() == [("/organisations", b"type=oem", False)]


def test_parameters_in_another_order_share_one_entry(sample: TestClient) -> None:
    sample.get("/organisations?type=oem&limit=5")
    sample.get("/organisations?limit=5&type=oem&x=1")
    assert len(_response_cache(sample.app).keys()) == 1


def test_a_recently_read_answer_outlives_older_ones(tmp_path: Path) -> None:
    with _client(tmp_path, response_cache_mb=0.05) as client:
        client.get("/organisations?offset=0")
        for offset in range(1, 200):
            client.get(f"/organisations?offset={offset}")
            client.get("/organisations?offset=0")  # read again: moves to the end
        kept = _response_cache(client.app).keys()
    assert ("/organisations", b"offset=0", False) in kept
    assert ("/organisations", b"offset=1", False) not in kept


def test_a_zero_byte_cache_keeps_nothing_and_still_answers(tmp_path: Path) -> None:
    with _client(tmp_path, response_cache_mb=0) as client:
        assert client.get("/organisations").status_code == 200
        assert _response_cache(client.app).keys() == []


def test_analyses_with_ever_new_parameters_keep_a_bounded_number_of_results(
    tmp_path: Path,
) -> None:
    with _client(tmp_path, analysis_cache_entries=8, response_cache_mb=0) as client:
        for n in range(60):
            response = client.get(f"/analysis/duplicates?min_score={0.5 + n / 1000}")
            assert response.status_code == 200
        assert len(client.app.state.cache) == 8  # type: ignore[attr-defined]


def test_the_upload_limit_holds_behind_a_proxy_prefix(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "graph", api_key=KEY, max_body_kb=4))
    members = _members(*[f"m-{n}" for n in range(2000)])  # 47 KB: over 4 KB, under 50 MB
    with TestClient(app, root_path="/skillgraph") as client:
        upload = [("files", ("members.csv", members, "text/csv"))]
        response = client.post("/skillgraph/ingest", files=upload, headers={"X-API-Key": KEY})
        cypher = client.post("/skillgraph/cypher", json={"query": "RETURN 1 AS x " + " " * 5000})
    assert response.status_code == 200 and response.json()["files"][0]["rows_written"] == 2000
    assert cypher.status_code == 413
