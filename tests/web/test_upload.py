"""A coordinator uploads a spreadsheet with a bad row and reads that row's line and problems."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.web.conftest import WRITE_KEY, Tab

pytestmark = pytest.mark.browser

MEMBERS = (
    "id,name,type,country,city\n"
    "x-100,Upload Test Works,supplier,DE,Berlin\n"
    "x-101,,nonsense,ZZ,Paris\n"  # line 3: no name, an unknown type and an unknown country
)


def test_upload_with_a_bad_row_shows_its_line_and_every_problem(tab: Tab, tmp_path: Path) -> None:
    sheet = tmp_path / "members.csv"
    sheet.write_text(MEMBERS, encoding="utf-8")
    page = tab.page
    tab.goto("/app/upload")
    page.wait_for_url("**/app/sign-in?next=/app/upload")
    page.fill("#name", "Uma Uploader")
    page.fill("#key", WRITE_KEY)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/app/upload")
    page.set_input_files("#files", str(sheet))
    page.click("button:has-text('Upload and ingest')")
    page.wait_for_selector("#files-report")
    summary = page.locator("#files-report tbody tr").first.inner_text()
    assert "members.csv" in summary and "\t1\t" in summary  # one written, one rejected
    rows = [r.split("\t") for r in page.locator("#problems tbody tr").all_inner_texts()]
    assert rows and all(r[0] == "members.csv" and r[1] == "3" for r in rows)
    # every problem the ingest found on the row is listed, each with its column
    expected = httpx.post(tab.server + "/ingest", files={"files": ("members.csv", MEMBERS)},
                          headers={"X-API-Key": WRITE_KEY}).json()  # fmt: skip
    reasons = [(r["column"] or "", r["reason"]) for r in expected["files"][0]["rejected"]]
    assert sorted((r[2], r[3]) for r in rows) == sorted(reasons)
    assert "country" in {r[2] for r in rows} or "type" in {r[2] for r in rows}
    tab.check("upload")
    # the upload's written row is in the graph
    tab.goto("/app/organisations?q=Upload+Test+Works")
    assert "1 organisation" in page.locator("#org-count").inner_text()
