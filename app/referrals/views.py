"""The supervisor's page of what is outstanding: referrals waiting for their next step, and
looked-after children's interviews with no Active Offer of advocacy recorded."""

from flask import Blueprint, g, render_template
from flask_babel import lazy_gettext as _l

from app.auth.policy import may_review
from app.auth.services import names_of_people
from app.auth.views import page_refusal
from app.core.headers import private_page
from app.extensions import db
from app.i18n import current_language
from app.referrals import outstanding
from app.referrals.models import ReferralStatus
from app.referrals.suggesting import kind_names

referrals_blueprint = Blueprint("referrals", __name__, url_prefix="/review/referrals")
referrals_blueprint.after_request(private_page)

# The kinds a suggestion names (app/referrals/suggesting.py), as a supervisor reads them.
WAITING_FOR = {
    ReferralStatus.SUGGESTED: _l("Suggested: not yet offered, made or dismissed"),
    ReferralStatus.OFFERED: _l("Offered: not yet made"),
    ReferralStatus.MADE: _l("Made: waiting for an answer"),
}
NO_ACTIVE_OFFER = _l("Looked after: no Active Offer of advocacy recorded")


def what_waits(item: outstanding.Outstanding) -> str:
    if item.referral is None:
        return str(NO_ACTIVE_OFFER)
    # Each kind's name in both languages is data, with the rules (app/referrals/data).
    kind = kind_names(current_language()).get(item.referral.kind)
    return f"{kind or item.referral.kind}: {WAITING_FOR[item.referral.status]}"


@referrals_blueprint.get("")
def outstanding_page():
    refused = page_refusal(may_review)
    if refused:
        return refused
    items = outstanding.outstanding(db.session, g.person)
    workers = outstanding.by_worker(items)
    names = names_of_people(db.session, list(workers))
    db.session.commit()  # the listing, in the audit trail
    return render_template("review/referrals.html", items=items, workers=workers, names=names,
                           children=outstanding.by_child(items), what_waits=what_waits)
