"""The board: one page answering "what needs me now?" for a supervisor (their team) or an admin
(their organisation), with the sync health of the team's tablets beside it, and a paged list of
each section."""

import re
from datetime import datetime, timedelta
from types import SimpleNamespace

from flask import Blueprint, abort, g, render_template, request
from flask_babel import format_timedelta, ngettext
from flask_babel import lazy_gettext as _l

from app.auth.policy import may_review
from app.auth.views import page_refusal
from app.board import services
from app.codelists.services import code_labels
from app.core.headers import private_page
from app.core.types import utcnow
from app.extensions import db
from app.i18n import current_language
from app.interviews.clock import clock_state, clock_text
from app.referrals.views import what_waits
from app.review.services import names_of_people

board_blueprint = Blueprint("board", __name__, url_prefix="/board")
board_blueprint.after_request(private_page)
ON_THE_BOARD = 20
PER_PAGE = 50

TITLES = {
    "open": _l("72-hour windows open"),
    "overdue": _l("Overdue: window passed, no interview held"),
    "declined": _l("Offers declined"),
    "failing": _l("Attempts failing"),
    "repeats": _l("Repeat thresholds crossed"),
    "referrals": _l("Referrals outstanding"),
    "conflicts": _l("Conflicts to resolve"),
    "intelligence": _l("Information for the police awaiting sign-off"),
}
ABOUT = {
    "open": _l("Children back home or in care whose interview is not yet held or declined, the "
               "soonest to close first."),
    "overdue": _l("More than 72 hours since the child came back, and no interview held or "
                  "declined. The most recent first."),
    "declined": _l("Interviews declined by the young person or their parent or carer, not yet "
                   "approved."),
    "failing": _l("Every attempt so far failed to reach the young person, and there were 3 or "
                  "more, or less than 24 hours of the 72 are left."),
    "repeats": _l("The police force area's repeat-episode policy is met, and no referral of "
                  "that kind is recorded yet."),
    "referrals": _l("Referrals suggested, offered or made with no answer yet, and looked-after "
                    "children with no Active Offer of advocacy recorded."),
    "conflicts": _l("The same detail was changed on a tablet and elsewhere: someone must "
                    "choose which to keep."),
    "intelligence": _l("Submitted interviews holding information for the police. It can be "
                       "shared once you approve the interview."),
}
# The badge beside the time left: words as well as a colour, never colour alone.
URGENT_HOURS = 12
SOON_HOURS = 24


def time_left(when: datetime, now: datetime) -> dict:
    """The 72-hour clock of a child back at `when`: its words (as the tablet words them) and a
    badge, its words and class."""
    state = clock_state(SimpleNamespace(returned_at=when), None, now)
    if state.kind == "overdue":
        badge = (_l("Overdue"), "badge-overdue")
    elif state.hours <= URGENT_HOURS:
        badge = (_l("Under 12 hours left"), "badge-urgent")
    elif state.hours <= SOON_HOURS:
        badge = (_l("Under a day left"), "badge-soon")
    else:
        badge = (_l("More than a day left"), "badge-open")
    return {"words": clock_text(state), "badge": str(badge[0]), "badge_class": badge[1]}


def ago(when: datetime | None, now: datetime) -> str | None:
    """"3 hours ago", in the reader's language (CLDR's words)."""
    if when is None:
        return None
    return format_timedelta(min(when - now, timedelta(0)), add_direction=True, threshold=1.5)


def at_risk_warning(device) -> str:
    return ngettext("Data at risk: %(num)d unsent change and no sync for 2 days or more",
                    "Data at risk: %(num)d unsent changes and no sync for 2 days or more",
                    device.unsent_count)


def _helpers(now: datetime, sections) -> dict:
    workers = [row.worker_id for found in sections for row in found.rows]
    labels = code_labels(db.session, g.person.organisation_id, current_language())
    return {"titles": TITLES, "about": ABOUT, "now": now, "time_left": time_left, "ago": ago,
            "names": names_of_people(db.session, workers), "what_waits": what_waits,
            "labels": labels, "at_risk_warning": at_risk_warning}


@board_blueprint.get("")
def board_page():
    refused = page_refusal(may_review)
    if refused:
        return refused
    now = utcnow()
    sections = services.board(db.session, g.person, now, ON_THE_BOARD)
    tablets = services.sync_health(db.session, g.person, now)
    page = render_template("board/board.html", sections=sections, tablets=tablets,
                           **_helpers(now, sections))
    db.session.commit()  # the reading, in the audit trail
    return page


def _page_asked() -> int:
    asked = request.args.get("page", "")
    return int(asked) if re.fullmatch(r"[0-9]{1,6}", asked) and int(asked) >= 1 else 1


@board_blueprint.get("/<key>")
def section_page(key: str):
    refused = page_refusal(may_review)
    if refused:
        return refused
    if key not in services.SECTIONS:
        abort(404)
    now, page = utcnow(), _page_asked()
    found = services.listed(db.session, g.person, key, now, (page - 1) * PER_PAGE, PER_PAGE)
    pages = max(1, -(-found.count // PER_PAGE))
    if page > pages:
        abort(404)
    shown = render_template("board/section.html", found=found, page=page, pages=pages,
                            **_helpers(now, [found]))
    db.session.commit()  # the reading, in the audit trail
    return shown
