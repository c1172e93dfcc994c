"""Referrals and Active Offers: who may see and change them, checked by their rules."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.cases.models import Child, MissingEpisode
from app.cases.policy import visible_children_filter
from app.interviews.models import ReturnInterview
from app.interviews.services import create_held, update_held
from app.referrals import rules
from app.referrals.models import ActiveOffer, Referral


def visible_referrals(person: Person):
    return (select(Referral).join(ReturnInterview).join(MissingEpisode).join(Child)
            .where(visible_children_filter(person)))


def visible_offers(person: Person):
    return (select(ActiveOffer).join(ReturnInterview).join(MissingEpisode).join(Child)
            .where(visible_children_filter(person)))


def create_referral(session: Session, person: Person, data: dict) -> Referral:
    return create_held(session, person, data, Referral, rules.referral_errors,
                       rules.referral_defaults)


def update_referral(session: Session, person: Person, referral: Referral,
                    data: dict) -> Referral:
    return update_held(session, person, referral, data, rules.referral_errors)


def create_offer(session: Session, person: Person, data: dict) -> ActiveOffer:
    return create_held(session, person, data, ActiveOffer, rules.offer_errors, rules.offer_defaults)


def update_offer(session: Session, person: Person, offer: ActiveOffer,
                 data: dict) -> ActiveOffer:
    return update_held(session, person, offer, data, rules.offer_errors)
