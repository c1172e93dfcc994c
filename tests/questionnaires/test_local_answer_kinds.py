"""An answer to a local question must be of the kind its question asks for: the text "false"
for a yes-or-no question would read back as a yes. Refused alike through the API and sync."""

import uuid

import pytest

from tests.api.helpers import (
    API,
    assert_problem,
    create_episode,
    create_interview,
    questionnaire_id,
)
from tests.review.conftest import in_language
from tests.sync.http_helpers import enrol


@pytest.mark.parametrize("question, answer, message", [
    ("wants_to_talk", "false", "This must be true or false."),
    ("wants_to_talk", 0, "This must be true or false."),
    ("yp_feeling_today", True, "Enter text."),
    ("yp_feeling_today", ["a"], "Enter text."),
])
def test_the_api_refuses_an_answer_of_the_wrong_kind(world, as_person, question, answer,
                                                     message):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.post(f"{API}/interviews", json={
        "episode_id": episode["id"], "questionnaire_version_id": questionnaire_id(worker, 1),
        "local_answers": {question: answer}})
    body = assert_problem(response, 422, [f"local_answers.{question}"])
    said = {e["field"]: e["messages"] for e in body["errors"]}
    assert said[f"local_answers.{question}"] == [message]


def test_answers_of_the_right_kind_and_answers_taken_back_are_kept(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    answers = {"wants_to_talk": False, "wants_to_talk_who": "Nain", "yp_feeling_today": None}
    interview = create_interview(worker, episode["id"], local_answers=answers,
                                 questionnaire_version_id=questionnaire_id(worker, 1))
    assert interview["local_answers"] == answers


def test_sync_refuses_an_answer_of_the_wrong_kind_in_the_workers_language(app, world, as_person):
    web = as_person(world.worker)
    episode = create_episode(web, world.child.id)
    tablet = enrol(app, in_language(web, "cy"))
    body = tablet.push([tablet.mutation("interviews", uuid.uuid4(), {
        "episode_id": episode["id"], "questionnaire_version_id": questionnaire_id(web, 1),
        "local_answers": {"yp_feel_safe_now": "na"}})])
    (result,) = body["results"]
    assert result["status"] == "rejected"
    assert result["errors"] == {"local_answers.yp_feel_safe_now": ["Rhaid i hwn fod yn wir neu'n gau."]}
