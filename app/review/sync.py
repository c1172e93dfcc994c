"""Review decisions as a synced collection the tablet only reads: a worker's tablet pulls the
decisions on the interviews it holds (seen as their interviews are), to show the supervisor's
comments on a returned interview. A device may write none of its fields, make nor delete one.
Importing this module (create_app registers it) also keeps the review queue's priority
(priority.py) after every write of an interview."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields
from sqlalchemy import select

from app.core.schemas import RecordSchema
from app.interviews.models import ReturnInterview
from app.interviews.rules import NO_SUCH_INTERVIEW
from app.interviews.services import visible_interviews
from app.review import priority  # noqa: F401  (adds the priority's write follower)
from app.review.models import ReviewDecision
from app.syncing.collections import Parent, SyncCollection

READ_ONLY = _l("Only a supervisor makes review decisions.")


class ReviewDecisionSchema(RecordSchema):
    interview_id = fields.UUID(dump_only=True)
    decision = fields.String(dump_only=True)
    comment = fields.String(dump_only=True, allow_none=True)
    reviewer_name = fields.String(dump_only=True)
    decided_at = fields.AwareDateTime(dump_only=True)


def visible_decisions(person):
    """Those of the interviews this person may see."""
    interviews = visible_interviews(person).with_only_columns(ReturnInterview.id)
    return select(ReviewDecision).where(ReviewDecision.interview_id.in_(interviews))


REVIEW_DECISIONS = SyncCollection(
    name="review_decisions", model=ReviewDecision, schema=ReviewDecisionSchema(),
    visible=visible_decisions,
    device_fields=frozenset(),
    rules=lambda change: {"_record": [READ_ONLY]},
    parent=Parent("interview_id", "interviews", NO_SUCH_INTERVIEW),
)

COLLECTIONS = (REVIEW_DECISIONS,)
