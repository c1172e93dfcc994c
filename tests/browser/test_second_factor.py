"""A supervisor enrols a second factor through the QR code page, reads their recovery codes, and
signs in again with a code; each page has nothing axe objects to, in English and in Welsh."""

import pyotp
from playwright.sync_api import expect

from app.core.types import utcnow
from tests.browser.steps import give_code, violations
from tests.conftest import PASSWORD


def in_both_languages(page, path):
    """The page at `path` in English, then in Welsh (the switch kept by the browser after)."""
    for language in ("en", "cy"):
        page.goto(path + ("&" if "?" in path else "?") + "lang=" + language)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert violations(page) == [], (path, language)


def test_a_supervisor_enrols_by_qr_code_and_signs_in_with_a_code(page, live_server, world):
    page.goto(live_server + "/sign-in?lang=en&next=/review/")
    page.locator("#email").fill(world.supervisor.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Set up a second factor")
    qr_code = page.locator(".qr-code svg[role=img]")
    expect(qr_code).to_be_visible()
    assert qr_code.bounding_box()["width"] > 150  # big enough to scan from the screen

    in_both_languages(page, live_server + "/sign-in/second-factor")
    # In Welsh now: the code, then the recovery codes.
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    page.locator("#code").fill("000000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert violations(page) == []
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert violations(page) == []
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server + "/review/")

    # The account page, and new recovery codes (in English) with the next step's code.
    in_both_languages(page, live_server + "/account/second-factor")
    page.goto(live_server + "/account/second-factor?lang=en")
    page.locator("#code").fill(pyotp.TOTP(secret).at(utcnow().timestamp() + 30))
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    assert violations(page) == []

    # Signed out, signing in again asks for a code.
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.goto(live_server + "/sign-in?lang=en")
    page.locator("#email").fill(world.supervisor.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Enter your code")
    in_both_languages(page, live_server + "/sign-in/code")
    give_code(page, world.supervisor)
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
