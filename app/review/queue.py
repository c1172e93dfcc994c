"""The review queue: the submitted interviews of a supervisor's team (an admin's organisation),
the highest review priority first (priority.py), then the longest waiting, a page at a time in
SQL. The organisation and status lead the WHERE and the ORDER BY follows
ix_return_interviews_review_queue (organisation_id, status, review_priority, submitted_at), so
the database walks the index's run of the organisation's submitted interviews in priority order
(PostgreSQL sorts each priority's few by time incrementally; SQLite likewise with a small sort)
rather than reading every interview."""


from sqlalchemy.orm import Session, contains_eager

from app.audit.services import record_access
from app.auth.models import Person
from app.cases.models import MissingEpisode
from app.interviews.models import InterviewStatus, ReturnInterview
from app.interviews.services import visible_interviews
from app.review.services import Page, check_reviewer, one_page

PER_PAGE = 50


def _waiting(person: Person):
    return visible_interviews(person).where(
        ReturnInterview.organisation_id == person.organisation_id,
        ReturnInterview.status == InterviewStatus.SUBMITTED)


def review_queue(session: Session, person: Person, page: int = 1,
                 per_page: int = PER_PAGE) -> Page:
    """One page of the queue (a page past the last shows the last), its listing audited."""
    check_reviewer(person)
    found = one_page(session, _waiting(person).options(
        contains_eager(ReturnInterview.episode).contains_eager(MissingEpisode.child))
        .order_by(ReturnInterview.review_priority.desc(), ReturnInterview.submitted_at,
                  ReturnInterview.id), page, per_page)
    record_access(session, person, "review-queue", "interviews", None)
    return found
