"""The supervisor's intake: the return notice, possible duplicates offered before a new child
is made, the episode opened with the return time, a worker assigned with the child's wish;
all of it in one transaction, in the reader's language, within the supervisor's team."""

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.cases.models import Child, MissingEpisode
from app.intake import services
from tests.api.helpers import create, patch
from tests.intake.helpers import choose, hidden_fields, local_tomorrow, save, search, token


def _jones(session, world, **fields) -> Child:
    child = Child(organisation_id=world.org_a.id, team_id=world.team_a.id,
                  assigned_worker_id=world.worker.id, given_name="Siân", family_name="Jones",
                  date_of_birth=date(2012, 3, 27), **fields)
    session.add(child)
    session.commit()
    return child


def _children(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Child))


def test_a_child_keeps_their_name_folded_whoever_writes_it(session, world):
    child = _jones(session, world)
    assert child.name_folded == "sian jones"
    child.family_name = "JÔNES-Ëvans"
    session.commit()
    assert session.scalar(select(Child.name_folded).where(Child.id == child.id)) == \
        "sian jones-evans"


def test_the_apis_children_keep_their_folded_names(session, world, as_person):
    worker = as_person(world.worker)
    made = create(worker, "children", given_name="ELUNED", family_name="Môn")
    patch(worker, "children", made["id"], given_name="Elunéd")
    session.expire_all()
    assert session.get(Child, uuid.UUID(made["id"])).name_folded == "eluned mon"
    assert "name_folded" not in made


def test_siân_jones_is_offered_for_sian_jones_born_the_same_day(session, world, as_person):
    siân = _jones(session, world)
    _jones(session, world)  # a second Siân Jones of the team: offered too
    # The same name in another team: not the supervisor's to see.
    other = Child(organisation_id=world.org_a.id, team_id=world.other_team.id,
                  given_name="Sian", family_name="Jones", date_of_birth=date(2012, 3, 27))
    session.add(other)
    session.commit()
    supervisor = as_person(world.supervisor)
    page = search(supervisor, search_given_name="SIAN", search_family_name="jones",
                  search_date_of_birth="2012-03-27")
    assert page.status_code == 200, page.text
    assert "Is this child already recorded?" in page.text
    assert page.text.count("Siân Jones") == 2
    assert f'value="{siân.id}"' in page.text
    assert f'value="{other.id}"' not in page.text
    assert "This is the child" in page.text and "None of these: new child" in page.text


def test_born_the_same_day_in_the_same_area_is_offered_whatever_the_name(session, world,
                                                                         as_person):
    child = _jones(session, world, placing_authority_code="W06000015")
    page = search(as_person(world.supervisor), search_given_name="Sioned",
                  search_family_name="Prys", search_date_of_birth="2012-03-27",
                  search_area="W06000015")
    assert f'value="{child.id}"' in page.text
    page = search(as_person(world.supervisor), search_given_name="Sioned",
                  search_family_name="Prys", search_date_of_birth="2012-03-28",
                  search_area="W06000015")
    assert f'value="{child.id}"' not in page.text
    assert "0 children may be the same child." in page.text
    # A family name changed since: the given name and the date of birth still find her.
    page = search(as_person(world.supervisor), search_given_name="sian",
                  search_family_name="Huws", search_date_of_birth="2012-03-27")
    assert f'value="{child.id}"' in page.text
    # A date of birth alone.
    page = search(as_person(world.supervisor), search_date_of_birth="2012-03-27")
    assert f'value="{child.id}"' in page.text
    assert "1 child may be the same child." in page.text


def test_a_new_child_is_made_only_once_new_is_chosen_and_the_intake_saved(session, world,
                                                                          as_person):
    supervisor = as_person(world.supervisor)
    before = _children(session)
    candidates = search(supervisor, search_given_name="Gethin", search_family_name="Llwyd")
    assert _children(session) == before
    unchosen = supervisor.post("/intake/new/child?lang=en", data=hidden_fields(candidates.text))
    assert unchosen.status_code == 422
    assert "Choose the child, or choose to record a new child." in unchosen.text
    episode_page = choose(supervisor, candidates, "new")
    assert episode_page.status_code == 200, episode_page.text
    assert "The new child" in episode_page.text
    assert 'value="Gethin"' in episode_page.text  # the search's name, ready to keep
    assert "The child has had no worker before." in episode_page.text
    assert _children(session) == before

    saved = save(supervisor, episode_page, given_name="Gethin", family_name="Llwyd",
                 date_of_birth="2011-05-04", assigned_worker_id=str(world.colleague.id),
                 worker_wish="none")
    assert saved.status_code == 302, saved.text
    assert _children(session) == before + 1
    child = session.scalars(select(Child).where(Child.family_name == "Llwyd")).one()
    assert (child.team_id, child.assigned_worker_id) == (world.team_a.id, world.colleague.id)
    assert child.name_folded == "gethin llwyd"
    episode = session.scalars(select(MissingEpisode).where(
        MissingEpisode.child_id == child.id)).one()
    assert episode.returned_at == datetime(2026, 3, 2, 8, tzinfo=UTC)
    assert episode.reported_missing_at == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert episode.notified_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert (episode.notified_by, episode.worker_wish, episode.risk_grade) == \
        ("police", "none", "medium")

    page = supervisor.get(saved.headers["Location"])
    assert "The intake is saved." in page.text
    assert "Cai Colleague" in page.text and "The police" in page.text and "No wish" in page.text
    audited = set(session.execute(select(AuditEvent.action, AuditEvent.collection).where(
        AuditEvent.person_id == world.supervisor.id)).all())
    assert {("intake-create", "children"), ("intake-create", "missing_episodes"),
            ("read", "children")} <= audited


def test_a_child_found_is_given_the_worker_and_their_wish_beside_the_last_worker(
        session, world, as_person):
    siân = _jones(session, world)
    supervisor = as_person(world.supervisor)
    candidates = search(supervisor, search_given_name="sian", search_family_name="JONES")
    episode_page = choose(supervisor, candidates, str(siân.id))
    assert "Last worker: Will Worker" in episode_page.text
    # The notice, as recorded at the first step, in Wales's time.
    assert "Monday, 2 March 2026, 09:30" in episode_page.text
    assert "The police" in episode_page.text
    saved = save(supervisor, episode_page, assigned_worker_id=str(world.colleague.id),
                 worker_wish="different")
    assert saved.status_code == 302, saved.text
    session.expire_all()
    assert session.get(Child, siân.id).assigned_worker_id == world.colleague.id
    episode = session.scalars(select(MissingEpisode).where(
        MissingEpisode.child_id == siân.id)).one()
    assert episode.worker_wish == "different"
    assert _children(session) == 5  # the world's four and Siân: no new child


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "The return time cannot be in the future."),
    ("cy", "Ni all yr amser dychwelyd fod yn y dyfodol."),
])
def test_a_return_time_in_the_future_is_refused_in_the_readers_language(world, as_person,
                                                                        lang, message):
    day, clock = local_tomorrow()
    page = search(as_person(world.supervisor), lang, returned_date=day, returned_time=clock,
                  notified_date=day, notified_time="11:00", search_family_name="Jones")
    assert page.status_code == 422
    assert message in page.text
    assert 'href="#returned_date"' in page.text
    assert f'value="{day}"' in page.text  # what was typed is kept


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "The return must be after the report."),
    ("cy", "Rhaid i'r amser dychwelyd fod ar ôl amser yr adroddiad."),
])
def test_a_return_before_the_missing_report_leaves_nothing_saved(session, world, as_person,
                                                                  lang, message):
    supervisor = as_person(world.supervisor)
    before = _children(session)
    candidates = search(supervisor, lang, search_given_name="Nia", search_family_name="Rhys")
    episode_page = choose(supervisor, candidates, "new", lang)
    refused = save(supervisor, episode_page, lang, given_name="Nia", family_name="Rhys",
                   reported_date="2026-03-03", reported_time="10:00",
                   assigned_worker_id=str(world.worker.id), worker_wish="none")
    assert refused.status_code == 422
    assert message in refused.text.replace("&#39;", "'")
    assert 'href="#reported_date"' in refused.text  # mended at the report
    assert 'value="Nia"' in refused.text
    assert _children(session) == before
    assert session.scalar(select(func.count()).select_from(MissingEpisode)) == 0


def test_every_missing_answer_is_named(session, world, as_person):
    supervisor = as_person(world.supervisor)
    candidates = search(supervisor, search_family_name="Rhys")
    episode_page = choose(supervisor, candidates, "new")
    refused = save(supervisor, episode_page, given_name=" ", family_name="Rhys",
                   reported_date="", reported_time="")
    assert refused.status_code == 422
    for message in ("Enter a name.", "Enter when the child was reported missing",
                    "Choose what the child asked about their worker.",
                    "Choose a worker for the child."):
        assert message in refused.text
    assert _children(session) == 4


def test_a_failure_part_way_leaves_nothing(session, world, app, monkeypatch):
    """The child is made, then opening the episode fails: the child goes with it."""
    def failing(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.cases, "create_episode", failing)
    from tests.conftest import sign_in
    supervisor = sign_in(app.test_client(), world.supervisor)
    candidates = search(supervisor, search_given_name="Nia", search_family_name="Rhys")
    episode_page = choose(supervisor, candidates, "new")
    with pytest.raises(RuntimeError):
        save(supervisor, episode_page, given_name="Nia", family_name="Rhys",
             assigned_worker_id=str(world.worker.id), worker_wish="none")
    assert _children(session) == 4


def test_a_notice_of_the_return_before_the_return_is_refused(world, as_person):
    page = search(as_person(world.supervisor), notified_date="2026-03-02",
                  notified_time="07:00", search_family_name="Jones")
    assert page.status_code == 422
    assert "We cannot have been told of the return before the return time." in page.text


def test_the_return_time_is_read_in_wales_time(world, as_person, session):
    """Summer time: 10:00 in Cardiff on 1 July is 09:00 UTC."""
    supervisor = as_person(world.supervisor)
    candidates = search(supervisor, returned_date="2026-07-01", returned_time="10:00",
                        notified_date="2026-07-01", notified_time="11:00",
                        search_family_name="Haf")
    episode_page = choose(supervisor, candidates, "new")
    save(supervisor, episode_page, given_name="Elin", family_name="Haf",
         reported_date="2026-06-30", reported_time="22:00",
         assigned_worker_id=str(world.worker.id), worker_wish="same")
    episode = session.scalars(select(MissingEpisode)).one()
    assert episode.returned_at == datetime(2026, 7, 1, 9, tzinfo=UTC)


# --- who may: supervisors of the team, admins of the organisation ---------------------------
@pytest.mark.parametrize("who", ["worker", "commissioner", "outsider"])
def test_workers_and_commissioners_are_refused(world, as_person, who):
    client = as_person(getattr(world, who))
    assert client.get("/intake/new").status_code == 403
    assert client.get(f"/intake/children/{world.child.id}").status_code == 403


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get("/intake/new")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_another_teams_or_organisations_child_is_not_found(world, as_person):
    supervisor = as_person(world.supervisor)
    csrf = token(supervisor)
    for child in (world.other_team_child, world.outsider_child):
        assert supervisor.get(f"/intake/children/{child.id}").status_code == 404
        assert supervisor.post(f"/intake/children/{child.id}/assign", data={
            "csrf_token": csrf, "assigned_worker_id": str(world.worker.id)}).status_code == 404
        assert supervisor.post("/intake/new/child", data={
            "csrf_token": csrf, "child": str(child.id)}).status_code == 404
    assert supervisor.get(f"/intake/children/{world.child.id}").status_code == 200


def test_an_admin_sees_their_organisations_children_only(world, as_person):
    admin = as_person(world.admin)
    assert admin.get(f"/intake/children/{world.other_team_child.id}").status_code == 200
    assert admin.get(f"/intake/children/{world.outsider_child.id}").status_code == 404


def test_an_admins_new_child_joins_the_chosen_workers_team(session, world, as_person):
    admin = as_person(world.admin)
    candidates = search(admin, search_given_name="Osian", search_family_name="Bevan")
    episode_page = choose(admin, candidates, "new")
    assert "Owen Other" in episode_page.text and "Will Worker" in episode_page.text
    saved = save(admin, episode_page, given_name="Osian", family_name="Bevan",
                 assigned_worker_id=str(world.other_team_worker.id), worker_wish="none")
    assert saved.status_code == 302, saved.text
    child = session.scalars(select(Child).where(Child.family_name == "Bevan")).one()
    assert child.team_id == world.other_team.id


def test_a_worker_of_another_team_cannot_be_given_the_child(session, world, as_person):
    supervisor = as_person(world.supervisor)
    page = supervisor.post(f"/intake/children/{world.child.id}/assign?lang=en", data={
        "csrf_token": token(supervisor), "assigned_worker_id": str(world.other_team_worker.id)})
    assert page.status_code == 422
    assert "No such worker in this child&#39;s team." in page.text
    session.expire_all()
    assert session.get(Child, world.child.id).assigned_worker_id == world.worker.id


def test_a_post_without_the_csrf_token_is_refused(world, as_person):
    supervisor = as_person(world.supervisor)
    assert supervisor.post(f"/intake/children/{world.child.id}/assign", data={
        "assigned_worker_id": str(world.colleague.id)}).status_code == 400
