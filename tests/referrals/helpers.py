"""Helpers of the referral tests: an interview of the worker's looked-after child, made through
the API, and the errors an API answer or a push result gives, field by field."""

from tests.api.helpers import create_episode, create_interview

SUGGESTED = "2026-03-03T15:00:00+00:00"
OFFERED = "2026-03-03T15:10:00+00:00"
MADE = "2026-03-04T09:00:00+00:00"
ANSWERED = "2026-03-05T09:00:00+00:00"
OUTCOME = "2026-03-10T09:00:00+00:00"
CONDUCTED = "2026-03-03T14:30:00+00:00"


def interview_of(client, child_id, **fields) -> dict:
    """An interview held (ready to submit) of a new episode of the child."""
    episode = create_episode(client, child_id)
    return create_interview(client, episode["id"], conducted_at=CONDUCTED, consent="accepted",
                            **fields)


def api_errors(response) -> dict:
    body = response.get_json(force=True)
    return {error["field"]: error["messages"] for error in body.get("errors", [])}


def answered_offer(interview_id, **fields) -> dict:
    return {"interview_id": str(interview_id), "offered": True, "offered_at": OFFERED,
            "offered_by": "worker", "response": "declined", "responded_at": ANSWERED} | fields
