"""When a case is finished, and since when: the one definition the tablets' data minimisation
reads (a finished case leaves the tablets TABLET_KEEPS_DAYS after it was finished).

There is no "closed" state of an episode in this model: an episode is done when one of its
interviews is approved (a supervisor approves the record of an interview held, and likewise
that of an offer declined or of a child who could not be reached). A child's case is finished
when it has episodes and every one of them is done; it is finished since the last change to
its approved interviews (their approval, usually). A new episode, or an interview returned,
makes it unfinished again, and a later approval starts its days again.
"""

from datetime import datetime

from sqlalchemy import Select, func, select

from app.cases.models import MissingEpisode
from app.interviews.models import InterviewStatus, ReturnInterview


def children_finished_before(moment: datetime) -> Select:
    """A SELECT of the ids of the children whose case was finished before `moment`."""
    approved = select(ReturnInterview.episode_id).where(
        ReturnInterview.status == InterviewStatus.APPROVED)
    with_an_open_episode = select(MissingEpisode.child_id).where(
        MissingEpisode.id.not_in(approved))
    return (select(MissingEpisode.child_id)
            .join(ReturnInterview, ReturnInterview.episode_id == MissingEpisode.id)
            .where(ReturnInterview.status == InterviewStatus.APPROVED,
                   MissingEpisode.child_id.not_in(with_an_open_episode))
            .group_by(MissingEpisode.child_id)
            .having(func.max(ReturnInterview.updated_at) < moment))
