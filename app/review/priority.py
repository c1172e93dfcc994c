"""How soon a supervisor should read a submitted interview: its review priority, kept in a
column of return_interviews so that the review queue is ordered and paged in SQL (queue.py),
not by reading every interview of a team in Python.

The priority is a set of flags, the most pressing the highest bit, so that ordering by the
number puts signs of exploitation before a high risk grade before a child asking for help
before a repeat threshold crossed, and any two of them before one alone of a lower rank; the
words a supervisor reads come back from the flags (reasons).

It is worked out whenever an interview, or a record it holds, is written, by the API, a sync
push or a page (app/interviews/services.interviews_written, which every write path calls), for
the interviews then submitted: only those are in a queue, and a submitted interview and what it
holds are locked until a supervisor decides. Written with a plain UPDATE, so it never gives
the interview a new revision (it is not synced). A risk grade changed on the episode after the
submission, or an episode that crosses a repeat threshold, is read when the episode is written
(app/cases/services.EPISODES_WRITTEN).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.cases.models import MissingEpisode
from app.cases.services import EPISODES_WRITTEN
from app.interviews.models import InterviewStatus, ReturnInterview
from app.interviews.rules import exploitation_indicated
from app.interviews.services import add_write_follower
from app.referrals.policies import policies_by_area
from app.referrals.suggesting import interview_facts, suggestion_rules, suggestions

EXPLOITATION = 8
HIGH_RISK = 4
ASKED_FOR_HELP = 2
THRESHOLD_CROSSED = 1
# The kinds of suggestion a repeat threshold of the area's policy gives when it is crossed (a
# first episode's interview is a threshold of a kind, but not a crossing).
THRESHOLD_KINDS = frozenset({"repeat_multi_agency_discussion"})

REASONS = (
    (EXPLOITATION, _l("Urgent: signs of exploitation or trafficking")),
    (HIGH_RISK, _l("High risk")),
    (ASKED_FOR_HELP, _l("The young person asked for help")),
    (THRESHOLD_CROSSED, _l("Repeat threshold crossed")),
)
ROUTINE = _l("Routine")


def reasons(priority: int) -> list:
    """The priority in words, the most pressing first ("Routine" when none)."""
    return [words for flag, words in REASONS if priority & flag] or [ROUTINE]


def priority_of(session: Session, interview: ReturnInterview) -> int:
    facts = interview_facts(session, interview)
    priority = 0
    if exploitation_indicated(facts["interview"]["harms"]):
        priority |= EXPLOITATION
    if facts["episode"].get("risk_grade") == "high":
        priority |= HIGH_RISK
    if (facts["self_report"] or {}).get("advocate_requested") is True:
        priority |= ASKED_FOR_HELP
    found = suggestions(suggestion_rules(), facts,
                        policies_by_area(session, interview.organisation_id))
    if any(suggestion["kind"] in THRESHOLD_KINDS for suggestion in found):
        priority |= THRESHOLD_CROSSED
    return priority


@EPISODES_WRITTEN.add
def refresh_for_children(session: Session, child_ids) -> None:
    """A child's episode made or changed (a risk grade raised, an episode that crosses a repeat
    threshold): the priority of their interviews waiting for review."""
    waiting = session.scalars(select(ReturnInterview.id).join(MissingEpisode).where(
        MissingEpisode.child_id.in_(child_ids),
        ReturnInterview.status == InterviewStatus.SUBMITTED)).all()
    if waiting:
        refresh_priorities(session, waiting)


@add_write_follower
def refresh_priorities(session: Session, interview_ids) -> None:
    """The review priority of those of these interviews now submitted."""
    submitted_ids = session.scalars(select(ReturnInterview.id).where(
        ReturnInterview.id.in_(interview_ids),
        ReturnInterview.status == InterviewStatus.SUBMITTED)).all()
    if not submitted_ids:
        return
    # A sync push writes with plain statements: what the session holds of these records (the
    # interview, its codes, its episode, the self-report) may be older than the database.
    # Everything is flushed (interviews_written), so nothing unsaved is lost.
    session.expire_all()
    submitted = session.scalars(select(ReturnInterview).where(
        ReturnInterview.id.in_(submitted_ids))).all()
    for interview in submitted:
        priority = priority_of(session, interview)
        if priority != interview.review_priority:
            session.execute(update(ReturnInterview.__table__)
                            .where(ReturnInterview.__table__.c.id == interview.id)
                            .values(review_priority=priority))
            set_committed_value(interview, "review_priority", priority)
