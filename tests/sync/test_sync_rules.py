"""Rules that hold whichever way a change arrives: resolving a conflict obeys the same rules as
any change, records cannot move between cases, text with NUL is refused, a deleted record can
be made again in the same batch, and every push and pull is in the audit trail."""

import json
import uuid

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.questionnaires.models import QuestionnaireVersion
from tests.api.helpers import API, assert_problem, create_episode, create_interview, patch
from tests.sync.http_helpers import ATTEMPTED, CONDUCTED, PUSH, enrol, new_case, record


def _submitted_interview_with_a_status_conflict(app, world, as_person):
    """A worker's interview, submitted then returned by the supervisor, and a stale tablet
    that tried to set the status at the same time."""
    web = as_person(world.worker)
    first, second = enrol(app, web, "One"), enrol(app, web, "Two")
    ids, mutations = new_case(first)
    first.push(mutations)
    pulled = second.pull()
    base = pulled["changes"][("interviews", str(ids["interviews"]))]["rev"]
    first.push([first.mutation("interviews", ids["interviews"], {"status": "submitted"},
                               base_rev=base)])
    supervisor = as_person(world.supervisor)
    patch(supervisor, "interviews", ids["interviews"], status="returned")
    result = second.push([second.mutation("interviews", ids["interviews"], {"status": "draft"},
                                           base_rev=base)])["results"][0]
    assert result["status"] == "conflict"
    conflicts = web.get(f"{API}/sync/conflicts").json["items"]
    return web, supervisor, ids, conflicts[0]


def test_a_worker_cannot_approve_their_own_interview_by_resolving_a_conflict(
        app, world, as_person):
    web, _supervisor, ids, conflict = _submitted_interview_with_a_status_conflict(
        app, world, as_person)
    response = web.post(f"{API}/sync/conflicts/{conflict['id']}/resolve",
                        json={"value": "approved"})
    assert_problem(response, 422, ["value"])
    assert web.get(f"{API}/interviews/{ids['interviews']}").json["status"] == "returned"


def test_a_worker_may_resolve_with_a_status_they_may_set(app, world, as_person):
    web, _supervisor, ids, conflict = _submitted_interview_with_a_status_conflict(
        app, world, as_person)
    response = web.post(f"{API}/sync/conflicts/{conflict['id']}/resolve",
                        json={"value": "draft"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert web.get(f"{API}/interviews/{ids['interviews']}").json["status"] == "draft"


def test_an_episode_cannot_move_to_another_child(world, as_person):
    supervisor = as_person(world.supervisor)
    episode = create_episode(supervisor, world.child.id)
    response = supervisor.patch(f"{API}/episodes/{episode['id']}",
                                json={"child_id": str(world.colleague_child.id)})
    assert_problem(response, 422, ["child_id"])


def test_an_interview_cannot_move_to_another_episode(world, as_person):
    worker = as_person(world.worker)
    first = create_episode(worker, world.child.id)
    second = create_episode(worker, world.child.id, reported="2026-04-01T10:00:00+00:00",
                            returned="2026-04-02T10:00:00+00:00")
    interview = create_interview(worker, first["id"])
    response = worker.patch(f"{API}/interviews/{interview['id']}",
                            json={"episode_id": second["id"]})
    assert_problem(response, 422, ["episode_id"])


def test_a_child_is_assigned_only_within_its_team(world, as_person):
    supervisor = as_person(world.supervisor)
    for someone in (world.other_team_worker, world.commissioner):
        response = supervisor.patch(f"{API}/children/{world.child.id}",
                                    json={"assigned_worker_id": str(someone.id)})
        assert_problem(response, 422, ["assigned_worker_id"])
    moved = supervisor.patch(f"{API}/children/{world.child.id}",
                             json={"assigned_worker_id": str(world.colleague.id)})
    assert moved.status_code == 200


def test_text_with_a_nul_character_is_refused_everywhere(app, world, as_person, session):
    web = as_person(world.worker)
    response = web.post(f"{API}/children", json={"given_name": "A\u0000b", "family_name": "C"})
    assert_problem(response, 422, ["_body"])
    tablet = enrol(app, web)
    child_id = uuid.uuid4()
    response = tablet.post_push(tablet.batch([tablet.mutation(
        "children", child_id, {"given_name": "A\u0000b", "family_name": "C"})]))
    assert_problem(response, 422, ["_body"])
    assert web.get(f"{API}/children/{child_id}").status_code == 404


def test_a_nul_is_found_in_a_push_whichever_way_the_json_spells_it(app, world, as_person):
    """Escaped in UTF-8, or raw in UTF-16 (where it is not the escape \\u0000); a backslash
    followed by 'u0000' is only text."""
    web = as_person(world.worker)
    tablet = enrol(app, web)

    def push(given_name: str, encoding: str):
        body = tablet.batch([tablet.mutation("children", uuid.uuid4(),
                                             {"given_name": given_name, "family_name": "C"})])
        return tablet.client.post(PUSH, data=json.dumps(body).encode(encoding),
                                  content_type="application/json", headers=tablet.headers)

    assert_problem(push("A\u0000b", "utf-8"), 422, ["_body"])
    assert_problem(push("A\u0000b", "utf-16"), 422, ["_body"])
    assert push("A\\u0000b", "utf-8").json["results"][0]["status"] == "applied"


def test_half_an_emoji_is_refused_with_a_reason_and_nothing_is_applied(app, world, as_person):
    """Text cut through the middle of an emoji leaves half a surrogate pair, which no database
    can store: the push is refused with a reason (in the person's language), never a 500 the
    tablet would retry for ever; a whole emoji is kept."""
    web = as_person(world.worker)
    tablet = enrol(app, web)
    child_id = uuid.uuid4()

    def push(given_name: str):
        body = tablet.batch([tablet.mutation("children", child_id,
                                             {"given_name": given_name, "family_name": "C"})])
        return tablet.client.post(PUSH, data=json.dumps(body).encode(),
                                  content_type="application/json", headers=tablet.headers)

    refused = assert_problem(push("Cer\ud83dys"), 422, ["_body"])
    assert "broken character" in refused["errors"][0]["messages"][0]
    assert ("children", str(child_id)) not in tablet.pull()["changes"]
    assert push("Cerys \U0001F600").json["results"][0]["status"] == "applied"
    assert record(tablet.pull(), "children", child_id)["given_name"] == "Cerys \U0001F600"


def test_a_record_deleted_and_made_again_in_one_batch_is_kept(app, world, as_person):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet)
    attempt_id = uuid.uuid4()
    made = tablet.mutation("attempts", attempt_id, {
        "interview_id": str(ids["interviews"]), "attempted_at": ATTEMPTED, "method": "phone",
        "outcome": "no_answer"})
    tablet.push(mutations + [made])
    again = [tablet.mutation("attempts", attempt_id, op="delete"),
             tablet.mutation("attempts", attempt_id, {"outcome": "appointment_made"})]
    results = tablet.push(again)["results"]
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert web.get(f"{API}/attempts/{attempt_id}").json["outcome"] == "appointment_made"


def test_sync_checks_the_questionnaire_and_local_answers(app, world, as_person, session):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet)
    tablet.push(mutations)
    not_ours = QuestionnaireVersion(key="return-interview", version=99,
                                    organisation_id=world.org_b.id,
                                    definition={"key": "return-interview"}, content_hash="x")
    session.add(not_ours)
    session.commit()
    other_interview = uuid.uuid4()
    results = tablet.push([
        tablet.mutation("interviews", other_interview, {
            "episode_id": str(ids["episodes"]), "questionnaire_version_id": str(not_ours.id)}),
        tablet.mutation("interviews", ids["interviews"],
                        {"local_answers": {"no_such_question": "x"}}),
    ])["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert "questionnaire_version_id" in results[0]["errors"]
    assert "local_answers" in results[1]["errors"]


def test_pushes_and_pulls_are_in_the_audit_trail(app, world, as_person, session):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet)
    tablet.push(mutations)
    tablet.pull()
    events = session.scalars(select(AuditEvent).where(AuditEvent.person_id == world.worker.id))
    seen = {(e.action, e.collection, e.record_id) for e in events}
    for collection in ("children", "episodes", "interviews"):
        assert ("sync-create", collection, ids[collection]) in seen
    assert ("pull", "sync", None) in seen


def test_an_interview_under_a_stored_episode_cannot_be_before_the_child_returned(app, world,
                                                                                as_person):
    """The episode was pushed in an earlier batch: its return time is read from the database,
    as a push reads only what its checks need of the parents it names."""
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet)
    tablet.push(mutations)
    too_early, in_time = uuid.uuid4(), uuid.uuid4()
    results = tablet.push([
        tablet.mutation("interviews", too_early, {
            "episode_id": str(ids["episodes"]), "consent": "accepted",
            "conducted_at": "2026-03-02T07:59:00+00:00"}),  # a minute before RETURNED
        tablet.mutation("interviews", in_time, {
            "episode_id": str(ids["episodes"]), "consent": "accepted",
            "conducted_at": "2026-03-02T08:01:00+00:00"}),
    ])["results"]
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert results[0]["errors"] == {
        "conducted_at": ["The interview cannot be before the child returned."]}
    assert web.get(f"{API}/interviews/{too_early}").status_code == 404
    assert web.get(f"{API}/interviews/{in_time}").json["conducted_at"].startswith("2026-03-02T08:01")


def test_a_refusal_tells_nothing_of_an_episode_the_worker_may_not_see(app, world, as_person,
                                                                      session):
    """An interview naming a colleague's episode is refused because the worker may not see it,
    and for nothing else: a check against the episode's return time would tell the worker when
    a child they do not work with came back."""
    from datetime import UTC, datetime

    from app.cases.models import MissingEpisode

    hidden = MissingEpisode(organisation_id=world.org_a.id, child_id=world.colleague_child.id,
                            reported_missing_at=datetime(2026, 3, 1, tzinfo=UTC),
                            returned_at=datetime(2026, 3, 2, 8, tzinfo=UTC))
    session.add(hidden)
    session.commit()
    tablet = enrol(app, as_person(world.worker))
    interview = uuid.uuid4()
    results = tablet.push([tablet.mutation("interviews", interview, {
        "episode_id": str(hidden.id), "consent": "accepted",
        "conducted_at": "2026-03-02T07:59:00+00:00"})])["results"]  # before it returned
    assert [r["status"] for r in results] == ["rejected"]
    assert results[0]["errors"] == {"episode_id": ["No such episode among your cases."]}


def test_a_refusal_tells_nothing_of_a_parent_the_same_push_tries_to_change(app, world,
                                                                         as_person, session):
    """The same when the unseen episode or interview is itself among the push's changes (and
    so read with the push's own records): each change naming it is refused because the worker
    may not see it, and for nothing else, neither the child's return time nor whether the
    interview was submitted."""
    from datetime import UTC, datetime

    from app.cases.models import MissingEpisode

    hidden = MissingEpisode(organisation_id=world.org_a.id, child_id=world.colleague_child.id,
                            reported_missing_at=datetime(2026, 3, 1, tzinfo=UTC),
                            returned_at=datetime(2026, 3, 2, 8, tzinfo=UTC))
    session.add(hidden)
    session.commit()
    colleague = as_person(world.colleague)
    submitted = create_interview(colleague, create_episode(colleague, world.colleague_child.id)
                                 ["id"], consent="accepted", conducted_at=CONDUCTED)
    patch(colleague, "interviews", submitted["id"], status="submitted")

    tablet = enrol(app, as_person(world.worker))
    results = tablet.push([
        tablet.mutation("episodes", hidden.id, {"risk_grade": "low"}),
        tablet.mutation("interviews", uuid.uuid4(), {
            "episode_id": str(hidden.id), "consent": "accepted",
            "conducted_at": "2026-03-02T07:59:00+00:00"}),  # before it returned
        tablet.mutation("interviews", submitted["id"], {"notes": "Nodyn"}),
        tablet.mutation("attempts", uuid.uuid4(), {
            "interview_id": submitted["id"], "attempted_at": ATTEMPTED, "method": "phone",
            "outcome": "no_answer"}),
    ])["results"]
    assert [r["status"] for r in results] == ["rejected"] * 4
    assert results[1]["errors"] == {"episode_id": ["No such episode among your cases."]}
    assert results[3]["errors"] == {"interview_id": ["No such interview among your cases."]}


def test_a_field_of_a_stored_parent_no_check_declared_is_refused_loudly(session, world):
    """A push reads of stored parents only their collection's read_by_children: a rule asking
    for another field must fail in its tests, not read None and pass unseen."""
    from datetime import UTC, datetime

    from app.cases.models import MissingEpisode
    from app.syncing.checking import Checker

    returned = datetime(2026, 3, 2, 8, tzinfo=UTC)
    episode = MissingEpisode(organisation_id=world.org_a.id, child_id=world.child.id,
                             reported_missing_at=datetime(2026, 3, 1, tzinfo=UTC),
                             returned_at=returned, risk_grade="medium")
    session.add(episode)
    session.flush()
    fields = Checker(session, world.worker).lookup("episodes", episode.id)
    assert fields.get("returned_at") == returned
    assert fields.get("child_id") == world.child.id
    with pytest.raises(KeyError, match="risk_grade is not in read_by_children"):
        fields.get("risk_grade")
