"""The supervisor's review in Chromium: the queue, the review page with its forms and the sync
conflicts page, in Welsh and English, with nothing axe objects to; a return with comments made
on the page reaches the worker's tablet at its next sync, in the tablet's language."""

import pytest
from playwright.sync_api import expect

from app.auth.models import Person
from tests.api.helpers import API
from tests.browser.steps import go_to, set_up_tablet, sign_in, sync_and_wait, violations
from tests.review.conftest import a_conflict, tell_interview

COMMENT = "Ask where she stayed on the second night."
SHOWN = {"English": "Your supervisor returned this interview",
         "Cymraeg": "Mae eich goruchwyliwr wedi anfon y cyfweliad hwn yn ôl"}


def at_the_desk(browser, live_server, person, address):
    """A page of a computer of the person's own, signed in, at the address."""
    desk = browser.new_context().new_page()
    desk.goto(f"{live_server}/sign-in?lang=en&next={address}")
    sign_in(desk, person)
    return desk


@pytest.mark.parametrize("language", ["English", "Cymraeg"])
def test_a_supervisors_comment_reaches_the_tablet(page, browser, live_server, world, as_person,
                                                  language):
    told = tell_interview(as_person(world.worker))
    set_up_tablet(page, live_server, world, language=language)
    sync_and_wait(page)

    address = f"/review/interviews/{told.interview['id']}"
    desk = at_the_desk(browser, live_server, world.supervisor, address + "?lang=en")
    try:
        desk.get_by_label("Comments for the worker").fill(COMMENT)
        desk.get_by_role("button", name="Return to the worker").click()
        expect(desk.get_by_role("status")).to_contain_text(
            "You returned the interview to the worker with your comments.")
        assert violations(desk) == []
    finally:
        desk.context.close()

    sync_and_wait(page)
    go_to(page, f"#/interviews/{told.interview['id']}")
    comments = page.locator("section.review-comments")
    expect(comments.get_by_role("heading", name=SHOWN[language])).to_be_visible()
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text("Siân Sup")
    assert violations(page) == []


def test_the_review_pages_in_both_languages(browser, live_server, world, as_person, session,
                                           app):
    # (The fixture's worker's name is also an English word: the pages name them.)
    session.get(Person, world.worker.id).display_name = "Wil Huws"
    session.commit()
    worker = as_person(world.worker)
    returned = tell_interview(worker, given="Gwenllïan", family="Prŷs")
    tell_interview(worker, given="Aled", family="Pryce", harms=["sexual_exploitation"])
    approved = tell_interview(worker, given="Elin", family="Ŵyn")
    supervisor = as_person(world.supervisor)
    token_page = supervisor.get("/review/queue").text
    token = token_page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    supervisor.post(f"/review/interviews/{returned.interview['id']}/return",
                    data={"csrf_token": token, "comment": COMMENT})
    supervisor.post(f"/review/interviews/{approved.interview['id']}/approve",
                    data={"csrf_token": token})
    changed = worker.patch(f"{API}/interviews/{returned.interview['id']}",
                           json={"why_missing": "Roedd hi eisiau gweld ei chwaer.",
                                 "status": "submitted"})
    assert changed.status_code == 200, changed.text
    a_conflict(app, worker)

    desk = at_the_desk(browser, live_server, world.supervisor, "/review/queue")
    admin = at_the_desk(browser, live_server, world.admin, "/review/queue")
    try:
        for language in ("en", "cy"):
            desk.goto(f"{live_server}/review/queue?lang={language}")
            expect(desk.locator("table.review-queue tbody tr")).to_have_count(2)
            assert violations(desk) == [], language
            desk.goto(f"{live_server}/review/interviews/{returned.interview['id']}?lang={language}")
            expect(desk.locator("table.changes tbody tr")).to_have_count(1)
            expect(desk.locator("form.decision")).to_have_count(2)
            assert violations(desk) == [], language
            desk.locator("form.decision button.secondary").click()  # a return with no comments
            expect(desk.locator(".error-summary")).to_be_visible()
            assert violations(desk) == [], language
            admin.goto(f"{live_server}/review/interviews/{approved.interview['id']}?lang={language}")
            expect(admin.locator("#reopen-reason")).to_be_visible()
            assert violations(admin) == [], language
            desk.goto(f"{live_server}/review/conflicts?lang={language}")
            expect(desk.locator("li.conflict")).to_have_count(1)
            assert violations(desk) == [], language
    finally:
        desk.context.close()
        admin.context.close()
