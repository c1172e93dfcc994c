"""axe-core (installed from the npm registry by `make test`) finds no violations on any screen
built so far, in Welsh and in English."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in, violations


@pytest.mark.parametrize("path", ["/?lang=en", "/?lang=cy", "/sign-in",
                                  "/sign-in?lang=en", "/sign-in?lang=cy", "/nowhere?lang=cy"])
def test_server_pages_have_no_violations(live_server, page, path):
    page.goto(live_server + path)
    assert violations(page) == []


@pytest.mark.parametrize("language", ["en", "cy"])
def test_sign_in_errors_have_no_violations(live_server, page, language):
    page.goto(f"{live_server}/sign-in?lang={language}")
    page.locator("#email").fill("nobody@example.org")
    page.locator("#password").fill("wrong")
    page.locator("form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert violations(page) == []


def test_the_signed_in_landing_page_has_no_violations(live_server, page, world):
    page.goto(live_server + "/sign-in?lang=cy")
    sign_in(page, world.worker)
    expect(page.locator(".case-summary")).to_be_visible()
    assert violations(page) == []


@pytest.mark.parametrize("choice", ["Cymraeg", "English"])
def test_the_app_screens_have_no_violations(live_server, page, choice):
    page.goto(live_server + "/app")
    expect(page.get_by_role("button", name=choice)).to_be_visible()
    assert violations(page) == []
    page.get_by_role("button", name=choice).click()
    expect(page.get_by_role("heading")).to_be_visible()
    assert violations(page) == []


def test_the_check_finds_a_real_violation(page):
    page.set_content('<html lang="en"><body><main><input type="text"></main></body></html>')
    assert "label" in [found[0] for found in violations(page)]
