"""Records needing attention, in real Chromium. The same answer changed on the tablet with no
signal and on the server by a supervisor: after the sync the worker sees both values, keeps
their own, and the server holds it with the conflict closed. A change the server refuses (the
interview was approved meanwhile) is shown with the server's reason, a way to the record, and
can be dismissed. A delete in conflict decided as deleted leaves the tablet too; deciding one
of two conflicts on a field leaves the other to decide."""

import re
import uuid
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect
from sqlalchemy import select

from app.interviews.models import InterviewAttempt, ReturnInterview
from app.syncing.models import SyncConflict, SyncRejection
from tests.api.helpers import create_episode, create_interview, offer_advocacy, patch
from tests.browser.steps import (
    continue_on,
    device_of,
    go_to,
    held_request,
    open_tablet,
    screen_drawn,
    set_up_tablet,
    status,
    sync_and_wait,
    violations,
)
from tests.sync.http_helpers import delete_in_conflict, enrol

CONDUCTED = "2026-03-03T14:30:00+00:00"
WHY = "Why did the young person go missing?"
FIRST = "Wanted to see her mum."
ON_TABLET = "Wanted to see her mum; she said there was shouting at the placement."
ON_SERVER = "Went to see her mum in Swansea (told to the supervisor by phone)."
LOCKED = ("This interview has been submitted. A supervisor must return it before it can be "
          "changed.")
LOCKED_CY = ("Mae'r cyfweliad hwn wedi'i gyflwyno. Rhaid i oruchwyliwr ei ddychwelyd cyn bod modd "
             "ei newid.")


def attention_link(page):
    return page.locator("#attention-link")


def open_attention(page):
    attention_link(page).click()
    screen_drawn(page)


def expect_refused_in_welsh(page):
    """The attention screen shows the refusal, heading and reason, in Welsh."""
    item = page.locator(".attention-item")
    expect(item.locator("h2")).to_have_text("Ni chafodd newid ei dderbyn")
    expect(item.locator("ul li")).to_contain_text([LOCKED_CY])


def interview_on_the_server(world, as_person) -> dict:
    """A draft interview of Cerys's, made by her worker on the web, with the first answer."""
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    return create_interview(worker, episode["id"], consent="accepted", conducted_at=CONDUCTED,
                            why_missing=FIRST)


def change_the_answer_offline(page, context):
    """On a tablet set up and synced: with no signal, the worker changes why the young person
    went missing."""
    # The app's timers from here on are Playwright's, running in real time, so that the
    # "sync soon after a change" timer can be made to fall due while still offline.
    page.clock.install()
    context.set_offline(True)
    page.get_by_role("link", name="Cerys Test").click()
    page.get_by_role("link", name="Open the return interview").click()
    page.get_by_role("link", name="Go to the questions").click()
    expect(page.locator("h1")).to_have_text("About the interview")
    continue_on(page)
    expect(page.locator("h1")).to_have_text("About you")
    continue_on(page)
    continue_on(page)
    expect(page.get_by_label(WHY)).to_have_value(FIRST)
    page.get_by_label(WHY).fill(ON_TABLET)
    continue_on(page)
    expect(status(page)).to_contain_text("1 change waiting to be sent")
    # The sync the app plans 3 seconds after a change falls due now, with no signal, so that
    # coming back online starts exactly one sync (and no later one redraws a screen under the
    # worker's hand while they choose).
    page.clock.run_for(3500)


def test_an_answer_changed_in_two_places_is_shown_and_the_worker_keeps_their_own(
        live_server, context, page, world, session, as_person):
    interview = interview_on_the_server(world, as_person)
    open_tablet(page, live_server, world)
    change_the_answer_offline(page, context)
    # Meanwhile the supervisor changes the same answer on the server.
    supervisor = as_person(world.supervisor)
    assert patch(supervisor, "interviews", interview["id"],
                 why_missing=ON_SERVER)["why_missing"] == ON_SERVER

    context.set_offline(False)  # the app syncs by itself
    expect(attention_link(page)).to_have_text("1 record needs attention")
    expect(status(page)).to_contain_text("0 changes waiting to be sent")
    session.expire_all()
    conflict = session.scalars(select(SyncConflict).where(
        SyncConflict.record_id == uuid.UUID(interview["id"]))).one()
    assert conflict.field == "why_missing" and conflict.resolved_at is None
    assert (conflict.server_value, conflict.device_value) == (ON_SERVER, ON_TABLET)

    open_attention(page)
    expect(page.locator("h1")).to_have_text("Records needing attention")
    item = page.locator(".attention-item")
    expect(item).to_have_count(1)
    expect(item.locator("h2")).to_have_text(f"Changed in two places: {WHY}")
    expect(item.locator("dt")).to_have_text(["Your change", "The other change"])
    expect(item.locator("dd")).to_have_text([ON_TABLET, ON_SERVER])
    assert violations(page) == []

    item.get_by_role("button", name="Keep your change").click()
    expect(page.locator(".notice")).to_have_text("Saved")
    expect(page.locator("main > p:not(.notice):not(.sync-status)")).to_have_text(
        "Nothing needs your attention.")
    expect(attention_link(page)).to_be_hidden()
    assert violations(page) == []

    session.expire_all()
    stored = session.get(ReturnInterview, conflict.record_id)
    assert stored.why_missing == ON_TABLET
    closed = session.get(SyncConflict, conflict.id)
    assert closed.resolved_at is not None and closed.resolved_by_id == world.worker.id
    assert closed.resolved_value == ON_TABLET

    # After the next sync nothing is waiting, nothing needs attention, and the tablet's copy
    # holds the value kept.
    sync_and_wait(page)
    expect(status(page)).to_contain_text("Online · 0 changes waiting to be sent")
    expect(attention_link(page)).to_be_hidden()
    go_to(page, f"#/interviews/{interview['id']}/check")
    expect(page.locator(".summary-list")).to_contain_text(ON_TABLET)
    expect(page.locator(".summary-list")).not_to_contain_text(ON_SERVER)
    assert session.get(ReturnInterview, conflict.record_id).why_missing == ON_TABLET


def submitted_while_changed_offline(live_server, context, world, as_person):
    """A tablet set up in English whose worker changes an answer with no signal, while on the
    web the interview is submitted: the change will be refused. Returns (page, interview)."""
    interview = interview_on_the_server(world, as_person)
    page = context.new_page()
    open_tablet(page, live_server, world)
    change_the_answer_offline(page, context)
    offer_advocacy(as_person(world.worker), interview["id"])
    assert patch(as_person(world.worker), "interviews", interview["id"],
                 status="submitted")["status"] == "submitted"
    return page, interview


def refused_in_english(live_server, context, world, as_person):
    """As submitted_while_changed_offline, then back online: the change has been refused, with
    its reason in English. Returns the page."""
    page, _interview = submitted_while_changed_offline(live_server, context, world, as_person)
    context.set_offline(False)
    expect(attention_link(page)).to_have_text("1 record needs attention")
    return page


def test_a_change_the_server_refuses_is_shown_with_its_reason_and_can_be_dismissed(
        live_server, context, world, session, as_person):
    # Meanwhile, on the web, the interview is submitted and the supervisor approves it.
    page, interview = submitted_while_changed_offline(live_server, context, world, as_person)
    assert patch(as_person(world.supervisor), "interviews", interview["id"],
                 status="approved")["status"] == "approved"

    context.set_offline(False)
    expect(attention_link(page)).to_have_text("1 record needs attention")
    expect(status(page)).to_contain_text("0 changes waiting to be sent")
    session.expire_all()
    rejection = session.scalars(select(SyncRejection).where(
        SyncRejection.device_id == device_of(session, world.worker).id)).one()
    assert str(rejection.record_id) == interview["id"]
    assert rejection.fields["why_missing"] == ON_TABLET
    stored = session.get(ReturnInterview, rejection.record_id)
    assert stored.why_missing == FIRST and stored.status == "approved"

    open_attention(page)
    item = page.locator(".attention-item")
    expect(item).to_have_count(1)
    expect(item.locator("h2")).to_have_text("A change was not accepted")
    expect(item.locator("ul li")).to_contain_text([LOCKED])
    put_right = item.get_by_role("link", name="Put it right")
    expect(put_right).to_have_attribute("href", f"#/interviews/{interview['id']}")
    assert violations(page) == []

    put_right.click()
    screen_drawn(page)
    expect(page.locator("h1")).to_have_text("Return interview with Cerys Test")
    expect(page.locator("p.notice")).to_have_text(LOCKED)

    open_attention(page)
    page.get_by_role("button", name="Dismiss").click()
    expect(page.locator(".attention-item")).to_have_count(0)
    expect(page.get_by_text("Nothing needs your attention.")).to_be_visible()
    expect(attention_link(page)).to_be_hidden()
    assert violations(page) == []
    # Dismissed on the tablet only: the server keeps the refusal for a supervisor to see.
    session.expire_all()
    assert session.get(SyncRejection, rejection.id) is not None


def test_the_servers_reason_comes_in_the_language_the_tablet_is_in(
        live_server, context, world, session, as_person):
    # Will's account says English; on the tablet he switches to Welsh while offline, and the
    # server's reason for refusing his change comes in Welsh.
    page, _interview = submitted_while_changed_offline(live_server, context, world, as_person)
    page.get_by_role("button", name="Cymraeg").click()
    expect(status(page)).to_contain_text("All-lein")

    context.set_offline(False)
    expect(attention_link(page)).to_have_text("1 cofnod angen sylw")
    open_attention(page)
    expect(page.locator("h1")).to_have_text("Cofnodion sydd angen sylw")
    expect_refused_in_welsh(page)
    assert violations(page) == []


def test_a_refusal_held_is_worded_again_in_the_language_the_tablet_is_in_now(
        live_server, context, world, session, as_person):
    # Refused while the tablet was in English; Will switches it to Welsh, and after the next
    # sync the reason he is shown is in Welsh.
    page = refused_in_english(live_server, context, world, as_person)
    open_attention(page)
    expect(page.locator(".attention-item ul li")).to_contain_text([LOCKED])

    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("h1")).to_have_text("Cofnodion sydd angen sylw")
    # Until a sync, the tablet has only the reason as it came.
    expect(page.locator(".attention-item ul li")).to_contain_text([LOCKED])
    sync_and_wait(page)
    go_to(page, "#/")
    open_attention(page)
    expect_refused_in_welsh(page)
    assert violations(page) == []


def test_a_refusal_dismissed_while_the_tablet_words_it_again_stays_dismissed(
        live_server, context, world, session, as_person):
    page = refused_in_english(live_server, context, world, as_person)
    open_attention(page)
    # The server's answer with the refusal in Welsh is held back until Will has dismissed it.
    held = []
    page.route("**/api/v1/sync/rejections*", lambda route: held.append(route))
    page.get_by_role("button", name="Cymraeg").click()  # starts a sync
    held_request(page, held, what="the tablet's request for its refusals")
    page.get_by_role("button", name="Diystyru").click()
    expect(page.get_by_text("Does dim angen eich sylw.")).to_be_visible()
    held[0].continue_()
    expect(page.locator("#sync-now")).to_be_enabled()
    go_to(page, "#/")
    go_to(page, "#/attention")
    expect(page.get_by_text("Does dim angen eich sylw.")).to_be_visible()
    expect(page.locator(".attention-item")).to_have_count(0)
    expect(attention_link(page)).to_be_hidden()


def test_a_sync_is_done_even_when_refusals_cannot_be_worded_again(
        live_server, context, world, session, as_person):
    """Wording refusals again is the last, least part of a sync: a server that cannot answer it
    leaves the sync done, with the refusal as it came, and the next sync asks again."""
    page = refused_in_english(live_server, context, world, as_person)
    page.route("**/api/v1/sync/rejections*", lambda route: route.fulfill(status=503))
    sync_and_wait(page)
    expect(status(page)).to_contain_text("Online · 0 changes waiting to be sent")
    expect(status(page)).to_contain_text("Last synced")
    open_attention(page)
    expect(page.locator(".attention-item ul li")).to_contain_text([LOCKED])


def test_refusals_are_worded_again_page_after_page_from_the_oldest_held(
        live_server, context, world, session, as_person):
    """The tablet asks for its refusals from the oldest it holds, and follows the server's
    pages to the last. Here the server's first page is made to hold none of them, only the way
    to the next."""
    page = refused_in_english(live_server, context, world, as_person)
    session.expire_all()
    held = session.scalars(select(SyncRejection.mutation_id).where(
        SyncRejection.device_id == device_of(session, world.worker).id)).one()
    asked = []

    def first_page_empty(route):
        asked.append(route.request.url)
        if "page=" in route.request.url.split("?", 1)[1].replace("per_page=", ""):
            route.continue_()
            return
        real = route.fetch().json()
        route.fulfill(json={**real, "items": [], "next": route.request.url + "&page=1"})

    page.route("**/api/v1/sync/rejections*", first_page_empty)
    page.get_by_role("button", name="Cymraeg").click()  # starts a sync
    expect(page.locator("#sync-now")).to_be_enabled()
    open_attention(page)
    expect_refused_in_welsh(page)
    assert len(asked) == 2
    query = parse_qs(urlsplit(asked[0]).query)
    assert query["from_mutation_id"] == [str(held)] and query["lang"] == ["cy"]


def test_a_delete_in_conflict_decided_as_deleted_leaves_the_tablet(
        live_server, context, world, session, as_person, app):
    """Another of the worker's tablets deleted an attempt that had been changed since it last
    saw it: a conflict on the delete. Deciding it on this tablet as deleted removes the attempt
    from the tablet as from the server, and the interview's page shows it no more."""
    _tablet_a, _tablet_b, ids, _base, _deleting = delete_in_conflict(
        app, as_person(world.worker))

    page = context.new_page()
    set_up_tablet(page, live_server, world, language="English")
    sync_and_wait(page)
    expect(attention_link(page)).to_have_text("1 record needs attention")
    page.evaluate(f"location.hash = '#/interviews/{ids['interviews']}'")
    screen_drawn(page)
    expect(page.locator("ul.attempts li")).to_have_count(1)

    # No pull from here until the end: what the tablet shows is what resolving left on it.
    page.route("**/api/v1/sync/pull*", lambda route: route.abort())
    open_attention(page)
    item = page.locator(".attention-item")
    expect(item.locator("dd")).to_have_text(["Yes", "No"])  # delete it, keep it
    item.get_by_role("button", name="Keep your change").click()
    expect(page.locator(".notice")).to_have_text("Saved")
    expect(page.get_by_text("Nothing needs your attention.")).to_be_visible()
    session.expire_all()
    assert session.get(InterviewAttempt, ids["attempts"]) is None

    page.evaluate(f"location.hash = '#/interviews/{ids['interviews']}'")
    screen_drawn(page)
    expect(page.locator("h1")).to_have_text("Return interview with Gwenllïan Ŵyn")
    expect(page.get_by_text("No attempts recorded yet.")).to_be_visible()
    # And after the next sync, nothing of it comes back.
    page.unroute("**/api/v1/sync/pull*")
    sync_and_wait(page)
    expect(attention_link(page)).to_be_hidden()
    page.evaluate(f"location.hash = '#/interviews/{ids['interviews']}'")
    screen_drawn(page)
    expect(page.get_by_text("No attempts recorded yet.")).to_be_visible()


def test_deciding_one_conflict_leaves_another_on_the_same_field_to_decide(
        live_server, context, world, session, as_person, app):
    """Two other tablets each changed the same child's last name, both in conflict with a
    third change: deciding one on this tablet leaves the other to decide, before the next sync
    as after it."""
    web = as_person(world.worker)
    tablet_a, tablet_b, tablet_c = (enrol(app, web, name) for name in ("A", "B", "C"))
    child_id = uuid.uuid4()
    made = tablet_a.push([tablet_a.mutation("children", child_id,
                                            {"given_name": "Gwenllïan", "family_name": "Ŵyn"})])
    base = made["results"][0]["rev"]
    for tablet, name in ((tablet_a, "Jones"), (tablet_b, "Evans"), (tablet_c, "Morgan")):
        tablet.push([tablet.mutation("children", child_id, {"family_name": name},
                                     base_rev=base)])

    page = context.new_page()
    set_up_tablet(page, live_server, world, language="English")
    sync_and_wait(page)
    expect(attention_link(page)).to_have_text("2 records need attention")
    # The tablet hears of no conflict from the server until the end: what it shows is what
    # deciding left on it.
    page.route(re.compile(r".*/api/v1/sync/conflicts$"), lambda route: route.abort())
    open_attention(page)
    items = page.locator(".attention-item")
    expect(items.locator("dd:first-of-type")).to_have_text(["Evans", "Morgan"])
    items.first.get_by_role("button", name="Keep your change").click()
    expect(page.locator(".notice")).to_have_text("Saved")
    expect(items).to_have_count(1)
    expect(items.locator("dd")).to_have_text(["Morgan", "Jones"])

    page.unroute(re.compile(r".*/api/v1/sync/conflicts$"))
    sync_and_wait(page)
    open_attention(page)
    expect(items).to_have_count(1)
    expect(items.locator("dd")).to_have_text(["Morgan", "Jones"])
