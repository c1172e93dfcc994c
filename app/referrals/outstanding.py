"""What is outstanding of the referrals and Active Offers a supervisor's cases hold: referrals
suggested, offered or made with no answer yet, and looked-after children's interviews with no
Active Offer recorded; by worker and by child."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, contains_eager

from app.audit.services import record_access
from app.auth.models import Person
from app.cases.models import Child, MissingEpisode
from app.interviews.models import ReturnInterview
from app.interviews.services import visible_interviews
from app.referrals.models import ActiveOffer, OfferResponse, Referral, ReferralStatus
from app.referrals.services import visible_referrals

WAITING = (ReferralStatus.SUGGESTED, ReferralStatus.OFFERED, ReferralStatus.MADE)


@dataclass(frozen=True)
class Outstanding:
    """One thing waiting: a referral (its kind and status), or an Active Offer (referral None)."""

    child: Child
    interview_id: uuid.UUID
    worker_id: uuid.UUID | None
    referral: Referral | None
    since: datetime | None


def outstanding(session: Session, person: Person) -> list[Outstanding]:
    """Everything waiting among this person's cases, oldest first."""
    found = _waiting_referrals(session, person) + _offers_missing(session, person)
    record_access(session, person, "list", "referrals", None)
    return sorted(found, key=lambda item: (item.since is None, item.since or datetime.min))


def waiting_referrals(person: Person):
    """A SELECT of the referrals waiting for their next step among this person's cases."""
    return visible_referrals(person).where(Referral.status.in_(WAITING))


# Since when a referral has waited: its latest step.
REFERRAL_SINCE = func.coalesce(Referral.made_at, Referral.offered_at, Referral.suggested_at,
                               Referral.created_at)


def offers_missing(person: Person):
    """A SELECT of the interviews of looked-after children with no Active Offer offered and
    answered."""
    recorded = and_(ActiveOffer.interview_id == ReturnInterview.id, ActiveOffer.offered.is_(True),
                    ActiveOffer.response != OfferResponse.PENDING)
    return visible_interviews(person).where(Child.looked_after.is_(True),
                                            ~select(ActiveOffer.id).where(recorded).exists())


# Since when an Active Offer has been missing: the child's return (or the interview's making).
OFFER_SINCE = func.coalesce(MissingEpisode.returned_at, ReturnInterview.created_at)


def _waiting_referrals(session: Session, person: Person) -> list[Outstanding]:
    stmt = waiting_referrals(person).add_columns(ReturnInterview.interviewer_id, Child,
                                                 REFERRAL_SINCE)
    return [Outstanding(child, referral.interview_id, worker_id, referral, since)
            for referral, worker_id, child, since in session.execute(stmt)]


def _offers_missing(session: Session, person: Person) -> list[Outstanding]:
    stmt = (offers_missing(person)
            .options(contains_eager(ReturnInterview.episode).contains_eager(MissingEpisode.child)))
    return [Outstanding(interview.episode.child, interview.id, interview.interviewer_id, None,
                        interview.episode.returned_at or interview.created_at)
            for interview in session.scalars(stmt).unique()]


def by_worker(items: list[Outstanding]) -> dict:
    """worker id -> (referrals waiting, Active Offers missing)."""
    counts: dict = {}
    for item in items:
        referrals, offers = counts.get(item.worker_id, (0, 0))
        counts[item.worker_id] = ((referrals + 1, offers) if item.referral
                                  else (referrals, offers + 1))
    return counts


def by_child(items: list[Outstanding]) -> list[tuple[Child, list[Outstanding]]]:
    """Each child with what waits for them, the children by name."""
    grouped: dict = {}
    for item in items:
        grouped.setdefault(item.child.id, (item.child, []))[1].append(item)
    return sorted(grouped.values(),
                  key=lambda pair: (pair[0].family_name.casefold(), pair[0].given_name.casefold(),
                                    str(pair[0].id)))
