"""The suggestion rules reach the tablet as the reference part `suggestion_rules`: one item, the
definition the server's app/referrals/suggesting.py reads, whole, so static/app/suggesting.js
suggests the same offline; every pull names its version."""

from app.referrals.suggesting import suggestion_rules
from tests.api.helpers import API
from tests.sync.http_helpers import enrol


def test_a_tablet_is_sent_the_definition_the_server_reads(world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    answer = tablet.client.get(f"{API}/sync/reference", headers=tablet.headers)
    assert answer.status_code == 200, answer.text
    part = answer.json["reference"]["suggestion_rules"]
    assert part["data"] == [suggestion_rules()]
    [definition] = part["data"]
    assert definition["version"] == 1
    assert definition["policies_by_area"]["W15000002"] == "gwent"
    assert {rule["kind"] for rule in definition["rules"]} >= {"advocacy_active_offer",
                                                              "national_referral_mechanism"}
    assert tablet.pull()["reference"]["suggestion_rules"] == part["version"]
