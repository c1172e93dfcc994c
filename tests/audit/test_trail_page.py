"""The administrator's audit trail page (/admin/audit): their own organisation's events only,
searched by person, by child (every record of the child) and by days in Wales, newest first, 50
a page; others refused; a wrong date explained; the search itself in the trail, with the
network address it came from."""

import re
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.services import record_access
from tests.api.helpers import create_attempt, create_child, create_episode, create_interview

PAGE = "/admin/audit"


def shown_records(html: str) -> list[str]:
    return re.findall(r'<code class="record-id">([0-9a-f-]+)</code>', html)


def rows_shown(html: str) -> int:
    return len(re.findall(r'<th scope="row">', html))


@pytest.fixture
def trail(session, world):
    """A read by each of two workers of org A, and one by the worker of org B."""
    record_access(session, world.worker, "read", "children", world.child.id)
    record_access(session, world.colleague, "read", "children", world.colleague_child.id)
    record_access(session, world.outsider, "read", "children", world.outsider_child.id)
    session.commit()


def test_the_admin_sees_their_own_organisations_events_only(world, trail, as_person):
    page = as_person(world.admin).get(PAGE + "?lang=en")
    assert page.status_code == 200
    assert "<h1>Audit trail</h1>" in page.text
    shown = shown_records(page.text)
    assert str(world.child.id) in shown and str(world.colleague_child.id) in shown
    assert str(world.outsider_child.id) not in shown
    assert "Will Worker" in page.text and "Read: child" in page.text
    assert "Olaf Outsider" not in page.text  # nor among the people to choose


@pytest.mark.parametrize("role", ["supervisor", "worker", "commissioner"])
def test_anyone_but_an_admin_is_refused(world, as_person, role):
    assert as_person(getattr(world, role)).get(PAGE).status_code == 403


def test_someone_signed_out_is_sent_to_sign_in_and_back(client):
    answer = client.get(PAGE)
    assert answer.status_code == 302
    assert "/sign-in?next=/admin/audit" in answer.headers["Location"]


def test_the_nav_links_to_the_trail_for_admins_only(world, as_person):
    assert 'href="/admin/audit"' in as_person(world.admin).get("/review/interviews").text
    assert 'href="/admin/audit"' not in as_person(world.supervisor).get("/review/interviews").text


def test_search_by_person(world, trail, as_person):
    page = as_person(world.admin).get(PAGE, query_string={"person": str(world.colleague.id)})
    assert page.status_code == 200
    assert shown_records(page.text) == [str(world.colleague_child.id)]


def test_a_person_of_another_organisation_cannot_be_chosen(world, trail, as_person):
    page = as_person(world.admin).get(PAGE, query_string={"person": str(world.outsider.id),
                                                          "lang": "en"})
    assert page.status_code == 422
    assert "Choose a person from the list." in page.text
    assert str(world.outsider_child.id) not in page.text


def test_search_by_child_finds_every_record_of_the_child(world, trail, as_person):
    worker = as_person(world.worker)
    child = create_child(worker, given="Gwenllïan", family="Prŷs")
    episode = create_episode(worker, child["id"])
    interview = create_interview(worker, episode["id"])
    attempt = create_attempt(worker, interview["id"])
    other = create_child(worker, given="Dafydd", family="Prŷs")

    page = as_person(world.admin).get(PAGE, query_string={"child": "gwenllian", "lang": "en"})
    assert page.status_code == 200
    shown = set(shown_records(page.text))
    assert {child["id"], episode["id"], interview["id"], attempt["id"]} <= shown
    assert other["id"] not in shown and str(world.child.id) not in shown
    assert "Events about 1 child whose name matches." in page.text

    nobody = as_person(world.admin).get(PAGE, query_string={"child": "Zebedee", "lang": "en"})
    assert "No child's name matches “Zebedee”" in nobody.text
    assert shown_records(nobody.text) == []


def test_search_by_days_in_wales(session, world, as_person):
    """Days are London's: 23:30 UTC on 1 July is 2 July in Wales (summer time)."""
    winter = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    ids = {}
    for when in (winter, summer):
        ids[when] = uuid.uuid4()
        session.add(AuditEvent(at=when, organisation_id=world.org_a.id,
                               person_id=world.worker.id, action="read",
                               collection="interviews", record_id=ids[when]))
    session.commit()
    admin = as_person(world.admin)

    def found(**days):  # the worker's events (the admin's own signing in is in the trail too)
        return shown_records(admin.get(PAGE, query_string={**days, "person": world.worker.id}).text)

    assert found(date_from="2026-07-02", date_to="2026-07-02") == [str(ids[summer])]
    assert found(date_from="2026-07-01", date_to="2026-07-01") == []
    assert found(date_to="2026-03-01") == [str(ids[winter])]
    assert found(date_from="2026-03-01") == [str(ids[summer]), str(ids[winter])]


@pytest.mark.parametrize("days, field, message", [
    ({"date_from": "2026-02-30"}, "date_from",
     "Enter “From date” as a real date, for example 2026-12-06."),
    ({"date_to": "next week"}, "date_to",
     "Enter “To date” as a real date, for example 2026-12-06."),
    ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to",
     "“To date” must be the same as “From date” or after it."),
])
def test_a_wrong_date_is_explained(world, trail, as_person, days, field, message):
    page = as_person(world.admin).get(PAGE, query_string={**days, "lang": "en"})
    assert page.status_code == 422
    assert "There is a problem" in page.text
    assert f'<a href="#{field}">{message}</a>' in page.text
    assert f'id="{field}-error"' in page.text and 'aria-invalid="true"' in page.text
    assert shown_records(page.text) == []


def test_a_wrong_date_is_explained_in_welsh_too(world, trail, as_person):
    page = as_person(world.admin).get(PAGE, query_string={"date_from": "x", "lang": "cy"})
    assert page.status_code == 422
    assert '<html lang="cy">' in page.text and "Mae problem" in page.text


def test_results_are_newest_first_fifty_a_page(session, world, as_person):
    made = []
    for _ in range(60):
        made.append(uuid.uuid4())
        record_access(session, world.worker, "read", "interviews", made[-1])
    session.commit()
    admin = as_person(world.admin)
    first = admin.get(PAGE + f"?lang=en&person={world.worker.id}")
    assert rows_shown(first.text) == 50
    assert shown_records(first.text) == [str(i) for i in reversed(made)][:50]
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = admin.get(PAGE + f"?page=2&lang=en&person={world.worker.id}")
    assert shown_records(second.text) == [str(i) for i in reversed(made)][50:]
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text


def test_the_search_is_audited_with_where_it_came_from(session, world, trail, as_person):
    as_person(world.admin).get(PAGE, query_string={"child": "Cerys"},
                               environ_base={"REMOTE_ADDR": "203.0.113.7"})
    search = session.scalars(select(AuditEvent).where(AuditEvent.action == "search")).one()
    assert (search.person_id, search.collection, search.record_id) == (
        world.admin.id, "audit_events", None)
    assert search.address == "203.0.113.7"
    assert search.detail == "by child"  # which filters, never the name searched for
