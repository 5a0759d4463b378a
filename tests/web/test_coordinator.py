"""A coordinator signs in, triages a duplicate cluster, and finds the decision in the report."""

from __future__ import annotations

import httpx
import pytest

from tests.web.conftest import WRITE_KEY, Tab

pytestmark = pytest.mark.browser


def test_coordinator_signs_in_triages_a_duplicate_and_the_report_shows_it(tab: Tab) -> None:
    page = tab.page
    tab.goto("/app/duplicates")
    open_before = page.locator("section.cluster").count()
    assert open_before >= 1
    assert page.locator("form.decide").count() == 0  # nothing to submit before signing in
    page.get_by_role("link", name="Sign in to triage").click()
    page.fill("#name", "Cora Coordinator")
    page.fill("#key", "not-the-key")
    page.click("button:has-text('Sign in')")
    assert "not the write key" in page.locator("#sign-in-error").inner_text()
    assert [e for e in tab.errors if "403" not in e] == []  # the refused sign-in itself
    tab.errors.clear()
    tab.check("sign-in")
    page.fill("#name", "Cora Coordinator")
    page.fill("#key", WRITE_KEY)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/app/duplicates")
    cookie = next(c for c in page.context.cookies() if c["name"] == "skillgraph_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    first = page.locator("section.cluster").first
    key = first.get_attribute("data-key")
    assert first.locator("mark").count() >= 1  # shared words are highlighted
    tab.check("duplicates")
    first.locator("input[name=note]").fill("different target groups")
    first.get_by_role("button", name="Not a duplicate").click()
    page.wait_for_url("**/app/duplicates?decided=*")
    assert page.locator(f"section.cluster[data-key='{key}']").count() == 0
    decided = page.locator(f"#decided-table tr[data-key='{key}']")
    assert "Not a duplicate by Cora Coordinator" in decided.inner_text()
    assert page.locator("section.cluster").count() == open_before - 1 or open_before > 20
    tab.check()
    page.get_by_role("link", name="Report", exact=True).click()
    report = page.locator("article.report").inner_text()
    assert "Decided: not a duplicate by Cora Coordinator" in report
    assert "different target groups" in report
    assert "Made on" in report and "sources" in report
    tab.check("report")
    markdown = httpx.get(tab.server + "/app/report.md").text
    assert "**Decided: not a duplicate** by Cora Coordinator" in markdown


def test_a_form_without_its_csrf_token_is_refused(tab: Tab) -> None:
    response = httpx.post(tab.server + "/app/sign-in",
                          data={"name": "x", "key": WRITE_KEY, "csrf": "forged"})  # fmt: skip
    assert response.status_code == 403
    assert "skillgraph_session" not in response.cookies
    decision = httpx.post(tab.server + "/app/duplicates/decisions",
                          data={"kind": "project", "ids": ["a", "b"], "status": "dismissed"})  # fmt: skip
    assert decision.status_code == 403
