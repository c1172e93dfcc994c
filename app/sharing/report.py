"""The interview's report, put together in the recipient's language: the child and the
episode, the five things every interview establishes, the child's wishes and feelings in their
own words (read as the supervisor's page reads them), the risks, the referrals, the Active
Offer and the agreed actions; without what the child asked not to share, unless it is shared
for their safety, which the report then says."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import full_date
from app.interviews.models import FIVE_THINGS
from app.referrals.models import ActiveOffer, Referral, ReferralStatus
from app.review.answers import SheetPart, answer_sheet

STATUS_NAMES = {
    ReferralStatus.OFFERED: _l("Offered"),
    ReferralStatus.MADE: _l("Made: waiting for an answer"),
    ReferralStatus.ACCEPTED: _l("Accepted"),
    ReferralStatus.DECLINED: _l("Declined"),
}
OFFER_RESPONSES = {"pending": _l("Waiting for an answer"), "accepted": _l("Accepted"),
                   "declined": _l("Declined")}


@dataclass
class Report:
    interview: object
    five_things: SheetPart | None
    own_words: SheetPart | None
    harms: list[str]
    risk_grade: str | None
    referrals: list[Referral]
    offer: ActiveOffer | None
    overridden: set[str] = field(default_factory=set)
    statement: str | None = None


def _shown(part: SheetPart | None, keys, withheld: set[str], overridden: set[str]):
    """The part with only the report's items of these keys that may be shared."""
    if part is None:
        return None
    answers = [a for a in part.answers
               if a.key in keys and (a.key not in withheld or a.key in overridden)]
    return SheetPart(part.title, part.given_in, answers, part.hand_over)


def override_statement(choice, language: str) -> str | None:
    if choice is None or not choice.overridden:
        return None
    return _("Shared for the child's safety, although they asked us not to: %(reason)s. They "
             "were told on %(date)s.", reason=choice.override_reason.rstrip(". "),
             date=full_date(choice.child_told_at, language))


def _part(sheet: list[SheetPart], definition: dict, audience: str) -> SheetPart | None:
    for part, read in zip(definition["parts"], sheet, strict=True):
        if part["audience"] == audience:
            return read
    return None


def build_report(session: Session, interview, definition: dict | None, labels: dict,
                 language: str, own_words, choice) -> Report:
    """labels: (code list, code) -> label in the report's language; own_words: the young
    person's part read from their self-report (app/review/own_words.py), or None."""
    withheld = set(choice.withheld) if choice else set()
    overridden = set(choice.overridden) & withheld if choice else set()
    sheet = answer_sheet(definition, interview, labels, language, own_words) if definition else []
    own = _part(sheet, definition, "young_person") if definition else None
    episode = interview.episode
    referrals = session.scalars(select(Referral).where(
        Referral.interview_id == interview.id, Referral.status.in_(list(STATUS_NAMES)))
        .order_by(Referral.made_at, Referral.created_at)).all()
    offer = session.scalars(select(ActiveOffer).where(
        ActiveOffer.interview_id == interview.id)).first()
    return Report(
        interview=interview,
        five_things=_shown(_part(sheet, definition, "worker") if definition else None,
                           FIVE_THINGS, withheld, overridden),
        own_words=_shown(own, [a.key for a in own.answers] if own else [], withheld, overridden),
        harms=[labels.get(("harm", code), code) for code in interview.harms],
        risk_grade=labels.get(("risk_grade", episode.risk_grade), episode.risk_grade)
        if episode.risk_grade else None,
        referrals=list(referrals), offer=offer, overridden=overridden,
        statement=override_statement(choice, language))
