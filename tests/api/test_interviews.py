"""/api/v1/interviews: drafts, coded answers, local answers, the review lifecycle, the 72-hour
clock, validation, and a failed request leaving nothing behind."""

import uuid

from sqlalchemy import func, select

from app.interviews.models import InterviewCode, ReturnInterview
from app.questionnaires.models import QuestionnaireVersion
from tests.api.helpers import (
    API,
    RETURNED,
    assert_problem,
    at,
    create_episode,
    create_interview,
    ids,
    list_all,
    offer_advocacy,
    patch,
    read,
)

CONDUCTED = "2026-03-03T14:30:00+00:00"  # 30.5 hours after RETURNED


def count_interviews(session) -> int:
    return session.scalar(select(func.count()).select_from(ReturnInterview))


def count_codes(session) -> int:
    return session.scalar(select(func.count()).select_from(InterviewCode))


def current_questionnaire_id(session) -> str:
    version = session.scalars(select(QuestionnaireVersion).where(
        QuestionnaireVersion.key == "return-interview", QuestionnaireVersion.organisation_id.is_(None)
    ).order_by(QuestionnaireVersion.version.desc())).first()
    return str(version.id)


def draft_for_child(client, child_id, **fields) -> dict:
    """An episode of the child, returned, and a draft interview of it."""
    episode = create_episode(client, child_id)
    return create_interview(client, episode["id"], **fields)


def set_status(client, interview_id, status):
    return client.patch(f"{API}/interviews/{interview_id}", json={"status": status})


def submitted_interview(world, as_person) -> tuple:
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, conducted_at=CONDUCTED,
                                consent="accepted", why_missing="Wanted to see my mum")
    offer_advocacy(worker, interview["id"])  # the child is looked after
    assert set_status(worker, interview["id"], "submitted").status_code == 200
    return worker, interview


# --- create, read, update, list ---------------------------------------------------------------

def test_a_draft_is_created_for_an_episode(world, session, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.post(f"{API}/interviews", json={"episode_id": episode["id"]})
    assert response.status_code == 201
    interview = response.json
    assert response.headers["Location"].endswith(f"/api/v1/interviews/{interview['id']}")
    assert interview["status"] == "draft"
    assert interview["episode_id"] == episode["id"]
    assert interview["organisation_id"] == str(world.org_a.id)
    assert interview["interviewer_id"] == str(world.worker.id)
    assert interview["consent"] == "pending"
    assert interview["questionnaire_version_id"] == current_questionnaire_id(session)
    assert interview["push_factors"] == [] and interview["harms"] == []
    assert interview["local_answers"] == {}
    assert interview["submitted_at"] is None

    again = read(worker, "interviews", interview["id"])
    assert again["status"] == "draft"
    assert again["questionnaire_version_id"] == interview["questionnaire_version_id"]


def test_a_client_may_choose_the_interviews_id(world, as_person):
    worker = as_person(world.worker)
    chosen = str(uuid.uuid4())
    interview = draft_for_child(worker, world.child.id, id=chosen)
    assert interview["id"] == chosen
    assert read(worker, "interviews", chosen)["status"] == "draft"


def test_coded_answers_are_lists_of_codes_given_back_sorted(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id,
                                push_factors=["school_problems", "bullying", "family_conflict"],
                                pull_factors=["to_see_friends", "parties"],
                                harms=["violence_or_hurt", "drugs_or_alcohol"])
    assert interview["push_factors"] == ["bullying", "family_conflict", "school_problems"]
    assert interview["pull_factors"] == ["parties", "to_see_friends"]
    assert interview["harms"] == ["drugs_or_alcohol", "violence_or_hurt"]

    changed = patch(worker, "interviews", interview["id"],
                    push_factors=["other", "bullying"], vulnerabilities=["looked_after"])
    assert changed["push_factors"] == ["bullying", "other"]
    assert changed["pull_factors"] == ["parties", "to_see_friends"]  # untouched
    assert changed["vulnerabilities"] == ["looked_after"]

    again = read(worker, "interviews", interview["id"])
    assert again["push_factors"] == ["bullying", "other"]
    assert again["harms"] == ["drugs_or_alcohol", "violence_or_hurt"]

    cleared = patch(worker, "interviews", interview["id"], harms=[])
    assert cleared["harms"] == []
    assert read(worker, "interviews", interview["id"])["harms"] == []


def test_content_fields_are_saved(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id)
    changed = patch(worker, "interviews", interview["id"], consent="accepted",
                    conducted_at=CONDUCTED, location="school", interviewer_type="independent_service",
                    language="cy", independent_of_police=True,
                    why_missing="Roedd hi'n ddiflas adref", feeling_after="Gwell")
    assert changed["location"] == "school"
    assert changed["language"] == "cy"
    assert changed["independent_of_police"] is True
    assert changed["why_missing"] == "Roedd hi'n ddiflas adref"
    again = read(worker, "interviews", interview["id"])
    assert again["feeling_after"] == "Gwell"
    assert at(again["conducted_at"]) == at(CONDUCTED)


def test_interviews_are_filtered_by_status_and_episode(world, as_person):
    worker, submitted = submitted_interview(world, as_person)
    episode = create_episode(worker, world.child.id, reported="2026-04-01T10:00:00+00:00",
                             returned="2026-04-01T20:00:00+00:00")
    draft = create_interview(worker, episode["id"])

    assert ids(list_all(worker, "interviews", status="submitted")) == {submitted["id"]}
    assert ids(list_all(worker, "interviews", status="draft")) == {draft["id"]}
    assert ids(list_all(worker, "interviews", episode_id=episode["id"])) == {draft["id"]}
    assert_problem(worker.get(f"{API}/interviews?status=finished"), 422, ["status"])


def test_interview_list_is_paged(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    made = {create_interview(worker, episode["id"])["id"] for _ in range(3)}

    seen, url = [], f"{API}/interviews?per_page=1"
    while url:
        page = worker.get(url).json
        assert page["total"] == 3 and len(page["items"]) == 1
        seen += [i["id"] for i in page["items"]]
        url = page["next"]
    assert len(seen) == 3 and set(seen) == made


# --- validation -------------------------------------------------------------------------------

def test_missing_and_wrong_fields_are_named(world, as_person):
    worker = as_person(world.worker)
    assert_problem(worker.post(f"{API}/interviews", json={}), 422, ["episode_id"])
    response = worker.post(f"{API}/interviews", json={
        "episode_id": str(uuid.uuid4()), "push_factors": "bullying", "consent": "maybe",
        "independent_of_police": "sort of", "conducted_at": "2026-03-03T14:30:00",
        "bogus": 1})
    assert_problem(response, 422, ["push_factors", "consent", "independent_of_police",
                                   "conducted_at", "bogus"])


def test_an_unknown_code_is_refused_and_nothing_is_saved(world, session, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.post(f"{API}/interviews", json={
        "episode_id": episode["id"], "push_factors": ["bullying", "aliens"],
        "harms": ["violence_or_hurt"]})
    body = assert_problem(response, 422, ["push_factors"])
    assert "harms" not in {e["field"] for e in body["errors"]}
    assert count_interviews(session) == 0
    assert count_codes(session) == 0


def test_codes_from_another_list_are_refused(world, as_person):
    worker = as_person(world.worker)
    # "parties" is a pull factor, not a harm; "teleport" is no location at all.
    response = worker.post(f"{API}/interviews", json={
        "episode_id": create_episode(worker, world.child.id)["id"],
        "harms": ["parties"], "location": "teleport", "decline_reason": "child"})
    assert_problem(response, 422, ["harms", "location", "decline_reason"])


def test_a_patch_with_an_unknown_code_changes_nothing(world, session, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, push_factors=["bullying"],
                                notes="first notes")
    response = worker.patch(f"{API}/interviews/{interview['id']}", json={
        "notes": "second notes", "push_factors": ["family_conflict", "purple"]})
    assert_problem(response, 422, ["push_factors"])
    again = read(worker, "interviews", interview["id"])
    assert again["notes"] == "first notes"
    assert again["push_factors"] == ["bullying"]
    assert again["rev"] == interview["rev"]
    assert count_codes(session) == 1


def test_an_episode_that_is_not_ones_own_is_refused(world, as_person):
    episode = create_episode(as_person(world.colleague), world.colleague_child.id)
    response = as_person(world.worker).post(f"{API}/interviews",
                                            json={"episode_id": episode["id"]})
    assert_problem(response, 422, ["episode_id"])


def test_the_interview_cannot_be_before_the_return(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.post(f"{API}/interviews", json={
        "episode_id": episode["id"], "conducted_at": "2026-03-02T07:59:00+00:00"})
    assert_problem(response, 422, ["conducted_at"])


def test_an_unknown_questionnaire_version_is_named(world, session, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.post(f"{API}/interviews", json={
        "episode_id": episode["id"], "questionnaire_version_id": str(uuid.uuid4())})
    assert_problem(response, 422, ["questionnaire_version_id"])
    assert count_interviews(session) == 0


def test_the_interviewer_must_belong_to_the_organisation(world, session, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.post(f"{API}/interviews", json={
        "episode_id": episode["id"], "interviewer_id": str(world.outsider.id)})
    assert_problem(response, 422, ["interviewer_id"])
    assert count_interviews(session) == 0


def test_the_interviewer_cannot_be_changed_to_another_organisations_person(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id)
    response = worker.patch(f"{API}/interviews/{interview['id']}",
                            json={"interviewer_id": str(world.outsider.id)})
    assert_problem(response, 422, ["interviewer_id"])
    assert read(worker, "interviews", interview["id"])["interviewer_id"] == str(world.worker.id)


def test_creating_with_an_id_that_exists_is_a_conflict(world, session, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, notes="original")
    response = worker.post(f"{API}/interviews", json={
        "id": interview["id"], "episode_id": interview["episode_id"], "notes": "replaced"})
    assert_problem(response, 409)
    assert count_interviews(session) == 1
    assert read(worker, "interviews", interview["id"])["notes"] == "original"


# --- local answers ----------------------------------------------------------------------------

def test_local_answers_use_local_question_ids(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, harms=["other"],
                                local_answers={"harm_other_details": "Slept in a car",
                                               "wants_to_talk": True})
    assert interview["local_answers"] == {"harm_other_details": "Slept in a car",
                                          "wants_to_talk": True}
    again = read(worker, "interviews", interview["id"])
    assert again["local_answers"]["harm_other_details"] == "Slept in a car"
    assert again["local_answers"]["wants_to_talk"] is True


def test_an_unknown_local_question_is_refused(world, session, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.post(f"{API}/interviews", json={
        "episode_id": episode["id"], "local_answers": {"favourite_colour": "blue"}})
    assert_problem(response, 422, ["local_answers"])
    assert count_interviews(session) == 0


def test_a_core_question_is_not_a_local_answer(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id)
    # why_missing fills a typed field of the interview; it is not answered in local_answers.
    response = worker.patch(f"{API}/interviews/{interview['id']}",
                            json={"local_answers": {"why_missing": "no"}})
    assert_problem(response, 422, ["local_answers"])
    assert read(worker, "interviews", interview["id"])["local_answers"] == {}


# --- the lifecycle ----------------------------------------------------------------------------

def test_submitting_needs_the_time_of_the_interview(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, consent="accepted")
    assert_problem(set_status(worker, interview["id"], "submitted"), 422, ["conducted_at"])
    assert read(worker, "interviews", interview["id"])["status"] == "draft"


def test_the_full_review_lifecycle(world, as_person):
    worker = as_person(world.worker)
    supervisor = as_person(world.supervisor)
    interview = draft_for_child(worker, world.child.id, consent="accepted",
                                push_factors=["bullying"], pull_factors=["to_see_friends"],
                                harms=["drugs_or_alcohol"])
    offer_advocacy(worker, interview["id"])

    submitted = patch(worker, "interviews", interview["id"], status="submitted",
                      conducted_at=CONDUCTED)
    assert submitted["status"] == "submitted"
    assert submitted["submitted_at"] is not None

    # Once submitted, the worker cannot change it...
    locked = worker.patch(f"{API}/interviews/{interview['id']}", json={"notes": "one more"})
    assert_problem(locked, 409)
    assert read(worker, "interviews", interview["id"])["notes"] is None
    # ...nor approve it themselves.
    assert set_status(worker, interview["id"], "approved").status_code in (403, 409)
    assert read(worker, "interviews", interview["id"])["status"] == "submitted"

    returned = patch(supervisor, "interviews", interview["id"], status="returned")
    assert returned["status"] == "returned"

    edited = patch(worker, "interviews", interview["id"], notes="Added what she said about school",
                   push_factors=["bullying", "school_problems"])
    assert edited["notes"] == "Added what she said about school"
    assert edited["status"] == "returned"

    resubmitted = patch(worker, "interviews", interview["id"], status="submitted")
    assert resubmitted["status"] == "submitted"

    approved = patch(supervisor, "interviews", interview["id"], status="approved")
    assert approved["status"] == "approved"
    assert approved["push_factors"] == ["bullying", "school_problems"]

    for person in (world.worker, world.supervisor, world.admin):
        client = as_person(person)
        response = client.patch(f"{API}/interviews/{interview['id']}", json={"notes": "late"})
        assert_problem(response, 409)
        assert set_status(client, interview["id"], "draft").status_code == 409
    final = read(worker, "interviews", interview["id"])
    assert final["status"] == "approved"
    assert final["notes"] == "Added what she said about school"


def test_a_worker_cannot_skip_review(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, conducted_at=CONDUCTED)
    assert set_status(worker, interview["id"], "approved").status_code in (403, 409)
    assert set_status(worker, interview["id"], "returned").status_code in (403, 409)
    assert read(worker, "interviews", interview["id"])["status"] == "draft"


def test_a_new_interview_always_starts_as_a_draft(world, as_person):
    supervisor = as_person(world.supervisor)
    episode = create_episode(supervisor, world.child.id)
    response = supervisor.post(f"{API}/interviews", json={
        "episode_id": episode["id"], "status": "approved", "conducted_at": CONDUCTED})
    assert response.status_code in (403, 409, 422)
    assert list_all(supervisor, "interviews", status="approved") == []


def test_a_declined_interview_is_submitted_without_a_time(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, consent="declined",
                                declined_by="child", decline_reason="not_ready_yet",
                                consent_recorded_at="2026-03-02T12:00:00+00:00")
    offer_advocacy(worker, interview["id"])
    submitted = patch(worker, "interviews", interview["id"], status="submitted")
    assert submitted["status"] == "submitted"
    assert submitted["conducted_at"] is None
    assert submitted["declined_by"] == "child"
    assert submitted["decline_reason"] == "not_ready_yet"
    assert submitted["within_72_hours"] is None


def test_a_declined_interview_says_who_declined(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, consent="declined")
    assert_problem(set_status(worker, interview["id"], "submitted"), 422, ["declined_by"])


def test_a_worker_cannot_add_attempts_to_a_submitted_interview(world, as_person):
    worker, interview = submitted_interview(world, as_person)
    response = worker.post(f"{API}/attempts", json={
        "interview_id": interview["id"], "attempted_at": "2026-03-02T09:00:00+00:00",
        "method": "phone", "outcome": "no_answer"})
    assert_problem(response, 409)


# --- the 72-hour clock ------------------------------------------------------------------------

def test_the_clock_runs_from_the_return(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id)
    assert at(interview["due_by"]) == at("2026-03-05T08:00:00+00:00")
    assert interview["hours_to_interview"] is None
    assert interview["within_72_hours"] is None

    held = patch(worker, "interviews", interview["id"], conducted_at=CONDUCTED)
    assert held["hours_to_interview"] == 30.5
    assert held["within_72_hours"] is True
    assert at(held["due_by"]) == at(RETURNED) + (at("2026-03-05T00:00:00+00:00")
                                                 - at("2026-03-02T00:00:00+00:00"))

    late = patch(worker, "interviews", interview["id"], conducted_at="2026-03-05T09:15:00+00:00")
    assert late["hours_to_interview"] == 73.25
    assert late["within_72_hours"] is False
    assert read(worker, "interviews", interview["id"])["within_72_hours"] is False


def test_exactly_72_hours_is_within_the_deadline(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, conducted_at="2026-03-05T08:00:00+00:00")
    assert interview["hours_to_interview"] == 72.0
    assert interview["within_72_hours"] is True


def test_no_due_time_while_the_child_is_still_missing(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id, returned=None)
    interview = create_interview(worker, episode["id"])
    assert interview["due_by"] is None
    assert interview["within_72_hours"] is None


def test_derived_clock_fields_cannot_be_sent(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id)
    response = worker.patch(f"{API}/interviews/{interview['id']}",
                            json={"within_72_hours": True, "submitted_at": RETURNED})
    assert_problem(response, 422, ["within_72_hours", "submitted_at"])


# --- revisions --------------------------------------------------------------------------------

def test_every_change_raises_the_revision(world, as_person):
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id)
    noted = patch(worker, "interviews", interview["id"], notes="Met at school")
    assert noted["rev"] > interview["rev"]
    offer_advocacy(worker, interview["id"])
    submitted = patch(worker, "interviews", interview["id"], conducted_at=CONDUCTED,
                      status="submitted")
    assert submitted["rev"] > noted["rev"]
    returned = patch(as_person(world.supervisor), "interviews", interview["id"], status="returned")
    assert returned["rev"] > submitted["rev"]


def test_changing_only_coded_answers_raises_the_revision(world, as_person):
    # Devices pull changes by revision: a change to the factors alone must be pulled too.
    worker = as_person(world.worker)
    interview = draft_for_child(worker, world.child.id, push_factors=["bullying"])
    changed = patch(worker, "interviews", interview["id"], push_factors=["bullying", "other"])
    assert changed["rev"] > interview["rev"]
    assert read(worker, "interviews", interview["id"])["rev"] == changed["rev"]
    assert read(worker, "interviews", interview["id"])["updated_at"] > interview["updated_at"]
