"""The rules of information for the police, written once for the API and sync: what each kind
of item needs, a phone number that is a number, the codes it draws from, and the lock it shares
with its interview (submitted or approved, as an attempt is)."""

from flask_babel import lazy_gettext as _l

from app.codelists.rules import unknown_code_errors
from app.core.rules import Change
from app.intelligence.models import Kind, SharingView
from app.intelligence.phones import e164
from app.interviews.rules import attempt_lock_errors

CODE_FIELDS = {"kind": "intelligence_kind", "sharing_view": "sharing_view"}

ITEM_MOVED = _l("This information cannot move to another interview.")
NEEDS_A_PERSON = _l("Give the person's name, a nickname or a description of them.")
NEEDS_A_PLACE = _l("Give the address, or say where the place is.")
NEEDS_A_VEHICLE = _l("Give the vehicle's registration, or describe the vehicle.")
NEEDS_A_NUMBER = _l("Give the phone number.")
NOT_A_NUMBER = _l("Give a UK phone number, or an international number starting with +.")
NEEDS_A_PLATFORM = _l("Say which app or website the account is on.")
NEEDS_A_HANDLE = _l("Give the account's name or handle.")

# Per kind: (the field a refusal names, the fields any one of which will do, the refusal).
NEEDS = {
    Kind.PERSON: (("name", ("name", "nickname", "description"), NEEDS_A_PERSON),),
    Kind.PLACE: (("address_or_place", ("address_or_place",), NEEDS_A_PLACE),),
    Kind.VEHICLE: (("vehicle_registration", ("vehicle_registration", "vehicle_description"),
                    NEEDS_A_VEHICLE),),
    Kind.PHONE_NUMBER: (("phone_number", ("phone_number",), NEEDS_A_NUMBER),),
    Kind.SOCIAL_MEDIA: (("platform", ("platform",), NEEDS_A_PLATFORM),
                        ("handle", ("handle",), NEEDS_A_HANDLE)),
}


def item_defaults(change: Change) -> dict:
    """What a new item holds unless the change says otherwise: the child was not asked."""
    return {"sharing_view": SharingView.NOT_ASKED.value}


def _given(merged, name: str) -> bool:
    value = merged.get(name)
    return bool(value and str(value).strip())


def kind_errors(merged) -> dict:
    """What an item of its kind lacks: each kind needs something to find it by."""
    kind = merged.get("kind")
    if kind not in set(Kind):
        return {}
    return {field: [message] for field, any_of, message in NEEDS[Kind(kind)]
            if not any(_given(merged, name) for name in any_of)}


def phone_errors(merged) -> dict:
    """A phone number, of whichever kind of item, must be a valid number (kept in E.164)."""
    number = merged.get("phone_number")
    if _given(merged, "phone_number") and e164(number) != number:
        return {"phone_number": [NOT_A_NUMBER]}
    return {}


def item_errors(change: Change) -> dict:
    if change.alters("interview_id"):
        return {"interview_id": [ITEM_MOVED]}
    refusal = item_lock_errors(change)
    if refusal:
        return refusal
    merged = change.merged
    errors = unknown_code_errors(change, CODE_FIELDS)
    return kind_errors(merged) | phone_errors(merged) | errors


def item_lock_errors(change: Change) -> dict:
    """An item is part of its interview's content: locked with it (made, changed or deleted),
    as an attempt is."""
    return attempt_lock_errors(change)
