"""The administrator's audit trail page in Chromium, in Welsh and in English: its results and
its error summary, with nothing axe objects to."""

import pytest
from playwright.sync_api import expect

from app.audit.services import record_access
from tests.browser.steps import sign_in, violations


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_audit_trail_page_passes_axe(live_server, page, world, session, language):
    record_access(session, world.worker, "read", "children", world.child.id)
    record_access(session, world.worker, "sync-create", "interviews", None)
    session.commit()
    # The worker's events (the admin's own signing in is in the trail too).
    page.goto(f"{live_server}/admin/audit?lang={language}&person={world.worker.id}")
    sign_in(page, world.admin)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("table.audit-events tbody tr")).to_have_count(2)
    assert violations(page) == []

    page.locator("#date_from").fill("2026-05-02")
    page.locator("#date_to").fill("2026-05-01")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#date_to")).to_have_attribute("aria-invalid", "true")
    assert violations(page) == []
