"""A finished case's self-report leaves the tablets with its case, as all it holds does."""

import uuid
from datetime import timedelta

from sqlalchemy import select, update

from app.cases.models import MissingEpisode
from app.core.types import utcnow
from app.interviews.models import InterviewStatus, ReturnInterview
from app.questionnaires.models import QuestionnaireVersion
from app.youngperson.models import SelfReport
from tests.sync.http_helpers import REPORTED, RETURNED, at, enrol


def approved_case_with_a_report(session, child) -> dict:
    episode = MissingEpisode(organisation_id=child.organisation_id, child_id=child.id,
                             reported_missing_at=at(REPORTED), returned_at=at(RETURNED))
    session.add(episode)
    session.flush()
    version_id = session.scalar(select(QuestionnaireVersion.id).filter_by(
        key="return-interview", version=2))
    interview = ReturnInterview(organisation_id=child.organisation_id, episode_id=episode.id,
                                status=InterviewStatus.APPROVED,
                                questionnaire_version_id=version_id)
    session.add(interview)
    session.flush()
    report = SelfReport(organisation_id=child.organisation_id, interview_id=interview.id,
                        questionnaire_version_id=version_id, language="cy",
                        handed_over_at=at("2026-03-03T14:40:00+00:00"),
                        question_states={"yp_hurt": "skipped"})
    report.push_factors = ["family_conflict"]
    session.add(report)
    session.commit()
    return {"interviews": interview.id, "self_reports": report.id}


def test_a_finished_cases_self_report_leaves_the_tablet_with_it(world, as_person, app, session):
    case = approved_case_with_a_report(session, world.child)
    tablet = enrol(app, as_person(world.worker))
    key = ("self_reports", str(case["self_reports"]))
    pulled = tablet.pull()
    assert pulled["changes"][key]["record"]["push_factors"] == ["family_conflict"]
    session.execute(update(ReturnInterview).where(ReturnInterview.id == case["interviews"])
                    .values(updated_at=utcnow() - timedelta(days=31)))
    session.commit()
    pulled = tablet.pull()
    assert key in pulled["removals"]
    assert ("interviews", str(case["interviews"])) in pulled["removals"]
    assert uuid.UUID(key[1]) == case["self_reports"]
