"""The annual report's page and the admin's page of a commissioner's areas in Chromium, in Welsh
and in English, with nothing axe objects to; and the report printed: no menus, no form, the
tables and charts kept."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from app.cases.models import MissingEpisode
from tests.browser.steps import sign_in, violations


@pytest.fixture
def incidents(session, world):
    """Cerys (Cardiff's) missing 6 times in March 2026, Dylan (no authority) twice."""
    for child, times in ((world.child, 6), (world.colleague_child, 2)):
        for day in range(times):
            session.add(MissingEpisode(organisation_id=child.organisation_id, child_id=child.id,
                                       reported_missing_at=datetime(2026, 3, 1 + day, 9,
                                                                    tzinfo=UTC)))
    session.commit()


def signed_in_at(page, address, person):
    page.goto(address)
    sign_in(page, person)
    page.goto(address)  # the sign-in leads back to the pages it knows; this one is asked again


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_report_page_in_both_languages_and_printed(live_server, page, world, incidents,
                                                        language):
    signed_in_at(page, f"{live_server}/reports/annual?year=2026&lang={language}", world.admin)
    expect(page.locator("#table-incidents-areas")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert violations(page) == []
    nav = page.locator("nav.site-nav").first
    expect(nav).to_be_visible()

    page.emulate_media(media="print")
    expect(nav).to_be_hidden()
    expect(page.locator(".report-form")).to_be_hidden()
    expect(page.locator("#table-incidents-areas")).to_be_visible()
    expect(page.locator("#chart-incidents-areas")).to_be_visible()
    page.emulate_media(media="screen")

    # As published, and a query it cannot read: still nothing axe objects to.
    page.goto(f"{live_server}/reports/annual?year=2026&published=1&lang={language}")
    expect(page.locator(".published-note")).to_be_visible()
    assert violations(page) == []
    page.goto(f"{live_server}/reports/annual?year=20x6&lang={language}")
    expect(page.locator(".error-summary")).to_be_visible()
    assert violations(page) == []


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_areas_page_in_both_languages(live_server, page, world, language):
    address = f"{live_server}/admin/people/{world.commissioner.id}/report-areas?lang={language}"
    signed_in_at(page, address, world.admin)
    cardiff = page.locator("#area-W06000015")
    expect(cardiff).to_be_visible()
    assert violations(page) == []
    cardiff.check()
    page.locator("form.report-areas button[type=submit]").click()
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator("#area-W06000015")).to_be_checked()
    assert violations(page) == []
