"""An organisation picks which repeat-episode policy applies in which police force area
(`flask repeat-policy`), laid over the rules' defaults: the server's suggestions and the rules its
tablets are sent both follow the choice, so a tablet suggests offline what the server would."""

from datetime import UTC, datetime, timedelta

from app.cases.models import MissingEpisode
from app.interviews.models import ReturnInterview
from app.referrals.policies import interview_suggestions, policies_by_area
from tests.api.helpers import API
from tests.sync.http_helpers import enrol

SOUTH_WALES, GWENT = "W15000003", "W15000002"
REPORTED = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def interview_after_three_episodes(session, world, force):
    for days in (200, 100):
        session.add(MissingEpisode(organisation_id=world.org_a.id, child_id=world.child.id,
                                   reported_missing_at=REPORTED - timedelta(days=days),
                                   returned_at=REPORTED - timedelta(days=days - 1),
                                   reporting_force_code=force))
    current = MissingEpisode(organisation_id=world.org_a.id, child_id=world.child.id,
                             reported_missing_at=REPORTED, reporting_force_code=force,
                             returned_at=REPORTED + timedelta(hours=5))
    session.add(current)
    session.flush()
    interview = ReturnInterview(organisation_id=world.org_a.id, episode_id=current.id)
    session.add(interview)
    session.commit()
    return interview


def repeat_rules(session, interview):
    return [each["rule"] for each in interview_suggestions(session, interview)
            if each["kind"].startswith("repeat_")]


def choose(app, *args):
    return app.test_cli_runner().invoke(args=["repeat-policy", *args])


def test_an_organisation_picks_a_policy_for_an_area_and_its_tablets_follow(app, session, world,
                                                                           as_person):
    interview = interview_after_three_episodes(session, world, SOUTH_WALES)
    assert repeat_rules(session, interview) == []  # South Wales has no policy by default

    answer = choose(app, world.org_a.name, SOUTH_WALES, "dyfed_powys")
    assert answer.exit_code == 0, answer.output
    session.expire_all()
    assert repeat_rules(session, interview) == ["dyfed_powys_three_in_twelve_months"]
    # The defaults stay where the organisation chose nothing.
    assert policies_by_area(session, world.org_a.id)[GWENT] == "gwent"
    # Another organisation's tablets are sent the defaults; this one's the choice.
    tablet = enrol(app, as_person(world.worker))
    sent = tablet.client.get(f"{API}/sync/reference", headers=tablet.headers).json
    assert sent["reference"]["suggestion_rules"]["data"][0]["policies_by_area"][SOUTH_WALES] == \
        "dyfed_powys"
    outsider = enrol(app, as_person(world.outsider))
    theirs = outsider.client.get(f"{API}/sync/reference", headers=outsider.headers).json
    assert SOUTH_WALES not in theirs["reference"]["suggestion_rules"]["data"][0]["policies_by_area"]

    answer = choose(app, world.org_a.name, SOUTH_WALES)  # back to the default
    assert answer.exit_code == 0, answer.output
    session.expire_all()
    assert repeat_rules(session, interview) == []


def test_an_unknown_policy_area_or_organisation_is_refused_in_words(app, world):
    unknown_policy = choose(app, world.org_a.name, SOUTH_WALES, "scotland")
    assert unknown_policy.exit_code != 0
    assert "There is no repeat-episode policy of that name." in unknown_policy.output
    unknown_area = choose(app, world.org_a.name, "W06000015", "gwent")  # a council, not a force
    assert "There is no police force area with that code." in unknown_area.output
    nobody = choose(app, "No Such Organisation", SOUTH_WALES, "gwent")
    assert "No organisation is named" in nobody.output
