"""Small helpers shared by the API tests: making records through the API as a client would,
and checking problem+json answers."""

from datetime import datetime

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"

REPORTED = "2026-03-01T10:00:00+00:00"
RETURNED = "2026-03-02T08:00:00+00:00"


def at(text: str) -> datetime:
    """An ISO time as an aware datetime, so instants compare whatever offset they carry."""
    return datetime.fromisoformat(text)


def assert_problem(response, status: int, fields=()):
    """The response is a problem+json with this status; for each field given, the errors list
    names it. Returns the problem body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"].endswith(str(status))
    assert body["title"]
    named = {error["field"] for error in body.get("errors", [])}
    for field in fields:
        assert field in named, f"{field} not in errors {body.get('errors')}"
    for error in body.get("errors", []):
        assert error["messages"], error
    return body


def create(client, collection: str, **fields) -> dict:
    response = client.post(f"{API}/{collection}", json=fields)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/{collection}/{response.json['id']}")
    return response.json


def read(client, collection: str, record_id) -> dict:
    response = client.get(f"{API}/{collection}/{record_id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def patch(client, collection: str, record_id, **fields) -> dict:
    response = client.patch(f"{API}/{collection}/{record_id}", json=fields)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def list_all(client, collection: str, **params) -> list[dict]:
    response = client.get(f"{API}/{collection}", query_string=params | {"per_page": 500})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["items"]


def ids(items) -> set[str]:
    return {item["id"] for item in items}


def create_child(client, given="Gwen", family="Jones", **fields) -> dict:
    return create(client, "children", given_name=given, family_name=family, **fields)


def create_episode(client, child_id, reported=REPORTED, returned=RETURNED, **fields) -> dict:
    return create(client, "episodes", child_id=str(child_id), reported_missing_at=reported,
                  returned_at=returned, **fields)


def create_interview(client, episode_id, **fields) -> dict:
    return create(client, "interviews", episode_id=str(episode_id), **fields)


def create_attempt(client, interview_id, attempted_at="2026-03-02T09:00:00+00:00",
                   method="phone", outcome="no_answer", **fields) -> dict:
    return create(client, "attempts", interview_id=str(interview_id), attempted_at=attempted_at,
                  method=method, outcome=outcome, **fields)


def questionnaire_id(client, version: int) -> str:
    """The id of this version of the return interview (a version pins its questions' ids)."""
    return next(v["id"] for v in list_all(client, "questionnaires", key="return-interview")
                if v["version"] == version)


def offer_advocacy(client, interview_id, response="declined") -> dict:
    """The Active Offer of advocacy recorded for the interview (offered and answered), which a
    looked-after child's interview needs before it is submitted."""
    return create(client, "advocacy_offers", interview_id=str(interview_id), offered=True,
                  offered_at="2026-03-03T15:00:00+00:00", offered_by="worker",
                  response=response, responded_at="2026-03-03T15:05:00+00:00")
