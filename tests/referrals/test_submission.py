"""The Active Offer of advocacy blocks submitting a looked-after child's interview until it is
recorded (offered, and accepted or declined): through the API and through a sync push, in the
same words; and what a submission locks."""

import uuid

from tests.api.helpers import API, create, patch, read
from tests.referrals.helpers import (
    ANSWERED,
    MADE,
    OUTCOME,
    SUGGESTED,
    answered_offer,
    api_errors,
    interview_of,
)
from tests.sync.http_helpers import enrol, new_case, statuses

NEEDED = {"status": ["Record the Active Offer of advocacy: this child is looked after."]}


def submit(client, interview_id):
    return client.patch(f"{API}/interviews/{interview_id}", json={"status": "submitted"})


def test_a_looked_after_childs_interview_waits_for_the_active_offer(world, as_person):
    worker = as_person(world.worker)
    interview = interview_of(worker, world.child.id)

    refused = submit(worker, interview["id"])
    assert refused.status_code == 422
    assert api_errors(refused) == NEEDED
    offer = create(worker, "advocacy_offers", **answered_offer(
        interview["id"], response="pending", responded_at=None))
    assert api_errors(submit(worker, interview["id"])) == NEEDED
    assert read(worker, "interviews", interview["id"])["status"] == "draft"

    patch(worker, "advocacy_offers", offer["id"], response="accepted", responded_at=ANSWERED)
    assert submit(worker, interview["id"]).status_code == 200
    assert read(worker, "interviews", interview["id"])["status"] == "submitted"


def test_the_refusal_is_said_in_welsh_to_a_welsh_reader(world, as_person):
    worker = as_person(world.worker)
    interview = interview_of(worker, world.child.id)
    refused = worker.patch(f"{API}/interviews/{interview['id']}?lang=cy",
                           json={"status": "submitted"})
    assert api_errors(refused) == {"status": [
        "Cofnodwch y Cynnig Rhagweithiol o eiriolaeth: mae'r plentyn hwn yn derbyn gofal."]}


def test_a_child_not_looked_after_needs_no_active_offer(world, as_person):
    colleague = as_person(world.colleague)
    interview = interview_of(colleague, world.colleague_child.id)
    assert submit(colleague, interview["id"]).status_code == 200


def test_a_push_is_refused_the_same_until_the_offer_is_in_it(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet, child_fields={"looked_after": True})
    interview_id = ids["interviews"]
    mutations.append(tablet.mutation("interviews", interview_id, {"status": "submitted"}))
    refused = tablet.push(mutations)
    assert statuses(refused) == ["applied"] * 3 + ["rejected"]
    assert refused["results"][3]["errors"] == NEEDED

    offer_id = uuid.uuid4()
    both = tablet.push([
        tablet.mutation("advocacy_offers", offer_id, answered_offer(interview_id)),
        tablet.mutation("interviews", interview_id, {"status": "submitted"})])
    assert statuses(both) == ["applied", "applied"]
    assert read(web, "interviews", interview_id)["status"] == "submitted"
    assert read(web, "advocacy_offers", offer_id)["response"] == "declined"


def test_a_push_taking_the_answer_back_cannot_submit(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    interview_id = interview_of(web, world.child.id)["id"]
    offer = create(web, "advocacy_offers", **answered_offer(interview_id))
    pushed = tablet.push([
        tablet.mutation("advocacy_offers", offer["id"], {"response": "pending"},
                        base_rev=offer["rev"]),
        tablet.mutation("interviews", interview_id, {"status": "submitted"})])
    assert statuses(pushed) == ["applied", "rejected"]
    assert pushed["results"][1]["errors"] == NEEDED


def test_a_submission_locks_the_decisions_but_not_what_follows(world, as_person):
    worker = as_person(world.worker)
    interview_id = interview_of(worker, world.child.id)["id"]
    offer = create(worker, "advocacy_offers", **answered_offer(interview_id))
    referral = create(worker, "referrals", interview_id=interview_id, kind="advocacy_referral",
                      suggested_at=SUGGESTED)
    assert submit(worker, interview_id).status_code == 200
    locked = ["This interview has been submitted. A supervisor must return it before it can be "
              "changed."]

    new = worker.post(f"{API}/referrals", json={"interview_id": interview_id, "kind": "other"})
    assert (new.status_code, api_errors(new)) == (409, {"interview_id": locked})
    dismissed = worker.patch(f"{API}/referrals/{referral['id']}",
                             json={"status": "dismissed", "dismissed_reason": "Not now"})
    assert api_errors(dismissed) == {"interview_id": locked}
    changed = worker.patch(f"{API}/advocacy_offers/{offer['id']}", json={"response": "accepted"})
    assert api_errors(changed) == {"interview_id": locked}

    patch(worker, "referrals", referral["id"], status="made", made_at=MADE,
          made_to="Tros Gynnal Plant", made_how="email")
    patch(worker, "referrals", referral["id"], status="accepted", responded_at=ANSWERED,
          outcome="An advocate visits", outcome_at=OUTCOME)
    assert read(worker, "referrals", referral["id"])["status"] == "accepted"


def test_a_push_meets_the_same_lock(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    interview_id = interview_of(web, world.child.id)["id"]
    create(web, "advocacy_offers", **answered_offer(interview_id))
    referral = create(web, "referrals", interview_id=interview_id, kind="other",
                      suggested_at=SUGGESTED)
    assert submit(web, interview_id).status_code == 200
    pushed = tablet.push([
        tablet.mutation("referrals", uuid.uuid4(), {"interview_id": interview_id,
                                                    "kind": "advocacy_referral"}),
        tablet.mutation("referrals", referral["id"], {"status": "made", "made_at": MADE,
                                                      "made_to": "NYAS", "made_how": "phone"},
                        base_rev=referral["rev"])])
    assert statuses(pushed) == ["rejected", "applied"]
    assert pushed["results"][0]["errors"] == {"interview_id": [
        "This interview has been submitted. A supervisor must return it before it can be "
        "changed."]}
