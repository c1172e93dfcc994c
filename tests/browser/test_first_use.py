"""A worker's first use of the tablet app, in real Chromium: no stray "null" on the screens
before it opens, the language chosen at sign-in kept, the tablet named readably where it is
listed, and the offline notice gone once a sync has worked."""

from datetime import datetime

from babel.dates import format_date
from playwright.sync_api import expect

from app.i18n import date_locale
from tests.browser.steps import (
    LONDON,
    choose_passcode,
    device_of,
    heading,
    open_the_app,
    sign_in,
    status,
    try_passcode,
)

PASSCODE = "a long passcode"


def today(language):
    """Today's date in London, as the tablet writes it in that language."""
    return format_date(datetime.now(LONDON).date(), "full", locale=date_locale(language))


def expect_no_null(page):
    expect(page.locator("main")).not_to_contain_text("null")


def test_the_screens_before_the_app_opens_show_no_null_and_the_tablet_has_a_readable_name(
        live_server, page, world, session):
    open_the_app(page, live_server)
    page.get_by_role("button", name="English").click()
    heading(page, "Set up this tablet")
    expect_no_null(page)
    page.get_by_role("link", name="Sign in").click()
    sign_in(page, world.worker)
    heading(page, "Choose a passcode")
    expect_no_null(page)
    choose_passcode(page, PASSCODE)
    heading(page, "Your children")
    page.reload()
    heading(page, "Enter your passcode")
    expect_no_null(page)
    try_passcode(page, PASSCODE, button="Open")
    heading(page, "Your children")

    named = f"Will Worker's tablet, {today('en')}"
    assert device_of(session, world.worker).name == named
    listed = page.request.get(live_server + "/api/v1/devices").json()["items"]
    assert [device["name"] for device in listed] == [named]


def test_the_language_chosen_at_sign_in_is_the_apps_and_the_tablet_is_named_in_it(
        live_server, page, world, session):
    page.goto(live_server + "/sign-in?lang=cy")
    sign_in(page, world.worker)
    page.goto(live_server + "/app")
    heading(page, "Dewiswch god mynediad")  # no second offer of the languages
    expect(page.get_by_role("button", name="Cymraeg")).to_have_count(0)
    choose_passcode(page, PASSCODE)
    heading(page, "Eich plant")
    assert device_of(session, world.worker).name == f"Llechen Will Worker, {today('cy')}"


def test_the_offline_notice_goes_once_a_sync_works(tablet, context):
    context.set_offline(True)
    tablet.get_by_role("button", name="Sync now").click()
    expect(tablet.locator(".notice")).to_have_text("You are offline. Try again when you have signal.")
    context.set_offline(False)
    tablet.get_by_role("button", name="Sync now").click()
    expect(status(tablet)).to_contain_text("Online")
    expect(tablet.locator(".notice")).to_have_count(0)
