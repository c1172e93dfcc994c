"""A referral's life and the Active Offer through a tablet's sync pushes: each step pushed as
the tablet records it (several in one push too), read back through the API, and pulled by
another tablet of the same worker."""

import uuid

from tests.api.helpers import read
from tests.referrals.helpers import (
    ANSWERED,
    MADE,
    OFFERED,
    OUTCOME,
    SUGGESTED,
    answered_offer,
    interview_of,
)
from tests.sync.http_helpers import at, enrol, record, statuses


def test_a_referral_goes_through_its_steps_in_pushes(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    interview_id = interview_of(web, world.child.id)["id"]
    referral_id = uuid.uuid4()

    first = tablet.push([
        tablet.mutation("referrals", referral_id, {
            "interview_id": interview_id, "kind": "trafficking_guardian",
            "service_id": "child_trafficking_guardians", "rule": "trafficking_guardian",
            "rule_version": 1, "suggested_at": SUGGESTED}),
        tablet.mutation("referrals", referral_id, {"status": "offered", "offered_at": OFFERED}),
    ])
    assert statuses(first) == ["applied", "applied"]
    rev = first["results"][1]["rev"]
    made = tablet.push([tablet.mutation("referrals", referral_id, {
        "status": "made", "made_at": MADE, "made_to": "Guardianship service",
        "made_how": "online_form"}, base_rev=rev)])
    rev = made["results"][0]["rev"]
    answered = tablet.push([tablet.mutation("referrals", referral_id, {
        "status": "accepted", "responded_at": ANSWERED, "outcome": "A guardian is named",
        "outcome_at": OUTCOME}, base_rev=rev)])
    assert statuses(made) + statuses(answered) == ["applied", "applied"]

    stored = read(web, "referrals", referral_id)
    assert (stored["status"], stored["kind"], stored["service_id"], stored["rule_version"]) == (
        "accepted", "trafficking_guardian", "child_trafficking_guardians", 1)
    assert at(stored["made_at"]) == at(MADE) and stored["outcome"] == "A guardian is named"
    pulled = record(enrol(app, web, "Another tablet").pull(), "referrals", referral_id)
    assert pulled["status"] == "accepted"


def test_a_suggestion_dismissed_on_the_tablet_keeps_its_reason(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    interview_id = interview_of(web, world.child.id)["id"]
    referral_id, offer_id = uuid.uuid4(), uuid.uuid4()
    pushed = tablet.push([
        tablet.mutation("referrals", referral_id, {
            "interview_id": interview_id, "kind": "substance_misuse_service",
            "suggested_at": SUGGESTED}),
        tablet.mutation("referrals", referral_id, {"status": "dismissed"}),
        tablet.mutation("referrals", referral_id, {
            "status": "dismissed", "dismissed_reason": "Already seen by the team this week"}),
        tablet.mutation("advocacy_offers", offer_id, answered_offer(interview_id,
                                                                    response="accepted")),
    ])
    assert statuses(pushed) == ["applied", "rejected", "applied", "applied"]
    assert pushed["results"][1]["errors"] == {
        "dismissed_reason": ["Say why this suggestion is dismissed."]}
    stored = read(web, "referrals", referral_id)
    assert stored["dismissed_reason"] == "Already seen by the team this week"
    assert read(web, "advocacy_offers", offer_id)["response"] == "accepted"
