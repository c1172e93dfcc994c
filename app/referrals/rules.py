"""The rules of referrals and of the Active Offer of advocacy, written once for the API, a sync
push and the tablet: the steps a referral may take and what each needs, the order of their
times, which codes and services they name, when the interview's lock holds them, and the check
that stops a looked-after child's interview being submitted without its Active Offer."""

from flask_babel import lazy_gettext as _l

from app.codelists.rules import unknown_code_errors
from app.core.rules import Change, ChosenFrom, TimeOrder, state_refusal, time_order_errors
from app.directory.services import directory_services
from app.interviews.rules import add_submission_check, attempt_lock_errors
from app.referrals.models import OfferResponse, ReferralStatus

S = ReferralStatus
# The steps a referral may take from each status; anything else is refused.
MOVES = {
    S.SUGGESTED: {S.OFFERED, S.MADE, S.DISMISSED},
    S.OFFERED: {S.MADE, S.DECLINED, S.DISMISSED},
    S.MADE: {S.ACCEPTED, S.DECLINED},
    S.ACCEPTED: set(),
    S.DECLINED: set(),
    S.DISMISSED: {S.SUGGESTED},
}
# What may still be recorded of a referral once its interview is submitted or approved: making
# it, the answer and the outcome. The rest is locked with the interview, as its attempts are.
FOLLOW_UP_FIELDS = frozenset({"status", "made_at", "made_to", "made_how", "responded_at",
                              "outcome", "outcome_at"})
FOLLOW_UP_STATUSES = frozenset({S.MADE, S.ACCEPTED, S.DECLINED})

REFERRAL_CODE_FIELDS = {"made_how": "referral_method"}
OFFER_CODE_FIELDS = {"offered_by": "advocacy_offered_by"}
NO_SUCH_SERVICE = _l("No such service in the directory.")
SERVICE = (ChosenFrom("service_id", "directory", "id", {}, NO_SUCH_SERVICE),)

REFERRAL_TIMES = (
    TimeOrder("offered_at", "suggested_at", _l("The offer cannot be before the suggestion.")),
    TimeOrder("made_at", "suggested_at", _l("The referral cannot be made before it was suggested.")),
    TimeOrder("made_at", "offered_at", _l("The referral cannot be made before it was offered.")),
    *(TimeOrder("responded_at", earlier,
                _l("The answer cannot come before the referral was suggested, offered or made."))
      for earlier in ("suggested_at", "offered_at", "made_at")),
    *(TimeOrder("outcome_at", earlier, _l("The outcome cannot come before the steps before it."))
      for earlier in ("suggested_at", "offered_at", "made_at", "responded_at")),
)
OFFER_TIMES = (
    TimeOrder("responded_at", "offered_at", _l("The answer cannot be before the offer.")),
)

REFERRAL_MOVED = _l("A referral cannot move to another interview.")
OFFER_MOVED = _l("An Active Offer cannot move to another interview.")
ONE_OFFER = _l("This interview already has its Active Offer recorded.")
OFFERED_WHEN = _l("Record when the referral was offered.")
MADE_WHEN = _l("Record when the referral was made.")
MADE_TO = _l("Record who the referral was made to.")
ANSWERED_WHEN = _l("Record when the answer came.")
DISMISSED_WHY = _l("Say why this suggestion is dismissed.")
OUTCOME_WHAT = _l("Say what the outcome was.")
OUTCOME_WHEN = _l("Record when the outcome came.")
ADVOCACY_WHEN = _l("Record when advocacy was offered.")
ADVOCACY_BY = _l("Say who offered advocacy.")
ADVOCACY_FIRST = _l("Advocacy must be offered before an answer is recorded.")
ADVOCACY_ANSWER_WHEN = _l("Record when the child answered.")
RULE_VERSION = _l("Use a version number from 1 to 2147483647.")
ACTIVE_OFFER_NEEDED = _l("Record the Active Offer of advocacy: this child is looked after.")


def status_label(status: S):
    return {S.SUGGESTED: _l("suggested"), S.OFFERED: _l("offered"), S.MADE: _l("made"),
            S.ACCEPTED: _l("accepted"), S.DECLINED: _l("declined"),
            S.DISMISSED: _l("dismissed")}[status]


def referral_defaults(change: Change) -> dict:
    return {"organisation_id": change.actor.organisation_id, "status": S.SUGGESTED}


def offer_defaults(change: Change) -> dict:
    return {"organisation_id": change.actor.organisation_id, "offered": False,
            "response": OfferResponse.PENDING}


def referral_errors(change: Change) -> dict:
    if change.alters("interview_id"):
        return {"interview_id": [REFERRAL_MOVED]}
    refusal = (None if _follow_up_only(change) else attempt_lock_errors(change)) \
        or _move_errors(change)
    if refusal:
        return refusal
    errors = unknown_code_errors(change, REFERRAL_CODE_FIELDS) | service_errors(change)
    errors |= step_errors(change.merged) | _version_errors(change.parsed.get("rule_version"))
    return errors | time_order_errors(change, REFERRAL_TIMES)


def _follow_up_only(change: Change) -> bool:
    """Whether the change records only what follows the interview (a referral made, its
    answer, its outcome)."""
    if change.new or any(name not in FOLLOW_UP_FIELDS for name in change.parsed):
        return False
    return not change.alters("status") or S(change.parsed["status"]) in FOLLOW_UP_STATUSES


def _move_errors(change: Change) -> dict:
    if change.new or not change.alters("status"):
        return {}
    # (a record this push made holds no status until it is written: the default, suggested)
    current = S(change.current.get("status") or S.SUGGESTED)
    wanted = S(change.parsed["status"])
    if wanted in MOVES[current]:
        return {}
    return state_refusal("status", _l("A referral cannot move from %(current)s to %(wanted)s.",
                                      current=status_label(current), wanted=status_label(wanted)))


def step_errors(referral) -> dict:
    """What the referral's status needs recorded with it."""
    status = S(referral.get("status") or S.SUGGESTED)
    needs = {"offered_at": OFFERED_WHEN} if status == S.OFFERED else {}
    if status in (S.MADE, S.ACCEPTED) or (status == S.DECLINED and referral.get("made_at")):
        needs |= {"made_at": MADE_WHEN, "made_to": MADE_TO}
    if status in (S.ACCEPTED, S.DECLINED):
        needs["responded_at"] = ANSWERED_WHEN
    if status == S.DISMISSED:
        needs["dismissed_reason"] = DISMISSED_WHY
    if referral.get("outcome_at") or _written(referral.get("outcome")):
        needs |= {"outcome": OUTCOME_WHAT, "outcome_at": OUTCOME_WHEN}
    return {name: [message] for name, message in needs.items()
            if not _written(referral.get(name))}


def _written(value) -> bool:
    return bool(value.strip()) if isinstance(value, str) else value is not None


def _version_errors(version) -> dict:
    return {} if version is None or 1 <= version < 2**31 else {"rule_version": [RULE_VERSION]}


def service_errors(change: Change) -> dict:
    """The service named is one of the directory's."""
    if not change.parsed.get("service_id"):
        return {}
    known = change.remembered("directory ids", lambda: {
        service["id"] for service in directory_services()})
    return {choice.field: [choice.message] for choice in SERVICE
            if change.parsed[choice.field] not in known}


def offer_errors(change: Change) -> dict:
    if change.alters("interview_id"):
        return {"interview_id": [OFFER_MOVED]}
    refusal = attempt_lock_errors(change)
    if refusal:
        return refusal
    if change.new and change.find("advocacy_offers", "interview_id",
                                  change.merged.get("interview_id")) is not None:
        return state_refusal("interview_id", ONE_OFFER)
    errors = unknown_code_errors(change, OFFER_CODE_FIELDS) | offer_step_errors(change.merged)
    return errors | time_order_errors(change, OFFER_TIMES)


def offer_step_errors(offer) -> dict:
    needs = {}
    if offer.get("offered"):
        needs = {"offered_at": ADVOCACY_WHEN, "offered_by": ADVOCACY_BY}
    errors = {name: [message] for name, message in needs.items() if not offer.get(name)}
    if OfferResponse(offer.get("response") or OfferResponse.PENDING) != OfferResponse.PENDING:
        if not offer.get("offered"):
            errors["offered"] = [ADVOCACY_FIRST]
        if not offer.get("responded_at"):
            errors["responded_at"] = [ADVOCACY_ANSWER_WHEN]
    return errors


def active_offer_recorded(offer) -> bool:
    """Whether an Active Offer was made and answered, accepted or declined."""
    return bool(offer and offer.get("offered")) and OfferResponse(
        offer.get("response") or OfferResponse.PENDING) != OfferResponse.PENDING


@add_submission_check
def active_offer_errors(change: Change) -> dict:
    """A looked-after child's interview is submitted only with its Active Offer recorded."""
    episode = change.lookup("episodes", change.merged.get("episode_id"))
    child = change.lookup("children", episode.get("child_id")) if episode else None
    if not child or not child.get("looked_after"):
        return {}
    if active_offer_recorded(change.find("advocacy_offers", "interview_id", change.id)):
        return {}
    return {"status": [ACTIVE_OFFER_NEEDED]}
