"""A tablet signed out everywhere, in real Chromium: it keeps its unsent change, stops syncing and
tells its worker to sign in again; once they have, the change reaches the server. Someone else
signing in does not get the tablet's tokens."""

from playwright.sync_api import expect

from tests.browser.steps import (
    PASSCODE,
    add_child,
    children_named,
    device_of,
    go_to,
    sign_in,
    status,
    try_passcode,
    violations,
    waiting,
)

SIGNED_OUT = "You were signed out on every device. Sign in again to send your changes and get new ones."
ANOTHER = "This tablet belongs to another worker's account."


def signs_out_everywhere(browser, live_server, person):
    """The person, on a computer of their own, signs out everywhere from their account page."""
    office = browser.new_context()
    try:
        desk = office.new_page()
        desk.goto(live_server + "/sign-in?lang=en&next=/account/second-factor")
        sign_in(desk, person)
        with desk.expect_navigation():
            desk.get_by_role("button", name="Sign out everywhere").click()
    finally:
        office.close()


def signed_out_with_a_change_unsent(tablet, context, browser, live_server, world, session):
    """A child added with no signal; meanwhile the worker signs out everywhere; the signal comes
    back and the tablet's sync is refused. Ends with the message shown."""
    context.set_offline(True)
    add_child(tablet, "Gwenllïan", "Pryce")
    expect(status(tablet)).to_contain_text(waiting(1))
    signs_out_everywhere(browser, live_server, world.worker)
    assert device_of(session, world.worker).signed_out_at is not None
    context.set_offline(False)  # the app syncs by itself when the signal comes back
    expect(tablet.locator("#signed-out")).to_contain_text(SIGNED_OUT)
    expect(status(tablet)).to_contain_text("Signed out")
    expect(status(tablet)).to_contain_text(waiting(1))
    assert children_named(session, "Gwenllïan") == []


def test_signing_in_again_sends_the_unsent_change(tablet, context, browser, live_server, world,
                                                  session):
    signed_out_with_a_change_unsent(tablet, context, browser, live_server, world, session)
    go_to(tablet, "#/")  # the cases screen says so too
    expect(tablet.locator("h1")).to_have_text("Your children")
    expect(tablet.locator("#signed-out")).to_contain_text(SIGNED_OUT)
    expect(tablet.get_by_role("button", name="Sync now")).to_be_disabled()
    assert violations(tablet) == []
    tablet.get_by_role("button", name="Cymraeg").click()
    expect(tablet.locator("#signed-out")).to_contain_text("Cawsoch eich allgofnodi ar bob dyfais.")
    expect(status(tablet)).to_contain_text("Wedi allgofnodi")
    expect(tablet.locator("html")).to_have_attribute("lang", "cy")
    assert violations(tablet) == []
    tablet.get_by_role("button", name="English").click()
    expect(tablet.locator("#signed-out")).to_contain_text(SIGNED_OUT)

    with tablet.expect_navigation():
        tablet.get_by_role("button", name="Sign in again").click()
    sign_in(tablet, world.worker)
    try_passcode(tablet, PASSCODE, "Open")

    expect(status(tablet)).to_contain_text(waiting(0))
    expect(tablet.locator("#signed-out")).to_be_hidden()
    expect(status(tablet)).not_to_contain_text("Signed out")
    assert [child.family_name for child in children_named(session, "Gwenllïan")] == ["Pryce"]
    device = device_of(session, world.worker)
    assert device.signed_out_at is None and device.revoked_at is None


def test_someone_else_signing_in_gets_nothing(tablet, context, browser, live_server, world,
                                              session):
    signed_out_with_a_change_unsent(tablet, context, browser, live_server, world, session)

    with tablet.expect_navigation():
        tablet.get_by_role("button", name="Sign in again").click()
    sign_in(tablet, world.colleague)
    try_passcode(tablet, PASSCODE, "Open")  # the worker's own data, opened by their passcode

    expect(tablet.locator("#signed-out")).to_contain_text(ANOTHER)
    expect(status(tablet)).to_contain_text(waiting(1))
    assert violations(tablet) == []
    tablet.get_by_role("button", name="Cymraeg").click()
    expect(tablet.locator("#signed-out")).to_contain_text(
        "Mae'r llechen hon yn perthyn i gyfrif gweithiwr arall.")
    assert violations(tablet) == []
    assert children_named(session, "Gwenllïan") == []
    assert device_of(session, world.worker).signed_out_at is not None
