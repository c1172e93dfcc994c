"""Every rule of referrals and Active Offers refuses with the same words through the API and
through a tablet's sync push."""

import uuid
from dataclasses import dataclass

import pytest

from tests.api.helpers import API, create
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
from tests.sync.http_helpers import enrol


@dataclass
class Case:
    name: str
    collection: str
    change: dict
    errors: dict
    stored: dict | None = None  # a record made first (through the API), which the change alters
    elsewhere: bool = False  # the change names another interview


REFERRAL = {"kind": "safeguarding_referral", "suggested_at": SUGGESTED}
MADE_REFERRAL = REFERRAL | {"status": "made", "made_at": MADE, "made_to": "MASH",
                            "made_how": "phone"}
CASES = [
    Case("made without when or to whom", "referrals", REFERRAL | {"status": "made"},
         {"made_at": ["Record when the referral was made."],
          "made_to": ["Record who the referral was made to."]}),
    Case("offered without when", "referrals", REFERRAL | {"status": "offered"},
         {"offered_at": ["Record when the referral was offered."]}),
    Case("dismissed without a reason", "referrals", REFERRAL | {"status": "dismissed",
                                                                 "dismissed_reason": "  "},
         {"dismissed_reason": ["Say why this suggestion is dismissed."]}),
    Case("answered without when", "referrals", MADE_REFERRAL | {"status": "declined"},
         {"responded_at": ["Record when the answer came."]}),
    Case("an outcome without when", "referrals", MADE_REFERRAL | {"outcome": "Seen"},
         {"outcome_at": ["Record when the outcome came."]}),
    Case("offered before suggested", "referrals",
         REFERRAL | {"status": "offered", "suggested_at": OFFERED, "offered_at": SUGGESTED},
         {"offered_at": ["The offer cannot be before the suggestion."]}),
    Case("made before offered", "referrals",
         MADE_REFERRAL | {"offered_at": ANSWERED},
         {"made_at": ["The referral cannot be made before it was offered."]}),
    Case("answered before made", "referrals",
         MADE_REFERRAL | {"status": "accepted", "responded_at": SUGGESTED},
         {"responded_at": [
             "The answer cannot come before the referral was suggested, offered or made."]}),
    Case("an outcome before the answer", "referrals",
         MADE_REFERRAL | {"status": "accepted", "responded_at": OUTCOME, "outcome": "Seen",
                          "outcome_at": ANSWERED},
         {"outcome_at": ["The outcome cannot come before the steps before it."]}),
    Case("an unknown way of referring", "referrals", MADE_REFERRAL | {"made_how": "pigeon"},
         {"made_how": ["Unknown code: pigeon."]}),
    Case("a service not in the directory", "referrals", REFERRAL | {"service_id": "nobody"},
         {"service_id": ["No such service in the directory."]}),
    Case("a step back", "referrals", {"status": "offered"},
         {"status": ["A referral cannot move from made to offered."]}, stored=MADE_REFERRAL),
    Case("a dismissal taken back to made", "referrals", {"status": "made"},
         {"status": ["A referral cannot move from dismissed to made."]},
         stored=REFERRAL | {"status": "dismissed", "dismissed_reason": "Not needed"}),
    Case("a referral moved", "referrals", {}, {
        "interview_id": ["A referral cannot move to another interview."]},
         stored=REFERRAL, elsewhere=True),
    Case("offered without when or by whom", "advocacy_offers", {"offered": True},
         {"offered_at": ["Record when advocacy was offered."],
          "offered_by": ["Say who offered advocacy."]}),
    Case("an answer with no offer", "advocacy_offers", {"response": "accepted",
                                                        "responded_at": ANSWERED},
         {"offered": ["Advocacy must be offered before an answer is recorded."]}),
    Case("an answer without when", "advocacy_offers",
         {"offered": True, "offered_at": OFFERED, "offered_by": "worker",
          "response": "declined"},
         {"responded_at": ["Record when the child answered."]}),
    Case("an answer before the offer", "advocacy_offers",
         {"offered": True, "offered_at": ANSWERED, "offered_by": "social_worker",
          "response": "accepted", "responded_at": OFFERED},
         {"responded_at": ["The answer cannot be before the offer."]}),
    Case("an unknown offerer", "advocacy_offers",
         {"offered": True, "offered_at": OFFERED, "offered_by": "the_moon"},
         {"offered_by": ["Unknown code: the_moon."]}),
    Case("an offer moved", "advocacy_offers", {}, {
        "interview_id": ["An Active Offer cannot move to another interview."]},
         stored={"offered": False}, elsewhere=True),
]


def _through_api(client, case: Case, interview_id, other_id) -> dict:
    fields = case.change | ({"interview_id": other_id} if case.elsewhere else {})
    if case.stored is None:
        response = client.post(f"{API}/{case.collection}",
                               json={"interview_id": interview_id} | fields)
    else:
        stored = create(client, case.collection, interview_id=interview_id, **case.stored)
        response = client.patch(f"{API}/{case.collection}/{stored['id']}", json=fields)
    assert response.status_code in (409, 422), response.get_data(as_text=True)
    return api_errors(response)


def _through_push(client, tablet, case: Case, interview_id, other_id) -> dict:
    fields = case.change | ({"interview_id": other_id} if case.elsewhere else {})
    if case.stored is None:
        record_id, fields = uuid.uuid4(), {"interview_id": interview_id} | fields
    else:
        record_id = create(client, case.collection, interview_id=interview_id,
                           **case.stored)["id"]
    result = tablet.push([tablet.mutation(case.collection, record_id, fields)])["results"][0]
    assert result["status"] == "rejected", result
    return result["errors"]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_rule_refuses_with_the_same_words_both_ways(case, world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    first, second = (interview_of(web, world.child.id)["id"] for _ in range(2))
    assert _through_api(web, case, first, second) == case.errors
    assert _through_push(web, tablet, case, second, first) == case.errors


def test_a_second_active_offer_is_refused_both_ways(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    interview_id = interview_of(web, world.child.id)["id"]
    create(web, "advocacy_offers", **answered_offer(interview_id))
    said = {"interview_id": ["This interview already has its Active Offer recorded."]}
    assert api_errors(web.post(f"{API}/advocacy_offers",
                               json=answered_offer(interview_id))) == said
    pushed = tablet.push([tablet.mutation("advocacy_offers", uuid.uuid4(),
                                          answered_offer(interview_id))])
    assert pushed["results"][0]["errors"] == said
