"""Referrals and Active Offers: who may see and change them, checked by their rules."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.auth.policy import may_work_on_cases
from app.cases.models import Child, MissingEpisode
from app.cases.policy import visible_children_filter
from app.core.errors import Forbidden, ValidationFailed
from app.core.rules import refuse
from app.interviews.models import ReturnInterview
from app.interviews.services import visible_interviews
from app.referrals import rules
from app.referrals.models import ActiveOffer, Referral
from app.syncing.collections import direct_change


def visible_referrals(person: Person):
    return (select(Referral).join(ReturnInterview).join(MissingEpisode).join(Child)
            .where(visible_children_filter(person)))


def visible_offers(person: Person):
    return (select(ActiveOffer).join(ReturnInterview).join(MissingEpisode).join(Child)
            .where(visible_children_filter(person)))


def _visible_interview(session: Session, person: Person, interview_id) -> ReturnInterview:
    interview = session.scalars(
        visible_interviews(person).where(ReturnInterview.id == interview_id)).first()
    if interview is None:
        raise ValidationFailed({"interview_id": [rules.NO_SUCH_INTERVIEW]})
    return interview


def _create(session: Session, person: Person, data: dict, model, defaults, check):
    if not may_work_on_cases(person):
        raise Forbidden()
    interview = _visible_interview(session, person, data.get("interview_id"))
    change = direct_change(session, person, None, data)
    change.defaults = {**defaults(change), "organisation_id": interview.organisation_id}
    with session.no_autoflush:
        refuse(check(change))
    record = model(**change.merged)
    session.add(record)
    return record


def _update(session: Session, person: Person, record, data: dict, check):
    if not may_work_on_cases(person):
        raise Forbidden()
    with session.no_autoflush:
        refuse(check(direct_change(session, person, record, data)))
    for name, value in data.items():
        setattr(record, name, value)
    return record


def create_referral(session: Session, person: Person, data: dict) -> Referral:
    return _create(session, person, data, Referral, rules.referral_defaults,
                   rules.referral_errors)


def update_referral(session: Session, person: Person, referral: Referral,
                    data: dict) -> Referral:
    return _update(session, person, referral, data, rules.referral_errors)


def create_offer(session: Session, person: Person, data: dict) -> ActiveOffer:
    return _create(session, person, data, ActiveOffer, rules.offer_defaults, rules.offer_errors)


def update_offer(session: Session, person: Person, offer: ActiveOffer,
                 data: dict) -> ActiveOffer:
    return _update(session, person, offer, data, rules.offer_errors)
