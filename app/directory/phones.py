"""Well-formed UK numbers for the directory: a full number is judged by the `phonenumbers`
library (Google's libphonenumber metadata); a short code by an explicit allow-list of the forms
the directory uses, and by the library's short-number metadata as well.

Short codes are not numbers libphonenumber calls "valid" (is_valid_number refuses 999), so they
are handled here on purpose, never by letting any short string through: 999 and 112 (emergency),
101 (police, not an emergency), 111 (NHS), the 116 xxx numbers of social value (116 000 the
Runaway Helpline, 116 111 Childline's European number, 116 123 Samaritans), and for texts alone
the five-digit text short codes (84001, Meic's)."""

import re

import phonenumbers
from phonenumbers import PhoneNumberType

REGION = "GB"
WRITTEN = re.compile(r"\+?[0-9][0-9 ]*")  # digits and spaces, as printed on a leaflet
VOICE_SHORT_CODES = (re.compile(r"999|112|101|111"), re.compile(r"116[0-9]{3}"))
TEXT_SHORT_CODES = (re.compile(r"116[0-9]{3}"), re.compile(r"[6-8][0-9]{4}"))
# Full numbers a child or worker may be sent to: never premium rate or personal numbers.
CALLABLE_TYPES = {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
                  PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.TOLL_FREE,
                  PhoneNumberType.UAN, PhoneNumberType.SHARED_COST}
# Calls that cost nothing: freephone (0800, 0808), 116 xxx, and the emergency numbers.
FREE_SHORT_CODES = (re.compile(r"999|112|111"), re.compile(r"116[0-9]{3}"))


def digits(written: str) -> str:
    return written.replace(" ", "")


def is_short_code(written: str, forms=VOICE_SHORT_CODES) -> bool:
    number = digits(written)
    if not any(form.fullmatch(number) for form in forms):
        return False
    return phonenumbers.is_valid_short_number_for_region(
        phonenumbers.parse(number, REGION), REGION)


def is_full_number(written: str) -> bool:
    try:
        parsed = phonenumbers.parse(written, REGION)
    except phonenumbers.NumberParseException:
        return False
    return parsed.country_code == 44 and phonenumbers.is_valid_number_for_region(
        parsed, REGION) and phonenumbers.number_type(parsed) in CALLABLE_TYPES


def phone_problem(written: str, text: bool = False) -> str | None:
    """Why this is not a UK number to call (or, with text, to text), or None when it is."""
    if not WRITTEN.fullmatch(written or ""):
        return "Write the number in digits and spaces, as 0800 1111."
    forms = TEXT_SHORT_CODES if text else VOICE_SHORT_CODES
    if is_short_code(written, forms) or is_full_number(written):
        return None
    return "Not a well-formed UK number or a known short code."


def is_free_to_call(written: str) -> bool:
    number = digits(written)
    if any(form.fullmatch(number) for form in FREE_SHORT_CODES):
        return True
    return is_full_number(written) and phonenumbers.number_type(
        phonenumbers.parse(written, REGION)) == PhoneNumberType.TOLL_FREE
