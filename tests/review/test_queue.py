"""The review queue: the team's submitted interviews, the most pressing first (signs of
exploitation, a high risk grade, a young person asking for help, a repeat threshold crossed),
then the longest waiting; paged in SQL; only within the reviewer's scope."""

import re
import uuid
from datetime import UTC, datetime, timedelta

from app.auth.models import Role
from app.auth.services import add_person
from app.cases.models import Child, MissingEpisode
from app.interviews.models import InterviewStatus, ReturnInterview
from app.review import priority
from tests.api.helpers import API, create_child, create_episode, create_interview, questionnaire_id
from tests.sync.http_helpers import enrol, new_case, record

HELD = dict(consent="accepted", conducted_at="2026-03-03T14:30:00+00:00",
            why_missing="Doedd hi ddim eisiau mynd adref.")


def submitted(worker, given, episode_fields=None, **interview_fields) -> dict:
    """A child, an episode and its interview, submitted through the API as the app would."""
    child = create_child(worker, given=given, family="Test")
    episode = create_episode(worker, child["id"], **(episode_fields or {}))
    interview = create_interview(worker, episode["id"], **(HELD | interview_fields))
    response = worker.patch(f"{API}/interviews/{interview['id']}", json={"status": "submitted"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return interview


def rows_of(html: str) -> list[tuple[str, str]]:
    """Each row of the queue: the child's name and the priority's first words."""
    return [(name, why) for name, why in re.findall(
        r'<th scope="row"><a [^>]+>([^<]+)</a></th>\s*<td><span class="priority[^"]*">([^<]+)</span>',
        html)]


def test_a_high_risk_exploited_child_comes_before_an_older_plain_one(world, as_person):
    worker = as_person(world.worker)
    submitted(worker, "Plaen")
    submitted(worker, "Brys", episode_fields={"risk_grade": "high"},
              harms=["criminal_exploitation"])
    page = as_person(world.supervisor).get("/review/queue?lang=en")
    assert page.status_code == 200
    assert rows_of(page.text) == [("Brys Test", "Urgent: signs of exploitation or trafficking"),
                                  ("Plaen Test", "Routine")]
    assert "<li>High risk</li>" in page.text
    assert "2 interviews waiting for review." in page.text
    welsh = as_person(world.supervisor).get("/review/queue?lang=cy").text
    assert "Routine" not in welsh and "Urgent" not in welsh


def test_a_repeat_threshold_crossed_raises_the_priority(world, as_person):
    worker = as_person(world.worker)
    child = create_child(worker, given="Eto", family="Test")
    create_episode(worker, child["id"], reported="2026-01-01T10:00:00+00:00",
                   returned="2026-01-02T10:00:00+00:00", reporting_force_code="E23000001")
    episode = create_episode(worker, child["id"], reporting_force_code="E23000001")
    interview = create_interview(worker, episode["id"], **HELD)
    worker.patch(f"{API}/interviews/{interview['id']}", json={"status": "submitted"})
    submitted(worker, "Cyntaf", episode_fields={"reporting_force_code": "E23000001"})
    page = as_person(world.supervisor).get("/review/queue?lang=en").text
    assert rows_of(page) == [("Eto Test", "Repeat threshold crossed"), ("Cyntaf Test", "Routine")]


def test_a_young_person_asking_for_help_in_the_same_push_raises_the_priority(
        world, as_person, app):
    worker = as_person(world.worker)
    submitted(worker, "Cynt")  # submitted first: waiting longer
    tablet = enrol(app, worker)
    ids, mutations = new_case(tablet)
    report = uuid.uuid4()
    mutations += [
        tablet.mutation("self_reports", report, {
            "interview_id": str(ids["interviews"]), "language": "cy",
            "questionnaire_version_id": questionnaire_id(worker, 2),
            "handed_over_at": "2026-03-03T15:00:00+00:00", "advocate_requested": True}),
        tablet.mutation("interviews", ids["interviews"], {"status": "submitted"}),
    ]
    body = tablet.push(mutations)
    assert {result["status"] for result in body["results"]} == {"applied"}, body
    page = as_person(world.supervisor).get("/review/queue?lang=en").text
    assert rows_of(page) == [("Gwenllïan Ŵyn", "The young person asked for help"),
                             ("Cynt Test", "Routine")]


def _many_waiting(session, world, count: int) -> list[uuid.UUID]:
    """count submitted interviews of the worker's child, made directly: the first urgent,
    the rest routine, each submitted a minute after the one before."""
    start = datetime(2026, 3, 4, 9, tzinfo=UTC)
    episode = MissingEpisode(organisation_id=world.org_a.id, child_id=world.child.id,
                             reported_missing_at=start - timedelta(days=3),
                             returned_at=start - timedelta(days=2))
    session.add(episode)
    session.flush()
    made = []
    for number in range(count):
        interview = ReturnInterview(
            organisation_id=world.org_a.id, episode_id=episode.id, status=InterviewStatus.SUBMITTED,
            interviewer_id=world.worker.id, submitted_at=start + timedelta(minutes=number),
            review_priority=priority.EXPLOITATION if number == count - 1 else 0)
        session.add(interview)
        made.append(interview)
    session.commit()
    return [interview.id for interview in made]


def test_the_queue_is_paged_fifty_at_a_time(world, as_person, session):
    made = _many_waiting(session, world, 51)
    supervisor = as_person(world.supervisor)
    first = supervisor.get("/review/queue?lang=en").text
    assert "51 interviews waiting for review." in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    linked = re.findall(r'/review/interviews/([0-9a-f-]{36})"', first)
    assert len(linked) == 50
    assert linked[0] == str(made[-1])  # the urgent one, submitted last
    assert linked[1:] == [str(i) for i in made[:49]]  # then the oldest first
    second = supervisor.get("/review/queue?page=2&lang=en").text
    assert re.findall(r'/review/interviews/([0-9a-f-]{36})"', second) == [str(made[49])]
    assert 'rel="prev"' in second and "Page 2 of 2" in second


def test_the_queue_holds_only_the_reviewers_scope(world, as_person, session, password_hash):
    submitted(as_person(world.worker), "Tim")
    submitted(as_person(world.other_team_worker), "Arall")
    draft_child = create_child(as_person(world.worker), given="Drafft", family="Test")
    create_interview(as_person(world.worker),
                     create_episode(as_person(world.worker), draft_child["id"])["id"], **HELD)
    assert [name for name, _why in rows_of(as_person(world.supervisor).get(
        "/review/queue?lang=en").text)] == ["Tim Test"]
    assert sorted(name for name, _why in rows_of(as_person(world.admin).get(
        "/review/queue?lang=en").text)) == ["Arall Test", "Tim Test"]
    outsider_admin = add_person(session, world.org_b, None, Role.ADMIN, "Bea B",
                                "bea.queue@example.org", password_hash, "en")
    session.commit()
    assert rows_of(as_person(outsider_admin).get("/review/queue?lang=en").text) == []
    assert as_person(world.worker).get("/review/queue").status_code == 403
    assert as_person(world.commissioner).get("/review/queue").status_code == 403
    signed_out = as_person(world.worker).application.test_client().get("/review/queue")
    assert signed_out.status_code in (302, 303)
    assert Child  # (the world's children are its own; none of org B's is listed above)



def test_a_risk_grade_raised_after_submission_raises_the_priority(world, as_person, app):
    """The police raise the risk grade once the interview waits for review: through the API,
    then through a tablet's push, the queue reads the new grade."""
    worker = as_person(world.worker)
    interview = submitted(worker, "Codi")
    queue = as_person(world.supervisor)
    assert rows_of(queue.get("/review/queue?lang=en").text) == [("Codi Test", "Routine")]

    raised = worker.patch(f"{API}/episodes/{interview['episode_id']}", json={"risk_grade": "high"})
    assert raised.status_code == 200, raised.get_data(as_text=True)
    assert rows_of(queue.get("/review/queue?lang=en").text) == [("Codi Test", "High risk")]

    tablet = enrol(app, worker)
    held = record(tablet.pull(), "episodes", interview["episode_id"])
    pushed = tablet.push([tablet.mutation("episodes", interview["episode_id"],
                                          {"risk_grade": "medium"}, base_rev=held["rev"])])
    assert pushed["results"][0]["status"] in ("applied", "merged"), pushed
    assert rows_of(queue.get("/review/queue?lang=en").text) == [("Codi Test", "Routine")]
