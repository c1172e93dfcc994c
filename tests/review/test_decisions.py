"""A supervisor's decisions on a submitted interview, through the review page: approve, return
with comments (and the worker's resubmission through a sync push), an admin's reopening with a
reason; the moves the rules refuse are refused here, through the API and a sync push, in the
same words; the decisions reach the worker's tablet."""

import html
import re
import uuid

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.services import add_person
from app.review.models import ReviewDecision
from tests.api.helpers import API
from tests.review.conftest import WHY, tell_interview
from tests.sync.http_helpers import enrol, record

WRITE_COMMENTS = "Write what the worker should change before you return the interview."
NO_MOVE_BACK = "An interview cannot move from approved to returned."
COMMENT = "Ask where she stayed on the second night, and record the Active Offer's answer."


def csrf(client, path: str) -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def page_path(told) -> str:
    return f"/review/interviews/{told.interview['id']}"


def decide(client, told, decision: str, comment: str | None = None):
    data = {"csrf_token": csrf(client, "/review/queue?lang=en")}
    if comment is not None:
        data["comment"] = comment
    return client.post(f"{page_path(told)}/{decision}", data=data)


def status_of(client, told) -> str:
    return client.get(f"{API}/interviews/{told.interview['id']}").json["status"]


def decisions_in(session, told) -> list[ReviewDecision]:
    session.expire_all()
    return list(session.scalars(select(ReviewDecision).where(
        ReviewDecision.interview_id == uuid.UUID(told.interview["id"]))
        .order_by(ReviewDecision.decided_at)))


@pytest.fixture
def told(world, as_person):
    return tell_interview(as_person(world.worker))


def test_a_supervisor_approves_a_first_review(told, world, as_person, session):
    supervisor = as_person(world.supervisor)
    page = supervisor.get(page_path(told) + "?lang=en").text
    assert "First review" in page
    assert "Approve the interview" in page and "Return to the worker" in page
    assert "Reopen the interview" not in page  # an admin's alone, and only once approved
    response = decide(supervisor, told, "approve")
    assert response.status_code == 303
    assert status_of(supervisor, told) == "approved"
    [made] = decisions_in(session, told)
    assert (made.decision, made.reviewer_name, made.comment) == ("approve", "Siân Sup", None)
    assert made.snapshot["why_missing"] == WHY
    assert session.scalars(select(AuditEvent).where(
        AuditEvent.action == "review-approve",
        AuditEvent.record_id == made.interview_id)).first() is not None
    shown = supervisor.get(response.headers["Location"]).text
    assert "You approved the interview." in shown and "Approve the interview" not in shown


def test_a_return_without_comments_is_refused_and_nothing_is_saved(told, world, as_person,
                                                                   session):
    supervisor = as_person(world.supervisor)
    response = decide(supervisor, told, "return", "   ")
    assert response.status_code == 422
    assert WRITE_COMMENTS in response.text
    assert 'href="#return-comment"' in response.text and 'aria-invalid="true"' in response.text
    assert status_of(supervisor, told) == "submitted"
    assert decisions_in(session, told) == []


def test_a_return_reaches_the_tablet_and_the_worker_resubmits_through_sync(
        told, world, as_person, app, session):
    supervisor = as_person(world.supervisor)
    assert decide(supervisor, told, "return", COMMENT).status_code == 303
    assert status_of(supervisor, told) == "returned"

    tablet = enrol(app, told.worker)
    pulled = tablet.pull()
    [decision_id] = [key[1] for key in pulled["changes"] if key[0] == "review_decisions"]
    shown = record(pulled, "review_decisions", decision_id)
    assert shown["comment"] == COMMENT and shown["decision"] == "return"
    assert shown["reviewer_name"] == "Siân Sup"
    assert shown["interview_id"] == told.interview["id"]
    assert "snapshot" not in shown  # what was reviewed stays on the server
    interview = pulled["changes"][("interviews", told.interview["id"])]
    assert interview["record"]["status"] == "returned"

    # The worker edits and resubmits on the tablet.
    body = tablet.push([tablet.mutation(
        "interviews", told.interview["id"],
        {"why_missing": "Roedd hi eisiau gweld ei chwaer.", "status": "submitted"},
        base_rev=interview["rev"])])
    assert body["results"][0]["status"] == "applied", body

    page = supervisor.get(page_path(told) + "?lang=en").text
    changed = re.search(r'<table class="changes">(.*?)</table>', page, re.S).group(1)
    assert "Why did the young person go missing?" in changed
    assert "Roedd hi eisiau gweld ei chwaer." in changed
    assert "Roedd ffrae gartref" in changed  # before
    assert "What drew the young person away?" not in changed  # unchanged answers are left out
    assert COMMENT in html.unescape(page) and "Returned with comments" in page

    assert decide(supervisor, told, "approve").status_code == 303
    assert status_of(supervisor, told) == "approved"
    assert [d.decision for d in decisions_in(session, told)] == ["return", "approve"]


def test_a_device_cannot_write_a_decision(told, app):
    tablet = enrol(app, told.worker)
    body = tablet.push([tablet.mutation("review_decisions", uuid.uuid4(),
                                        {"interview_id": told.interview["id"],
                                         "decision": "approve"})])
    assert body["results"][0]["status"] == "rejected"


def test_an_admin_reopens_with_a_reason(told, world, as_person, session):
    supervisor, admin = as_person(world.supervisor), as_person(world.admin)
    decide(supervisor, told, "approve")
    assert "Reopen the interview" not in supervisor.get(page_path(told) + "?lang=en").text
    page = admin.get(page_path(told) + "?lang=en").text
    assert "Reopen the interview" in page and "Approve the interview" not in page
    refused = decide(admin, told, "reopen", "")
    assert refused.status_code == 422 and "Give the reason for reopening the interview." in refused.text
    assert status_of(admin, told) == "approved"
    assert decide(admin, told, "reopen", "The date of the return was wrong.").status_code == 303
    assert status_of(admin, told) == "returned"
    assert [(d.decision, d.comment) for d in decisions_in(session, told)][-1] == (
        "reopen", "The date of the return was wrong.")


def test_a_supervisor_cannot_reopen_in_the_same_words_everywhere(told, world, as_person, app):
    supervisor = as_person(world.supervisor)
    decide(supervisor, told, "approve")
    page = decide(supervisor, told, "reopen", "I changed my mind.")
    assert page.status_code == 409 and NO_MOVE_BACK in page.text
    api = supervisor.patch(f"{API}/interviews/{told.interview['id']}", json={"status": "returned"})
    assert api.status_code == 409
    assert {e["field"]: e["messages"] for e in api.get_json(force=True)["errors"]} == {
        "status": [NO_MOVE_BACK]}
    tablet = enrol(app, supervisor)
    rev = tablet.pull()["changes"][("interviews", told.interview["id"])]["rev"]
    body = tablet.push([tablet.mutation("interviews", told.interview["id"],
                                        {"status": "returned"}, base_rev=rev)])
    assert body["results"][0]["status"] == "rejected"
    assert body["results"][0]["errors"]["status"] == [NO_MOVE_BACK]
    assert status_of(supervisor, told) == "approved"
    # An admin's move, through the API, is the rules' own.
    admin = as_person(world.admin)
    moved = admin.patch(f"{API}/interviews/{told.interview['id']}", json={"status": "returned"})
    assert moved.status_code == 200, moved.text


def test_a_decision_already_made_is_refused(told, world, as_person):
    supervisor = as_person(world.supervisor)
    decide(supervisor, told, "approve")
    again = decide(supervisor, told, "return", COMMENT)
    assert again.status_code == 409
    assert "An interview cannot move from approved to returned." in again.text


def test_only_reviewers_of_the_interview_decide(told, world, as_person, session, password_hash):
    worker = as_person(world.worker)
    assert decide(worker, told, "approve").status_code == 403
    assert worker.get(page_path(told)).status_code == 403
    other_supervisor = add_person(session, world.org_a, world.other_team, Role.SUPERVISOR,
                                  "Osian Other", "osian.sup@example.org", password_hash, "en")
    other_admin = add_person(session, world.org_b, None, Role.ADMIN, "Bea B",
                             "bea.admin@example.org", password_hash, "en")
    session.commit()
    for outsider in (other_supervisor, other_admin):
        client = as_person(outsider)
        assert client.get(page_path(told)).status_code == 404
        assert decide(client, told, "approve").status_code == 404
    assert status_of(as_person(world.supervisor), told) == "submitted"


def test_a_supervisor_does_not_approve_an_interview_they_held(world, as_person):
    supervisor = as_person(world.supervisor)
    held = tell_interview(supervisor, given="Mali")
    page = supervisor.get(page_path(held) + "?lang=en").text
    assert "Approve the interview" not in page and "Return to the worker" in page
    refused = decide(supervisor, held, "approve")
    assert refused.status_code == 409
    assert "You cannot approve an interview you held yourself." in refused.text
