"""JSON routes for return interviews and the attempts to reach the child."""

from app.api.resources import Resource
from app.interviews import schemas, services
from app.interviews.models import InterviewAttempt, ReturnInterview

RESOURCES = [
    Resource(
        name="interviews",
        model=ReturnInterview,
        schema=schemas.InterviewSchema,
        query_schema=schemas.InterviewQuery,
        visible=services.visible_interviews,
        create=services.create_interview,
        update=services.update_interview,
        order_by=[ReturnInterview.updated_at.desc()],
        description="Return interviews: offer, consent, the conversation, and review status.",
    ),
    Resource(
        name="attempts",
        model=InterviewAttempt,
        schema=schemas.AttemptSchema,
        query_schema=schemas.AttemptQuery,
        visible=services.visible_attempts,
        create=services.create_attempt,
        update=services.update_attempt,
        order_by=[InterviewAttempt.attempted_at],
        description="Each attempt to reach the child: when, how, and what happened.",
    ),
]
