"""Every admin page (people, a person, inviting, the link made, deactivating, teams, renaming a
team) and every page an invitation's link opens (setting a password, done, a link used), in
Chromium, in Welsh and in English: each reached as an admin would, and nothing axe objects to."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in, violations


def checked(page, language, heading=None):
    """The page is in the language asked for and axe finds nothing on it."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    if heading is not None:
        expect(page.locator("h1")).to_have_text(heading)
    assert violations(page) == [], page.url


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_admin_page_in_both_languages(live_server, page, world, language):
    page.goto(f"{live_server}/admin/people?lang={language}")
    sign_in(page, world.admin)
    expect(page.locator("table.people tbody tr")).to_have_count(6)
    checked(page, language)

    page.locator("table.people").get_by_role("link", name="Will Worker").click()
    checked(page, language, "Will Worker")
    # A worker with no team: the form says what is wrong, where.
    page.locator("#team").select_option("")
    page.locator("form", has=page.locator("#team")).locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    checked(page, language, "Will Worker")

    page.goto(f"{live_server}/admin/people/{world.worker.id}/deactivate?lang={language}")
    expect(page.locator(".cases")).to_be_visible()
    checked(page, language)

    page.goto(f"{live_server}/admin/people/invite?lang={language}")
    page.locator("form", has=page.locator("#email")).locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    checked(page, language)
    page.locator("#email").fill(f"nia.{language}@example.org")
    page.locator("#name").fill("Nia Newydd")
    page.locator("#role").select_option("worker")
    page.locator("#team").select_option(str(world.team_a.id))
    page.locator("#language").select_option(language)
    page.locator("form", has=page.locator("#email")).locator("button[type=submit]").click()
    link = page.locator("#link")
    expect(link).to_have_value(re.compile(r"/invitations/"))
    checked(page, language)
    invitation = link.input_value()

    page.goto(f"{live_server}/admin/teams?lang={language}")
    expect(page.locator("table.teams tbody tr")).to_have_count(2)
    checked(page, language)
    page.locator("table.teams").get_by_role("link", name="A2").click()
    checked(page, language)

    # The invited person, on a computer of their own.
    other = page.context.browser.new_context()
    try:
        theirs = other.new_page()
        theirs.goto(invitation)
        checked(theirs, language)
        theirs.locator("#password").fill("short")
        theirs.locator("form button[type=submit]").click()
        expect(theirs.locator(".error-summary")).to_be_visible()
        checked(theirs, language)
        theirs.locator("#password").fill("a long enough new password")
        theirs.locator("#confirmation").fill("a long enough new password")
        theirs.locator("form button[type=submit]").click()
        expect(theirs.locator("main .button")).to_be_visible()
        checked(theirs, language)
        theirs.goto(invitation)
        checked(theirs, language)
    finally:
        other.close()
