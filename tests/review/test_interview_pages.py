"""A supervisor reads an interview: every question in their own language with the answer under
it, coded answers named in their language, the young person's words as given and marked with
their language; only within their scope, and every read in the audit trail."""

import re
import uuid

from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.review.conftest import OTHER_PUSH, WHY, YOUNG_PERSON_TODAY, in_language, tell_interview


def page_of(client, told, language):
    response = in_language(client, language).get(f"/review/interviews/{told.interview['id']}")
    assert response.status_code == 200, response.text
    return response.text


def answer_under(html: str, question: str) -> str:
    """The text of the answer shown under this question."""
    match = re.search(r"<dt>" + re.escape(question) + r"</dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert match, f"no question {question!r} on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_an_english_reader_sees_english_questions_over_the_welsh_answers(told, world, as_person):
    html = page_of(as_person(world.supervisor), told, "en")
    assert "<h1>Interview with Gwenllïan Prŷs</h1>" in html
    assert answer_under(html, "Why did the young person go missing?") == WHY.replace("'", "&#39;")
    assert f'<p class="own-words" lang="cy">{WHY}' in html.replace("&#39;", "'")
    assert answer_under(html, "What made the young person want to leave?") == (
        "Family conflict Other")
    assert answer_under(html, "Describe the other reasons for leaving") == OTHER_PUSH
    assert answer_under(html, "What drew the young person away?") == "To see friends"
    assert answer_under(html, "What happened while the young person was missing?") == (
        "Not answered")
    assert "Answered in Welsh." in html and "Answered in English." in html
    assert f'<p class="own-words" lang="en">{YOUNG_PERSON_TODAY}' in html
    assert "Waiting for review" in html
    assert "Tuesday, 3 March 2026, 14:30" in html  # held: UTC stored, Europe/London shown
    assert re.search(r"<li>Monday, 2 March 2026, \d\d:\d\d: Phone call, Spoke to the young "
                     r"person</li>", html)


def test_a_welsh_reader_sees_every_question_and_label_in_welsh(told, world, as_person):
    html = page_of(as_person(world.supervisor), told, "cy")
    assert '<html lang="cy">' in html
    assert "<h1>Cyfweliad gyda Gwenllïan Prŷs</h1>" in html
    assert answer_under(html, "Pam aeth y person ifanc ar goll?").startswith("Roedd ffrae gartref")
    assert answer_under(html, "Beth wnaeth i&#39;r person ifanc fod eisiau gadael?") == (
        "Gwrthdaro yn y teulu Arall")
    # The young person's words stay as they gave them, marked as English for screen readers.
    assert f'<p class="own-words" lang="en">{YOUNG_PERSON_TODAY}' in html
    assert "Dydd Mawrth, 3 Mawrth 2026, 14:30" in html
    assert "Galwad ffôn, Wedi siarad â&#39;r person ifanc" in html
    for english in ("Why did the young person go missing?", "Family conflict",
                    "Answered in", "Not answered", "Waiting for review"):
        assert english not in html


def test_a_question_asked_only_in_some_cases_is_read_back_only_then(told, world, as_person):
    supervisor = as_person(world.supervisor)
    asked = page_of(supervisor, told, "en")
    assert answer_under(asked, "Describe the other reasons for leaving") == OTHER_PUSH
    assert answer_under(asked, "Who would the young person like to talk to?") == "Fy nain"
    not_asked = tell_interview(told.worker, given="Elin", family="Ŵyn", submit=False,
                               push_factors=["family_conflict"],
                               local_answers={"wants_to_talk": False},
                               young_person_language=None)
    html = page_of(supervisor, not_asked, "en")
    assert answer_under(html, "Does the young person want to talk to someone about what happened?") == "No"
    assert "Describe the other reasons for leaving" not in html
    assert "Who would the young person like to talk to?" not in html
    assert "Not finished yet" in html
    # Nothing of the young person's part yet: it says so rather than list empty answers.
    assert "Not answered yet." in html


def test_each_read_is_in_the_audit_trail(told, world, as_person, session):
    page_of(as_person(world.supervisor), told, "en")
    reads = session.scalars(select(AuditEvent).where(
        AuditEvent.record_id == uuid.UUID(told.interview["id"]),
        AuditEvent.action == "read")).all()
    assert [event.person_id for event in reads] == [world.supervisor.id]


def test_only_those_who_may_see_the_child_read_the_interview(told, world, as_person, app):
    address = f"/review/interviews/{told.interview['id']}"
    assert as_person(world.admin).get(address).status_code == 200
    assert as_person(world.worker).get(address).status_code == 403
    assert as_person(world.commissioner).get(address).status_code == 403
    assert as_person(world.outsider).get(address).status_code == 403
    assert as_person(world.other_team_worker).get(address).status_code == 403
    assert as_person(world.supervisor).get(f"/review/interviews/{uuid.uuid4()}").status_code == 404


def test_a_supervisor_of_another_team_is_told_there_is_no_such_interview(
        told, world, as_person, session, password_hash):
    from app.auth.models import Role
    from app.auth.services import add_person

    other_supervisor = add_person(session, world.org_a, world.other_team, Role.SUPERVISOR,
                                  "Sioned Other", "sioned.other@example.org", password_hash)
    session.commit()
    response = as_person(other_supervisor).get(f"/review/interviews/{told.interview['id']}")
    assert response.status_code == 404


def test_signing_in_leads_back_to_the_interview(told, world, app):
    from tests.conftest import PASSWORD, second_step

    client = app.test_client()
    address = f"/review/interviews/{told.interview['id']}"
    response = client.get(address + "?lang=en")
    assert response.status_code == 302
    sign_in_page = client.get(response.headers["Location"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', sign_in_page.text).group(1)
    next_page = re.search(r'name="next" value="([^"]+)"', sign_in_page.text).group(1)
    assert next_page.startswith(address)
    signed_in = second_step(client, client.post("/sign-in", data={
        "csrf_token": token, "email": world.supervisor.email, "password": PASSWORD,
        "next": next_page}))
    assert signed_in.headers["Location"] == next_page
    assert client.get(next_page).status_code == 200


def test_a_declined_interview_says_who_declined_and_why(world, as_person):
    told = tell_interview(as_person(world.worker), given="Osian", family="Llŷr", submit=False,
                          consent="declined", declined_by="child",
                          decline_reason="prefers_known_adult", conducted_at=None,
                          local_answers={}, language=None, young_person_language=None,
                          why_missing=None, push_factors=[], pull_factors=[])
    html = page_of(as_person(world.supervisor), told, "en")
    assert answer_under(html, "Interview held") == (
        "Declined by: The young person Reason: Wants to talk to an adult they know")
    assert "Independent of the police" not in html
    assert html.count("Not answered yet.") == 2


def test_independence_is_shown_and_what_was_not_recorded_says_so(world, as_person):
    told = tell_interview(as_person(world.worker), independent_of_police=True,
                          independent_of_local_authority=False)
    html = page_of(as_person(world.supervisor), told, "en")
    assert answer_under(html, "Independent of the police") == "Yes"
    assert answer_under(html, "Independent of the council") == "No"
    assert answer_under(html, "Independent of the placement") == "Not recorded"


def test_answers_whose_language_was_not_recorded_are_still_shown(world, as_person):
    told = tell_interview(as_person(world.worker), young_person_language=None)
    html = page_of(as_person(world.supervisor), told, "en")
    assert "The language of these answers was not recorded." in html
    assert f'<p class="own-words">{YOUNG_PERSON_TODAY}' in html


def test_an_answer_stored_before_kinds_were_checked_is_shown_as_stored(told, world, as_person,
                                                                      session):
    from app.interviews.models import ReturnInterview

    interview = session.get(ReturnInterview, uuid.UUID(told.interview["id"]))
    interview.local_answers = {**interview.local_answers, "yp_feel_safe_now": "false"}
    session.commit()
    html = page_of(as_person(world.supervisor), told, "en")
    assert answer_under(html, "Do you feel safe right now?") == "false"


def test_pages_of_a_childs_record_are_kept_out_of_caches(told, world, as_person):
    supervisor = as_person(world.supervisor)
    for address in ("/review/", f"/review/interviews/{told.interview['id']}",
                    "/reports/interviews.csv"):
        response = supervisor.get(address)
        assert response.headers["Cache-Control"] == "no-store", address
        assert response.headers["Referrer-Policy"] == "same-origin", address


def test_the_language_link_keeps_the_query_as_it_came(told, world, as_person):
    html = as_person(world.supervisor).get(
        "/review/?q=si%C3%A2n&endpoint=x&_method=POST&_external=1&page=%C2%B2").text
    link = re.search(r'<a href="([^"]+)"\s+lang="cy"', html).group(1).replace("&amp;", "&")
    assert link == ("/review/?q=si%C3%A2n&endpoint=x&_method=POST&_external=1&page=%C2%B2"
                    "&lang=cy")
