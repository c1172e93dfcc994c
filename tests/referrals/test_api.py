"""/api/v1/referrals and /api/v1/advocacy_offers: a referral's life, step by step, and the
Active Offer of advocacy, through the JSON API."""

from tests.api.helpers import API, assert_problem, at, create, list_all, patch, read
from tests.referrals.helpers import (
    ANSWERED,
    MADE,
    OFFERED,
    OUTCOME,
    SUGGESTED,
    answered_offer,
    api_errors,
    interview_of,
)


def test_a_referral_goes_from_suggested_to_its_outcome(world, as_person):
    worker = as_person(world.worker)
    interview = interview_of(worker, world.child.id)
    referral = create(worker, "referrals", interview_id=interview["id"],
                      kind="national_referral_mechanism", rule="nrm", rule_version=1,
                      suggested_at=SUGGESTED)
    assert (referral["status"], referral["organisation_id"]) == ("suggested", str(world.org_a.id))

    patch(worker, "referrals", referral["id"], status="offered", offered_at=OFFERED)
    patch(worker, "referrals", referral["id"], status="made", made_at=MADE,
          made_to="Single Competent Authority", made_how="online_form")
    patch(worker, "referrals", referral["id"], status="accepted", responded_at=ANSWERED)
    done = patch(worker, "referrals", referral["id"], outcome="Positive reasonable grounds",
                 outcome_at=OUTCOME)

    again = read(worker, "referrals", referral["id"])
    assert again == done
    assert (again["status"], again["made_to"], again["made_how"]) == (
        "accepted", "Single Competent Authority", "online_form")
    assert at(again["outcome_at"]) == at(OUTCOME)
    assert [r["id"] for r in list_all(worker, "referrals", interview_id=interview["id"])] == [
        referral["id"]]


def test_a_suggestion_is_dismissed_only_with_a_reason(world, as_person):
    worker = as_person(world.worker)
    interview = interview_of(worker, world.child.id)
    referral = create(worker, "referrals", interview_id=interview["id"],
                      kind="substance_misuse_service", suggested_at=SUGGESTED)

    refused = worker.patch(f"{API}/referrals/{referral['id']}", json={"status": "dismissed"})
    assert_problem(refused, 422, ["dismissed_reason"])
    assert api_errors(refused)["dismissed_reason"] == ["Say why this suggestion is dismissed."]
    assert read(worker, "referrals", referral["id"])["status"] == "suggested"

    dismissed = patch(worker, "referrals", referral["id"], status="dismissed",
                      dismissed_reason="Already working with the substance misuse team")
    assert dismissed["status"] == "dismissed"


def test_a_referral_cannot_skip_back(world, as_person):
    worker = as_person(world.worker)
    interview = interview_of(worker, world.child.id)
    referral = create(worker, "referrals", interview_id=interview["id"], kind="other",
                      status="made", made_at=MADE, made_to="Barnardo's", made_how="phone")

    refused = worker.patch(f"{API}/referrals/{referral['id']}", json={"status": "suggested"})
    assert_problem(refused, 409, ["status"])
    assert api_errors(refused)["status"] == ["A referral cannot move from made to suggested."]


def test_the_active_offer_is_recorded_once_per_interview(world, as_person):
    worker = as_person(world.worker)
    interview = interview_of(worker, world.child.id)
    offer = create(worker, "advocacy_offers", **answered_offer(interview["id"],
                                                                provider="Tros Gynnal Plant"))
    assert (offer["offered"], offer["response"], offer["offered_by"]) == (
        True, "declined", "worker")
    assert read(worker, "advocacy_offers", offer["id"])["provider"] == "Tros Gynnal Plant"

    second = worker.post(f"{API}/advocacy_offers", json=answered_offer(interview["id"]))
    assert_problem(second, 409, ["interview_id"])
    assert api_errors(second)["interview_id"] == [
        "This interview already has its Active Offer recorded."]

    accepted = patch(worker, "advocacy_offers", offer["id"], response="accepted")
    assert accepted["response"] == "accepted"


def test_an_answer_needs_the_offer_first(world, as_person):
    worker = as_person(world.worker)
    interview = interview_of(worker, world.child.id)
    refused = worker.post(f"{API}/advocacy_offers", json={
        "interview_id": interview["id"], "offered": False, "response": "accepted"})
    assert_problem(refused, 422, ["offered", "responded_at"])
    assert api_errors(refused) == {
        "offered": ["Advocacy must be offered before an answer is recorded."],
        "responded_at": ["Record when the child answered."]}
