"""The supervisor's page of what is outstanding: referrals waiting for their next step, and
looked-after children's interviews with no Active Offer of advocacy recorded."""

from flask import Blueprint, g, render_template
from flask_babel import lazy_gettext as _l

from app.core.headers import private_page
from app.extensions import db
from app.referrals import outstanding
from app.referrals.models import ReferralStatus
from app.review.services import names_of_people
from app.review.views import allowed_reviewer

referrals_blueprint = Blueprint("referrals", __name__, url_prefix="/review/referrals")
referrals_blueprint.after_request(private_page)

# The kinds a suggestion names (app/referrals/suggesting.py), as a supervisor reads them.
KIND_NAMES = {
    "advocacy_active_offer": _l("The Active Offer of advocacy"),
    "national_referral_mechanism": _l("National Referral Mechanism"),
    "advocacy_referral": _l("Independent advocacy"),
    "safeguarding_referral": _l("Safeguarding referral"),
    "specialist_exploitation_service": _l("Specialist exploitation service"),
    "trafficking_guardian": _l("Independent child trafficking guardian"),
    "substance_misuse_service": _l("Substance misuse service"),
    "repeat_multi_agency_discussion": _l("Multi-agency discussion of repeat episodes"),
    "tell_placing_authority": _l("Tell the placing authority"),
    "repeat_first_episode_interview": _l("Independent interview after a first episode"),
    "other": _l("Another referral"),
}
WAITING_FOR = {
    ReferralStatus.SUGGESTED: _l("Suggested: not yet offered, made or dismissed"),
    ReferralStatus.OFFERED: _l("Offered: not yet made"),
    ReferralStatus.MADE: _l("Made: waiting for an answer"),
}
NO_ACTIVE_OFFER = _l("Looked after: no Active Offer of advocacy recorded")


def what_waits(item: outstanding.Outstanding) -> str:
    if item.referral is None:
        return str(NO_ACTIVE_OFFER)
    kind = KIND_NAMES.get(item.referral.kind)
    return f"{kind or item.referral.kind}: {WAITING_FOR[item.referral.status]}"


@referrals_blueprint.get("")
def outstanding_page():
    refused = allowed_reviewer()
    if refused:
        return refused
    items = outstanding.outstanding(db.session, g.person)
    workers = outstanding.by_worker(items)
    names = names_of_people(db.session, list(workers))
    db.session.commit()  # the listing, in the audit trail
    return render_template("review/referrals.html", items=items, workers=workers, names=names,
                           children=outstanding.by_child(items), what_waits=what_waits)
