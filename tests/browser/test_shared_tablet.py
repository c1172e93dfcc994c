"""A tablet shared by two workers, in real Chromium: each sets it up online with their own
passcode and syncs their own cases; with no signal the app asks who is using it, each passcode
opens only its own worker's data, and IndexedDB holds no child's name in plain text."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import Device
from tests.browser.steps import (
    RAW_STORAGE,
    children_listed,
    choose_passcode,
    heading,
    holds_no_token,
    screen_drawn,
    set_up_tablet,
    sign_in,
    status,
    try_passcode,
    violations,
)

WILL_PASSCODE = "will's long passcode"
CAI_PASSCODE = "cai's own passcode"


def test_two_workers_share_a_tablet_and_each_sees_only_their_own_children(
        live_server, context, page, world, session):
    set_up_tablet(page, live_server, world, language="English", passcode=WILL_PASSCODE)
    expect(children_listed(page)).to_have_text(["Cerys Test"])
    expect(status(page)).to_contain_text("Last synced")

    # Will signs out (nothing is waiting, so the app locks); Cai sets the tablet up for himself.
    page.get_by_role("button", name="Sign out").click()
    heading(page, "Enter your passcode")
    expect(page.get_by_text("Will Worker", exact=True)).to_be_visible()
    page.get_by_role("link", name="Set up this tablet for another worker").click()
    expect(page).to_have_url(live_server + "/sign-in?lang=en&next=/app&another=1")
    # Will is still signed in on the web; signing in as Cai replaces that session.
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    sign_in(page, world.colleague)
    heading(page, "Choose a passcode")
    choose_passcode(page, CAI_PASSCODE)
    heading(page, "Your children")
    expect(children_listed(page)).to_have_text(["Dylan Test"])
    expect(status(page)).to_contain_text("Last synced")
    assert "Cerys" not in page.locator("main").inner_text()
    devices = session.scalars(select(Device).where(
        Device.person_id.in_([world.worker.id, world.colleague.id]))).all()
    assert sorted(str(d.person_id) for d in devices) == sorted(
        [str(world.worker.id), str(world.colleague.id)])

    # No signal: the app opens at the last worker's passcode and offers the others.
    context.set_offline(True)
    page.reload()
    heading(page, "Enter your passcode")
    expect(page.get_by_text("Cai Colleague", exact=True)).to_be_visible()
    page.get_by_role("button", name="Someone else is using this tablet").click()
    heading(page, "Who is using this tablet?")
    # In the order of their names, so a worker finds theirs quickly.
    expect(page.locator(".choices button")).to_have_text(["Cai Colleague", "Will Worker"])
    expect(page.get_by_role("link", name="Set up this tablet for another worker")).to_be_visible()
    assert violations(page) == []

    # Will's passcode does not open Cai's data.
    page.get_by_role("button", name="Cai Colleague").click()
    heading(page, "Enter your passcode")
    expect(page.get_by_text("Cai Colleague", exact=True)).to_be_visible()
    try_passcode(page, WILL_PASSCODE, button="Open")
    expect(page.locator("#passcode-error")).to_have_text(
        "The passcode is not right. 4 tries are left before the data on this tablet is erased.")
    assert violations(page) == []
    try_passcode(page, CAI_PASSCODE, button="Open")
    heading(page, "Your children")
    screen_drawn(page)
    expect(children_listed(page)).to_have_text(["Dylan Test"])
    expect(page.locator("main")).not_to_contain_text("Cerys")

    # And Cai's passcode does not open Will's; Will's own does, with only his child.
    page.get_by_role("button", name="Sign out").click()
    heading(page, "Enter your passcode")
    page.get_by_role("button", name="Someone else is using this tablet").click()
    page.get_by_role("button", name="Will Worker").click()
    expect(page.get_by_text("Will Worker", exact=True)).to_be_visible()
    try_passcode(page, CAI_PASSCODE, button="Open")
    expect(page.locator("#passcode-error")).to_contain_text("The passcode is not right.")
    try_passcode(page, WILL_PASSCODE, button="Open")
    heading(page, "Your children")
    screen_drawn(page)
    expect(children_listed(page)).to_have_text(["Cerys Test"])
    expect(page.locator("main")).not_to_contain_text("Dylan")

    raw = page.evaluate(RAW_STORAGE)
    assert "Will Worker" in raw and "Cai Colleague" in raw  # the chooser's names, by design
    assert holds_no_token(raw)
    for secret in ("Cerys", "Dylan", world.worker.email, world.colleague.email):
        assert secret not in raw, secret
