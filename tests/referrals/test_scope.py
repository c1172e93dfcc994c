"""Referrals and Active Offers are seen as interviews are: a worker their own cases, a
supervisor their team's, another organisation nothing (404)."""

import uuid

from tests.api.helpers import API, create, ids, list_all, read
from tests.referrals.helpers import SUGGESTED, answered_offer, api_errors, interview_of
from tests.sync.http_helpers import enrol


def test_each_person_sees_the_referrals_of_the_cases_they_may_see(world, as_person):
    worker = as_person(world.worker)
    interview = interview_of(worker, world.child.id)
    referral = create(worker, "referrals", interview_id=interview["id"], kind="other",
                      suggested_at=SUGGESTED)
    offer = create(worker, "advocacy_offers", **answered_offer(interview["id"]))

    supervisor = as_person(world.supervisor)
    assert read(supervisor, "referrals", referral["id"])["kind"] == "other"
    assert ids(list_all(supervisor, "advocacy_offers")) == {offer["id"]}
    for stranger in (world.colleague, world.other_team_worker, world.outsider):
        client = as_person(stranger)
        assert client.get(f"{API}/referrals/{referral['id']}").status_code == 404
        assert client.get(f"{API}/advocacy_offers/{offer['id']}").status_code == 404
        assert list_all(client, "referrals") == []
        refused = client.patch(f"{API}/referrals/{referral['id']}", json={"status": "offered"})
        assert refused.status_code == 404


def test_no_referral_is_made_for_an_interview_one_may_not_see(world, as_person, app):
    interview = interview_of(as_person(world.worker), world.child.id)
    outsider = as_person(world.outsider)
    said = {"interview_id": ["No such interview among your cases."]}
    refused = outsider.post(f"{API}/referrals", json={"interview_id": interview["id"],
                                                      "kind": "other"})
    assert (refused.status_code, api_errors(refused)) == (422, said)
    tablet = enrol(app, outsider)
    pushed = tablet.push([tablet.mutation("advocacy_offers", uuid.uuid4(),
                                          answered_offer(interview["id"]))])
    assert pushed["results"][0]["errors"] == said


def test_a_tablet_pulls_the_referrals_of_its_cases(world, as_person, app):
    web = as_person(world.worker)
    interview = interview_of(web, world.child.id)
    referral = create(web, "referrals", interview_id=interview["id"], kind="other",
                      suggested_at=SUGGESTED)
    offer = create(web, "advocacy_offers", **answered_offer(interview["id"]))
    pulled = enrol(app, web).pull()["changes"]
    assert pulled[("referrals", referral["id"])]["record"]["kind"] == "other"
    assert pulled[("advocacy_offers", offer["id"])]["record"]["response"] == "declined"
    assert not any(key[0] in ("referrals", "advocacy_offers")
                   for key in enrol(app, as_person(world.colleague)).pull()["changes"])
