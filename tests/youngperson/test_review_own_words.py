"""A supervisor reads the young person's own section of a version 2 interview: each question in
the reader's language with the child's answer, "chose not to say" apart from "not reached", the
hand-over's facts; the read in the audit trail."""

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.api.helpers import API, create_child, create_episode, create_interview, questionnaire_id
from tests.review.conftest import in_language
from tests.youngperson.helpers import TELL_ADULTS, report_fields

CONDUCTED = "2026-03-03T14:30:00+00:00"


def answer_under(html: str, question: str) -> str:
    match = re.search(r"<dt>" + re.escape(question) + r"</dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert match, f"no question {question!r} on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


@pytest.fixture
def reported(world, as_person):
    """An interview of version 2 with the young person's section given in English."""
    web = as_person(world.worker)
    child = create_child(web, given="Nia", family="Rees")
    episode = create_episode(web, child["id"])
    interview = create_interview(web, episode["id"], consent="accepted", conducted_at=CONDUCTED,
                                 questionnaire_version_id=questionnaire_id(web, 2))
    response = web.post(f"{API}/self_reports", json=report_fields(
        interview["id"], interview["questionnaire_version_id"]))
    assert response.status_code == 201, response.get_data(as_text=True)
    return interview, response.json


def page(client, interview, language: str) -> str:
    response = in_language(client, language).get(f"/review/interviews/{interview['id']}")
    assert response.status_code == 200, response.text
    return response.text.replace("&#39;", "'")


def test_the_section_reads_back_in_english(reported, world, as_person, session):
    interview, report = reported
    html = page(as_person(world.supervisor), interview, "en")
    assert answer_under(html, "Before you left, how did you feel?") == "Bad"
    assert answer_under(html, "How do you feel today?") == "Good"
    assert answer_under(html, "Do you feel safe right now?") == "Yes"
    assert answer_under(html, "Why did you leave?") == "Family conflict Other To see friends"
    assert answer_under(html, "What else made you leave?") == "Too loud at home"
    assert answer_under(html, "Who would you like to talk to?") == "An advocate"
    assert answer_under(html, "What do you want your carers and social worker to know?") == \
        TELL_ADULTS
    # Skipped is the child's choice; not reached is not.
    assert answer_under(html, "Where were you, and who were you with?") == "Chose not to say"
    assert answer_under(html, "Did anyone hurt you, or make you do things you did not want to "
                              "do?") == "Chose not to say"
    assert answer_under(html, "Where would you like to live?") == "Not reached"
    # Asked only when they said yes to being hurt: not shown.
    assert "Do you want to tell us more?" not in html
    assert "Answered in English." in html
    assert answer_under(html, "First language") == "Polish"
    assert answer_under(html, "An interpreter read the questions to them") == "No"
    assert answer_under(html, "Tablet handed to them") == "Tuesday, 3 March 2026, 14:40"
    assert answer_under(html, "Tablet handed back") == "Tuesday, 3 March 2026, 14:56"
    assert answer_under(html, "Asked for an advocate").startswith("Yes")
    reads = session.scalars(select(AuditEvent).where(
        AuditEvent.collection == "self_reports", AuditEvent.action == "read")).all()
    assert [str(event.record_id) for event in reads] == [report["id"]]


def test_the_section_reads_back_in_welsh(reported, world, as_person):
    interview, _report = reported
    html = page(as_person(world.supervisor), interview, "cy")
    assert answer_under(html, "Cyn i ti adael, sut oeddet ti'n teimlo?") == "Gwael"
    assert answer_under(html, "Ble oeddet ti, a gyda phwy oeddet ti?") == "Dewisodd beidio â dweud"
    assert answer_under(html, "Ble hoffet ti fyw?") == "Heb gyrraedd"
    assert answer_under(html, "Iaith gyntaf") == "Pwyleg"
    # Their own words stay as given, marked as English.
    assert f'<p class="own-words" lang="en">{TELL_ADULTS}' in html
    for english in ("Chose not to say", "Not reached", "First language", "Polish"):
        assert english not in html
