"""The details of capture on a tablet, in real Chromium: an interview the young person declined
(who and why asked only then, and nothing else sent); signing out with changes not yet sent;
screens that fit a tablet either way round with targets big enough for a finger; the app trying
again by itself, waiting longer each time; and the progress shown while a long outbox is sent."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from app.cases.models import Child
from app.interviews.models import CODED_ANSWERS, FIVE_THINGS
from tests.browser.steps import (
    PASSCODE,
    PUSH,
    add_child,
    agree_to_talk_at_the_placement,
    children_listed,
    children_named,
    click,
    drawn_after,
    go_to,
    heading,
    held_request,
    interview_of,
    open_tablet,
    push_fails,
    screen_drawn,
    start_an_interview_with_cerys,
    status,
    try_passcode,
    violations,
    waiting,
    without_the_active_offer,
)

FIRST_RETRY_MS = 5_000
LAST_RETRY_MS = 5 * 60 * 1000


def fake_now(page) -> datetime:
    return datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, UTC)


def stop_time(page):
    """Stops the page's clock (installed before the app opened) a second from now: no timer of
    the app's runs until the test moves time on."""
    page.clock.pause_at(fake_now(page) + timedelta(seconds=1))


def open_tablet_with_time_stopped(page, live_server, world):
    """The tablet set up and synced (open_tablet) while time flows; then time stops."""
    page.clock.install()
    open_tablet(page, live_server, world)
    stop_time(page)


def violations_in_real_time(page):
    """axe waits on timers of its own: time flows while it looks, then stops again."""
    page.clock.resume()
    found = violations(page)
    stop_time(page)
    return found


# --- 1. a declined interview -------------------------------------------------------------------
def test_a_declined_interview_asks_who_and_why_and_sends_no_answers(
        tablet, context, world, session):
    page = tablet
    without_the_active_offer(session, world.child)
    context.set_offline(True)
    start_an_interview_with_cerys(page)

    click(page, "link", "Record their answer")
    who = page.get_by_role("group", name="Who declined?")
    why = page.get_by_role("group", name="Why was it declined?")
    heading(page, "Did the young person agree to talk?")
    expect(who).to_be_hidden()
    expect(why).to_be_hidden()
    page.get_by_label("Yes, they agreed to talk").check()
    expect(who).to_be_hidden()
    expect(why).to_be_hidden()
    page.get_by_label("No, the interview was declined").check()
    expect(who).to_be_visible()
    expect(why).to_be_visible()
    assert violations(page) == []

    click(page, "button", "Save and continue")  # nobody said who declined
    expect(page.locator("#declined_by-error")).to_have_text("Say who declined the interview.")
    expect(page.locator(".error-summary")).to_contain_text("Say who declined the interview.")
    expect(page.get_by_label("No, the interview was declined")).to_be_checked()
    expect(who).to_be_visible()
    assert violations(page) == []

    page.get_by_label("The young person", exact=True).check()
    page.get_by_label("Not ready yet", exact=True).check()
    click(page, "button", "Save and continue")
    expect(page.locator("h1")).to_have_text("Check your answers")
    answers = page.locator(".summary-list")
    expect(answers.locator("dt")).to_have_text(
        ["Did the young person agree to talk?", "Who declined?", "Why was it declined?"])
    expect(answers.locator("dd:not(.change)")).to_have_text(
        ["The interview was declined.", "The young person", "Not ready yet"])
    assert violations(page) == []
    click(page, "button", "Submit the interview")
    expect(page.locator(".notice")).to_have_text("The interview has been submitted.")
    expect(page.locator(".episodes .clock")).to_have_text("Interview declined")
    expect(status(page)).to_contain_text("Offline")

    context.set_offline(False)  # the app sends everything by itself
    expect(status(page)).to_contain_text(waiting(0))
    interview = interview_of(session, world.child)
    assert interview.status == "submitted" and interview.consent == "declined"
    assert interview.declined_by == "child" and interview.decline_reason == "not_ready_yet"
    assert interview.offered_at is not None and interview.consent_recorded_at is not None
    assert {field: getattr(interview, field) for field in FIVE_THINGS} == dict.fromkeys(
        FIVE_THINGS)
    assert {field: getattr(interview, field) for field in CODED_ANSWERS} == {
        field: [] for field in CODED_ANSWERS}
    assert interview.local_answers == {} and interview.notes is None
    assert interview.conducted_at is None and interview.location is None


# --- 2. signing out with changes not sent ------------------------------------------------------
def sign_out(page):
    page.locator(".bar").get_by_role("button", name="Sign out").click()


def test_signing_out_with_changes_not_sent_warns_and_can_sync_first(
        live_server, context, page, world, session):
    # Time is stopped after setting up, so no retry or idle lock comes in between the steps.
    open_tablet_with_time_stopped(page, live_server, world)
    context.set_offline(True)
    add_child(page, "Tegwen")
    expect(status(page)).to_contain_text(waiting(1))

    drawn_after(page, lambda: sign_out(page))
    expect(page.locator("h1")).to_have_text("Some changes have not been sent")
    actions = page.locator("main > .actions")
    expect(actions.locator("button, a")).to_have_text(
        ["Sync, then sign out", "Save a copy of changes not sent", "Sign out without sending",
         "Cancel"])
    assert violations_in_real_time(page) == []
    click(page, "button", "Cancel")
    expect(page.locator("h1")).to_have_text("Tegwen Test")

    drawn_after(page, lambda: sign_out(page))
    click(page, "link", "Save a copy of changes not sent")
    expect(page.locator("h1")).to_have_text("Save a copy of changes not sent")
    expect(page.locator("main > p").filter(has_text="waiting")).to_have_text(waiting(1))
    go_to(page, "#/")

    drawn_after(page, lambda: sign_out(page))
    page.get_by_role("button", name="Sign out without sending").click()
    expect(page.locator("h1")).to_have_text("Enter your passcode")
    expect(page.locator(".bar")).to_have_count(0)
    # Opening tries to sync at once; with no signal its push fails. It must have given up before
    # the signal comes back, or it would be the push lost below and the next one would get through.
    with push_fails(page):
        try_passcode(page, PASSCODE, button="Open")
    expect(page.locator("#sync-now")).to_be_enabled()
    expect(page.locator("h1")).to_have_text("Your children")
    expect(status(page)).to_contain_text(waiting(1))
    expect(children_listed(page)).to_have_text(["Cerys Test", "Tegwen Test"])
    assert children_named(session, "Tegwen") == []

    # Back in signal; the first push the app tries by itself is lost, so the change still waits.
    lost = {"pushes": 0}

    def push(route):
        if lost["pushes"] == 0:
            lost["pushes"] += 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(PUSH, push)
    with push_fails(page):
        context.set_offline(False)
    expect(page.locator("#sync-now")).to_be_enabled()
    expect(status(page)).to_contain_text(waiting(1))
    drawn_after(page, lambda: sign_out(page))
    expect(page.locator("h1")).to_have_text("Some changes have not been sent")
    page.get_by_role("button", name="Sync, then sign out").click()
    expect(page.locator("h1")).to_have_text("Enter your passcode")
    assert len(children_named(session, "Tegwen")) == 1

    try_passcode(page, PASSCODE, button="Open")
    expect(status(page)).to_contain_text(waiting(0))
    expect(page.locator("h1")).to_have_text("Your children")
    sign_out(page)  # nothing waiting: locked at once, no warning
    expect(page.locator("h1")).to_have_text("Enter your passcode")
    assert len(children_named(session, "Tegwen")) == 1


def test_sync_then_sign_out_while_the_app_is_already_syncing_still_signs_out(
        live_server, context, page, world, session):
    """The worker comes back into signal; the app starts sending by itself, slowly. They tap
    "Sign out", then "Sync, then sign out": they must end up signed out once it is sent."""
    open_tablet_with_time_stopped(page, live_server, world)
    context.set_offline(True)
    add_child(page, "Tegwen")

    held = []
    page.route(PUSH, lambda route: held.append(route))  # held until released below
    context.set_offline(False)  # the app starts syncing by itself
    held_request(page, held, 1, "push")
    expect(page.locator("#sync-now")).to_be_disabled()
    drawn_after(page, lambda: sign_out(page))
    expect(page.locator("h1")).to_have_text("Some changes have not been sent")
    page.get_by_role("button", name="Sync, then sign out").click()
    held[0].continue_()
    expect(page.locator("h1"), "asked to sync then sign out, the worker is still signed in "
           "(the tap came while the app was already syncing)").to_have_text("Enter your passcode")
    assert len(children_named(session, "Tegwen")) == 1
    try_passcode(page, PASSCODE, button="Open")
    expect(status(page)).to_contain_text(waiting(0))
    assert len(held) == 1  # sent once: the second sync had nothing left to send


# --- 3. tablet sizes and touch targets ---------------------------------------------------------
TARGETS = {  # selector: whether its width counts too
    "button": True, "a.action": True, "a.back": False,
    "input[type=text]": True, "input[type=password]": True, "input[type=date]": True,
    "input[type=datetime-local]": True, "textarea": True, ".choice-item": False,
}
MINIMUM = 44


def too_small(page, screen, measured) -> list[str] | None:
    found = []
    for selector, width_counts in TARGETS.items():
        for target in page.locator(selector).all():
            if not target.is_visible():
                continue
            box = target.bounding_box()
            if box is None:
                return None  # redrawn while being measured
            measured[selector] += 1
            if box["height"] < MINIMUM or (width_counts and box["width"] < MINIMUM):
                what = target.evaluate(
                    "(e) => (e.id ? '#' + e.id : '') + ' ' + (e.innerText || e.name || '').trim()")
                found.append(f"{screen}: {selector} {what.strip()!r} is "
                             f"{box['width']:.0f}x{box['height']:.0f}")
    return found


def scrolls_sideways(page, screen) -> list[str]:
    wide, inner = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    return [f"{screen}: the page is {wide} px wide in a {inner} px window"] if wide > inner else []


def measure(page, screen, measured) -> list[str]:
    """What does not fit on the screen shown. The app redraws a list after a sync (here, the one
    that fails when the app opens with no signal): measured again if that happened meanwhile."""
    main = page.locator("main")
    for _ in range(5):
        before = main.get_attribute("data-drawn")
        found = too_small(page, screen, measured)
        if found is not None and main.get_attribute("data-drawn") == before:
            return scrolls_sideways(page, screen) + found
        screen_drawn(page)
    raise AssertionError(f"{screen} kept being redrawn")


def test_screens_fit_a_tablet_both_ways_with_targets_big_enough_to_touch(
        live_server, context, page, world):
    # Time stops once the app is open, so no retry in the background redraws a screen while it
    # is measured.
    page.clock.install()
    open_tablet(page, live_server, world)
    context.set_offline(True)  # changes wait, so the copy-saving parts show too
    start_an_interview_with_cerys(page)
    interview = page.url.split("#", 1)[1]
    child = f"/children/{world.child.id}"
    agree_to_talk_at_the_placement(page)
    expect(page.locator(".caption")).to_be_visible()
    screens = {
        "your children": "#/", "a child's page": f"#{child}", "adding a child": "#/children/new",
        "the episode form": f"#{child}/episodes/new", "the interview": f"#{interview}",
        "the offer": f"#{interview}/offer", "an attempt": f"#{interview}/attempts/new",
        "the consent question": f"#{interview}/consent", "about the interview": f"#{interview}/about",
        "about you": f"#{interview}/who",
        "a textarea question": f"#{interview}/questions/why_missing",
        "a multiple-choice question": f"#{interview}/questions/push_factors",
        "check answers": f"#{interview}/check", "attention": "#/attention", "rescue": "#/rescue",
    }
    problems, measured = [], Counter()
    for width, height in ((768, 1024), (1366, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        page.clock.resume()
        page.reload()
        expect(page.locator("h1")).to_have_text("Enter your passcode")
        stop_time(page)
        problems += measure(page, f"{width}x{height} passcode", measured)
        try_passcode(page, PASSCODE, button="Open")
        screen_drawn(page)
        for name, address in screens.items():
            go_to(page, address)
            expect(page.locator("h1")).to_be_visible()
            problems += measure(page, f"{width}x{height} {name}", measured)
        # The warning before signing out with changes not sent.
        drawn_after(page, lambda: sign_out(page))
        expect(page.locator("h1")).to_have_text("Some changes have not been sent")
        problems += measure(page, f"{width}x{height} sign-out warning", measured)
        expect(page.locator("h1")).to_have_text("Some changes have not been sent")
    # Every kind of target was found and measured (the check cannot pass by finding nothing).
    assert set(measured) == set(TARGETS) and measured[".choice-item"] > 40, measured
    assert problems == [], "\n".join(problems)


# --- 4. trying again by itself ------------------------------------------------------------------
def test_the_app_tries_again_by_itself_waiting_about_twice_as_long_each_time(
        live_server, page, world, session, app, monkeypatch):
    # The worker is there all along: no idle lock.
    monkeypatch.setitem(app.config, "PWA_IDLE_MINUTES", 120)
    open_tablet_with_time_stopped(page, live_server, world)

    clock = {"ms": 0}
    pushes = []  # (milliseconds of fake time since the pause, mutation ids sent)
    network = {"up": False}

    def push(route):
        pushes.append((clock["ms"], [m["mutation_id"] for m in
                                     route.request.post_data_json["mutations"]]))
        if network["up"]:
            route.continue_()
        else:
            route.fulfill(status=503, content_type="text/plain", body="Service Unavailable")

    page.route(PUSH, push)
    add_child(page, "Rhys")
    expect(status(page)).to_contain_text(waiting(1))
    sync_button = page.locator("#sync-now")

    def run_until_push(step, limit):
        seen = len(pushes)
        while len(pushes) == seen:
            assert clock["ms"] < limit, f"no push by {limit} ms: {pushes}"
            page.clock.run_for(step)
            clock["ms"] += step
            expect(sync_button).to_be_enabled()  # the attempt started (if any) is over

    run_until_push(250, 10_000)  # the first, soon after the change
    assert 3_000 <= pushes[0][0] <= 3_250
    ceilings, steps = [], []
    for failure in range(8):
        ceiling = min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** failure)
        step = ceiling // 50
        ceilings.append(ceiling)
        steps.append(step)
        run_until_push(step, pushes[-1][0] + 2 * ceiling)
        expect(status(page)).to_contain_text("Offline · " + waiting(1))
    gaps = [later[0] - earlier[0] for earlier, later in zip(pushes, pushes[1:], strict=False)]
    report = f"gaps {gaps} for ceilings {ceilings}"
    for gap, ceiling, step in zip(gaps, ceilings, steps, strict=True):
        # Somewhere between half and all of the wait (measured to within one step).
        assert ceiling / 2 <= gap <= ceiling + step, report
    # Each wait longer than the one before, until the five-minute ceiling.
    assert all(later >= earlier for earlier, later in zip(gaps[:6], gaps[1:6], strict=False)), \
        report
    assert gaps[-1] <= LAST_RETRY_MS + steps[-1], report  # without a ceiling: 320 s or more
    # The random part is random: not every wait is the whole of it.
    assert any(gap < 0.9 * ceiling for gap, ceiling in zip(gaps, ceilings, strict=True)), \
        report
    assert sync_button.is_enabled()  # nobody pressed anything: it was the app each time
    assert len({tuple(ids) for _, ids in pushes}) == 1 and len(pushes[0][1]) == 1
    assert children_named(session, "Rhys") == []

    network["up"] = True
    run_until_push(LAST_RETRY_MS // 50, pushes[-1][0] + 2 * LAST_RETRY_MS)
    expect(status(page)).to_contain_text("Online · " + waiting(0))
    assert len(children_named(session, "Rhys")) == 1
    page.clock.run_for(LAST_RETRY_MS * 2)  # nothing more is sent once it has arrived
    page.wait_for_timeout(500)
    assert len(pushes) == 10
    assert len(children_named(session, "Rhys")) == 1


# --- 5. progress during a long sync -----------------------------------------------------------
def test_a_long_outbox_shows_its_progress_and_arrives_whole(tablet, context, world, session):
    count = 105  # the outbox sends 100 at a time
    page = tablet
    context.set_offline(True)
    names = [f"Plentyn{number:03d}" for number in range(count)]
    for name in names:
        add_child(page, name, "Prawf")
    expect(status(page)).to_contain_text(waiting(count))

    held = []
    page.route(PUSH, lambda route: held.append(route))  # each waits until released

    context.set_offline(False)  # the app sends by itself
    first = held_request(page, held, 1, "push")
    expect(status(page)).to_contain_text(f"Sending changes: 0 of {count}")
    assert len(first.request.post_data_json["mutations"]) == 100
    first.continue_()
    second = held_request(page, held, 2, "push")
    expect(status(page)).to_contain_text(f"Sending changes: 100 of {count}")
    assert len(second.request.post_data_json["mutations"]) == count - 100
    second.continue_()
    expect(status(page)).to_have_text(re.compile(rf"^Online · {waiting(0)} · Last synced"))
    assert len(held) == 2

    session.expire_all()
    made = session.scalars(select(Child).where(Child.family_name == "Prawf")).all()
    assert sorted(child.given_name for child in made) == names
    assert all(child.assigned_worker_id == world.worker.id for child in made)
