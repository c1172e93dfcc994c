"""The facts the rules read, built from the database for an interview (interview_facts): the
child's care status and placement, the interview's coded answers, its episode and the child's
other episodes in every area; what they suggest is what the shared examples say such facts
suggest."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.cases.models import MissingEpisode
from app.interviews.models import ReturnInterview
from app.questionnaires.models import QuestionnaireVersion
from app.referrals.policies import interview_suggestions
from app.referrals.suggesting import interview_facts
from app.youngperson.models import SelfReport

GWENT, DYFED = "W15000002", "W15000004"
REPORTED = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def episode(session, world, reported, force, returned="+6h"):
    made = MissingEpisode(organisation_id=world.org_a.id, child_id=world.child.id,
                          reported_missing_at=reported, reporting_force_code=force,
                          returned_at=reported + timedelta(hours=6) if returned else None)
    session.add(made)
    session.flush()
    return made


def test_a_looked_after_child_exploited_after_moving_area(session, world):
    for days in (27, 20, 14, 7):
        episode(session, world, REPORTED - timedelta(days=days), GWENT)
    current = episode(session, world, REPORTED, DYFED, returned=None)
    current.risk_grade = "high"
    interview = ReturnInterview(organisation_id=world.org_a.id, episode_id=current.id)
    interview.harms = ["criminal_exploitation", "drugs_or_alcohol"]
    interview.pull_factors = ["offered_money_gifts_or_place_to_stay"]
    session.add(interview)
    session.commit()

    facts = interview_facts(session, interview)

    assert facts["child"] == {"looked_after": True, "unaccompanied_asylum_seeking": False,
                              "out_of_area": True, "placing_authority_code": "W06000015",
                              "host_authority_code": "W06000011"}
    assert facts["episode"] == {"id": str(current.id), "reported_missing_at":
                                "2026-03-10T12:00:00+00:00", "returned_at": None,
                                "reporting_force_code": DYFED, "risk_grade": "high"}
    assert len(facts["history"]) == 4
    assert {each["reporting_force_code"] for each in facts["history"]} == {GWENT}
    assert facts["interview"]["harms"] == ["criminal_exploitation", "drugs_or_alcohol"]
    assert facts["interview"]["pull_factors"] == ["offered_money_gifts_or_place_to_stay"]
    assert facts["self_report"] is None  # no young person's section recorded
    found = interview_suggestions(session, interview)
    assert [each["kind"] for each in found] == [
        "advocacy_active_offer", "safeguarding_referral", "specialist_exploitation_service",
        "substance_misuse_service", "tell_placing_authority", "repeat_multi_agency_discussion"]
    assert found[-1]["values"] == {"count": 5, "months": 12}
    assert found[-1]["rule"] == "dyfed_powys_three_in_twelve_months"


def test_the_young_person_asking_for_an_advocate(session, world):
    current = episode(session, world, REPORTED, None)
    interview = ReturnInterview(organisation_id=world.org_a.id, episode_id=current.id)
    session.add(interview)
    session.flush()
    report = SelfReport(
        organisation_id=world.org_a.id, interview_id=interview.id, language="en",
        questionnaire_version_id=session.scalars(select(QuestionnaireVersion.id)).first(),
        handed_over_at=REPORTED + timedelta(days=1), advocate_requested=None)
    report.talk_to = ["advocate", "my_worker"]
    session.add(report)
    session.commit()

    facts = interview_facts(session, interview)

    assert facts["self_report"] == {"advocate_requested": None, "talk_to": ["advocate", "my_worker"]}
    kinds = [each["kind"] for each in interview_suggestions(session, interview)]
    assert kinds == ["advocacy_active_offer", "tell_placing_authority", "advocacy_referral"]
