"""The admin's page of repeat-episode policies in Chromium, in Welsh and in English: the table,
a choice saved, and a refusal's error summary, each with nothing axe objects to."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in, violations

SOUTH_WALES = "#policy-W15000003"


def checked(page, language):
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert violations(page) == [], page.url
    # At a tablet's width, held upright, nothing runs off the side.
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def save(page, select):
    page.locator("form", has=page.locator(select)).locator("button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_repeat_policies_page_in_both_languages(live_server, page, world, language):
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{live_server}/admin/repeat-policies?lang={language}")
    sign_in(page, world.admin)
    expect(page.locator(SOUTH_WALES)).to_be_visible()
    checked(page, language)

    page.locator(SOUTH_WALES).select_option("dyfed_powys")
    save(page, SOUTH_WALES)
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator(SOUTH_WALES)).to_have_value("dyfed_powys")
    checked(page, language)

    # A policy the rules do not have, as a changed page might send: the service's refusal.
    page.locator(SOUTH_WALES).evaluate(
        "select => { select.options[1].value = 'scotland'; select.selectedIndex = 1; }")
    save(page, SOUTH_WALES)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(SOUTH_WALES)).to_have_value("dyfed_powys")
    checked(page, language)
