"""The admin's pages of report clients in Chromium, in Welsh and in English: the list with its
register form, a refusal's error summary, the page that shows the secret once, the revoke
confirmation and the list after revoking, each with nothing axe objects to."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in, violations

CARDIFF = "#area-W06000015"


def checked(page, language):
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert violations(page) == [], page.url


def register(page):
    page.locator("form", has=page.locator("#name")).locator("button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_report_clients_pages_in_both_languages(live_server, page, world, language):
    page.goto(f"{live_server}/admin/report-clients?lang={language}")
    sign_in(page, world.admin)
    expect(page.locator(CARDIFF)).to_be_visible()
    checked(page, language)

    register(page)  # nothing filled in: the error summary, its links to the fields
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary a")).to_have_count(2)
    checked(page, language)

    page.locator("#name").fill("Swyddfa'r Comisiynydd")
    page.locator(CARDIFF).check()
    register(page)
    secret = page.locator("#client_secret")
    expect(secret).to_be_visible()
    assert len(secret.input_value()) >= 40
    checked(page, language)

    page.locator("a.link-on-its-own").click()
    expect(page.locator("table.report-clients")).to_contain_text("Swyddfa'r Comisiynydd")
    assert secret.count() == 0
    page.locator("table.report-clients a").first.click()
    expect(page.locator("form button[type=submit]").last).to_be_visible()
    checked(page, language)

    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator("table.report-clients a")).to_have_count(0)
    checked(page, language)
