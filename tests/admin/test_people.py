"""The admin's people pages: who sees them, the organisation's people only, role and team,
deactivating (sessions ended, tablets told to wipe), reactivating, unlocking; each audited."""

import html
import uuid

import pytest
from sqlalchemy import select

from app.auth.models import Device, Role, SignInSession, SignInThrottle
from tests.admin.helpers import audited, fresh, hand_in_sealed, post_form
from tests.auth.helpers import post_sign_in
from tests.sync.http_helpers import PULL, enrol_pair


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("who", ["worker", "supervisor", "commissioner"])
@pytest.mark.parametrize("page", ["/admin/people", "/admin/teams", "/admin/people/invite"])
def test_only_an_admin_may_open_the_pages(world, as_person, who, page):
    assert as_person(getattr(world, who)).get(page).status_code == 403


def test_someone_signed_out_is_sent_to_sign_in_and_back(client, world):
    response = client.get("/admin/people")
    assert response.status_code == 302
    assert "/sign-in" in response.location and "next=/admin/people" in response.location


def test_a_worker_cannot_change_anyone(world, as_person, session):
    worker = as_person(world.worker)
    response = post_form(worker, f"/admin/people/{world.colleague.id}/role",
                         {"role": "admin", "team": ""})
    assert response.status_code == 403
    assert fresh(session, world.colleague).role == Role.WORKER
    response = post_form(worker, f"/admin/people/{world.colleague.id}/deactivate")
    assert response.status_code == 403
    assert fresh(session, world.colleague).active


def test_the_admin_sees_their_organisations_people_with_their_team(world, as_person):
    admin = as_person(world.admin)
    page = text_of(admin.get("/admin/people?lang=en"))
    for person in (world.supervisor, world.worker, world.other_team_worker, world.commissioner):
        assert person.email in page
    assert world.outsider.email not in page
    assert "6 people." in page
    # The admin signed in just now: their last sign-in is shown, others' "Never".
    assert "Never" in page

    only_a2 = text_of(admin.get(f"/admin/people?team={world.other_team.id}&lang=en"))
    assert world.other_team_worker.email in only_a2
    assert world.worker.email not in only_a2
    assert "1 person." in only_a2


def test_another_organisations_person_or_team_answers_404(world, as_person):
    admin = as_person(world.admin)
    assert admin.get(f"/admin/people/{world.outsider.id}").status_code == 404
    assert admin.get(f"/admin/people/{uuid.uuid4()}").status_code == 404
    assert post_form(admin, f"/admin/people/{world.outsider.id}/deactivate").status_code == 404
    assert post_form(admin, f"/admin/people/{world.outsider.id}/unlock").status_code == 404
    team_b = world.outsider.team_id
    assert admin.get(f"/admin/teams/{team_b}").status_code == 404
    # Nor may a person be put in another organisation's team.
    response = post_form(admin, f"/admin/people/{world.worker.id}/role",
                         {"role": "worker", "team": str(team_b)})
    assert response.status_code == 404


def test_the_person_page_shows_role_team_and_cases_held(world, as_person):
    page = text_of(as_person(world.admin).get(f"/admin/people/{world.worker.id}?lang=en"))
    assert "Will Worker" in page and world.worker.email in page
    assert "1 child's case assigned to them" in page
    assert "A1" in page


def test_changing_role_and_team_is_saved_and_audited(world, as_person, session):
    admin = as_person(world.admin)
    response = post_form(admin, f"/admin/people/{world.worker.id}/role",
                         {"role": "supervisor", "team": str(world.other_team.id)})
    assert response.status_code == 302
    assert "Role and team saved." in text_of(admin.get(response.location + "&lang=en"))
    person = fresh(session, world.worker)
    assert (person.role, person.team_id) == (Role.SUPERVISOR, world.other_team.id)
    assert audited(session, "people", world.worker.id) == [
        ("change-role", world.admin.id), ("change-team", world.admin.id)]


def test_a_worker_needs_a_team(world, as_person, session):
    response = post_form(as_person(world.admin), f"/admin/people/{world.worker.id}/role",
                         {"role": "worker", "team": ""})
    assert response.status_code == 422
    assert "Choose a team: workers and supervisors see the children of their team." in \
        text_of(response)
    assert fresh(session, world.worker).team_id == world.team_a.id
    assert audited(session, "people") == []


def test_an_admin_cannot_demote_or_deactivate_themselves(world, as_person, session):
    admin = as_person(world.admin)
    response = post_form(admin, f"/admin/people/{world.admin.id}/role",
                         {"role": "supervisor", "team": str(world.team_a.id)})
    assert response.status_code == 422
    assert "You cannot take away your own administrator role" in text_of(response)
    response = post_form(admin, f"/admin/people/{world.admin.id}/deactivate")
    assert response.status_code == 422
    assert "You cannot deactivate your own account" in text_of(response)
    person = fresh(session, world.admin)
    assert person.role == Role.ADMIN and person.active and person.team_id is None


def test_deactivation_asks_first_and_says_how_many_cases_they_hold(world, as_person, session):
    page = as_person(world.admin).get(f"/admin/people/{world.worker.id}/deactivate?lang=en")
    assert page.status_code == 200
    assert "They hold 1 child's case." in text_of(page)
    assert fresh(session, world.worker).active


def test_deactivating_ends_sessions_and_tells_tablets_to_wipe(world, as_person, session, app):
    web = as_person(world.worker)
    pair = enrol_pair(web)
    assert web.get("/app").status_code == 200
    assert app.test_client().get(PULL, headers={
        "Authorization": "Bearer " + pair["access_token"]}).status_code == 200

    response = post_form(as_person(world.admin), f"/admin/people/{world.worker.id}/deactivate")
    assert response.status_code == 302

    assert not fresh(session, world.worker).active
    assert all(s.ended_at is not None for s in session.scalars(
        select(SignInSession).where(SignInSession.person_id == world.worker.id)))
    device = session.scalars(select(Device).where(Device.person_id == world.worker.id)).one()
    assert device.revoked_at is not None
    pulled = app.test_client().get(PULL, headers={"Authorization": "Bearer " +
                                                  pair["access_token"]})
    assert pulled.status_code == 401 and pulled.json["wipe"] is True
    # The worker's browser is signed out: a page that needs a sign-in asks for one.
    assert web.get("/admin/people").status_code == 302
    assert web.get("/api/v1/children").status_code == 401
    # Their child's case stays with the team.
    assert world.child.team_id == world.team_a.id
    assert audited(session, "people", world.worker.id) == [("deactivate", world.admin.id)]


def test_reactivating_lets_them_sign_in_again(world, as_person, session, app):
    admin = as_person(world.admin)
    post_form(admin, f"/admin/people/{world.worker.id}/deactivate")
    page = text_of(admin.get(f"/admin/people/{world.worker.id}?lang=en"))
    assert "Deactivated" in page and "Reactivate the account" in page
    response = post_form(admin, f"/admin/people/{world.worker.id}/reactivate")
    assert response.status_code == 302
    assert fresh(session, world.worker).active
    assert as_person(world.worker).get("/api/v1/children").status_code == 200
    assert [a for a, _who in audited(session, "people", world.worker.id)] == [
        "deactivate", "reactivate"]


def test_unlocking_clears_the_lock(world, as_person, session, app):
    # Guessed from elsewhere, so that the admin's own address is not the one slowed down.
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    for _ in range(10):
        post_sign_in(guesser, world.worker.email, "wrong password")
    session.expire_all()
    assert session.scalars(select(SignInThrottle).where(
        SignInThrottle.kind == "account")).first() is not None
    response = post_form(as_person(world.admin), f"/admin/people/{world.worker.id}/unlock")
    assert response.status_code == 302
    session.expire_all()
    assert session.scalars(select(SignInThrottle).where(
        SignInThrottle.kind == "account")).first() is None
    assert ("unlock", world.admin.id) in audited(session, "people", world.worker.id)


def test_a_deactivated_workers_unsent_work_is_kept_sealed_for_the_supervisor(
        world, as_person, session, app):
    """The wipe leaves the sealed copies of what the tablet had not sent: it hands them in,
    and a supervisor applies them, so the interview the worker wrote before leaving is kept."""
    from app.interviews.models import ReturnInterview
    from tests.sync.http_helpers import Tablet, new_case

    pair = enrol_pair(as_person(world.worker), "Will's tablet")
    tablet = Tablet(app, pair)
    ids, mutations = new_case(tablet)
    revs = [result["rev"] for result in tablet.push(mutations)["results"]]
    unsent = [tablet.mutation("interviews", ids["interviews"],
                              {"why_missing": "Ffrae gartref"}, base_rev=revs[2])]
    assert post_form(as_person(world.admin),
                     f"/admin/people/{world.worker.id}/deactivate").status_code == 302
    assert tablet.get_pull().json["wipe"] is True

    answer = hand_in_sealed(app, tablet, world.org_a.id, pair["upload_secret"], unsent)
    assert answer.status_code == 200 and answer.json == {"taken": [4]}
    supervisor = as_person(world.supervisor)
    applied = post_form(supervisor, f"/review/rescue/sealed/{tablet.id}/apply?lang=en")
    assert "1 change applied." in text_of(applied)
    session.expire_all()
    assert session.get(ReturnInterview, ids["interviews"]).why_missing == "Ffrae gartref"
